"""Event editing, validation and the corpus event queries, on hand-built documents."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.core.dto import MODEL, Argument, DocumentRecord, Entity, Event, EventDate, Fatalities, Status
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.event_queries import EventFilter, EventQueries
from annotator.services.events import EventService, normalise_date
from annotator.services.validation import ProblemKind, document_problems, validate_event
from annotator.store.database import Database

TEXT = "Russian airstrikes hit al-Waer in Homs on Monday, killing nine civilians. Rebels fled."
OTHER = "Rebels shelled Idlib; talks broke down."


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _entity(i: int, text: str, needle: str, label: str) -> Entity:
    start, end = _span(text, needle)
    return Entity(id=i, start=start, end=end, label=label, text=needle, origin="model", status="suggested")


def _event(i: int, text: str, trigger: str, type_: str, *args: Argument, **kw: Any) -> Event:
    start, end = _span(text, trigger)
    return Event(
        id=i,
        type=type_,
        trigger_start=start,
        trigger_end=end,
        trigger_text=trigger,
        arguments=args,
        origin="model",
        status="suggested",
        **kw,
    )


def _suggested(role: str, entity: int) -> Argument:
    return Argument(role=role, entity_id=entity, status="suggested", origin="model")


@pytest.fixture
def docs(db: Database) -> list[int]:
    """Two model-suggested documents: an Attack + Die frame, and an Attack with a date and a death toll."""
    first = DocumentRecord(
        doc_id="a",
        text=TEXT,
        title="Homs airstrikes",
        entities=(
            _entity(1, TEXT, "Russian", "GPE"),
            _entity(2, TEXT, "al-Waer", "GPE"),
            _entity(3, TEXT, "Homs", "GPE"),
            _entity(4, TEXT, "Monday", "TIME"),
            _entity(5, TEXT, "nine civilians", "PER"),
            _entity(6, TEXT, "Rebels", "ORG"),
        ),
        events=(
            _event(
                1,
                TEXT,
                "airstrikes",
                "Conflict.Attack",
                _suggested("Attacker", 1),
                _suggested("Place", 3),
                attrs={"attack_mode": "air_drone_strike", "attribution": "activists"},
            ),
            _event(2, TEXT, "killing", "Life.Die", _suggested("Victim", 5)),
        ),
    )
    second = DocumentRecord(
        doc_id="b",
        text=OTHER,
        title="Idlib shelling",
        entities=(_entity(1, OTHER, "Rebels", "ORG"), _entity(2, OTHER, "Idlib", "GPE")),
        events=(
            _event(
                1,
                OTHER,
                "shelled",
                "Conflict.Attack",
                _suggested("Attacker", 1),
                _suggested("Place", 2),
                date=EventDate("2017-02-07", "day"),
                fatalities=Fatalities(value=3, low=3),
            ),
            _event(2, OTHER, "talks", "X.Conflict.Agreement"),
        ),
    )
    ids = []
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        for record in (first, second):
            doc = records.store_document(session, record)
            records.store_layer(session, doc, model, record)
            ids.append(doc)
    return ids


@pytest.fixture
def service(db: Database, schema: Schema) -> EventService:
    return EventService(db, schema)


def _events(service: EventService, doc: int, annotator: str = "alice") -> dict[int, Event]:
    return {ev.id: ev for ev in service.open_document(doc, annotator).events}


def test_create_fill_set_and_undo_each_step(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    view = service.open_document(doc, "alice")
    by_text = {e.text: e.id for e in view.entities}
    start, end = _span(TEXT, "fled")
    created = service.create_event(doc, "alice", start, end, "Movement.Transport")
    (event_id,) = created.events
    assert created.history_id and _events(service, doc)[event_id].trigger_text == "fled"

    service.add_argument(doc, "alice", event_id, "Agent", by_text["Rebels"])
    filled = service.create_entity_and_fill(doc, "alice", event_id, "Origin", *_span(TEXT, "Homs"), "GPE")
    assert filled.entities == {by_text["Homs"]} | set()  # the identical suggested span is reused, not doubled
    service.set_attribute(doc, "alice", event_id, "tense", "Past")
    event = _events(service, doc)[event_id]
    assert [(a.role, a.entity_id, a.status) for a in event.arguments] == [
        ("Agent", by_text["Rebels"], "accepted"),
        ("Origin", by_text["Homs"], "accepted"),
    ]
    assert event.attrs == {"tense": "Past"}
    homs = next(e for e in service.open_document(doc, "alice").entities if e.id == by_text["Homs"])
    assert homs.status == Status.ACCEPTED  # putting a suggestion in a role accepts the span

    history = service.history(doc, "alice")
    assert [h.operation for h in history] == ["create_event", "fill_role", "create_and_fill", "set_attribute"]
    service.undo(history[-1].id)
    service.undo(history[-2].id)
    event = _events(service, doc)[event_id]
    assert event.attrs == {} and len(event.arguments) == 1
    service.undo(history[-3].id)
    service.undo(history[-4].id)
    assert event_id not in _events(service, doc)
    service.redo(history[0].id)
    assert event_id in _events(service, doc)


def test_create_and_fill_with_a_new_span_is_one_undo_step(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    changes = service.create_entity_and_fill(doc, "alice", attack.id, "Target", *_span(TEXT, "al-Waer in Homs"), "LOC")
    view = service.open_document(doc, "alice")
    new = next(e for e in view.entities if e.text == "al-Waer in Homs")
    assert new.label == "LOC" and changes.entities == {new.id}
    assert ("Target", new.id) in {(a.role, a.entity_id) for a in _events(service, doc)[attack.id].arguments}
    service.undo(changes.history_id or 0)
    view = service.open_document(doc, "alice")
    assert all(e.text != "al-Waer in Homs" for e in view.entities)
    assert "Target" not in {a.role for a in _events(service, doc)[attack.id].arguments}


def test_single_filler_role_is_replaced_and_model_fillers_kept_as_rejected(
    service: EventService, docs: list[int]
) -> None:
    doc = docs[0]
    view = service.open_document(doc, "alice")
    attack = next(ev for ev in view.events if ev.type == "Conflict.Attack")
    waer = next(e.id for e in view.entities if e.text == "al-Waer")
    service.add_argument(doc, "alice", attack.id, "Place", waer)
    places = [(a.entity_id, a.status) for a in _events(service, doc)[attack.id].arguments if a.role == "Place"]
    homs = next(e.id for e in view.entities if e.text == "Homs")
    assert places == [(homs, "rejected"), (waer, "accepted")]


def test_accept_and_reject_whole_events_and_single_roles(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    view = service.open_document(doc, "alice")
    attack, die = (next(ev for ev in view.events if ev.type == t) for t in ("Conflict.Attack", "Life.Die"))
    service.set_argument_status(doc, "alice", attack.id, [0], Status.REJECTED)
    service.set_argument_status(
        doc, "alice", attack.id, [("Place", attack.arguments[1].entity_id or 0)], Status.ACCEPTED
    )
    after = _events(service, doc)[attack.id]
    assert [a.status for a in after.arguments] == ["rejected", "accepted"] and after.status == "accepted"
    spans = {e.id: e.status for e in service.open_document(doc, "alice").entities}
    assert spans[attack.arguments[1].entity_id] == "accepted"  # accepting a filler accepts its span

    service.set_event_status(doc, "alice", [die.id], Status.ACCEPTED)
    assert [a.status for a in _events(service, doc)[die.id].arguments] == ["accepted"]
    victims = {e.id: e.status for e in service.open_document(doc, "alice").entities}
    assert victims[die.arguments[0].entity_id] == "accepted"
    service.delete_event(doc, "alice", [die.id])  # a model suggestion is kept, as rejected
    assert _events(service, doc)[die.id].status == "rejected"


def test_values_are_validated_and_normalised(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    service.set_fatalities(doc, "alice", attack.id, Fatalities(value=9, low=9, qualifier="at_least"))
    service.set_date(doc, "alice", attack.id, EventDate("2017-02", None, "in February"))
    event = _events(service, doc)[attack.id]
    assert event.fatalities == Fatalities(value=9, low=9, qualifier="at_least")
    assert event.date == EventDate("2017-02", "month", "in February")
    service.set_date(doc, "alice", attack.id, None)
    assert _events(service, doc)[attack.id].date is None
    assert normalise_date("2017-W06", None) == EventDate("2017-W06", "week")
    for bad in (
        lambda: normalise_date("2017-02-30", "day"),
        lambda: normalise_date("Feb 2017", None),
        lambda: service.set_fatalities(doc, "alice", attack.id, Fatalities(low=5, high=2)),
        lambda: service.set_attribute(doc, "alice", attack.id, "attack_mode", "catapult"),
        lambda: service.set_attribute(doc, "alice", attack.id, "outcome", "agreed"),
        lambda: service.add_argument(doc, "alice", attack.id, "Victim", attack.arguments[0].entity_id or 0),
        lambda: service.create_event(doc, "alice", 0, 7, "Conflict.Riot"),
    ):
        with pytest.raises(UserError):
            bad()


def test_a_role_the_event_type_lacks_is_refused_by_name(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    filler = attack.arguments[0].entity_id or 0
    with pytest.raises(UserError, match=r"^Conflict\.Attack has no role 'Victim'$"):
        service.add_argument(doc, "alice", attack.id, "Victim", filler)
    with pytest.raises(UserError, match=r"^Conflict\.Attack has no role 'Mood'$"):
        service.create_entity_and_fill(doc, "alice", attack.id, "Mood", *_span(TEXT, "Monday"), "TIME")
    assert _events(service, doc)[attack.id].arguments == attack.arguments  # nothing was written


def test_a_death_toll_is_kept_when_it_has_a_number_a_qualifier_or_a_phrase(
    service: EventService, docs: list[int]
) -> None:
    """Any one of them is something to keep; only a toll with none of them is stored as no toll at all."""
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    for kept in (Fatalities(value=3), Fatalities(high=4), Fatalities(qualifier="vague"), Fatalities(text="dozens")):
        service.set_fatalities(doc, "alice", attack.id, kept)
        assert _events(service, doc)[attack.id].fatalities == kept
    service.set_fatalities(doc, "alice", attack.id, Fatalities())
    assert _events(service, doc)[attack.id].fatalities is None


def test_retyping_drops_stale_attributes_and_other_layers_are_read_only(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    service.set_type(doc, "alice", attack.id, "Life.Die")
    event = _events(service, doc)[attack.id]
    assert event.type == "Life.Die" and event.attrs == {"attribution": "activists"}
    with pytest.raises(UserError, match="another annotator"):
        service.set_attribute(doc, "bob", attack.id, "tense", "Past")
    with pytest.raises(UserError, match="no event"):
        service.set_attribute(docs[1], "alice", attack.id, "tense", "Past")


def test_validation_flags_missing_wrong_type_too_many_and_dangling(
    service: EventService, docs: list[int], schema: Schema
) -> None:
    doc = docs[0]
    view = service.open_document(doc, "alice")
    by_id = {e.id: e for e in view.entities}
    die = next(ev for ev in view.events if ev.type == "Life.Die")
    assert validate_event(die, by_id, schema) == []
    no_victim = Event(id=9, type="Life.Die", trigger_start=0, trigger_end=1, trigger_text="R")
    assert [(p.kind, p.role) for p in validate_event(no_victim, by_id, schema)] == [(ProblemKind.MISSING, "Victim")]
    homs, monday = (next(e.id for e in view.entities if e.text == t) for t in ("Homs", "Monday"))
    odd = Event(
        id=9,
        type="Conflict.Attack",
        trigger_start=0,
        trigger_end=1,
        trigger_text="R",
        arguments=(
            Argument("Place", homs),
            Argument("Place", monday),
            Argument("Victim", homs),
            Argument("Time", 999),
            Argument("Place", homs, status="rejected"),
        ),
    )
    kinds = {(p.kind, p.role) for p in validate_event(odd, by_id, schema)}
    assert kinds == {
        (ProblemKind.WRONG_TYPE, "Place"),
        (ProblemKind.TOO_MANY, "Place"),
        (ProblemKind.UNKNOWN_ROLE, "Victim"),
        (ProblemKind.DANGLING, "Time"),
    }
    assert sorted(p.message for p in validate_event(odd, by_id, schema)) == [  # what the user reads, by the event
        "Attack has no role Victim",
        "Place takes at most 1, has 2",
        "Place “Monday” is TIME; allowed: GPE, LOC, FAC",
        "Time points at a span that was rejected or removed",
    ]
    assert [p.message for p in validate_event(no_victim, by_id, schema)] == ["Victim is required"]
    riot = Event(id=9, type="Conflict.Riot", trigger_start=0, trigger_end=1, trigger_text="R")
    [unknown] = validate_event(riot, by_id, schema)
    assert unknown.message == "Conflict.Riot is not an event type of the schema"
    assert document_problems(view, schema) == {}
    service.set_argument_status(doc, "alice", die.id, [0], Status.REJECTED)
    problems = document_problems(service.open_document(doc, "alice"), schema)
    assert [p.kind for p in problems[die.id]] == [ProblemKind.MISSING]


def test_event_table_queries_filter_sort_and_fall_back_to_the_model(
    service: EventService, docs: list[int], db: Database
) -> None:
    queries = EventQueries(db)
    assert queries.count("alice", EventFilter()) == 4  # no layer yet: the model's suggestions
    rows = queries.rows("alice", EventFilter(type="Conflict.Attack"), sort="date", descending=True)
    assert [r.trigger for r in rows] == ["shelled", "airstrikes"]
    shelled = rows[0]
    assert (shelled.place, shelled.actors, shelled.fatalities, shelled.date) == ("Idlib", "Rebels", 3, "2017-02-07")
    assert rows[1].attack_mode == "air_drone_strike" and rows[1].actors == "Russian"

    doc = docs[0]
    view = service.open_document(doc, "alice")  # alice's layer now replaces the model's for this document
    die = next(ev for ev in view.events if ev.type == "Life.Die")
    service.set_event_status(doc, "alice", [die.id], Status.REJECTED)
    assert queries.count("alice", EventFilter()) == 3
    assert queries.count("alice", EventFilter(status="rejected")) == 1
    assert [r.id for r in queries.rows("alice", EventFilter(status="rejected"))] == [die.id]
    assert [r.trigger for r in queries.rows("alice", EventFilter(text="idlib"))] == ["shelled", "talks"]
    assert [r.trigger for r in queries.rows("alice", EventFilter(text="RUSSIAN"))] == ["airstrikes"]
    for key in ("type", "attack_mode", "place", "actors", "fatalities", "status", "document"):
        assert len(queries.rows("alice", EventFilter(), sort=key)) == 3
    assert len(queries.rows("alice", EventFilter(), offset=2, limit=5)) == 1

    points, undated = queries.timeline("alice", EventFilter())
    assert [(p.date, p.type, p.count) for p in points] == [("2017-02-07", "Conflict.Attack", 1)] and undated == 2
    assert queries.timeline("alice", EventFilter(type="Life.Die")) == ([], 0)


def test_rejecting_a_suggested_span_that_fills_a_role_leaves_the_role_dangling(
    service: EventService, docs: list[int], db: Database, schema: Schema
) -> None:
    from annotator.services.annotate import AnnotationService

    doc = docs[0]
    view = service.open_document(doc, "alice")
    assert document_problems(view, schema) == {}
    die = next(ev for ev in view.events if ev.type == "Life.Die")
    attack = next(ev for ev in view.events if ev.type == "Conflict.Attack")
    victim, homs = (next(e for e in view.entities if e.text == t) for t in ("nine civilians", "Homs"))
    # What Backspace on a selected suggestion does: the span is rejected, the arguments still point at it.
    AnnotationService(db, schema).set_status(doc, "alice", [victim.id, homs.id], Status.REJECTED)
    problems = document_problems(service.open_document(doc, "alice"), schema)
    assert [(p.kind, p.role) for p in problems[die.id]] == [
        (ProblemKind.DANGLING, "Victim"),
        (ProblemKind.MISSING, "Victim"),  # the required role no longer counts the rejected span
    ]
    assert [(p.kind, p.role) for p in problems[attack.id]] == [(ProblemKind.DANGLING, "Place")]  # optional role
    assert problems[die.id][0].message == "Victim points at a span that was rejected or removed"


def test_removing_a_filler_rejects_a_suggestion_and_drops_a_persons_choice(
    service: EventService, docs: list[int]
) -> None:
    doc = docs[0]
    view = service.open_document(doc, "alice")
    attack = next(ev for ev in view.events if ev.type == "Conflict.Attack")
    homs = next(e for e in view.entities if e.text == "Homs")
    changes = service.remove_argument(doc, "alice", attack.id, ("Place", homs.id))
    assert changes.history_id is not None and attack.id in changes.events
    attack = _events(service, doc)[attack.id]
    assert attack.status == "accepted"  # a person has worked on it
    assert [(a.role, a.status) for a in attack.arguments] == [("Attacker", "suggested"), ("Place", "rejected")]
    al_waer = next(e for e in view.entities if e.text == "al-Waer")
    service.add_argument(doc, "alice", attack.id, "Place", al_waer.id)
    made = next(i for i, a in enumerate(_events(service, doc)[attack.id].arguments) if a.entity_id == al_waer.id)
    service.remove_argument(doc, "alice", attack.id, made)  # by position
    assert al_waer.id not in [a.entity_id for a in _events(service, doc)[attack.id].arguments]
    with pytest.raises(UserError, match=r"has no argument 7"):
        service.remove_argument(doc, "alice", attack.id, 7)
    with pytest.raises(UserError, match=r"has no argument \('Victim', 1\)"):
        service.remove_argument(doc, "alice", attack.id, ("Victim", 1))


def test_gold_records_which_role_the_adjudicator_decided(service: EventService, docs: list[int]) -> None:
    from annotator.core.dto import GOLD
    from annotator.services.alignment import DECIDED

    doc = docs[0]
    service.open_document(doc, GOLD)
    created = service.create_event(doc, GOLD, *_span(TEXT, "airstrikes"), "Conflict.Attack")
    event_id = max(created.events)
    service.create_entity_and_fill(doc, GOLD, event_id, "Place", *_span(TEXT, "Homs"), "GPE")
    service.remove_argument(doc, GOLD, event_id, 0)
    assert _events(service, doc, GOLD)[event_id].attrs[DECIDED] == ["role Place"]
    service.set_attribute(doc, "alice", next(iter(_events(service, doc))), "polarity", "Negative")
    assert all(DECIDED not in ev.attrs for ev in _events(service, doc).values())  # only gold's edits decide


def test_the_table_finds_an_annotators_copy_of_a_model_event(
    service: EventService, docs: list[int], db: Database
) -> None:
    queries = EventQueries(db)
    model_rows = queries.rows("alice", EventFilter(type="Life.Die"))
    model_event = model_rows[0].id
    assert queries.counterpart(model_event, "alice") == model_event  # not opened yet: no copy
    assert queries.counterpart(model_event, "nobody") == model_event
    assert queries.counterpart(99_999, "alice") == 99_999
    view = service.open_document(docs[0], "alice")
    copy = next(ev.id for ev in view.events if ev.type == "Life.Die")
    assert copy != model_event
    assert queries.counterpart(model_event, "alice") == copy
    assert queries.counterpart(copy, "alice") == copy  # alice's own
    (twin,) = service.create_event(docs[0], "alice", *_span(TEXT, "killing"), "Life.Die").events
    assert queries.counterpart(twin, "alice") == twin  # an own event is itself, not its older twin


def test_history_names_fatalities_clearing_and_deletion_as_the_user_sees_them(
    service: EventService, docs: list[int]
) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    service.set_fatalities(doc, "alice", attack.id, Fatalities(value=3))
    service.set_attribute(doc, "alice", attack.id, "attack_mode", None)
    service.delete_event(doc, "alice", [attack.id])
    history = service.history(doc, "alice")[-3:]
    assert [h.operation for h in history] == ["set_fatalities", "set_attribute", "delete_event"]
    assert history[0].description == "Set fatalities"
    assert history[1].description == "Clear attack_mode"
    assert history[2].description == "Delete 1 event(s)"


def test_a_date_known_only_by_its_words_keeps_them_as_text(service: EventService, docs: list[int]) -> None:
    doc = docs[0]
    attack = next(ev for ev in service.open_document(doc, "alice").events if ev.type == "Conflict.Attack")
    service.set_date(doc, "alice", attack.id, EventDate(None, None, "last spring"))
    assert _events(service, doc)[attack.id].date == EventDate(None, None, "last spring")


def test_every_event_edit_names_itself_in_history_and_gold_records_the_part_it_decides(
    service: EventService, docs: list[int]
) -> None:
    """The undo menu shows each description; an adjudicator's edit of a part closes that part in adjudication."""
    from annotator.core.dto import GOLD
    from annotator.services.alignment import DECIDED

    doc = docs[0]
    service.open_document(doc, GOLD)  # the gold layer starts empty
    (rebels,) = service.create_entity(doc, GOLD, *_span(TEXT, "Rebels"), "ORG").entities
    (die,) = service.create_event(doc, GOLD, *_span(TEXT, "killing"), "Life.Die").events
    (ev,) = service.create_event(doc, GOLD, *_span(TEXT, "fled"), "Movement.Transport").events

    def last() -> tuple[str, str, list[str]]:
        entry = service.history(doc, GOLD)[-1]
        return entry.operation, entry.description, list(_events(service, doc, GOLD)[ev].attrs.get(DECIDED, []))

    assert last() == ("create_event", "Create Transport event", [])
    service.set_type(doc, GOLD, ev, "Conflict.Attack")
    assert last() == ("retype_event", "Make it Attack", [])
    service.add_argument(doc, GOLD, ev, "Attacker", rebels)
    assert last() == ("fill_role", "Fill Attacker", ["role Attacker"])
    service.create_entity_and_fill(doc, GOLD, ev, "Target", *_span(TEXT, "al-Waer in Homs"), "LOC")
    assert last() == ("create_and_fill", "Label as LOC and fill Target", ["role Attacker", "role Target"])
    service.set_argument_status(doc, GOLD, ev, [0], Status.REJECTED)
    assert last() == ("rejected_argument", "Reject 1 role filler(s)", ["role Attacker", "role Target"])
    service.set_argument_status(doc, GOLD, ev, [0, 1], Status.ACCEPTED)
    assert last() == ("accepted_argument", "Accept 2 role filler(s)", ["role Attacker", "role Target"])
    service.set_attribute(doc, GOLD, ev, "tense", "Past")
    decided = ["attribute tense", "role Attacker", "role Target"]
    assert last() == ("set_attribute", "Set tense to Past", decided)
    service.set_attribute(doc, GOLD, ev, "tense", None)
    assert last() == ("set_attribute", "Clear tense", decided)
    service.set_fatalities(doc, GOLD, ev, Fatalities(value=9))
    decided = ["attribute tense", "fatalities", "role Attacker", "role Target"]
    assert last() == ("set_fatalities", "Set fatalities", decided)
    service.set_date(doc, GOLD, ev, EventDate("2017-02-06", "day"))
    decided = ["attribute tense", "date", "fatalities", "role Attacker", "role Target"]
    assert last() == ("set_date", "Set event date", decided)
    service.set_event_status(doc, GOLD, [ev], Status.REJECTED)
    assert last() == ("rejected_event", "Reject 1 event(s)", decided)
    service.set_event_status(doc, GOLD, [ev, die], Status.ACCEPTED)
    assert last() == ("accepted_event", "Accept 2 event(s)", decided)
    service.set_event_status(doc, GOLD, [ev], Status.SUGGESTED)
    assert last() == ("suggested_event", "Reset 1 event(s)", decided)
    service.remove_argument(doc, GOLD, ev, 0)
    assert last() == ("remove_argument", "Remove role filler", decided)
    service.delete_event(doc, GOLD, [ev, die])
    entry = service.history(doc, GOLD)[-1]
    assert (entry.operation, entry.description) == ("delete_event", "Delete 2 event(s)")
