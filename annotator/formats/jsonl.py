"""Native JSON Lines: one document per line, lossless, with the schema YAML beside it; read back exactly."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core.dto import (
    Argument,
    DocumentRecord,
    Entity,
    Event,
    ReadProblem,
    Relation,
    Segmentation,
)
from annotator.core.errors import SchemaError
from annotator.core.incidents import Incident
from annotator.core.schema import Schema, parse_schema
from annotator.formats.common import (
    LineError,
    date_from,
    date_json,
    dumps,
    fatalities_from,
    fatalities_json,
    json_objects,
    span_problem,
)

DATA_FILE = "documents.jsonl"
INCIDENTS_FILE = "incidents.jsonl"  # derived: membership is read back from each event's incident_id
SCHEMA_FILE = "schema.yaml"
#: Labels the data uses beyond the schema (a project keeps what it imported, e.g. brat's own types).
LABELS_FILE = "labels.json"


def record_to_json(record: DocumentRecord) -> dict[str, Any]:
    """The native line for a record whose ids are 1..n (see records.renumber)."""
    return {
        "doc_id": record.doc_id,
        "title": record.title,
        "source": record.source,
        "url": record.url,
        "published": record.published,
        "text": record.text,
        "text_sha256": hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
        "boilerplate": [list(b) for b in record.boilerplate],
        "meta": record.meta,
        "status": record.status,
        "entity_mentions": [
            {
                "id": f"E{e.id}",
                "type": e.label,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "origin": e.origin,
                "status": e.status,
                "attrs": e.attrs,
                "normalized": e.normalized,
            }
            for e in record.entities
        ],
        "event_mentions": [_event_json(ev) for ev in record.events],
        "relations": [
            {
                "id": f"R{r.id}",
                "type": r.type,
                "arg1": f"E{r.arg1}",
                "arg2": f"E{r.arg2}",
                "role1": r.role1,
                "role2": r.role2,
                "attrs": r.attrs,
            }
            for r in record.relations
        ],
    }


def _event_json(ev: Event) -> dict[str, Any]:
    arguments = []
    for a in ev.arguments:
        arg: dict[str, Any] = {"role": a.role, "status": a.status, "origin": a.origin}
        if a.entity_id is not None:
            arg["entity_mention_id"] = f"E{a.entity_id}"
        else:
            arg["event_mention_id"] = f"EV{a.event_id}"
        arguments.append(arg)
    return {
        "id": f"EV{ev.id}",
        "type": ev.type,
        "trigger": {"start": ev.trigger_start, "end": ev.trigger_end, "text": ev.trigger_text},
        "arguments": arguments,
        "attrs": ev.attrs,
        "fatalities": fatalities_json(ev.fatalities),
        "date": date_json(ev.date),
        "origin": ev.origin,
        "status": ev.status,
        "incident_id": ev.incident,
    }


def incident_json(incident: Incident, members: list[dict[str, str]]) -> dict[str, Any]:
    """A line of incidents.jsonl: the incident's reports and its consolidated fields (derived, for reading)."""
    place = incident.place
    return {
        "id": incident.id,
        "status": incident.status,
        "score": incident.score,
        "reasons": list(incident.reasons),
        "events": members,
        "type": incident.event_type.value,
        "sub_event_type": incident.sub_event_type.value,
        "date": incident.date.value or None,
        "precision": incident.precision or None,
        "location": incident.location.value or None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "actors": [incident.actors.actor1.value, incident.actors.actor2.value],
        "fatalities": {
            "best": incident.fatalities.best,
            "low": incident.fatalities.low,
            "high": incident.fatalities.high,
        },
        "sources": list(incident.sources),
    }


class NativeWriter:
    """Writes documents.jsonl and schema.yaml (verbatim) into a folder, and labels.json when the data needs it."""

    name = "jsonl"
    needs_segmentation = False

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._dir = directory
        self._schema = schema
        self._handle = (directory / DATA_FILE).open("w", encoding="utf-8", newline="\n")
        self._extra: dict[str, set[str]] = {"entity_types": set(), "event_types": set()}
        self._incidents: Sequence[Incident] = ()
        self._members: dict[str, list[dict[str, str]]] = {}

    def set_incidents(self, incidents: Sequence[Incident]) -> None:
        self._incidents = incidents

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        for ev in record.events:
            if ev.incident is not None:
                self._members.setdefault(ev.incident, []).append({"doc_id": record.doc_id, "event_id": f"EV{ev.id}"})
        self._extra["entity_types"].update(e.label for e in record.entities if e.label not in self._schema.entity_types)
        self._extra["event_types"].update(e.type for e in record.events if e.type not in self._schema.event_types)
        self._handle.write(dumps(record_to_json(record)) + "\n")
        return []

    def close(self) -> tuple[list[Path], list[str]]:
        self._handle.close()
        files = [self._dir / DATA_FILE, self._dir / SCHEMA_FILE, self._dir / INCIDENTS_FILE]
        files[1].write_text(self._schema.source_text, encoding="utf-8", newline="")
        with files[2].open("w", encoding="utf-8", newline="\n") as handle:
            for incident in self._incidents:
                if incident.id in self._members:
                    handle.write(dumps(incident_json(incident, self._members[incident.id])) + "\n")
        if not any(self._extra.values()):
            return files, []
        files.append(self._dir / LABELS_FILE)
        files[-1].write_text(dumps({k: sorted(v) for k, v in self._extra.items()}) + "\n", encoding="utf-8")
        names = ", ".join(sorted(self._extra["entity_types"] | self._extra["event_types"]))
        return files, [f"labels outside schema {self._schema.id} ({names}) are declared in {LABELS_FILE}"]


def read_native(path: Path, *, schema: Schema | None = None) -> Iterator[DocumentRecord | ReadProblem]:
    """Read a native export: the .jsonl file, or the folder holding documents.jsonl.

    Labels are checked against schema.yaml (and labels.json) beside the file and `schema` (the
    project's), when either exists; a line with an unknown label, a bad span or a dangling id is
    skipped whole, as an error.
    """
    path = path / DATA_FILE if path.is_dir() else path
    labels, problem = _known_labels(path.parent, schema)
    if problem is not None:
        yield problem
    for number, data in json_objects(path):
        if isinstance(data, str):
            yield ReadProblem(str(path), data, line=number)
            continue
        doc_id = str(data.get("doc_id", "")) or None
        try:
            yield _record(data, labels)
        except LineError as exc:
            yield ReadProblem(str(path), str(exc), line=number, doc_id=doc_id)
        except (AttributeError, TypeError, ValueError) as exc:  # a value of the wrong shape deep inside
            yield ReadProblem(str(path), f"malformed document: {exc}", line=number, doc_id=doc_id)


def _known_labels(folder: Path, schema: Schema | None) -> tuple[set[str] | None, ReadProblem | None]:
    labels: set[str] | None = None
    problem = None
    if (folder / SCHEMA_FILE).exists():
        try:
            beside = parse_schema((folder / SCHEMA_FILE).read_text(encoding="utf-8"), folder / SCHEMA_FILE)
            labels = {*beside.entity_types, *beside.event_types}
        except SchemaError as exc:
            message = f"schema not read, labels not checked against it: {exc.message}"
            problem = ReadProblem(str(folder / SCHEMA_FILE), message, severity="warning")
    if schema is not None:
        labels = (labels or set()) | {*schema.entity_types, *schema.event_types}
    if labels is not None and (folder / LABELS_FILE).exists():
        try:
            extra = json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))
            labels |= {str(n) for key in ("entity_types", "event_types") for n in extra.get(key, [])}
        except (ValueError, AttributeError, TypeError) as exc:
            problem = ReadProblem(str(folder / LABELS_FILE), f"not read: {exc}", severity="warning")
    return labels, problem


def _get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    if key not in data:
        raise LineError(f"{where}missing {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise LineError(f"{where}{key!r} has the wrong type ({type(value).__name__})")
    return value


def _record(data: dict[str, Any], labels: set[str] | None) -> DocumentRecord:
    text = _get(data, "text", str)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if data.get("text_sha256", sha) != sha:
        raise LineError("text_sha256 does not match the text (the text was changed after export)")
    entity_ids: dict[str, int] = {}
    entities = []
    for k, e in enumerate(_get(data, "entity_mentions", list), 1):
        where = f"entity {e.get('id', k) if isinstance(e, dict) else k}: "
        if not isinstance(e, dict):
            raise LineError(f"{where}not an object")
        start, end, label = _get(e, "start", int, where), _get(e, "end", int, where), _get(e, "type", str, where)
        problem = span_problem(text, start, end, _get(e, "text", str, where))
        if problem:
            raise LineError(where + problem)
        if labels is not None and label not in labels:
            raise LineError(f"{where}unknown label {label!r} (not in the schema)")
        entity_ids[str(e.get("id", k))] = k
        entities.append(
            Entity(
                id=k,
                start=start,
                end=end,
                label=label,
                text=e["text"],
                origin=e.get("origin", "human"),
                status=e.get("status", "accepted"),
                normalized=e.get("normalized"),
                attrs=dict(e.get("attrs") or {}),
            )
        )
    raw_events = _get(data, "event_mentions", list)
    event_ids = {str(ev.get("id", k)) if isinstance(ev, dict) else str(k): k for k, ev in enumerate(raw_events, 1)}
    events = [_event(k, ev, text, labels, entity_ids, event_ids) for k, ev in enumerate(raw_events, 1)]
    relations = []
    for k, r in enumerate(data.get("relations") or [], 1):
        where = f"relation {r.get('id', k)}: "
        arg1, arg2 = entity_ids.get(str(r.get("arg1"))), entity_ids.get(str(r.get("arg2")))
        if arg1 is None or arg2 is None:
            raise LineError(f"{where}points at a missing entity mention ({r.get('arg1')!r}, {r.get('arg2')!r})")
        relations.append(
            Relation(
                id=k,
                type=_get(r, "type", str, where),
                arg1=arg1,
                arg2=arg2,
                role1=r.get("role1", "Arg1"),
                role2=r.get("role2", "Arg2"),
                attrs=dict(r.get("attrs") or {}),
            )
        )
    return DocumentRecord(
        doc_id=str(_get(data, "doc_id", (str, int))),
        text=text,
        title=data.get("title") or "",
        source=data.get("source") or "",
        url=data.get("url") or "",
        published=data.get("published"),
        boilerplate=tuple((int(s), int(e)) for s, e in data.get("boilerplate") or []),
        meta=dict(data.get("meta") or {}),
        entities=tuple(entities),
        events=tuple(events),
        relations=tuple(relations),
        status=data.get("status"),
    )


def _event(
    k: int, ev: Any, text: str, labels: set[str] | None, entity_ids: dict[str, int], event_ids: dict[str, int]
) -> Event:
    where = f"event {ev.get('id', k) if isinstance(ev, dict) else k}: "
    if not isinstance(ev, dict):
        raise LineError(f"{where}not an object")
    etype = _get(ev, "type", str, where)
    if labels is not None and etype not in labels:
        raise LineError(f"{where}unknown event type {etype!r} (not in the schema)")
    trigger = _get(ev, "trigger", dict, where)
    start, end = _get(trigger, "start", int, where + "trigger "), _get(trigger, "end", int, where + "trigger ")
    problem = span_problem(text, start, end, _get(trigger, "text", str, where + "trigger "))
    if problem:
        raise LineError(f"{where}trigger {problem}")
    arguments = []
    for a in _get(ev, "arguments", list, where):
        role = _get(a, "role", str, where + "argument ")
        entity_id = entity_ids.get(str(a["entity_mention_id"])) if "entity_mention_id" in a else None
        event_id = event_ids.get(str(a["event_mention_id"])) if "event_mention_id" in a else None
        if entity_id is None and event_id is None:
            target = a.get("entity_mention_id", a.get("event_mention_id"))
            raise LineError(f"{where}argument {role} points at a missing mention {target!r}")
        arguments.append(
            Argument(
                role=role,
                entity_id=entity_id,
                event_id=event_id,
                status=a.get("status", "accepted"),
                origin=a.get("origin", "human"),
            )
        )
    return Event(
        id=k,
        type=etype,
        trigger_start=start,
        trigger_end=end,
        trigger_text=trigger["text"],
        arguments=tuple(arguments),
        attrs=dict(ev.get("attrs") or {}),
        fatalities=fatalities_from(ev.get("fatalities")),
        date=date_from(ev.get("date")),
        origin=ev.get("origin", "human"),
        status=ev.get("status", "accepted"),
        incident=str(ev["incident_id"]) if ev.get("incident_id") is not None else None,
    )
