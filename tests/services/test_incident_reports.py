"""Event mentions read as incident reports: which events, their dates (or the article's), places, sides, figures."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.core.dto import MODEL, EventDate, Fatalities, Origin, Status
from annotator.core.schema import Schema
from annotator.nlp.geocode import Geocoder
from annotator.services import incident_reports
from annotator.services.consolidate import ReportData
from annotator.services.incident_reports import incident_types, load_reports, report_ids, sentence_around
from annotator.services.linking import Actor
from annotator.store.database import Database
from tests.formats.corpus import Doc, store

PALMYRA = {"name": "Palmyra", "lat": 34.55, "lon": 38.28, "country_code": "SY", "place_type": "town"}


def strike() -> Doc:
    d = Doc("a", "Jets of the army struck near Palmyra, killing civilians.", title="Strike", source="SANA",
            published="2017-02-07")  # fmt: skip
    army = d.ent("army", "ORG", normalized={"id": "sy-army", "name": "Military Forces of Syria"},
                 attrs={"actor_type": "State forces"})  # fmt: skip
    civilians = d.ent("civilians", "PER", attrs={"actor_type": "Civilians"})
    jets = d.ent("Jets", "VEH")
    palmyra = d.ent("Palmyra", "GPE", normalized=PALMYRA)
    roles = [("Attacker", army), ("Target", civilians), ("Instrument", jets), ("Place", palmyra)]
    attrs = {"attack_mode": "air_drone_strike", "attribution": "  the \n Observatory "}
    d.event("struck", "Conflict.Attack", roles, attrs=attrs, fatalities=Fatalities(value=10, low=8, high=12))
    d.event("killing", "Life.Die", [("Victim", civilians)], status=Status.REJECTED)
    return d


def agreement() -> Doc:
    d = Doc("b", "Rebels and the army agreed a truce in Homs. Officials met.", published="2017-03")
    rebels = d.ent(
        "Rebels", "ORG", attrs={"actor_type": "Rebel group", "canonical_actor": {"name": "Free Syrian Army"}}
    )
    army, homs = d.ent("army", "ORG", attrs={"actor_type": "an army"}), d.ent("Homs", "GPE", normalized=PALMYRA)
    roles = [("Participant", rebels), ("Participant", army), ("Place", homs)]
    d.event("agreed", "X.Conflict.Agreement", roles, date=EventDate("2017-02", "month", "in February"),
            fatalities=Fatalities(value=2))  # fmt: skip
    d.event("met", "Contact.Meet", [])  # not a type incidents are made of
    return d


def undated() -> Doc:
    d = Doc("c", "Near Palmyra, shelling went on.")
    d.event("shelling", "Conflict.Attack", [("Place", d.ent("Palmyra", "GPE", normalized=PALMYRA))])
    return d


@pytest.fixture
def reports(db: Database, schema: Schema) -> dict[str, ReportData]:
    store(db, [strike().record(), agreement().record(), undated().record()], annotator=MODEL)
    with db.reader() as session:
        ids = report_ids(session, MODEL, incident_types(schema))
        found = load_reports(session, ids, schema, Geocoder())
    assert list(found) == ids
    return {r.member.trigger: r for r in found.values()}


def test_the_types_incidents_are_made_of(schema: Schema) -> None:
    types = incident_types(schema)
    assert {"Conflict.Attack", "Life.Die", "Life.Injure", "X.Artifact.DamageDestroy", "X.Conflict.Agreement"} <= types
    assert "Contact.Meet" not in types and "Movement.Transport" not in types


def test_rejected_events_and_other_types_are_not_reports(reports: dict[str, ReportData]) -> None:
    assert sorted(reports) == ["agreed", "shelling", "struck"]


def test_a_report_carries_its_article_sides_place_and_figures(reports: dict[str, ReportData]) -> None:
    struck = reports["struck"]
    member = struck.member
    assert (member.doc_id, member.title, member.source, member.published) == ("a", "Strike", "SANA", "2017-02-07")
    assert (member.type, member.trigger, member.trigger_start, member.trigger_end) == (
        "Conflict.Attack",
        "struck",
        17,
        23,
    )
    report = struck.report
    assert (report.type, report.attack_mode, report.trigger_start) == ("Conflict.Attack", "air_drone_strike", 17)
    assert report.side1 == (Actor("sy-army", "Military Forces of Syria", "State forces"),)
    assert report.side2 == (Actor("civilians", "civilians", "Civilians"),)
    assert (report.value, report.low, report.high) == (8, 8, 12)  # the lowest credible figure counts
    assert struck.fatalities == Fatalities(value=10, low=8, high=12)
    assert len(report.entities) == 4 and struck.has_instrument
    assert struck.attribution == "the Observatory"
    assert struck.acled == ("Explosions/Remote violence", "Air/drone strike")
    assert report.place is not None and report.place.name == "Palmyra" and report.place.near  # "near Palmyra"


def test_a_report_without_a_date_takes_its_articles_at_its_precision(reports: dict[str, ReportData]) -> None:
    struck = reports["struck"].report
    assert (struck.date_value, struck.precision, struck.fallback) == ("2017-02-07", "day", True)
    assert (struck.start, struck.end) == (date(2017, 2, 7), date(2017, 2, 8))
    agreed = reports["agreed"].report  # its own date wins over the article's
    assert (agreed.date_value, agreed.precision, agreed.fallback) == ("2017-02", "month", False)
    assert (agreed.start, agreed.end) == (date(2017, 2, 1), date(2017, 3, 1))
    shelling = reports["shelling"].report  # neither: no date at all
    assert (shelling.date_value, shelling.precision, shelling.start, shelling.end) == (None, None, None, None)


def test_the_publication_month_or_year_stands_in_with_its_precision(db: Database, schema: Schema) -> None:
    docs = []
    for i, published in enumerate(("2017-03", "2017", "2017-02-07T10:30:00")):
        d = Doc(f"p{i}", f"Jets struck {i} times.", published=published)
        d.event("struck", "Conflict.Attack", [])
        docs.append(d.record())
    store(db, docs, annotator=MODEL)
    with db.reader() as session:
        found = load_reports(session, report_ids(session, MODEL, ["Conflict.Attack"]), schema, Geocoder())
    dates = [(r.report.date_value, r.report.precision, r.report.start) for r in found.values()]
    assert dates == [("2017-03", "month", date(2017, 3, 1)), ("2017", "year", date(2017, 1, 1)),
                     ("2017-02-07", "day", date(2017, 2, 7))]  # fmt: skip


def test_shared_roles_fill_the_empty_sides_in_order(reports: dict[str, ReportData]) -> None:
    agreed = reports["agreed"].report
    assert agreed.side1 == (Actor("free syrian army", "Free Syrian Army", "Rebel group"),)
    assert agreed.side2 == (Actor("army", "army", ""),)  # a category ACLED does not have is no category
    assert (agreed.value, agreed.low, agreed.high) == (2, None, None)
    assert not reports["agreed"].has_instrument and reports["agreed"].attribution == ""
    assert reports["shelling"].report.place is not None and reports["shelling"].report.place.near  # "Near" starts it
    assert reports["shelling"].report.side1 == reports["shelling"].report.side2 == ()


def test_a_layer_reads_its_own_events_where_it_has_the_document(db: Database, schema: Schema) -> None:
    store(db, [strike().record(), agreement().record()], annotator=MODEL)
    mine = Doc("a", strike().text, published="2017-02-07")
    mine.event("struck", "Conflict.Attack", [], origin=Origin.MODEL, status=Status.SUGGESTED)
    mine.event("killing", "Life.Die", [], origin=Origin.MODEL, status=Status.ACCEPTED)  # a suggestion she accepted
    with db.session() as session:
        from annotator.services import records

        records.store_layer(session, 1, records.annotator_id(session, "alice"), mine.record(), status="in_progress")
    types = incident_types(schema)
    with db.reader() as session:
        model = report_ids(session, MODEL, types)
        alice = report_ids(session, "alice", types)
        reviewed = report_ids(session, "alice", types, reviewed_only=True)
        only_b = report_ids(session, "alice", types, documents=[2])
        bob = report_ids(session, "bob", types)
        found = load_reports(session, alice, schema, Geocoder())
    # In event id order: the model's in b (stored first), alice's two in a; the model's of a are not hers.
    assert [(found[i].member.doc_id, found[i].member.trigger) for i in alice] == [
        ("b", "agreed"), ("a", "struck"), ("a", "killing"),
    ]  # fmt: skip
    assert reviewed == [alice[0], alice[2]]  # her struck is a suggestion nobody accepted yet
    assert only_b == alice[:1] and bob == model and len(model) == 2 and model[1] == alice[0]


def test_reviewed_reports_are_those_accepted_or_made_by_a_person(db: Database, schema: Schema) -> None:
    d = Doc("r", "Jets struck, guns shelled, planes bombed, rebels raided, troops stormed, drones hit.")
    kinds = [(o, s) for o in (Origin.MODEL, Origin.HUMAN) for s in (Status.SUGGESTED, Status.ACCEPTED, Status.REJECTED)]
    for trigger, (origin, status) in zip(
        ("struck", "shelled", "bombed", "raided", "stormed", "hit"), kinds, strict=True
    ):
        d.event(trigger, "Conflict.Attack", [], origin=origin, status=status)
    store(db, [d.record()])
    with db.reader() as session:
        every = report_ids(session, "alice", incident_types(schema))
        reviewed = report_ids(session, "alice", incident_types(schema), reviewed_only=True)
    triggers = dict(zip(every, ("struck", "shelled", "raided", "stormed"), strict=True))  # rejected ones never
    assert [triggers[i] for i in reviewed] == ["shelled", "raided", "stormed"]


def test_reports_are_read_in_chunks_without_losing_any(
    db: Database, schema: Schema, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = []
    for i in range(5):
        d = Doc(f"n{i}", f"The army struck Palmyra {i} times.", published=f"2017-02-0{i + 1}")
        d.event("struck", "Conflict.Attack", [("Attacker", d.ent("army", "ORG"))])
        docs.append(d.record())
    store(db, docs, annotator=MODEL)
    monkeypatch.setattr(incident_reports, "CHUNK", 2)
    with db.reader() as session:
        ids = report_ids(session, MODEL, ["Conflict.Attack"])
        found = load_reports(session, ids, schema, Geocoder())
    assert list(found) == ids and len(ids) == 5
    assert [r.member.published for r in found.values()] == [f"2017-02-0{i + 1}" for i in range(5)]
    assert all(r.report.side1 == (Actor("army", "army", ""),) for r in found.values())


@pytest.mark.parametrize(
    ("text", "needle", "sentence"),
    [
        ("One. The army shelled Homs. Then quiet.", "shelled", "The army shelled Homs."),
        ("Was it shelled? Yes. Nine died.", "Yes", "Yes."),
        ("Who shelled Homs? Nobody says.", "shelled", "Who shelled Homs?"),
        ("Shelled at dawn! Nine died", "Nine", "Nine died"),
        ("Title line\nThe  army shelled Homs\nNext line", "shelled", "The army shelled Homs"),
        ("The army\nshelled Homs", "shelled", "shelled Homs"),  # a line ends a sentence
        ("The army shelled Homs", "army", "The army shelled Homs"),
        ("Dr. Ali saw it. Then", "saw", "Ali saw it."),  # a sentence is cut at every full stop and space
        ("3.5 km away the army shelled", "army", "3.5 km away the army shelled"),
        (". The army shelled Homs", "army", "The army shelled Homs"),  # a stop at the very start ends a sentence too
    ],
)
def test_the_sentence_around_a_trigger(text: str, needle: str, sentence: str) -> None:
    start = text.index(needle)
    assert sentence_around(text, start, start + len(needle)) == sentence


def test_near_is_read_in_the_words_just_before_the_place(db: Database, schema: Schema) -> None:
    texts = {
        "far": "Fighting went on near the old city walls for hours before jets struck Palmyra.",
        "late": "After a long night of heavy fighting, jets struck near Palmyra.",
        "first": "Palmyra was struck near dawn.",
    }
    docs = []
    for doc_id, text in texts.items():
        d = Doc(doc_id, text)
        d.event("struck", "Conflict.Attack", [("Place", d.ent("Palmyra", "GPE", normalized=PALMYRA))])
        docs.append(d.record())
    store(db, docs, annotator=MODEL)
    with db.reader() as session:
        found = load_reports(session, report_ids(session, MODEL, ["Conflict.Attack"]), schema, Geocoder())
    near = {r.member.doc_id: r.report.place.near for r in found.values() if r.report.place}
    assert near == {"far": False, "late": True, "first": False}


def test_incidents_are_made_of_the_types_acled_codes_and_the_consequences_of_attacks(schema: Schema) -> None:
    assert incident_types(schema) == {
        "Conflict.Attack",
        "Conflict.Demonstrate",
        "Justice.Arrest-Jail",
        "Justice.Execute",
        "X.Conflict.Agreement",
        "X.Conflict.ChangeOfControl",
        "Life.Die",  # consequences: deaths, injuries and destruction are counted with their attack
        "Life.Injure",
        "X.Artifact.DamageDestroy",
    }
    from annotator.core.schema import parse_schema

    # A project's own schema may name its ACLED types in one mapping instead of on each type.
    own = parse_schema(
        "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {Riot: {}, Talk: {}}\n"
        "mappings: {acled: {event_type: {Riot: Riots, Gone: Battles}}}\n"
    )
    assert incident_types(own) == {"Riot"}
