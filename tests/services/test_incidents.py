"""Incidents on constructed reports: linking (and keeping apart), fatality reconciliation, edits with undo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.dto import MODEL, DocumentRecord, EventDate, Fatalities
from annotator.core.errors import UserError
from annotator.core.incidents import Incident
from annotator.core.schema import Schema
from annotator.services import history, records
from annotator.services.consolidate import reconcile
from annotator.services.events import EventService
from annotator.services.incidents import IncidentService
from annotator.store import models as m
from annotator.store.database import Database
from tests.formats.corpus import Doc, store

WAER = {"id": "SY-homs-al-waer"}
HOMS = {"id": "SY-homs"}
TALBISEH, RASTAN = {"id": "SY-talbiseh"}, {"id": "SY-rastan"}


def report(
    doc_id: str, text: str, published: str, place: tuple[str, dict[str, str]], when: tuple[str, str] | None,
    deaths: int | None, trigger: str = "airstrike", mode: str = "air_drone_strike",
) -> DocumentRecord:  # fmt: skip
    d = Doc(doc_id, text, source=f"Outlet {doc_id}", published=published)
    where = d.ent(place[0], "LOC", normalized=place[1])
    civilians = d.ent("civilians", "PER", attrs={"actor_type": "Civilians"})
    army = d.ent("army", "ORG", attrs={"actor_type": "State forces"})
    date = EventDate(when[1], "day", when[0]) if when else None
    toll = Fatalities(value=deaths, low=deaths, high=deaths, qualifier="exact") if deaths else None
    roles = [("Attacker", army), ("Target", civilians), ("Place", where)]
    d.event(trigger, "Conflict.Attack", roles, attrs={"attack_mode": mode}, date=date, fatalities=toll)
    return d.record()


def reports() -> list[DocumentRecord]:
    return [
        # One air strike on al-Waer, told by two outlets a day apart ("today", "yesterday").
        report("a", "The army airstrike on al-Waer killed 9 civilians today.", "2017-02-07",
               ("al-Waer", WAER), ("today", "2017-02-07"), 9),
        report("b", "An army airstrike hit civilians in al-Waer yesterday; 10 died.", "2017-02-08",
               ("al-Waer", WAER), ("yesterday", "2017-02-07"), 10),
        # The same district a week later: another incident.
        report("c", "Another army airstrike on al-Waer hit civilians.", "2017-02-14",
               ("al-Waer", WAER), ("Tuesday", "2017-02-14"), 4),
        # The next town on the same day: another incident.
        report("d", "An army airstrike on Talbiseh killed civilians.", "2017-02-07",
               ("Talbiseh", TALBISEH), ("Tuesday", "2017-02-07"), 3),
    ]  # fmt: skip


def two_in_one_article() -> DocumentRecord:
    d = Doc("e", "Army shelling hit Talbiseh last Monday. In Ar-Rastan, an army airstrike hit civilians.",
            published="2017-02-07")  # fmt: skip
    army = d.ent("Army", "ORG", attrs={"actor_type": "State forces"})
    civilians = d.ent("civilians", "PER", attrs={"actor_type": "Civilians"})
    talbiseh, rastan = d.ent("Talbiseh", "GPE", normalized=TALBISEH), d.ent("Ar-Rastan", "GPE", normalized=RASTAN)
    monday = EventDate("2017-01-30", "day", "last Monday")
    shelling = {"attack_mode": "shelling_artillery_missile"}
    d.event("shelling", "Conflict.Attack", [("Attacker", army), ("Place", talbiseh)], attrs=shelling, date=monday)
    roles = [("Attacker", army), ("Target", civilians), ("Place", rastan)]
    d.event("airstrike", "Conflict.Attack", roles, attrs={"attack_mode": "air_drone_strike"}, date=monday)
    return d.record()


@pytest.fixture
def service(db: Database, schema: Schema) -> IncidentService:
    store(db, [*reports(), two_in_one_article()], annotator=MODEL)
    service = IncidentService(db, schema)
    service.suggest()
    return service


def test_linking_reports_its_three_steps(db: Database, schema: Schema) -> None:
    from tests.services.test_export import RecordingProgress

    store(db, reports(), annotator=MODEL)
    progress = RecordingProgress()
    IncidentService(db, schema).suggest(progress)
    assert progress.calls == [
        ("start", 3),
        ("advance", "reports read"),
        ("advance", "reports linked"),
        ("advance", "suggestions stored"),
        ("finish", None),
    ]
    assert progress.done == 3


def test_links_are_suggested_again_only_when_the_models_events_changed(db: Database, schema: Schema) -> None:
    service = IncidentService(db, schema)
    store(db, reports()[:2], annotator=MODEL)
    assert service.suggestions_stale()
    service.ensure_suggestions()
    assert not service.suggestions_stale() and len(service.incidents(MODEL)) == 1  # a and b linked
    store(db, reports()[2:], annotator=MODEL)  # a new import
    assert service.suggestions_stale()
    service.ensure_suggestions()
    assert not service.suggestions_stale() and len(service.incidents(MODEL)) == 3


def test_incidents_are_named_by_their_first_report_and_twins_numbered(db: Database, schema: Schema) -> None:
    d = Doc("twin", "Rebels shelled Homs; rebels shelled Hama.", published="2017-02-07")
    d.event("shelled", "Conflict.Attack", [])
    d.event("shelled", "Conflict.Attack", [])  # a second report on the same trigger
    d.event("shelled", "Conflict.Attack", [], nth=1)
    store(db, [d.record()], annotator=MODEL)
    ids = {i.id for i in IncidentService(db, schema).incidents(MODEL)}
    second = d.text.index("shelled", 8)
    assert ids == {"twin@7", "twin@7.2", f"twin@{second}"}


def by_doc(incidents: list[Incident]) -> dict[str, list[str]]:
    return {i.id: sorted(m.doc_id for m in i.members) for i in incidents}


def test_the_same_incident_in_two_articles_is_linked_and_near_misses_stay_apart(service: IncidentService) -> None:
    found = by_doc(service.incidents(MODEL))
    assert sorted(found.values()) == [["a", "b"], ["c"], ["d"], ["e"], ["e"]]
    linked = next(i for i in service.incidents(MODEL) if len(i.members) == 2)
    assert linked.status == "suggested" and linked.score is not None and linked.score >= 0.5
    assert "same place: Homs - Al Waer" in linked.reasons and "same day: 2017-02-07" in linked.reasons
    # One incident, counted once, with the reports reconciled: ACLED's lowest credible figure.
    assert (linked.fatalities.best, linked.fatalities.low, linked.fatalities.high) == (9, 9, 10)
    assert (linked.event_type.value, linked.sub_event_type.value) == ("Explosions/Remote violence", "Air/drone strike")
    assert linked.date.value == "2017-02-07" and linked.place is not None and linked.place.geo_precision == 1
    assert linked.sources == ("Outlet a", "Outlet b")
    assert linked.id == "a@9"  # the first report's document and trigger offset


def test_linking_is_vetoed_by_place_and_date(schema: Schema, db: Database) -> None:
    from annotator.services.linking import pair

    store(db, reports(), annotator=MODEL)
    service = IncidentService(db, schema)
    with db.reader() as session:
        from annotator.services.incident_reports import load_reports, report_ids

        data = load_reports(session, report_ids(session, MODEL, service.types), schema, service.geocoder)
    a, b, c, d = (r.report for r in sorted(data.values(), key=lambda r: r.member.doc_id))
    assert pair(a, b) is not None and pair(a, c) is None and pair(a, d) is None  # week apart, next town
    assert pair(a, c, window=7) is not None  # the window decides how far apart one incident may be dated


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ([Fatalities(value=9, low=9, qualifier="at_least"), Fatalities(value=9, qualifier="exact"),
          Fatalities(value=26, low=26, high=26)], (9, 9, 26)),
        ([Fatalities(value=12, qualifier="vague", text="dozens"), Fatalities(value=15, low=15, high=15)], (12, 12, 15)),
        ([Fatalities(value=None, high=5, qualifier="at_most"), Fatalities(value=3, low=3, high=3)], (3, 3, 5)),
        ([None, Fatalities(text="casualties")], (0, 0, 0)),
    ],
)  # fmt: skip
def test_fatalities_reconciled_by_acleds_rule(figures: list[Fatalities | None], expected: tuple[int, int, int]) -> None:
    estimate = reconcile(list(enumerate(figures, 1)))
    assert (estimate.best, estimate.low, estimate.high) == expected


def test_the_fatality_rule_names_each_report_as_it_was_told() -> None:
    told = [
        Fatalities(value=9, low=9, qualifier="at_least"),
        Fatalities(value=11, low=10, high=12),
        Fatalities(value=None, high=5, qualifier="at_most"),
        Fatalities(value=20, qualifier="about"),
        Fatalities(value=7, low=7, high=7),
        Fatalities(text="casualties"),  # no number: not a report of a toll
    ]
    estimate = reconcile(list(enumerate(told, 1)))
    assert estimate.rule == "lowest credible report (at least 9, 10\u201312, at most 5, about 20, 7)"
    assert (estimate.best, estimate.high, [r.event_id for r in estimate.reports]) == (7, 20, [1, 2, 3, 4, 5])
    assert reconcile([(3, Fatalities(value=4))]).rule == "one report (4)"
    assert reconcile([(3, None)]).rule == "no report gives a death toll: 0, as ACLED codes it"


def test_confirm_split_merge_reject_and_undo(db: Database, schema: Schema, service: IncidentService) -> None:
    undo = EventService(db, schema)
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    assert linked.layer == MODEL  # alice has not decided yet: the model's suggestion
    confirmed = service.confirm("alice", linked)
    mine = next(i for i in service.incidents("alice") if i.id == linked.id)
    assert (mine.layer, mine.status, len(mine.members)) == ("alice", "accepted", 2)
    assert "same day: 2017-02-07" in mine.reasons  # confirmed, the link keeps why it was suggested
    assert (mine.score, mine.reasons) == (linked.score, linked.reasons) and mine.score is not None
    split = service.split("alice", mine, [mine.members[1].event_id])
    assert sorted(by_doc(service.incidents("alice")).values())[:2] == [["a"], ["b"]]
    undo.undo(split.history_id)  # type: ignore[arg-type]
    assert by_doc(service.incidents("alice"))[linked.id] == ["a", "b"]
    singles = [i for i in service.incidents("alice") if i.status == "single"]
    merged = service.merge("alice", singles[:2])
    [joined] = [i for i in service.incidents("alice") if len(i.members) == 2 and i.id != linked.id]
    assert (joined.status, joined.score, joined.reasons) == ("accepted", None, ())  # a person linked them: no score
    undo.undo(merged.history_id)  # type: ignore[arg-type]
    undo.undo(confirmed.history_id)  # type: ignore[arg-type]
    again = next(i for i in service.incidents("alice") if i.id == linked.id)
    assert (again.layer, again.status) == (MODEL, "suggested")
    service.reject("alice", again)
    assert all(len(i.members) == 1 for i in service.incidents("alice"))  # rejected: every report single again
    with pytest.raises(UserError, match="read-only"):
        service.confirm(MODEL, again)


def _own_rows(db: Database, layer: str) -> list[tuple[str, str, bool, int]]:
    """(origin, status, whether it names the suggestion it came from, reports) of a layer's stored incidents."""
    with db.reader() as session:
        aid = records.annotator_id(session, layer)
        rows = session.scalars(select(m.Incident).where(m.Incident.annotator_id == aid).order_by(m.Incident.id))
        return [(r.origin, r.status, r.source_id is not None, len(r.members)) for r in rows]


def test_what_a_decision_on_a_suggested_link_stores(db: Database, service: IncidentService) -> None:
    """Confirming keeps the link as the model's, accepted; a split is the person's own cut of it. Both name the
    suggestion they decided, so it is not offered again."""
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    service.confirm("alice", linked)
    assert _own_rows(db, "alice") == [("model", "accepted", True, 2)]
    linked_bob = next(i for i in service.incidents("bob") if i.id == linked.id)
    service.split("bob", linked_bob, [linked_bob.members[1].event_id])
    assert _own_rows(db, "bob") == [("human", "accepted", True, 1)]
    assert all(i.status != "suggested" for i in service.incidents("bob"))  # the split settled the suggestion
    single = next(i for i in service.incidents("carol") if i.status == "single")
    service.confirm("carol", single)  # a report confirmed as an incident of its own: no suggestion behind it
    assert _own_rows(db, "carol") == [("human", "accepted", False, 1)]


def test_a_rejected_suggestion_is_kept_with_its_score_and_reasons_as_evaluation_data(
    db: Database, service: IncidentService
) -> None:
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    assert linked.score is not None and linked.reasons
    service.reject("alice", linked)
    with db.reader() as session:
        aid = records.annotator_id(session, "alice")
        [row] = session.scalars(select(m.Incident).where(m.Incident.annotator_id == aid)).all()
        stored = (row.origin, row.status, row.score, tuple(row.reasons), row.source_id, len(row.attrs["events"]))
    assert stored == ("model", "rejected", linked.score, linked.reasons, linked.key, 2)
    assert all(len(i.members) == 1 for i in service.incidents("alice"))  # not offered again


def test_merging_own_incidents_moves_the_reports_and_a_split_keeps_the_rest_linked(service: IncidentService) -> None:
    """Alice confirms report c alone, then the a+b link; merged, one incident of three holds them all."""
    single_c = next(i for i in service.incidents("alice") if [x.doc_id for x in i.members] == ["c"])
    service.confirm("alice", single_c)
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    service.confirm("alice", linked)
    own = [i for i in service.incidents("alice") if i.status == "accepted"]
    assert sorted(by_doc(own).values()) == [["a", "b"], ["c"]]
    merged = next(i for i in own if len(i.members) == 2)
    service.merge("alice", [merged, next(i for i in own if i is not merged)])
    own = [i for i in service.incidents("alice") if i.status == "accepted"]
    assert [sorted(x.doc_id for x in i.members) for i in own] == [["a", "b", "c"]]  # c left its own incident
    (three,) = own
    service.split("alice", three, [x.event_id for x in three.members if x.doc_id == "c"])
    own = [i for i in service.incidents("alice") if i.status == "accepted"]
    assert [sorted(x.doc_id for x in i.members) for i in own] == [["a", "b"]]  # the reports not split off stay


def test_undoing_an_event_deletion_gives_the_event_back_its_incident(
    db: Database, schema: Schema, service: IncidentService
) -> None:
    events = EventService(db, schema)
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    service.confirm("alice", linked)
    mine = next(i for i in service.incidents("alice") if i.id == linked.id)
    gone = mine.members[1]
    deleted = events.delete_event(gone.document_id, "alice", [gone.event_id])
    assert by_doc(service.incidents("alice"))[linked.id] == ["a"]  # the report left its incident with it
    events.undo(deleted.history_id)  # type: ignore[arg-type]
    back = next(i for i in service.incidents("alice") if i.id == linked.id)
    assert (back.status, [m.event_id for m in back.members]) == ("accepted", [m.event_id for m in mine.members])
    events.redo(deleted.history_id)  # type: ignore[arg-type]
    assert by_doc(service.incidents("alice"))[linked.id] == ["a"]


def test_one_incident_with_its_sentences_and_the_export_numbering(service: IncidentService) -> None:
    from annotator.services.incident_reports import sentence_around

    linked = next(i for i in service.incidents(MODEL) if len(i.members) == 2)
    detail = service.incident(MODEL, linked.id)
    assert detail is not None and detail.id == linked.id
    assert {x.doc_id: x.sentence for x in detail.members} == {
        "a": "The army airstrike on al-Waer killed 9 civilians today.",
        "b": "An army airstrike hit civilians in al-Waer yesterday; 10 died.",
    }
    assert service.incident(MODEL, "no-such-incident") is None
    listed = {i.id: i for i in service.incidents(MODEL, with_sentences=True)}
    assert listed[linked.id].members == detail.members  # the list shows the same sentences as the detail
    assert all(x.sentence for i in listed.values() for x in i.members)
    assert {x.sentence for x in linked.members} == {""}  # not read unless asked for
    refs = service.export_refs([linked])
    assert sorted(refs.values()) == [("a", "EV1"), ("b", "EV1")]
    in_e = [i for i in service.incidents(MODEL) if {x.doc_id for x in i.members} == {"e"}]
    shelling = next(i for i in in_e if i.members[0].trigger_start < 20)  # "shelling" comes first in the text
    airstrike = next(i for i in in_e if i is not shelling)
    said = {i.id: [x.sentence for x in (service.incident(MODEL, i.id) or i).members] for i in (shelling, airstrike)}
    assert said == {  # each report in its own sentence of the one article
        shelling.id: ["Army shelling hit Talbiseh last Monday."],
        airstrike.id: ["In Ar-Rastan, an army airstrike hit civilians."],
    }
    # Every event of the article is numbered in text order, as the native export numbers them.
    assert service.export_refs([airstrike]) == {
        shelling.event_ids[0]: ("e", "EV1"),
        airstrike.event_ids[0]: ("e", "EV2"),
    }

    text = "First line here\nThe army shelled Homs. Nine died! Then? Quiet.\n"
    homs = text.index("shelled")
    assert sentence_around(text, homs, homs + 7) == "The army shelled Homs."
    nine = text.index("Nine")
    assert sentence_around(text, nine, nine + 4) == "Nine died!"
    assert sentence_around(text, 0, 5) == "First line here"
    assert sentence_around("no end  in   sight", 3, 6) == "no end in sight"


def test_incident_edits_are_named_and_bad_choices_refused(
    db: Database, schema: Schema, service: IncidentService
) -> None:
    linked = next(i for i in service.incidents("alice") if len(i.members) == 2)
    singles = [i for i in service.incidents("alice") if i.status == "single"]
    with pytest.raises(UserError, match=r"^a single report is not a link: there is nothing to reject$"):
        service.reject("alice", singles[0])
    with pytest.raises(UserError, match=r"^choose two or more incidents to merge$"):
        service.merge("alice", singles[:1])
    for leaving in ([], linked.event_ids):
        with pytest.raises(UserError, match=r"^choose some, but not all, of the incident's reports to split off$"):
            service.split("alice", linked, leaving)
    service.confirm("alice", linked)
    mine = next(i for i in service.incidents("alice") if i.id == linked.id)
    service.split("alice", mine, [mine.event_ids[0]])
    service.merge("alice", singles[:3])
    merged = next(i for i in service.incidents("alice") if len(i.members) == 3)
    assert merged.status == "accepted" and merged.layer == "alice"
    service.reject("alice", merged)  # an own incident is dissolved
    assert all(len(i.members) == 1 for i in service.incidents("alice") if i.id != linked.id)
    with db.reader() as session:
        stack = history.stack(session, None, records.annotator_id(session, "alice"))
    assert [(h.operation, h.description) for h in stack] == [
        ("confirm_incident", "Confirm incident of 2 report(s)"),
        ("split_incident", "Split 1 report(s) off an incident"),
        ("merge_incidents", "Merge 3 incidents"),
        ("reject_incident", "Dissolve incident"),
    ]


def test_a_reviewed_export_links_reports_only_as_a_person_confirmed(
    db: Database, schema: Schema, service: IncidentService, tmp_path
) -> None:
    import json

    from annotator.core.dto import Status
    from annotator.services.export import export_dataset

    events = EventService(db, schema)
    for doc in (1, 2):  # alice accepts both air strike reports, but not yet the model's link between them
        view = events.open_document(doc, "alice")
        events.set_event_status(doc, "alice", [ev.id for ev in view.events], Status.ACCEPTED)

    def linked(include_suggestions: bool) -> list[tuple[str, list[str]]]:
        out = tmp_path / f"out-{include_suggestions}"
        export_dataset(db, schema, "jsonl", out, layer="alice", include_suggestions=include_suggestions)
        lines = [json.loads(x) for x in (out / "incidents.jsonl").read_text(encoding="utf-8").splitlines()]
        return [(x["status"], sorted(e["doc_id"] for e in x["events"])) for x in lines if len(x["events"]) > 1]

    assert linked(include_suggestions=False) == []
    assert linked(include_suggestions=True) == [("suggested", ["a", "b"])]
