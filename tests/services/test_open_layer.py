"""Opening a layer costs a fixed number of SQL statements, however many events it holds, and loses nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from annotator.core.dto import DocStatus, Entity, Event
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.services.bench_corpus import event_heavy_record, long_text
from annotator.services.events import EventService
from annotator.store import models as m
from annotator.store.database import Database


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _store(db: Database, schema: Schema, text: str, events: int) -> int:
    record = event_heavy_record(schema, text, spans=150, events=events)
    with db.session() as session:
        doc_id = records.store_document(session, record)
        records.store_layer(session, doc_id, records.annotator_id(session, "alice"), record, status="in_progress")
    return doc_id


def _frames(events: tuple[Event, ...], entities: tuple[Entity, ...]) -> list[tuple[Any, ...]]:
    """Each event as stored, its fillers by offsets (database ids differ from the record's)."""
    offsets = {e.id: (e.start, e.end) for e in entities}
    return [
        (
            ev.type,
            ev.trigger_start,
            ev.attrs,
            ev.fatalities,
            ev.date,
            [(a.role, offsets[a.entity_id] if a.entity_id else None) for a in ev.arguments],
        )
        for ev in events
    ]


def test_statements_do_not_grow_with_events(db: Database, schema: Schema) -> None:
    text = long_text(12_000)
    few, many = _store(db, schema, text[:6000], 4), _store(db, schema, text[6000:], 80)
    service = AnnotationService(db, schema)
    service.open_document(few, "alice")  # the first open creates nothing, but warms the engine
    with counted(db) as for_few:
        small = service.open_document(few, "alice")
    with counted(db) as for_many:
        large = service.open_document(many, "alice")
    assert len(small.events) == 4 and len(large.events) == 80
    assert sum(len(ev.arguments) for ev in large.events) > 40
    assert len(for_many) == len(for_few) <= 12


def test_layer_events_keep_every_field(db: Database, schema: Schema) -> None:
    text = long_text(8000)
    record = records.renumber(event_heavy_record(schema, text, spans=150, events=40))
    doc_id = _store(db, schema, text, 40)
    view = AnnotationService(db, schema).open_document(doc_id, "alice")
    assert _frames(view.events, view.entities) == _frames(record.events, record.entities)
    assert any(ev.fatalities for ev in view.events) and any(ev.date for ev in view.events)


def test_refresh_after_each_edit_matches_a_fresh_open(db: Database, schema: Schema) -> None:
    """Each edit, undo and redo re-reads only what it touched, and the result is the layer as stored."""
    text = long_text(5000)
    doc_id = _store(db, schema, text, 12)
    service = EventService(db, schema)
    view = service.open_document(doc_id, "alice")
    spans = [e for e in view.entities if e.label == "PER"]
    attack = next(ev for ev in view.events if ev.arguments)
    word = next(
        mt
        for mt in re.finditer(r"\b[a-z]{5,}\b", text)
        if not any(e.start <= mt.start() < e.end for e in view.entities)
    )
    first = service.create_entity(doc_id, "alice", word.start(), word.end(), "LOC")
    steps = [
        lambda: first,
        lambda: service.relabel(doc_id, "alice", [spans[0].id], "ORG"),
        lambda: service.delete(doc_id, "alice", [attack.arguments[0].entity_id or 0]),  # a filler: its event changes
        lambda: service.set_attribute(doc_id, "alice", view.events[1].id, "tense", "Future"),
        lambda: service.delete_event(doc_id, "alice", [view.events[2].id]),
        lambda: service.create_event(doc_id, "alice", word.start(), word.end(), "Conflict.Attack"),
    ]
    current = view
    for step in steps:
        changes = step()
        refreshed = service.refresh_view(current, changes)
        assert refreshed is not None
        assert refreshed == service.open_document(doc_id, "alice")
        current = refreshed
        undone = service.undo(changes.history_id or 0)
        refreshed = service.refresh_view(current, undone)
        assert refreshed == service.open_document(doc_id, "alice")
        redone = service.redo(changes.history_id or 0)
        current = service.refresh_view(refreshed or current, redone) or current
        assert current == service.open_document(doc_id, "alice")


def test_a_status_change_reopens_the_document(db: Database, schema: Schema) -> None:
    doc_id = _store(db, schema, long_text(3000), 3)
    service = AnnotationService(db, schema)
    view = service.open_document(doc_id, "alice")
    assert service.refresh_view(view, service.set_document_status(doc_id, "alice", DocStatus.DONE)) is None


def test_opening_a_document_that_is_not_there_says_so_and_writes_nothing(db: Database, schema: Schema) -> None:
    """A stale id (the document list of another session, a typed --document): a clear error, no annotator
    row, no layer state, no IntegrityError from a state row pointing nowhere."""
    service = AnnotationService(db, schema)
    doc_id = _store(db, schema, long_text(2_000), events=1)
    with pytest.raises(UserError, match=f"there is no document with id {doc_id + 1}"):
        service.open_document(doc_id + 1, "newcomer")
    with db.reader() as session:
        assert records.find_annotator(session, "newcomer") is None
        states = select(func.count()).select_from(m.DocumentState).where(m.DocumentState.document_id == doc_id + 1)
        assert session.scalar(states) == 0
    assert service.open_document(doc_id, "newcomer").id == doc_id  # and a real one still opens
