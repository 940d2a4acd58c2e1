"""TextEE JSON Lines: one window of sentences per line, spaCy tokens, token offsets end exclusive."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from annotator.core.dto import DocumentRecord, Entity, Event, Segmentation
from annotator.core.review import is_unreviewed
from annotator.core.schema import Schema
from annotator.formats.align import Window, window_of, windows
from annotator.formats.common import describe_entity, describe_event, dumps

T = TypeVar("T")

DATA_FILE = "textee.jsonl"


def ace_type(schema: Schema, event_type: str) -> str | None:
    """The ACE 2005 name TextEE and OneIE use (Conflict:Attack), from the schema's `maps.ace`."""
    spec = schema.event_types.get(event_type)
    ace = spec.maps.get("ace") if spec is not None else None
    return str(ace) if ace else None


class TextEEWriter:
    """Writes textee.jsonl; event types outside ACE 2005 keep a derived name (X:Conflict:Agreement), counted."""

    name = "textee"
    needs_segmentation = True

    def __init__(self, directory: Path, schema: Schema, window: int = 1) -> None:
        self._path = directory / DATA_FILE
        self._schema = schema
        self._window = max(window, 1)
        self._handle = self._path.open("w", encoding="utf-8", newline="\n")
        self._not_ace: Counter[str] = Counter()
        self._unsupported: Counter[str] = Counter()

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        if segmentation is None:
            raise ValueError("TextEE needs tokens and sentences")
        wins, problems = windows(record, segmentation, self._window)
        for field in ("attrs", "fatalities", "date"):
            self._unsupported[field] += sum(1 for ev in record.events if getattr(ev, field))
        entities = _by_window(
            wins, record.entities, lambda e: (e.start, e.end), lambda e: describe_entity(record, e), problems
        )
        events = _by_window(
            wins,
            record.events,
            lambda ev: (ev.trigger_start, ev.trigger_end),
            lambda ev: describe_event(record, ev),
            problems,
        )
        for k, window in enumerate(wins):
            line = self._window_json(record, f"{record.doc_id}-{k}", window, entities[k], events[k], problems)
            self._handle.write(dumps(line) + "\n")
        return problems

    def _window_json(
        self,
        record: DocumentRecord,
        wnd_id: str,
        window: Window,
        entities: list[Entity],
        events: list[Event],
        problems: list[str],
    ) -> dict[str, Any]:
        mentions: dict[int, dict[str, Any]] = {}
        for e in entities:
            span = window.token_span(e.start, e.end)
            if span is None:
                problems.append(f"{describe_entity(record, e)} does not start and end on tokens; left out")
                continue
            mentions[e.id] = {
                "id": f"{wnd_id}-E{len(mentions)}",
                "entity_type": e.label,
                "text": e.text,
                "start": span[0],
                "end": span[1],
                **_review_mark(e.status, e.origin),
            }
        event_mentions: list[dict[str, Any]] = []
        for ev in events:
            span = window.token_span(ev.trigger_start, ev.trigger_end)
            if span is None:
                problems.append(f"{describe_event(record, ev)}: trigger does not start and end on tokens; left out")
                continue
            event_type = ace_type(self._schema, ev.type)
            if event_type is None:
                self._not_ace[ev.type] += 1
                event_type = ev.type.replace(".", ":")
            arguments = []
            for a in ev.arguments:
                mention = mentions.get(a.entity_id) if a.entity_id is not None else None
                if mention is None:
                    why = "is an event (TextEE has no nested events)" if a.event_id else "is in another sentence"
                    problems.append(f"{describe_event(record, ev)}: argument {a.role} {why}; left out")
                    continue
                arguments.append(
                    {
                        "entity_id": mention["id"],
                        "role": a.role,
                        "text": mention["text"],
                        "start": mention["start"],
                        "end": mention["end"],
                        **_review_mark(a.status, a.origin),
                    }
                )
            event_mentions.append(
                {
                    "id": f"{wnd_id}-EV{len(event_mentions)}",
                    "event_type": event_type,
                    "trigger": {"text": ev.trigger_text, "start": span[0], "end": span[1]},
                    "arguments": arguments,
                    **_review_mark(ev.status, ev.origin),
                }
            )
        relation_mentions: list[dict[str, Any]] = []
        for r in record.relations:
            if r.arg1 in mentions and r.arg2 in mentions:
                args = [(mentions[r.arg1], "Arg-1"), (mentions[r.arg2], "Arg-2")]
                relation_mentions.append(
                    {
                        "id": f"{wnd_id}-R{len(relation_mentions)}",
                        "relation_type": r.type,
                        "arguments": [
                            {
                                "entity_id": m["id"],
                                "role": role,
                                "text": m["text"],
                                "start": m["start"],
                                "end": m["end"],
                            }
                            for m, role in args
                        ],
                    }
                )
        return {
            "doc_id": record.doc_id,
            "wnd_id": wnd_id,
            "text": record.text[window.start : window.end],
            "lang": "en",
            "tokens": [record.text[s:e] for s, e in window.tokens],
            "entity_mentions": list(mentions.values()),
            "event_mentions": event_mentions,
            "relation_mentions": relation_mentions,
        }

    def close(self) -> tuple[list[Path], list[str]]:
        self._handle.close()
        problems = []
        if self._not_ace:
            counts = ", ".join(f"{t} ({n})" for t, n in sorted(self._not_ace.items()))
            problems.append(
                f"{sum(self._not_ace.values())} events of types outside ACE 2005 kept with a derived "
                f"name (X.Conflict.Agreement -> X:Conflict:Agreement): {counts}"
            )
        carried = {k: n for k, n in self._unsupported.items() if n}
        if carried:
            counts = ", ".join(f"{k} on {n} events" for k, n in sorted(carried.items()))
            problems.append(
                f"TextEE has no place for event attributes, fatalities or dates ({counts}); the jsonl export keeps them"
            )
        return [self._path], problems


def _review_mark(status: str, origin: str) -> dict[str, bool]:
    """An extra key on suggestions nobody reviewed (exported on request); TextEE's readers ignore unknown keys."""
    return {"suggested": True} if is_unreviewed(status, origin) else {}


def _by_window(
    wins: Sequence[Window],
    items: Iterable[T],
    span: Callable[[T], tuple[int, int]],
    describe: Callable[[T], str],
    problems: list[str],
) -> dict[int, list[T]]:
    """Items grouped by the window holding them whole; one outside every window is reported, not dropped."""
    grouped: dict[int, list[T]] = defaultdict(list)
    for item in items:
        k = window_of(wins, *span(item))
        if k is None:
            problems.append(f"{describe(item)} lies outside every sentence; left out")
        else:
            grouped[k].append(item)
    return grouped
