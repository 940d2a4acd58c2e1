"""Layer bookkeeping: stored documents in batch order, duplicates, which layer exports by default, renumbering."""

from __future__ import annotations

from dataclasses import replace

from annotator.core.dto import (
    GOLD,
    MODEL,
    Argument,
    DocStatus,
    DocumentRecord,
    Entity,
    Event,
    EventDate,
    Fatalities,
    Relation,
)
from annotator.services import records
from annotator.store.database import Database


def test_a_batch_returns_ids_in_its_order_and_none_for_stored_texts(db: Database) -> None:
    with db.session() as session:
        [first] = records.store_documents(session, [DocumentRecord(doc_id="a", text="Shelling in Homs.")])
        ids = records.store_documents(
            session,
            [
                DocumentRecord(doc_id="b", text="Talks in Geneva."),
                DocumentRecord(doc_id="a2", text="Shelling in Homs."),  # the same text under another name
                DocumentRecord(doc_id="c", text="Aid reached Madaya.", published="2016-01-11"),
            ],
        )
        assert records.store_documents(session, []) == []
        assert ids[1] is None and None not in (first, ids[0], ids[2])
        assert len({first, ids[0], ids[2]}) == 3
        sha = records.text_sha256("Shelling in Homs.")
        assert records.find_duplicate(session, sha) == first
        assert records.find_duplicates(session, [sha, records.text_sha256("nothing")]) == {sha: first}
    with db.reader() as session:
        assert [
            records.load_record(session, i or 0, records.annotator_id(session, MODEL)).doc_id
            for i in (first, *ids[::2])
        ] == ["a", "b", "c"]


def test_a_document_comes_back_with_every_field_it_was_stored_with(db: Database) -> None:
    stored = DocumentRecord(
        doc_id="syria-1",
        text="Boilerplate.\nShelling in Homs.",
        title="Shelling",
        source="Outlet",
        url="https://example.org/1",
        published="2016-02-03",
        boilerplate=((0, 12),),
        meta={"feed": "rss", "line": 4, "tags": ["syria"]},
    )
    with db.session() as session:
        [doc] = records.store_documents(session, [stored])
    with db.reader() as session:
        [back] = records.load_records(session, [doc or 0], records.annotator_id(session, MODEL))
    assert back == replace(stored, annotator=MODEL)  # the layer it was read from


def test_the_default_layer_is_gold_once_it_holds_a_document(db: Database) -> None:
    with db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="a", text="Shelling in Homs."))
        other = records.store_document(session, DocumentRecord(doc_id="b", text="Talks in Geneva."))
        records.annotator_id(session, GOLD)  # the annotator exists, with no layer yet
        alice = records.annotator_id(session, "alice")
        records.store_layer(session, other or 0, alice, DocumentRecord(doc_id="", text=""), status=DocStatus.DONE)
        records.store_layer(session, doc or 0, alice, DocumentRecord(doc_id="", text=""), status=DocStatus.NEW)
    assert records.default_layer(db, "alice") == "alice"
    assert records.layer_document_ids(db, "alice") == [doc, other]
    assert records.layer_document_ids(db, "alice", DocStatus.DONE) == [other]
    assert records.layer_document_ids(db, MODEL) == [doc, other]
    assert records.layer_document_ids(db, "nobody") == []
    with db.session() as session:
        gold = records.annotator_id(session, GOLD)
        records.store_layer(session, other or 0, gold, DocumentRecord(doc_id="", text=""), status=DocStatus.DONE)
    assert records.default_layer(db, "alice") == GOLD
    assert records.layer_document_ids(db, GOLD) == [other]


def test_renumbering_follows_the_text_and_keeps_every_link() -> None:
    text = "Rebels shelled Homs; Homs burned."
    record = DocumentRecord(
        doc_id="d",
        text=text,
        entities=(
            Entity(40, 21, 25, "GPE", "Homs"),
            Entity(7, 0, 6, "ORG", "Rebels"),
            Entity(9, 15, 19, "GPE", "Homs"),
        ),
        events=(
            Event(5, "Life.Die", 26, 32, "burned", (Argument("Place", entity_id=40), Argument("Place", event_id=3))),
            Event(3, "Conflict.Attack", 7, 14, "shelled", (Argument("Attacker", entity_id=7),)),
        ),
        relations=(Relation(8, "Coref", 40, 9), Relation(2, "Located", 7, 9)),
    )
    again = records.renumber(record)
    assert [(e.id, e.start) for e in again.entities] == [(1, 0), (2, 15), (3, 21)]
    assert [(ev.id, ev.trigger_text) for ev in again.events] == [(1, "shelled"), (2, "burned")]
    assert again.events[1].arguments == (Argument("Place", entity_id=3), Argument("Place", event_id=1))
    assert again.events[0].arguments == (Argument("Attacker", entity_id=1),)
    assert [(r.id, r.type, r.arg1, r.arg2) for r in again.relations] == [(1, "Located", 1, 2), (2, "Coref", 3, 2)]


# A layer with a value in every field a span, an event, a filler and a relation carry; ids 1..n in text order.
LAYER = DocumentRecord(
    doc_id="d",
    text="Rebels of the FSA shelled Homs; Homs burned.",
    entities=(
        Entity(1, 0, 6, "ORG", "Rebels", "model", "accepted", {"kb": "Q1"}, {"note": "group"}),
        Entity(2, 14, 17, "ORG", "FSA", "human", "suggested"),
        Entity(3, 26, 30, "GPE", "Homs", "model", "rejected"),
        Entity(4, 32, 36, "GPE", "Homs"),
    ),
    events=(
        Event(
            1,
            "Conflict.Attack",
            18,
            25,
            "shelled",
            (Argument("Attacker", entity_id=1, status="suggested", origin="model"), Argument("Place", entity_id=3)),
            attrs={"attack_mode": "shelling_artillery_missile"},
            fatalities=Fatalities(value=3, low=2, high=4, qualifier="about", text="about three"),
            date=EventDate("2016-02", "month", "in February"),
            origin="model",
            status="suggested",
        ),
        Event(2, "Life.Die", 37, 43, "burned", (Argument("Place", entity_id=4), Argument("Cause", event_id=1))),
    ),
    relations=(
        Relation(1, "Member", 1, 2, role1="Member", role2="Group", attrs={"since": "2012"}),
        Relation(2, "Coref", 3, 4),
    ),
)


def test_a_layer_comes_back_with_every_field_it_was_stored_with(db: Database) -> None:
    with db.session() as session:
        doc = records.store_document(session, LAYER) or 0
        alice = records.annotator_id(session, "alice")
        records.store_layer(session, doc, alice, LAYER, status=DocStatus.DONE)
    with db.reader() as session:
        back = records.load_record(session, doc, records.annotator_id(session, "alice"))
    assert records.renumber(back) == replace(LAYER, status=DocStatus.DONE, annotator="alice")


def test_a_layer_streams_the_documents_that_have_it_unless_told_which(db: Database) -> None:
    with db.session() as session:
        first, second, third = (
            records.store_document(session, DocumentRecord(doc_id=k, text=f"Shelling in {k}.")) or 0
            for k in ("Homs", "Hama", "Idlib")
        )
        alice = records.annotator_id(session, "alice")
        records.store_layer(session, first, alice, DocumentRecord(doc_id="", text=""), status=DocStatus.DONE)
        records.store_layer(session, third, alice, DocumentRecord(doc_id="", text=""), status=DocStatus.IN_PROGRESS)
    assert [r.doc_id for r in records.iter_records(db, "alice")] == ["Homs", "Idlib"]
    assert [r.doc_id for r in records.iter_records(db, "alice", status=DocStatus.DONE)] == ["Homs"]
    assert [r.doc_id for r in records.iter_records(db, MODEL)] == ["Homs", "Hama", "Idlib"]
    assert [r.doc_id for r in records.iter_records(db, "alice", [second, first])] == ["Hama", "Homs"]
    assert list(records.iter_records(db, "nobody")) == []
