"""Entity editing through the service: layers, every edit in history, undo/redo, propagation, queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from annotator.core.dto import MODEL, Argument, DocStatus, DocumentRecord, Entity, Event, Status
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.services.documents import DocumentQueries
from annotator.store import models as m
from annotator.store.database import Database

TEXT_A = "Airstrikes hit al-Waer in Homs. Residents of al-Waer fled. The al-Waer district is besieged."
TEXT_B = "Shelling of al-Waer continued; activists in al-Waer said nine died."


def _suggest(text: str, needle: str, label: str, start_id: int = 1) -> list[Entity]:
    return [
        Entity(
            id=start_id + i,
            start=mt.start(),
            end=mt.end(),
            label=label,
            text=needle,
            origin="model",
            status="suggested",
        )
        for i, mt in enumerate(re.finditer(re.escape(needle), text))
    ]


@pytest.fixture
def corpus(db: Database) -> list[int]:
    """Two documents where the model took al-Waer for a person, plus an Attack event on the first."""
    ids = []
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        for doc_id, text in (("a", TEXT_A), ("b", TEXT_B)):
            entities = _suggest(text, "al-Waer", "PER") + _suggest(text, "Homs", "GPE", 50)
            events = ()
            if doc_id == "a":
                trigger = text.index("Airstrikes")
                events = (
                    Event(
                        id=1,
                        type="Conflict.Attack",
                        trigger_start=trigger,
                        trigger_end=trigger + 10,
                        trigger_text="Airstrikes",
                        arguments=(Argument(role="Place", entity_id=1),),
                        origin="model",
                        status="suggested",
                    ),
                )
            record = DocumentRecord(doc_id=doc_id, text=text, title=doc_id, entities=tuple(entities), events=events)
            doc = records.store_document(session, record)
            records.store_layer(session, doc, model, record)
            ids.append(doc)
    return ids


@pytest.fixture
def service(db: Database, schema: Schema) -> AnnotationService:
    return AnnotationService(db, schema)


def _suggested_elsewhere(db: Database, elsewhere: DocumentRecord, text: str) -> tuple[int, int]:
    """`elsewhere` stored with its spans as the model's suggestions, and a plain document of `text`: their ids."""
    with db.session() as session:
        other = records.store_document(session, elsewhere) or 0
        records.store_layer(session, other, records.annotator_id(session, MODEL), elsewhere)
        return other, records.store_document(session, DocumentRecord(doc_id="d", text=text)) or 0


def _layer(db: Database, doc: int, annotator: str) -> list[tuple[int, int, str, str]]:
    with db.reader() as session:
        aid = records.annotator_id(session, annotator)
        return [(e.start, e.end, e.label, e.status) for e in records.layer_entities(session, doc, aid)]


def test_first_open_copies_model_suggestions(service: AnnotationService, corpus: list[int], db: Database) -> None:
    view = service.open_document(corpus[0], "alice")
    assert view.status == DocStatus.NEW
    assert [e.label for e in view.entities].count("PER") == 3
    assert all(e.status == "suggested" for e in view.entities)
    assert view.events[0].arguments[0].entity_id in {e.id for e in view.entities}  # remapped to alice's copy
    assert _layer(db, corpus[0], MODEL) == _layer(db, corpus[0], "alice")
    second = service.open_document(corpus[1], "alice")  # alice has a layer elsewhere now: still one made here
    assert second.status == DocStatus.NEW and _layer(db, corpus[1], MODEL) == _layer(db, corpus[1], "alice")
    model = service.open_document(corpus[0], MODEL)  # the model's own layer has no state row
    assert model.status == DocStatus.NEW and [e.label for e in model.entities].count("PER") == 3


def test_each_edit_is_committed_and_undoable(service: AnnotationService, corpus: list[int], db: Database) -> None:
    doc = corpus[0]
    original = service.open_document(doc, "alice")
    start = TEXT_A.index("Residents")
    created = service.create_entity(doc, "alice", start, start + 9, "PER")
    assert (start, start + 9, "PER", "accepted") in _layer(db, doc, "alice")
    first_waer = original.entities[0]
    relabelled = service.relabel(doc, "alice", [first_waer.id], "GPE")
    moved = service.move(doc, "alice", first_waer.id, first_waer.start, first_waer.end + 9)  # "al-Waer in"
    deleted = service.delete(doc, "alice", [first_waer.id])
    with db.reader() as session:
        kept = session.get(m.EntityMention, first_waer.id)
        assert kept is not None and kept.status == Status.REJECTED  # a suggestion is rejected, not erased
        assert session.get(m.DocumentState, (doc, records.annotator_id(session, "alice"))).status == "in_progress"
    assert [h.operation for h in service.history(doc, "alice")] == ["create", "relabel", "move", "delete"]
    for changes in (deleted, moved, relabelled, created):
        assert changes.history_id is not None
        service.undo(changes.history_id)
    assert _layer(db, doc, "alice") == [(e.start, e.end, e.label, e.status) for e in original.entities]
    assert all(h.undone for h in service.history(doc, "alice"))
    service.redo(created.history_id)  # type: ignore[arg-type]
    assert (start, start + 9, "PER", "accepted") in _layer(db, doc, "alice")


def test_deleting_an_argument_filler_is_undone_with_its_event(
    service: AnnotationService, corpus: list[int], db: Database
) -> None:
    doc = corpus[0]
    view = service.open_document(doc, "alice")
    filler = view.events[0].arguments[0].entity_id
    assert filler is not None
    service.relabel(doc, "alice", [filler], "GPE")  # now a human decision: delete really deletes
    human = service.create_entity(doc, "alice", view.entities[1].start, view.entities[1].end + 6, "LOC")
    human_id = max(human.entities)
    with db.session() as session:  # make the event point at the human span
        arg = session.scalars(select(m.EventArgument)).all()
        alice_arg = next(a for a in arg if a.entity_id == filler)
        alice_arg.entity_id = human_id
    deleted = service.delete(doc, "alice", [human_id])
    assert deleted.events, "the event using the span is part of the edit"
    after_delete = service.open_document(doc, "alice")
    assert after_delete.events[0].arguments == ()
    service.undo(deleted.history_id)  # type: ignore[arg-type]
    restored = service.open_document(doc, "alice")
    assert restored.events[0].arguments[0].entity_id == human_id


def test_undo_is_refused_when_rows_changed_since(service: AnnotationService, corpus: list[int], db: Database) -> None:
    doc = corpus[0]
    view = service.open_document(doc, "alice")
    first = service.relabel(doc, "alice", [view.entities[0].id], "GPE")
    with db.session() as session:  # someone else changed the same row behind this stack
        session.get_one(m.EntityMention, view.entities[0].id).label = "LOC"
    with pytest.raises(UserError, match="changed since"):
        service.undo(first.history_id)  # type: ignore[arg-type]
    assert "LOC" in [lab for _s, _e, lab, _st in _layer(db, doc, "alice")]


def test_corpus_propagation_and_single_undo(service: AnnotationService, corpus: list[int], db: Database) -> None:
    doc_a, doc_b = corpus
    view = service.open_document(doc_a, "alice")
    waer = [e for e in view.entities if e.text == "al-Waer"]
    service.relabel(doc_a, "alice", [waer[0].id], "GPE")
    service.set_status(doc_a, "alice", [waer[2].id], Status.REJECTED)  # reviewed: must stay rejected
    preview = service.preview_propagation(doc_a, "alice", "al-Waer", "GPE")
    assert (preview.in_document, preview.in_corpus, preview.documents) == (1, 2, 1)
    before_b = _layer(db, doc_b, MODEL)
    changes = service.propagate(doc_a, "alice", "al-Waer", "GPE", corpus=True)
    assert doc_b in changes.documents
    labels_a = {(s, lab, st) for s, _e, lab, st in _layer(db, doc_a, "alice") if TEXT_A[s : s + 7] == "al-Waer"}
    assert labels_a == {
        (waer[0].start, "GPE", "accepted"),
        (waer[1].start, "GPE", "accepted"),
        (waer[2].start, "PER", "rejected"),
    }
    assert {lab for s, _e, lab, _st in _layer(db, doc_b, "alice") if TEXT_B[s : s + 7] == "al-Waer"} == {"GPE"}
    undone = service.undo(changes.history_id)  # type: ignore[arg-type]
    assert undone.documents == {doc_a, doc_b}  # both documents' views refresh, not only the one it was made in
    assert [x[:3] for x in _layer(db, doc_b, "alice")] == [x[:3] for x in before_b]
    assert {lab for s, _e, lab, _st in _layer(db, doc_a, "alice") if s == waer[1].start} == {"PER"}


def test_the_preview_counts_what_propagation_changes_in_layers_not_opened_yet(
    service: AnnotationService, db: Database
) -> None:
    """Where alice has no layer yet, the preview reads the model's suggestions her layer will start from."""
    text = "Fighting near al-Waer. al-Waer is quiet."
    two_labels = DocumentRecord(
        doc_id="c", text=text, entities=(*_suggest(text, "al-Waer", "PER"), *_suggest(text, "al-Waer", "LOC", 10))
    )
    elsewhere, doc = _suggested_elsewhere(db, two_labels, "al-Waer was shelled.")
    service.create_entity(doc, "alice", 0, 7, "GPE")
    preview = service.preview_propagation(doc, "alice", "al-Waer", "GPE")
    assert (preview.in_document, preview.in_corpus, preview.documents) == (0, 4, 1)  # two suggestions a place
    changes = service.propagate(doc, "alice", "al-Waer", "GPE", corpus=True)
    assert len(changes.entities) == 4 and {x[2:] for x in _layer(db, elsewhere, "alice")} == {("GPE", "accepted")}


def test_the_preview_counts_suggestions_and_bare_words_alike(service: AnnotationService, db: Database) -> None:
    """Elsewhere one "Khalidiya" is a model suggestion and two are bare text: three spans would change there."""
    text = "Khalidiya fell. Khalidiya is quiet. Khalidiya again."
    suggested = DocumentRecord(doc_id="c", text=text, entities=tuple(_suggest(text, "Khalidiya", "PER")[:1]))
    _, doc = _suggested_elsewhere(db, suggested, "Khalidiya fell. Khalidiya is quiet.")
    service.create_entity(doc, "alice", 0, 9, "GPE")
    preview = service.preview_propagation(doc, "alice", "Khalidiya", "GPE")
    assert (preview.in_document, preview.in_corpus, preview.documents) == (1, 3, 1)
    changes = service.propagate(doc, "alice", "Khalidiya", "GPE", corpus=True)
    assert len(changes.entities) == 4  # the suggestion relabelled; three bare words labelled, one of them here


def test_propagation_creates_missing_spans(service: AnnotationService, db: Database, schema: Schema) -> None:
    with db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="c", text="Khalidiya fell. Khalidiya is quiet."))
    service.create_entity(doc, "alice", 0, 9, "GPE")
    changes = service.propagate(doc, "alice", "Khalidiya", "GPE", corpus=False)
    assert len(changes.entities) == 1
    assert [x[:3] for x in _layer(db, doc, "alice")] == [(0, 9, "GPE"), (16, 25, "GPE")]


def test_bad_edits_are_refused(service: AnnotationService, corpus: list[int]) -> None:
    with pytest.raises(UserError, match="unknown entity label"):
        service.create_entity(corpus[0], "alice", 0, 5, "PERSON")
    with pytest.raises(UserError, match="outside the text"):
        service.create_entity(corpus[0], "alice", 5, 5000, "PER")


def test_document_queries(db: Database, corpus: list[int], service: AnnotationService) -> None:
    queries = DocumentQueries(db)
    assert queries.ids("alice") == corpus
    assert queries.ids("alice", query="besieged") == [corpus[0]]
    assert queries.ids("alice", query="activ") == [corpus[1]]  # prefix search as you type
    rows = queries.rows(corpus, "alice")
    assert [(r.entity_count, r.event_count, r.status) for r in rows] == [(4, 1, "new"), (2, 0, "new")]
    changes = service.set_document_status(corpus[0], "alice", DocStatus.DONE)
    assert changes.states and changes.documents == {corpus[0]}  # views showing the status refresh it
    assert not (changes.entities or changes.events or changes.corpus or changes.incidents)
    assert queries.ids("alice", status="done") == [corpus[0]]
    assert queries.ids("alice", status="new") == [corpus[1]]
    assert queries.next_not_done(corpus[0], "alice") == corpus[1]


def test_accept_all_takes_events_too_in_one_step(service: AnnotationService, corpus: list[int], db: Database) -> None:
    doc = corpus[0]
    service.open_document(doc, "alice")
    changes = service.accept_all(doc, "alice")
    view = service.open_document(doc, "alice")
    assert {e.status for e in view.entities} == {"accepted"}
    assert view.events[0].status == "accepted" and view.events[0].arguments[0].status == "accepted"
    service.undo(changes.history_id)  # type: ignore[arg-type]
    view = service.open_document(doc, "alice")
    assert {e.status for e in view.entities} == {"suggested"} and view.events[0].status == "suggested"


def test_a_new_edit_after_an_undo_ends_the_redo_branch(
    service: AnnotationService, corpus: list[int], db: Database
) -> None:
    doc = corpus[0]
    service.open_document(doc, "alice")
    residents = TEXT_A.index("Residents")
    first = service.create_entity(doc, "alice", residents, residents + 9, "PER")
    district = TEXT_A.index("district")
    second = service.create_entity(doc, "alice", district, district + 8, "LOC")
    assert first.history_id is not None and second.history_id is not None
    service.undo(second.history_id)
    stack = [(h.id, h.undone) for h in service.history(doc, "alice")]
    assert stack == [(first.history_id, False), (second.history_id, True)]  # the undone edit can be redone

    third = service.relabel(doc, "alice", list(first.entities), "ORG")
    # What a restarted window rebuilds its undo stack from: the undone branch is gone, both edits are done.
    stack = [(h.id, h.undone) for h in service.history(doc, "alice")]
    assert stack == [(first.history_id, False), (third.history_id, False)]
    with pytest.raises(UserError, match="no longer on the undo stack"):
        service.redo(second.history_id)
    assert (district, district + 8, "LOC", "accepted") not in _layer(db, doc, "alice")
    with db.reader() as session:  # the superseded edit stays in the audit trail
        rows = session.scalars(select(m.History).where(m.History.document_id == doc).order_by(m.History.id)).all()
        assert [(r.id, r.undone, r.superseded) for r in rows] == [
            (first.history_id, False, False),
            (second.history_id, True, True),
            (third.history_id, False, False),
        ]
    service.undo(third.history_id)  # the position is on the newest edit: undo takes the relabel back
    assert (residents, residents + 9, "PER", "accepted") in _layer(db, doc, "alice")
