"""Helpers every dataset format shares: the writer protocol, stable JSON, file names, type names and offsets."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote

from annotator.core.dto import DocumentRecord, Entity, Event, EventDate, Fatalities, Segmentation, Status

MAX_STEM = 200  # file systems allow 255 bytes a name; room is left for the suffix (an ASCII stem is 1 byte a char)


class DatasetWriter(Protocol):
    """One export format: documents go in one at a time, files come out when it is closed.

    `write` returns the problems met in that document (spans a format cannot hold, and so on), each a
    sentence naming the document; `close` writes whatever needs the whole corpus and returns the files
    shared by the corpus (per-document files are not listed, so memory does not grow with the corpus)
    and the problems only the whole corpus shows (counts of what the format could not carry).
    """

    name: str
    needs_segmentation: bool

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]: ...
    def close(self) -> tuple[list[Path], list[str]]: ...


class LineError(Exception):
    """A line of a JSON Lines file that cannot be imported; the message says why."""


def json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, its JSON object) for each non-blank line, or (line number, why it is not one).

    Lines are split at LF only (a JSON string may hold U+2028) and decoded one by one, so a bad byte
    names its line.
    """
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield number, f"not UTF-8 ({exc.reason} at byte {exc.start} of the line)"
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg}, column {exc.colno}): truncated line?"
                continue
            yield number, data if isinstance(data, dict) else "a line must hold one JSON object"


def dumps(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fatalities_json(f: Fatalities | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "low": f.low, "high": f.high, "qualifier": f.qualifier, "text": f.text}


def date_json(d: EventDate | None) -> dict[str, Any] | None:
    return None if d is None else {"value": d.value, "precision": d.precision, "text": d.text}


def fatalities_from(data: Any) -> Fatalities | None:
    if not isinstance(data, dict):
        return None
    return Fatalities(**{k: data.get(k) for k in ("value", "low", "high", "qualifier", "text")})


def date_from(data: Any) -> EventDate | None:
    return EventDate(**{k: data.get(k) for k in ("value", "precision", "text")}) if isinstance(data, dict) else None


def file_stem(doc_id: str) -> str:
    """A file name for a document id, reversible with `doc_id_from_stem` (ids may hold '/', ':' and so on).

    Ids too long for a file name (long URLs) are cut and made unique with a hash; `stem_problem` says so.
    """
    stem = quote(doc_id, safe="-_.,@+=")
    if len(stem) > MAX_STEM:
        stem = stem[: MAX_STEM - 17] + "~" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:16]
    # Names starting with a dot are hidden, and "." / ".." are not files; a lone "%" never comes out of quote().
    return "%2E" + stem[1:] if stem.startswith(".") else stem or "%"


def stem_problem(doc_id: str) -> list[str]:
    stem = file_stem(doc_id)
    if doc_id_from_stem(stem) == doc_id:
        return []
    return [f"{doc_id}: the id is too long for a file name; written as {stem}, which a re-import takes as its id"]


def doc_id_from_stem(stem: str) -> str:
    return "" if stem == "%" else unquote(stem)


def span_problem(text: str, start: int, end: int, expected: str | None) -> str | None:
    """Why (start, end) is not a valid span of `text` showing `expected`, or None when it is."""
    if start < 0 or end < start:
        return f"offsets {start}-{end} are not a span"
    if end > len(text):
        return f"offsets {start}-{end} run past the end of the text ({len(text)} characters)"
    if expected is not None and text[start:end] != expected:
        return f"span {start}-{end} reads {text[start:end]!r} in the text, not {expected!r}"
    return None


def without_rejected(record: DocumentRecord) -> DocumentRecord:
    """The record without rejected suggestions, which are explicit negatives, not dataset annotations."""
    entities = tuple(e for e in record.entities if e.status != Status.REJECTED)
    kept = {e.id for e in entities}
    events = tuple(e for e in record.events if e.status != Status.REJECTED)
    kept_events = {e.id for e in events}

    def keep_argument(entity_id: int | None, event_id: int | None, status: str) -> bool:
        target_kept = entity_id in kept if entity_id is not None else event_id in kept_events
        return status != Status.REJECTED and target_kept

    events = tuple(
        replace(ev, arguments=tuple(a for a in ev.arguments if keep_argument(a.entity_id, a.event_id, a.status)))
        for ev in events
    )
    relations = tuple(r for r in record.relations if r.arg1 in kept and r.arg2 in kept)
    return replace(record, entities=entities, events=events, relations=relations)


def without_private_attributes(record: DocumentRecord) -> DocumentRecord:
    """Attributes whose names start with "_" are the tool's bookkeeping (adjudication), never dataset content."""
    attributes = [e.attrs for e in record.entities] + [ev.attrs for ev in record.events]
    if not any(k.startswith("_") for attrs in attributes for k in attrs):
        return record

    def public(attrs: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in attrs.items() if not k.startswith("_")}

    return replace(
        record,
        entities=tuple(replace(e, attrs=public(e.attrs)) for e in record.entities),
        events=tuple(replace(ev, attrs=public(ev.attrs)) for ev in record.events),
    )


def describe_entity(record: DocumentRecord, entity: Entity) -> str:
    return f"{record.doc_id}: {entity.label} {entity.text!r} at {entity.start}-{entity.end}"


def describe_event(record: DocumentRecord, event: Event) -> str:
    return f"{record.doc_id}: event {event.type} {event.trigger_text!r} at {event.trigger_start}-{event.trigger_end}"


class CrlfMap:
    """Offsets with CR LF counted as one character (brat, pybrat) versus offsets into the exact text.

    brat opens .txt files with universal newlines, so every CR LF pair reads as one '\\n'. We keep the
    file byte-identical to the stored text and shift standoff offsets instead.
    """

    __slots__ = ("_pairs", "_translated")

    def __init__(self, text: str) -> None:
        self._pairs: list[int] = []
        at = text.find("\r\n")
        while at >= 0:
            self._pairs.append(at)
            at = text.find("\r\n", at + 2)
        # Where each pair's '\n' sits in the translated text: its '\r' position minus the pairs before it.
        self._translated = [p - k for k, p in enumerate(self._pairs)]

    def to_brat(self, offset: int) -> int:
        return offset - bisect.bisect_left(self._pairs, offset - 1) if self._pairs else offset

    def from_brat(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._translated, offset) if self._pairs else offset
