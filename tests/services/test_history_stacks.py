"""Undo stacks: one per document and annotator, redo branches ended only on their own stack, whole rows restored."""

from __future__ import annotations

import pytest

from annotator.core.dto import DocStatus, DocumentRecord, EventDate, Fatalities, Status
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.events import EventService
from annotator.store import models as m
from annotator.store.database import Database

TEXT = "Government forces shelled Homs, killing nine civilians in al-Waer."


@pytest.fixture
def service(db: Database, schema: Schema) -> EventService:
    return EventService(db, schema)


def _documents(db: Database, count: int = 2) -> list[int]:
    ids = []
    with db.session() as session:
        for k in range(count):
            doc = records.store_document(session, DocumentRecord(doc_id=f"d{k}", text=TEXT + " " * k))
            assert doc is not None
            ids.append(doc)
    return ids


def _span(service: EventService, doc: int, who: str, needle: str, label: str) -> int:
    start = TEXT.index(needle)
    [entity] = service.create_entity(doc, who, start, start + len(needle), label).entities
    return entity


def _state(db: Database, doc: int, who: str) -> str:
    with db.reader() as session:
        state = session.get_one(m.DocumentState, (doc, records.annotator_id(session, who)))
        return state.status


def test_each_document_and_annotator_has_its_own_stack(service: EventService, db: Database) -> None:
    a, b = _documents(db)
    on_b = service.create_entity(b, "alice", 0, 10, "ORG").history_id
    bobs = service.create_entity(a, "bob", 0, 10, "ORG").history_id
    assert on_b is not None and bobs is not None
    # SQLite hands out the highest row id again once its row is gone: a newer span keeps the undone ids unused
    service.create_entity(b, "carol", 0, 10, "ORG")
    service.undo(on_b)
    service.undo(bobs)
    mine = service.create_entity(a, "alice", 26, 30, "GPE").history_id
    # alice's new edit on document a ends no other stack's redo branch
    assert [(h.id, h.undone) for h in service.history(a, "alice")] == [(mine, False)]
    assert [(h.id, h.undone) for h in service.history(b, "alice")] == [(on_b, True)]
    assert [(h.id, h.undone) for h in service.history(a, "bob")] == [(bobs, True)]
    service.redo(on_b)
    service.redo(bobs)
    assert [e.label for e in service.open_document(b, "alice").entities] == ["ORG"]
    assert [e.label for e in service.open_document(a, "bob").entities] == ["ORG"]


def test_an_entry_replays_once_each_way(service: EventService, db: Database) -> None:
    [doc] = _documents(db, 1)
    hid = service.create_entity(doc, "alice", 0, 10, "ORG").history_id
    assert hid is not None
    with pytest.raises(UserError, match="no longer on the undo stack"):
        service.redo(hid)  # not undone yet
    undone = service.undo(hid)
    assert undone.documents == {doc} and undone.history_id == hid and not undone.incidents
    with pytest.raises(UserError, match="no longer on the undo stack"):
        service.undo(hid)
    service.redo(hid)
    assert [(e.start, e.end) for e in service.open_document(doc, "alice").entities] == [(0, 10)]
    with pytest.raises(UserError, match="no longer on the undo stack"):
        service.undo(hid + 100)


def test_redo_is_refused_when_the_rows_changed_since(service: EventService, db: Database) -> None:
    [doc] = _documents(db, 1)
    entity = _span(service, doc, "alice", "Homs", "GPE")
    relabel = service.relabel(doc, "alice", [entity], "LOC").history_id
    assert relabel is not None
    service.undo(relabel)
    with db.session() as session:  # another window of the same layer changes the row meanwhile
        session.get_one(m.EntityMention, entity).label = "FAC"
    with pytest.raises(UserError) as refused:
        service.redo(relabel)
    assert str(refused.value) == (
        "cannot redo “Relabel as LOC”: those annotations were changed since by another edit "
        "(a propagation from another document?); nothing was changed"
    )
    assert [e.label for e in service.open_document(doc, "alice").entities] == ["FAC"]


def test_the_first_edit_marks_the_document_in_progress_not_a_done_one(service: EventService, db: Database) -> None:
    a, b = _documents(db)
    service.open_document(a, "alice")
    assert _state(db, a, "alice") == DocStatus.NEW
    _span(service, a, "alice", "Homs", "GPE")
    assert _state(db, a, "alice") == DocStatus.IN_PROGRESS
    service.set_document_status(b, "alice", DocStatus.DONE)
    _span(service, b, "alice", "Homs", "GPE")
    assert _state(db, b, "alice") == DocStatus.DONE


def test_undoing_a_deleted_filler_brings_back_the_whole_event(service: EventService, db: Database) -> None:
    [doc] = _documents(db, 1)
    attacker = _span(service, doc, "alice", "Government forces", "ORG")
    target = _span(service, doc, "alice", "nine civilians", "PER")
    place = _span(service, doc, "alice", "al-Waer", "LOC")
    start = TEXT.index("shelled")
    [event] = service.create_event(doc, "alice", start, start + 7, "Conflict.Attack").events
    for role, entity in (("Attacker", attacker), ("Target", target), ("Place", place)):
        service.add_argument(doc, "alice", event, role, entity)
    service.set_fatalities(doc, "alice", event, Fatalities(value=9, qualifier="exact", text="nine civilians"))
    service.set_date(doc, "alice", event, EventDate(value="2017-02-08", precision="day", text="Wednesday"))
    service.set_attribute(doc, "alice", event, "attack_mode", "shelling_artillery_missile")
    before = service.open_document(doc, "alice")
    deleted = service.delete(doc, "alice", [target])
    assert deleted.events == {event}  # the event using the span is part of the edit
    assert [a.role for a in service.open_document(doc, "alice").events[0].arguments] == ["Attacker", "Place"]
    undone = service.undo(deleted.history_id or 0)
    assert undone.entities == {target} and undone.events == {event}
    after = service.open_document(doc, "alice")
    assert after.entities == before.entities and after.events == before.events
    whole = service.delete_event(doc, "alice", [event])
    assert service.open_document(doc, "alice").events == ()
    service.undo(whole.history_id or 0)
    assert service.open_document(doc, "alice").events == before.events  # fatalities, date, attributes, roles
    rejected = service.set_argument_status(doc, "alice", event, [("Place", place)], Status.REJECTED)
    assert [a.status for a in service.open_document(doc, "alice").events[0].arguments][-1] == "rejected"
    service.undo(rejected.history_id or 0)
    assert service.open_document(doc, "alice").events == before.events
