"""A layer's rows for many documents at once: text order, the right layer, JSON cells parsed and copied."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.dto import EventDate, Fatalities
from annotator.services import records
from annotator.services.layer_rows import JsonCells, entities_by_document, events_by_document, fatalities_dto
from annotator.store import models as m
from annotator.store.database import Database
from tests.formats.corpus import Doc, store


def documents() -> list[Doc]:
    first = Doc("a", "Rebels shelled Homs; the army struck Homs again and Hama.")
    # Added out of text order, and two spans at one start: the reader sorts by start, end, then id.
    hama = first.ent("Hama", "GPE", normalized={"value": "SY-hama"}, attrs={"certainty": "high"})
    homs = first.ent("Homs", "GPE", normalized={"value": "SY-homs"})
    army = first.ent("the army", "ORG", attrs={"actor_type": "State forces"})
    the = first.ent("the", "ORG")
    rebels = first.ent("Rebels", "ORG")
    first.event(
        "struck", "Conflict.Attack", [("Place", hama), ("Attacker", army), ("Place", homs)],
        attrs={"attack_mode": "air_drone_strike"}, fatalities=Fatalities(value=3, low=2, high=4, qualifier="about"),
        date=EventDate("2017-02-07", "day", "Tuesday"),
    )  # fmt: skip
    first.event("shelled", "Conflict.Attack", [("Attacker", rebels)], date=EventDate(None, None, "today"))
    del the
    second = Doc("b", "Jets struck Idlib.")
    second.event("struck", "Conflict.Attack", [], attrs={"attack_mode": "air_drone_strike"})
    return [first, second]


@pytest.fixture
def db_with_layers(db: Database) -> Database:
    docs = documents()
    store(db, [d.record() for d in docs], annotator="alice")
    other = Doc("a", docs[0].text)
    other.ent("Rebels", "PER")
    with db.session() as session:  # bob's layer of the first article: another annotator's rows stay out
        records.store_layer(session, 1, records.annotator_id(session, "bob"), other.record())
        # A person reordered the struck event's fillers: the stored position decides, not the row id.
        struck = session.scalars(select(m.Event).where(m.Event.trigger_text == "struck", m.Event.document_id == 1))
        arguments = sorted(struck.one().arguments, key=lambda a: a.id)
        for position, argument in zip((1, 0, 2), arguments, strict=True):
            argument.position = position
        arguments[2].status, arguments[2].origin = "rejected", "model"  # a suggested filler a person rejected
    return db


def test_entities_of_each_document_in_text_order_of_one_layer(db_with_layers: Database) -> None:
    with db_with_layers.reader() as session:
        alice = records.annotator_id(session, "alice")
        found = entities_by_document(session, [1, 2], alice)
        assert list(found) == [1]  # the second article has no entities: no empty list either
        rows = found[1]
        assert [(e.text, e.start, e.end, e.label) for e in rows] == [
            ("Rebels", 0, 6, "ORG"), ("Homs", 15, 19, "GPE"), ("the", 21, 24, "ORG"), ("the army", 21, 29, "ORG"),
            ("Hama", 52, 56, "GPE"),
        ]  # fmt: skip
        by_text = {e.text: e for e in rows}
        assert (by_text["Hama"].normalized, by_text["Hama"].attrs) == ({"value": "SY-hama"}, {"certainty": "high"})
        assert (by_text["Rebels"].normalized, by_text["Rebels"].attrs) == (None, {})
        assert by_text["the army"].attrs == {"actor_type": "State forces"}
        assert {e.status for e in rows} == {"accepted"} and all(e.origin for e in rows)
        only = entities_by_document(session, [1], alice, only=[by_text["Homs"].id, by_text["Hama"].id])
        assert [e.text for e in only[1]] == ["Homs", "Hama"]
        bob = entities_by_document(session, [1, 2], records.annotator_id(session, "bob"))
        assert [(e.text, e.label) for e in bob[1]] == [("Rebels", "PER")]
        assert entities_by_document(session, [2], alice) == {}


def test_a_span_holding_a_later_one_comes_first_in_text_order(db: Database) -> None:
    """“al-Waer in Homs” starts before “Homs”, though both end together and Homs was added first."""
    doc = Doc("w", "al-Waer in Homs was shelled.")
    doc.ent("Homs", "GPE")
    doc.ent("al-Waer in Homs", "LOC")
    doc.ent("al-Waer", "LOC")
    store(db, [doc.record()], annotator="alice")
    with db.reader() as session:
        rows = entities_by_document(session, [1], records.annotator_id(session, "alice"))[1]
    assert [(e.text, e.start, e.end) for e in rows] == [("al-Waer", 0, 7), ("al-Waer in Homs", 0, 15), ("Homs", 11, 15)]


def test_events_with_their_arguments_in_order_and_their_cells(db_with_layers: Database) -> None:
    with db_with_layers.reader() as session:
        alice = records.annotator_id(session, "alice")
        entities = {e.id: e.text for e in entities_by_document(session, [1], alice)[1]}
        found = events_by_document(session, [1, 2], alice)
        assert sorted(found) == [1, 2]
        shelled, struck = found[1]
        assert (shelled.trigger_text, shelled.trigger_start, struck.trigger_text, struck.trigger_start) == (
            "shelled", 7, "struck", 30,
        )  # fmt: skip
        assert [(a.role, entities[a.entity_id or 0]) for a in struck.arguments] == [
            ("Attacker", "the army"), ("Place", "Hama"), ("Place", "Homs"),
        ]  # fmt: skip
        assert [(a.status, a.origin) for a in struck.arguments] == [
            ("accepted", "human"), ("accepted", "human"), ("rejected", "model"),
        ]  # fmt: skip
        assert all(a.event_id is None for a in struck.arguments)
        assert struck.attrs == {"attack_mode": "air_drone_strike"} and shelled.attrs == {}
        assert struck.fatalities == Fatalities(value=3, low=2, high=4, qualifier="about")
        assert shelled.fatalities is None
        assert struck.date == EventDate("2017-02-07", "day", "Tuesday")
        assert shelled.date == EventDate(None, None, "today")  # a date expression not resolved yet is kept
        (jets,) = found[2]
        assert (jets.type, jets.arguments, jets.date) == ("Conflict.Attack", (), None)
        only = events_by_document(session, [1, 2], alice, only=[struck.id])
        assert [e.id for e in only[1]] == [struck.id] and 2 not in only
        assert [a.role for a in only[1][0].arguments] == ["Attacker", "Place", "Place"]
        assert events_by_document(session, [1], records.annotator_id(session, "bob")) == {}


def test_json_cells_parse_each_text_once_and_copy_each_row() -> None:
    cells = JsonCells()
    first, second = cells('{"a": 1}'), cells('{"a": 1}')
    assert first == second == {"a": 1} and first is not second
    first["a"] = 2
    assert cells('{"a": 1}') == {"a": 1}  # changing one row's copy changes no other row
    assert cells("[1, 2]") == [1, 2]
    assert cells("{}") is None and cells("null") is None and cells(None) is None
    assert cells({"b": 2}) == {"b": 2} and cells({}) is None  # psycopg hands back decoded values
    assert cells("0") == 0 and cells('"x"') == "x"


def test_fatalities_cell() -> None:
    assert fatalities_dto(None) is None and fatalities_dto({}) is None
    assert fatalities_dto({"value": 9, "text": "nine"}) == Fatalities(value=9, text="nine")
    full = {"value": 10, "low": 8, "high": 12, "qualifier": "about", "text": "about 10"}
    assert fatalities_dto(full) == Fatalities(value=10, low=8, high=12, qualifier="about", text="about 10")
