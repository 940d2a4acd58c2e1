"""Edits as history entries: row snapshots before and after, so undo and redo survive restarts.

Every mutating annotation call runs through `record_edit`: it snapshots the rows it may touch,
applies the change, snapshots them again and writes one History row in the same transaction.
Undo restores the `before` rows, redo the `after` rows, each refusing when the rows were changed
since (by a corpus-wide propagation started elsewhere, say), so nobody's edit is overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from annotator.core.dto import DocStatus
from annotator.core.errors import UserError
from annotator.store import models as m

ENTITY_COLUMNS = (
    "id",
    "document_id",
    "annotator_id",
    "start",
    "end",
    "label",
    "text",
    "origin",
    "status",
    "normalized",
    "attrs",
)
EVENT_COLUMNS = (
    "id",
    "document_id",
    "annotator_id",
    "type",
    "trigger_start",
    "trigger_end",
    "trigger_text",
    "attrs",
    "fatalities",
    "event_date",
    "date_precision",
    "date_text",
    "origin",
    "status",
)
ARGUMENT_COLUMNS = ("position", "role", "entity_id", "target_event_id", "origin", "status")
INCIDENT_COLUMNS = ("id", "annotator_id", "origin", "status", "score", "reasons", "source_id", "attrs")
Snapshot = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Touched:
    """The rows an edit may change; the edit function adds ids it creates."""

    entities: set[int]
    events: set[int]
    incidents: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)  # documents whose publication date the edit sets


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    operation: str
    description: str
    undone: bool


def _normal(value: Snapshot) -> Snapshot:
    """Rows compare after a JSON round trip, as they are stored."""
    normal: Snapshot = json.loads(json.dumps(value, sort_keys=True))
    return normal


def _entity_row(e: m.EntityMention) -> dict[str, Any]:
    return {c: getattr(e, c) for c in ENTITY_COLUMNS}


def _event_row(ev: m.Event) -> dict[str, Any]:
    row = {c: getattr(ev, c) for c in EVENT_COLUMNS}
    row["arguments"] = [{c: getattr(a, c) for c in ARGUMENT_COLUMNS} for a in ev.arguments]
    return row


def _incident_row(incident: m.Incident) -> dict[str, Any]:
    row = {c: getattr(incident, c) for c in INCIDENT_COLUMNS}
    row["members"] = sorted(member.event_id for member in incident.members)
    return row


def snapshot(session: Session, touched: Touched) -> Snapshot:
    session.flush()
    session.expire_all()  # the database cascades argument deletes behind the ORM's back: read fresh rows
    entities = {
        e.id: e for e in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(touched.entities)))
    }
    events = {ev.id: ev for ev in session.scalars(select(m.Event).where(m.Event.id.in_(touched.events)))}
    rows: Snapshot = {
        "entities": {str(i): _entity_row(entities[i]) if i in entities else None for i in sorted(touched.entities)},
        "events": {str(i): _event_row(events[i]) if i in events else None for i in sorted(touched.events)},
    }
    if touched.documents:  # only publication date edits carry this table
        dates = dict(
            session.execute(
                select(m.Document.id, m.Document.published).where(m.Document.id.in_(touched.documents))
            ).all()
        )
        rows["documents"] = {str(i): {"published": dates.get(i)} for i in sorted(touched.documents)}
    if touched.incidents:  # only incident edits carry this table, so older entries read the same
        incidents = {i.id: i for i in session.scalars(select(m.Incident).where(m.Incident.id.in_(touched.incidents)))}
        rows["incidents"] = {
            str(i): _incident_row(incidents[i]) if i in incidents else None for i in sorted(touched.incidents)
        }
    return _normal(rows)


def events_using(session: Session, entity_ids: Iterable[int]) -> set[int]:
    """Events with an argument pointing at these entities: deleting an entity must be undoable with them."""
    ids = list(entity_ids)
    if not ids:
        return set()
    return set(session.scalars(select(m.EventArgument.event_id).where(m.EventArgument.entity_id.in_(ids))))


def record_edit(
    session: Session,
    document_id: int | None,
    annotator_id: int,
    operation: str,
    description: str,
    touched: Touched,
    apply: Callable[[], None],
) -> int:
    """Apply an edit and record it; returns the history id. The caller's transaction commits both.

    `document_id` None records an edit of the layer's incidents, on the layer's own undo stack.
    """
    before = snapshot(session, touched)
    apply()
    after = snapshot(session, touched)
    for table in after:  # rows the edit created did not exist before it
        for key in after[table].keys() - before.setdefault(table, {}).keys():
            before[table][key] = None
    if document_id is not None:
        _mark_in_progress(session, document_id, annotator_id)
    # A new edit ends the redo branch: the undone entries stay in the audit trail, off the stacks.
    session.execute(
        update(m.History)
        .where(
            _same_stack(document_id),
            m.History.annotator_id == annotator_id,
            m.History.undone.is_(True),
            m.History.superseded.is_(False),
        )
        .values(superseded=True)
    )
    entry = m.History(
        document_id=document_id,
        annotator_id=annotator_id,
        operation=operation,
        description=description,
        before=before,
        after=after,
    )
    session.add(entry)
    session.flush()
    return entry.id


def _same_stack(document_id: int | None) -> Any:
    return m.History.document_id.is_(None) if document_id is None else m.History.document_id == document_id


def _mark_in_progress(session: Session, document_id: int, annotator_id: int) -> None:
    state = session.get(m.DocumentState, (document_id, annotator_id))
    if state is None:
        session.add(m.DocumentState(document_id=document_id, annotator_id=annotator_id, status=DocStatus.IN_PROGRESS))
    elif state.status == DocStatus.NEW:
        state.status = DocStatus.IN_PROGRESS


def _restore(session: Session, rows: Snapshot) -> None:
    """Make the database hold exactly these rows (None: absent) for the ids they name."""
    entities, events = rows["entities"], rows["events"]
    for key, row in rows.get("documents", {}).items():
        session.execute(update(m.Document).where(m.Document.id == int(key)).values(published=row["published"]))
    _restore_incidents(session, rows.get("incidents", {}), removing=True)
    for key, row in events.items():  # arguments go first so entity deletes do not cascade into restored events
        if row is None:
            session.execute(delete(m.Event).where(m.Event.id == int(key)))
    for key, row in entities.items():
        existing = session.get(m.EntityMention, int(key))
        if row is None:
            if existing is not None:
                session.delete(existing)
        elif existing is None:
            session.add(m.EntityMention(**row))
        else:
            for column in ENTITY_COLUMNS[1:]:
                setattr(existing, column, row[column])
    session.flush()
    session.expire_all()
    for key, row in events.items():
        if row is None:
            continue
        fields = {c: row[c] for c in EVENT_COLUMNS}
        existing_ev = session.get(m.Event, int(key))
        if existing_ev is None:
            existing_ev = m.Event(**fields)
            session.add(existing_ev)
        else:
            for column in EVENT_COLUMNS[1:]:
                setattr(existing_ev, column, fields[column])
        existing_ev.arguments = [m.EventArgument(**arg) for arg in row["arguments"]]
    session.flush()
    _restore_incidents(session, rows.get("incidents", {}), removing=False)


def _restore_incidents(session: Session, rows: dict[str, Any], *, removing: bool) -> None:
    """Incidents go in two passes: removals before events come back, restorations after (members need them)."""
    for key, row in rows.items():
        existing = session.get(m.Incident, int(key))
        if removing:
            if existing is not None:
                session.delete(existing)  # restored whole below: members change with it
            continue
        if row is None:
            continue
        incident = m.Incident(**{c: row[c] for c in INCIDENT_COLUMNS})
        incident.members = [m.IncidentMember(event_id=e) for e in row["members"]]
        session.add(incident)
    session.flush()


def _replay(session: Session, history_id: int, *, undo: bool) -> m.History:
    entry = session.get(m.History, history_id)
    if entry is None or entry.superseded or entry.undone != (not undo):
        raise UserError("that edit is no longer on the undo stack; reopen the document")
    expected, target = (entry.after, entry.before) if undo else (entry.before, entry.after)
    touched = Touched(
        {int(k) for k in expected["entities"]},
        {int(k) for k in expected["events"]},
        {int(k) for k in expected.get("incidents", {})},
        {int(k) for k in expected.get("documents", {})},
    )
    if snapshot(session, touched) != _normal(expected):
        raise UserError(
            f"cannot {'undo' if undo else 'redo'} “{entry.description}”: those annotations were "
            "changed since by another edit (a propagation from another document?); nothing was changed"
        )
    _restore(session, target)
    entry.undone = undo
    return entry


def undo(session: Session, history_id: int) -> m.History:
    return _replay(session, history_id, undo=True)


def redo(session: Session, history_id: int) -> m.History:
    return _replay(session, history_id, undo=False)


def stack(session: Session, document_id: int | None, annotator_id: int) -> list[HistoryEntry]:
    """The entries of a document's undo stack (None: the layer's incidents), oldest first: done ones, then
    the undone (redo) ones."""
    rows = session.scalars(
        select(m.History)
        .where(
            _same_stack(document_id),
            m.History.annotator_id == annotator_id,
            m.History.superseded.is_(False),
        )
        .order_by(m.History.id)
    ).all()
    return [HistoryEntry(r.id, r.operation, r.description, r.undone) for r in rows]


def affected_ids(entry: m.History) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Documents, entities and events an entry touches (for the Changes a replay returns)."""
    docs = {
        row["document_id"]
        for part in (entry.before, entry.after)
        for table in part.values()
        for row in table.values()
        if row and "document_id" in row
    }
    return (
        frozenset(docs) | ({entry.document_id} if entry.document_id is not None else set()),
        frozenset(int(k) for k in entry.after["entities"]),
        frozenset(int(k) for k in entry.after["events"]),
    )
