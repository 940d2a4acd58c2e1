"""Decisions written into gold: whole events with their frames, parts of events, spans, and rejections as records."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.core.dto import GOLD, DocumentRecord, EventDate, Fatalities
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.adjudication import AdjudicationService
from annotator.services.alignment import DECIDED
from annotator.store.database import Database
from tests.formats.corpus import Doc, store

TEXT = "Rebels shelled Homs on Tuesday, killing 4 civilians. Jets bombed Hama."
ALICE, BOB = 0, 1
FOUR = Fatalities(value=4, low=4, high=4, qualifier="exact", text="4")


def alice() -> Doc:
    d = Doc("g", TEXT)
    rebels, homs, tuesday = d.ent("Rebels", "ORG"), d.ent("Homs", "GPE"), d.ent("Tuesday", "TIME")
    civilians, jets, hama = d.ent("civilians", "PER"), d.ent("Jets", "VEH"), d.ent("Hama", "GPE")
    roles = [("Attacker", rebels), ("Place", homs), ("Target", civilians), ("Time", tuesday)]
    d.event("shelled", "Conflict.Attack", roles,
            attrs={"attack_mode": "shelling_artillery_missile"}, fatalities=FOUR,
            date=EventDate("2017-02-07", "day", "Tuesday"))  # fmt: skip
    d.event("bombed", "Conflict.Attack", [("Place", hama), ("Instrument", jets)],
            attrs={"attack_mode": "air_drone_strike", "_draft": True}, fatalities=Fatalities(value=0),
            date=EventDate("2017-02", "month", "in February"))  # fmt: skip
    return d


def bob() -> Doc:
    d = Doc("g", TEXT)
    rebels, homs = d.ent("Rebels", "ORG"), d.ent("Homs", "GPE")
    d.ent("civilians", "PER")
    d.event("shelled", "Conflict.Attack", [("Attacker", rebels), ("Place", homs)],
            attrs={"attack_mode": "shelling_artillery_missile"}, fatalities=Fatalities(value=3))  # fmt: skip
    return d


@pytest.fixture
def service(db: Database, schema: Schema) -> AdjudicationService:
    store(db, [alice().record()], annotator="alice")
    with db.session() as session:
        records.store_layer(session, 1, records.annotator_id(session, "bob"), bob().record(), status="done")
    return AdjudicationService(db, schema)


def gold(service: AdjudicationService) -> DocumentRecord:
    with service.db.reader() as session:
        return records.load_record(session, 1, records.annotator_id(session, GOLD))


def key(service: AdjudicationService, kind: str, text: str, name: str = "") -> str:
    state = service.state(1)
    (found,) = [r for r in state.rows if r.kind == kind and r.name == name and state.text[r.start : r.end] == text]
    return found.key


def frame(service: AdjudicationService, trigger: str) -> dict[str, Any]:
    g = gold(service)
    texts = {e.id: e.text for e in g.entities}
    ev = next(e for e in g.events if e.trigger_text == trigger)
    return {
        "type": ev.type, "status": ev.status, "trigger": (ev.trigger_start, ev.trigger_end),
        "attrs": {k: v for k, v in ev.attrs.items() if k != DECIDED}, "decided": ev.attrs.get(DECIDED, []),
        "roles": [(a.role, texts[a.entity_id or 0]) for a in ev.arguments], "fatalities": ev.fatalities,
        "date": ev.date,
    }  # fmt: skip


def test_a_part_of_an_event_waits_for_the_event(service: AdjudicationService) -> None:
    with pytest.raises(UserError, match=r"^decide the event itself first: it is not in gold$"):
        service.take(1, key(service, "fatalities", "shelled"), ALICE)
    assert gold(service).events == ()


def test_taking_a_whole_event_copies_its_frame_and_its_spans(service: AdjudicationService) -> None:
    changes = service.take(1, key(service, "event", "bombed"), ALICE)
    bombed = frame(service, "bombed")
    assert bombed == {
        "type": "Conflict.Attack", "status": "accepted", "trigger": (58, 64),
        "attrs": {"attack_mode": "air_drone_strike"},  # a person's private bookkeeping stays in their layer
        "decided": [], "roles": [("Instrument", "Jets"), ("Place", "Hama")],
        "fatalities": Fatalities(value=0), "date": EventDate("2017-02", "month", "in February"),
    }  # fmt: skip
    spans = {(e.text, e.label, e.status) for e in gold(service).entities}
    assert spans == {("Hama", "GPE", "accepted"), ("Jets", "VEH", "accepted")}
    assert changes.history_id is not None and len(changes.events) == 1 and len(changes.entities) == 2
    service.undo(changes.history_id)
    assert gold(service).events == () and gold(service).entities == ()


def test_taking_nothing_for_an_event_records_its_rejection(service: AdjudicationService) -> None:
    service.take(1, key(service, "event", "bombed"), None)
    bombed = frame(service, "bombed")
    assert (bombed["type"], bombed["status"], bombed["trigger"], bombed["roles"]) == (
        "Conflict.Attack", "rejected", (58, 64), [],
    )  # fmt: skip
    assert (bombed["fatalities"], bombed["date"]) == (None, None)
    assert gold(service).entities == ()
    service.take(1, key(service, "event", "bombed"), ALICE)  # changed one's mind: the frame comes in
    assert frame(service, "bombed")["status"] == "accepted"
    assert frame(service, "bombed")["roles"] == [("Instrument", "Jets"), ("Place", "Hama")]
    service.take(1, key(service, "event", "bombed"), None)  # and back: rejected, the frame kept as it was
    assert (frame(service, "bombed")["status"], frame(service, "bombed")["trigger"]) == ("rejected", (58, 64))


def test_each_part_of_an_event_is_set_from_the_version_taken(service: AdjudicationService) -> None:
    service.auto(1, 2)
    shelled = frame(service, "shelled")
    assert shelled["roles"] == [("Attacker", "Rebels"), ("Place", "Homs")]
    assert (shelled["fatalities"], shelled["date"]) == (None, None)
    service.take(1, key(service, "fatalities", "shelled"), ALICE)
    service.take(1, key(service, "date", "shelled"), ALICE)
    service.take(1, key(service, "role filler", "shelled", "Target"), ALICE)
    shelled = frame(service, "shelled")
    assert (shelled["fatalities"], shelled["date"]) == (FOUR, EventDate("2017-02-07", "day", "Tuesday"))
    assert shelled["roles"] == [("Attacker", "Rebels"), ("Place", "Homs"), ("Target", "civilians")]
    assert shelled["decided"] == [
        "attribute attack_mode", "date", "fatalities", "role Attacker", "role Place", "role Target",
    ]  # fmt: skip
    service.take(1, key(service, "fatalities", "shelled"), BOB)
    service.take(1, key(service, "date", "shelled"), BOB)  # Bob gave no date: gold has none
    service.take(1, key(service, "role filler", "shelled", "Target"), BOB)  # nor a target
    shelled = frame(service, "shelled")
    assert (shelled["fatalities"], shelled["date"]) == (Fatalities(value=3), None)
    assert shelled["roles"] == [("Attacker", "Rebels"), ("Place", "Homs")]
    service.take(1, key(service, "fatalities", "shelled"), None)
    assert frame(service, "shelled")["fatalities"] is None
    with service.db.reader() as session:
        event = records.load_record(session, 1, records.annotator_id(session, GOLD)).events[0]
    assert [a.role for a in event.arguments] == ["Attacker", "Place"]


def test_a_role_filler_brings_its_span_and_positions_follow_the_order(service: AdjudicationService) -> None:
    service.auto(1, 2)
    service.take(1, key(service, "span", "Tuesday"), None)  # a rejected span stays as the record
    assert {(e.text, e.status) for e in gold(service).entities if e.text == "Tuesday"} == {("Tuesday", "rejected")}
    service.take(1, key(service, "role filler", "shelled", "Target"), ALICE)
    g = gold(service)
    civilians = next(e for e in g.entities if e.text == "civilians")
    assert (civilians.label, civilians.status) == ("PER", "accepted")
    shelled = next(ev for ev in g.events if ev.trigger_text == "shelled")
    assert [a.entity_id for a in shelled.arguments][-1] == civilians.id


def test_a_span_taken_then_rejected_keeps_its_extent(service: AdjudicationService) -> None:
    service.take(1, key(service, "span", "Tuesday"), ALICE)
    assert {(e.text, e.start, e.end, e.label, e.status) for e in gold(service).entities} == {
        ("Tuesday", 23, 30, "TIME", "accepted")
    }
    service.take(1, key(service, "span", "Tuesday"), None)
    assert {(e.text, e.start, e.end, e.label, e.status) for e in gold(service).entities} == {
        ("Tuesday", 23, 30, "TIME", "rejected")
    }
    service.take(1, key(service, "span", "Tuesday"), ALICE)  # changed one's mind again: the same row
    assert {(e.text, e.start, e.end, e.label, e.status) for e in gold(service).entities} == {
        ("Tuesday", 23, 30, "TIME", "accepted")
    }
    service.take(1, key(service, "span", "Hama"), None)  # rejected without ever being in gold
    hama = next(e for e in gold(service).entities if e.text == "Hama")
    assert (hama.start, hama.end, hama.label, hama.status) == (65, 69, "GPE", "rejected")


def test_an_agreed_event_takes_the_majoritys_type(db: Database, schema: Schema) -> None:
    layers = {}
    for person, type_ in (("alice", "Conflict.Attack"), ("bob", "Life.Die"), ("carol", "Life.Die")):
        d = Doc("g", TEXT)
        d.event("killing", type_, [])
        layers[person] = d.record()
    store(db, [layers["alice"]], annotator="alice")
    with db.session() as session:
        for person in ("bob", "carol"):
            records.store_layer(session, 1, records.annotator_id(session, person), layers[person], status="done")
    service = AdjudicationService(db, schema)
    service.auto(1, 2)
    (event,) = gold(service).events
    assert (event.type, event.trigger_text, event.status) == ("Life.Die", "killing", "accepted")


def test_a_role_filler_accepts_a_span_gold_rejected_instead_of_making_another(service: AdjudicationService) -> None:
    service.auto(1, 2)
    service.take(1, key(service, "span", "Tuesday"), None)
    service.take(1, key(service, "role filler", "shelled", "Time"), ALICE)
    g = gold(service)
    tuesdays = [(e.id, e.label, e.status) for e in g.entities if e.text == "Tuesday"]
    assert len(tuesdays) == 1 and tuesdays[0][1:] == ("TIME", "accepted")
    shelled = next(ev for ev in g.events if ev.trigger_text == "shelled")
    assert [(a.role, a.entity_id) for a in shelled.arguments if a.role == "Time"] == [("Time", tuesdays[0][0])]


@pytest.mark.parametrize(
    ("held", "chosen"),
    [
        ([("PER", "rejected"), ("ORG", "accepted")], 1),  # an accepted span before one with the label
        ([("ORG", "accepted"), ("PER", "accepted")], 1),  # then the one with the label, though newer
        ([("ORG", "rejected"), ("PER", "rejected")], 1),  # the same among rejected ones
        ([("PER", "accepted"), ("PER", "accepted")], 0),  # then the oldest
    ],
)
def test_a_role_filler_reuses_the_best_of_several_gold_spans_at_its_offsets(
    service: AdjudicationService, held: list[tuple[str, str]], chosen: int
) -> None:
    """Gold edited by hand may hold several spans over “civilians”; the filler reuses one and makes none."""
    hand = Doc("g", TEXT)
    rebels, homs = hand.ent("Rebels", "ORG"), hand.ent("Homs", "GPE")
    for label, status in held:
        hand.ent("civilians", label, status=status)
    hand.event("shelled", "Conflict.Attack", [("Attacker", rebels), ("Place", homs)])
    with service.db.session() as session:
        records.store_layer(session, 1, records.annotator_id(session, GOLD), hand.record(), status="in_progress")
    service.take(1, key(service, "role filler", "shelled", "Target"), ALICE)  # Alice's target: civilians, PER
    g = gold(service)
    civilians = sorted((e.id, e.label, e.status) for e in g.entities if e.text == "civilians")
    assert len(civilians) == len(held)  # no span made
    expected = [(label, "accepted" if i == chosen else status) for i, (label, status) in enumerate(held)]
    assert [(label, status) for _, label, status in civilians] == expected
    shelled = next(ev for ev in g.events if ev.trigger_text == "shelled")
    assert [a.entity_id for a in shelled.arguments if a.role == "Target"] == [civilians[chosen][0]]


def test_a_role_filler_never_reuses_a_gold_span_of_another_document(service: AdjudicationService) -> None:
    """Another article with the same opening has a gold “Hama” at the same offsets: this one gets its own."""
    elsewhere = Doc("g2", TEXT + " Calm since.")
    elsewhere.ent("Hama", "GPE")
    with service.db.session() as session:
        other = records.store_document(session, elsewhere.record())
        records.store_layer(session, other, records.annotator_id(session, GOLD), elsewhere.record(), status="done")
    service.take(1, key(service, "event", "bombed"), ALICE)
    assert {(e.text, e.label, e.status) for e in gold(service).entities} == {
        ("Hama", "GPE", "accepted"),
        ("Jets", "VEH", "accepted"),
    }
    with service.db.reader() as session:
        kept = records.load_record(session, other, records.annotator_id(session, GOLD))
    assert [(e.text, e.status) for e in kept.entities] == [("Hama", "accepted")] and kept.events == ()
