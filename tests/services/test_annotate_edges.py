"""Entity edits at their edges: span bounds, whole-word propagation, moved suggestions, undo-menu wording, layers."""

from __future__ import annotations

import pytest

from annotator.core.dto import MODEL, DocumentRecord, Entity, Status
from annotator.core.errors import StaleEditError, UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.annotate import AnnotationService, status_verb
from annotator.store.database import Database

TEXT = "Homs was shelled. Homsi traders and al-Homs residents fled Homs, and Homs-based medics stayed."


def _store(
    db: Database, text: str = TEXT, entities: tuple[Entity, ...] = (), boilerplate: tuple[tuple[int, int], ...] = ()
) -> int:
    with db.session() as session:
        record = DocumentRecord(doc_id="d", text=text, title="d", entities=entities, boilerplate=boilerplate)
        doc = records.store_document(session, record)
        assert doc is not None
        records.store_layer(session, doc, records.annotator_id(session, MODEL), record)
    return doc


def _suggestion(start: int, end: int, label: str = "PER", ident: int = 1) -> Entity:
    return Entity(id=ident, start=start, end=end, label=label, text=TEXT[start:end], origin="model", status="suggested")


@pytest.fixture
def service(db: Database, schema: Schema) -> AnnotationService:
    return AnnotationService(db, schema)


def _rows(service: AnnotationService, doc: int, annotator: str = "alice") -> list[tuple[int, int, str, str, str]]:
    view = service.open_document(doc, annotator)
    return [(e.start, e.end, e.label, e.status, e.origin) for e in view.entities]


def test_a_span_may_reach_both_ends_of_the_text_but_not_beyond(service: AnnotationService, db: Database) -> None:
    doc = _store(db)
    service.create_entity(doc, "alice", 0, 4, "GPE")
    service.create_entity(doc, "alice", len(TEXT) - 1, len(TEXT), "LOC")
    assert [r[:3] for r in _rows(service, doc)] == [(0, 4, "GPE"), (len(TEXT) - 1, len(TEXT), "LOC")]
    for start, end in ((5, 5), (6, 5), (-1, 3), (0, len(TEXT) + 1)):
        with pytest.raises(UserError) as refused:
            service.create_entity(doc, "alice", start, end, "GPE")
        assert str(refused.value) == (f"offset {start}: span {start}-{end} is outside the text (0-{len(TEXT)})")
        assert refused.value.offset == start
    assert len(_rows(service, doc)) == 2  # nothing half-made by a refused edit


@pytest.mark.parametrize("opened", [True, False], ids=["layer-opened", "first-edit-makes-the-layer"])
def test_labelling_a_suggested_span_takes_it_over(service: AnnotationService, db: Database, opened: bool) -> None:
    doc = _store(db, entities=(_suggestion(0, 4),))
    if opened:
        service.open_document(doc, "alice")
    changes = service.create_entity(doc, "alice", 0, 4, "GPE")
    assert _rows(service, doc) == [(0, 4, "GPE", "accepted", "model")]  # one span, not a human duplicate
    assert [(h.operation, h.description) for h in service.history(doc, "alice")] == [("relabel", "Relabel as GPE")]
    assert changes.states and changes.documents == {doc} and len(changes.entities) == 1


def test_the_undo_menu_names_each_edit(service: AnnotationService, db: Database) -> None:
    doc = _store(db, entities=(_suggestion(0, 4), _suggestion(59, 63, ident=2), _suggestion(69, 73, ident=3)))
    ids = [e.id for e in service.open_document(doc, "alice").entities]
    service.set_status(doc, "alice", ids[:2], Status.ACCEPTED)
    service.set_status(doc, "alice", ids[:1], Status.SUGGESTED)
    service.set_status(doc, "alice", ids[1:2], Status.REJECTED)
    service.create_entity(doc, "alice", 18, 23, "PER")
    service.delete(doc, "alice", ids[:1])
    service.reject_all(doc, "alice")
    service.move(doc, "alice", ids[2], 69, 72)
    assert [(h.operation, h.description) for h in service.history(doc, "alice")] == [
        ("accepted", "Accept 2 span(s)"),
        ("suggested", "Reset 1 span(s)"),
        ("rejected", "Reject 1 span(s)"),
        ("create", "Label as PER"),
        ("delete", "Delete 1 span(s)"),
        ("reject_all", "Reject all suggestions"),
        ("move", "Move span boundary"),
    ]
    assert [status_verb(s) for s in Status] == [
        {"accepted": "Accept", "rejected": "Reject"}.get(s.value, "Reset") for s in Status
    ]


def test_nothing_to_decide_makes_no_history(service: AnnotationService, db: Database) -> None:
    doc = _store(db, entities=(_suggestion(0, 4),))
    service.open_document(doc, "alice")
    assert service.accept_all(doc, "alice").history_id is not None
    again = service.accept_all(doc, "alice")
    assert again.history_id is None and not again.entities and not again.states
    assert len(service.history(doc, "alice")) == 1


def test_a_moved_suggestion_deleted_is_rejected_where_the_model_put_it(
    service: AnnotationService, db: Database
) -> None:
    doc = _store(db, entities=(_suggestion(59, 63, "LOC"),))
    [suggested] = service.open_document(doc, "alice").entities
    service.move(doc, "alice", suggested.id, 59, 64)  # "Homs," by mistake
    assert _rows(service, doc) == [(59, 64, "LOC", "accepted", "human")]
    service.delete(doc, "alice", [suggested.id])
    assert _rows(service, doc) == [(59, 63, "LOC", "rejected", "model")]
    [entity] = service.open_document(doc, "alice").entities
    assert entity.text == "Homs" and "_model_span" not in entity.attrs

    human = service.create_entity(doc, "alice", 0, 4, "GPE")
    [human_id] = human.entities
    service.move(doc, "alice", human_id, 0, 3)
    [moved] = [e for e in service.open_document(doc, "alice").entities if e.id == human_id]
    assert "_model_span" not in moved.attrs  # only the model's proposal is kept aside
    service.delete(doc, "alice", [human_id])
    assert _rows(service, doc) == [(59, 63, "LOC", "rejected", "model")]  # a person's span is simply gone


def test_edits_aim_only_at_current_rows_of_ones_own_layer(service: AnnotationService, db: Database) -> None:
    doc = _store(db, entities=(_suggestion(0, 4),))
    [bobs] = service.open_document(doc, "bob").entities
    service.open_document(doc, "alice")
    with pytest.raises(UserError, match="belong to another annotator's layer"):
        service.relabel(doc, "alice", [bobs.id], "GPE")
    service.delete(doc, "bob", [bobs.id])  # rejected, still there
    with pytest.raises(StaleEditError, match=r"^a span was changed or removed"):
        service.relabel(doc, "bob", [bobs.id + 1000], "GPE")
    view = service.open_document(doc, "alice", others=("bob", "alice", "nobody"))
    assert list(view.others) == ["bob"]
    assert [(e.label, e.status) for e in view.others["bob"]] == [("PER", "rejected")]
    assert [(e.label, e.status) for e in view.entities] == [("PER", "suggested")]


def test_propagation_takes_whole_words_outside_boilerplate(service: AnnotationService, db: Database) -> None:
    # "Homsi", "al-Homs" and "Homs-based" hold the string but are other words; the last "Homs" is boilerplate.
    text = TEXT + " Homs"
    doc = _store(db, text=text, boilerplate=((len(TEXT) + 1, len(text)),))
    service.create_entity(doc, "alice", 0, 4, "GPE")
    preview = service.preview_propagation(doc, "alice", "Homs", "GPE")
    assert (preview.in_document, preview.in_corpus, preview.documents) == (1, 0, 0)
    service.propagate(doc, "alice", "Homs", "GPE", corpus=False)
    assert [r[:2] for r in _rows(service, doc)] == [(0, 4), (59, 63)]
    edge = _store(db, text="Homs", boilerplate=((0, 4),))
    assert service.preview_propagation(edge, "alice", "Homs", "GPE").in_document == 0


def test_propagation_relabels_suggestions_but_keeps_decisions(service: AnnotationService, db: Database) -> None:
    doc = _store(db, entities=(_suggestion(0, 4, "PER"), _suggestion(59, 63, "GPE", 2), _suggestion(69, 73, ident=3)))
    ids = [e.id for e in service.open_document(doc, "alice").entities]
    service.set_status(doc, "alice", ids[2:], Status.ACCEPTED)  # decided: PER stays
    preview = service.preview_propagation(doc, "alice", "Homs", "GPE")
    assert preview.in_document == 2  # the suggestion with the right label still needs accepting
    changes = service.propagate(doc, "alice", "Homs", "GPE", corpus=False)
    assert _rows(service, doc) == [
        (0, 4, "GPE", "accepted", "model"),
        (59, 63, "GPE", "accepted", "model"),
        (69, 73, "PER", "accepted", "model"),
    ]
    assert changes.entities == set(ids[:2])
    assert service.history(doc, "alice")[-1].description == "Label every “Homs” as GPE (document)"
