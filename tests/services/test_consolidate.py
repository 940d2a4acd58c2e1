"""One incident from its reports: the ACLED type by hierarchy, the date, the place, the actors, the death toll."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from annotator.core.dto import Fatalities
from annotator.core.incidents import Incident, Member, Place
from annotator.services.consolidate import ReportData, consolidate, reconcile
from annotator.services.linking import Actor, Report

WAER = Place("Homs - Al Waer", 34.73, 36.68, place_id="SY-homs-al-waer", place_type="district", parent="SY-homs")
HOMS = Place("Homs", 34.73, 36.71, place_id="SY-homs", place_type="city")
GOVERNORATE = Place("Homs Governorate", 34.5, 37.5, place_id="SY-homs-gov", place_type="governorate")
ARMY = Actor("army", "Military Forces of Syria", "State forces")
POLICE = Actor("police", "Police Forces of Syria", "State forces")
REBELS = Actor("fsa", "Free Syrian Army", "Rebel group")
CIVILIANS = Actor("civ", "Civilians (Syria)", "Civilians")
GUNMEN = Actor("gunmen", "Unidentified Armed Group", "")
AIR = ("Explosions/Remote violence", "Air/drone strike")
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
DISORDER = {"Explosions/Remote violence": "Political violence", "Violence against civilians": "Political violence"}


def data(event_id: int, *, published: str | None = "2017-02-07", source: str = "", **fields: Any) -> ReportData:
    """A report of event `event_id` in document `d<event_id>`; keyword arguments set what a test is about."""
    when = fields.pop("when", None)
    dated = {}
    if when is not None:
        value, precision = when
        start = date.fromisoformat(value + "-01" * (2 - value.count("-")))
        dated = {"start": start, "end": start, "date_value": value, "precision": precision}
    report = Report(
        event_id=event_id, document_id=event_id, type=fields.pop("type", "Conflict.Attack"), attack_mode="",
        trigger_start=fields.pop("trigger_start", 0), start=None, end=None, date_value=None, precision=None,
        fallback=fields.pop("fallback", False), place=fields.pop("place", None), side1=fields.pop("side1", ()),
        side2=fields.pop("side2", ()), value=None, low=None, high=None, entities=frozenset(),
    )  # fmt: skip
    member = Member(
        event_id, event_id, f"d{event_id}", "", source, published, report.type, "", report.trigger_start, 0, "accepted"
    )
    return ReportData(
        replace(report, **dated),
        member,
        fields.pop("acled", AIR),
        fields.pop("fatalities", None),
        fields.pop("attribution", ""),
        fields.pop("has_instrument", False),
    )


def incident(*reports: ReportData) -> Incident:
    return consolidate(
        incident_id="d1@0", key=None, layer="alice", status="accepted", score=0.8, reasons=["same type"],
        data=reports, disorder=DISORDER,
    )  # fmt: skip


def exact(n: int) -> Fatalities:
    return Fatalities(value=n, low=n, high=n, qualifier="exact")


@pytest.mark.parametrize(
    ("figures", "expected", "rule"),
    [
        ([exact(9)], (9, 9, 9), "one report (9)"),
        ([Fatalities(value=9, low=9, qualifier="at_least"), exact(26)], (9, 9, 26),
         "lowest credible report (at least 9, 26)"),
        ([Fatalities(value=10, low=8, high=12), exact(11)], (8, 8, 12), "lowest credible report (8–12, 11)"),
        ([Fatalities(value=None, high=5, qualifier="at_most"), exact(3)], (3, 3, 5),
         "lowest credible report (at most 5, 3)"),
        ([Fatalities(value=20, qualifier="about"), exact(30)], (20, 20, 30), "lowest credible report (about 20, 30)"),
        ([Fatalities(value=12, qualifier="vague", text="dozens")], (12, 12, 12), "one report (12)"),
        ([Fatalities(value=None, low=7)], (7, 7, 7), "one report (7)"),
        ([None, Fatalities(text="casualties")], (0, 0, 0), "no report gives a death toll: 0, as ACLED codes it"),
    ],
)  # fmt: skip
def test_the_lowest_credible_figure_and_its_rule(
    figures: list[Fatalities | None], expected: tuple[int, int, int], rule: str
) -> None:
    estimate = reconcile(list(enumerate(figures, 1)))
    assert (estimate.best, estimate.low, estimate.high, estimate.rule) == (*expected, rule)


def test_every_report_with_a_figure_is_kept_with_its_event() -> None:
    estimate = reconcile([(4, None), (5, Fatalities(text="casualties")), (6, exact(3)), (7, Fatalities(high=5))])
    assert estimate.sources == (6, 7)
    assert [(r.value, r.low, r.high, r.qualifier) for r in estimate.reports] == [
        (3, 3, 3, "exact"),
        (None, None, 5, None),
    ]
    only_high = reconcile([(1, Fatalities(high=5, qualifier="at_most"))])
    assert (only_high.best, only_high.high, only_high.sources) == (0, 0, (1,))


def test_the_acled_hierarchy_chooses_the_type() -> None:
    found = incident(data(1, acled=SHELLING), data(2, acled=AIR), data(3, acled=SHELLING))
    assert (found.event_type.value, found.sub_event_type.value) == AIR
    assert found.sub_event_type.rule == "ACLED hierarchy: Air/drone strike over Shelling/artillery/missile attack"
    assert found.event_type.sources == found.sub_event_type.sources == (1, 2, 3)  # all three are explosions
    assert found.disorder_type == "Political violence"
    alone = incident(data(1, acled=SHELLING), data(2, acled=SHELLING))
    assert (alone.sub_event_type.value, alone.sub_event_type.rule) == (SHELLING[1], "the reports say so")
    mixed = incident(data(1, acled=("Violence against civilians", "Attack")), data(2, acled=AIR))
    assert mixed.event_type.value == AIR[0] and mixed.event_type.sources == (2,)


def test_what_an_attack_did_does_not_decide_its_type() -> None:
    died = data(1, type="Life.Die", acled=("Violence against civilians", "Attack"))
    found = incident(died, data(2, acled=SHELLING))
    assert (found.event_type.value, found.sub_event_type.value) == SHELLING
    only_deaths = incident(died)  # with nothing else, the consequence's own type stands
    assert only_deaths.sub_event_type.value == "Attack"


UNKNOWN_MODE = "the attack mode is unknown: choose it on the event card, or name both sides"


@pytest.mark.parametrize(
    ("side1", "side2", "expected", "rule"),
    [
        ((ARMY,), (CIVILIANS,), ("Violence against civilians", "Attack"),
         "civilians attacked, no weapon named: ACLED's Attack"),
        ((), (CIVILIANS,), ("Violence against civilians", "Attack"),
         "civilians attacked, no weapon named: ACLED's Attack"),
        ((ARMY,), (REBELS,), ("Battles", "Armed clash"), "two armed sides, no weapon named: Armed clash"),
        ((ARMY,), (), ("", ""), UNKNOWN_MODE),
        ((GUNMEN,), (REBELS,), ("", ""), UNKNOWN_MODE),
    ],
)  # fmt: skip
def test_an_attack_of_unknown_mode_is_typed_by_its_sides(
    side1: tuple[Actor, ...], side2: tuple[Actor, ...], expected: tuple[str, str], rule: str
) -> None:
    untyped = ("Explosions/Remote violence", "")
    found = incident(data(1, side1=side1, side2=side2, acled=untyped, place=HOMS, when=("2017-02-07", "day")))
    assert (found.event_type.value, found.sub_event_type.value, found.sub_event_type.rule) == (*expected, rule)
    assert found.problems == (() if expected[1] else (rule,))


def test_civilians_killed_by_an_armed_side_without_an_attack_is_violence_against_civilians() -> None:
    found = incident(data(1, type="Life.Die", side1=(ARMY,), side2=(CIVILIANS,), acled=None))
    assert (found.event_type.value, found.sub_event_type.value) == ("Violence against civilians", "Attack")
    assert found.civilian_targeting
    unknown = incident(
        data(1, type="Life.Die", side2=(CIVILIANS,), acled=None), data(2, type="Life.Injure", acled=None)
    )
    assert unknown.event_type.value == ""
    assert unknown.problems == (
        "no report says what happened (Life.Die, Life.Injure): link it to the attack or code one",
    )


def test_destruction_by_a_weapon_is_not_coded_as_looting() -> None:
    looting = ("Strategic developments", "Looting/property destruction")
    plain = incident(data(1, acled=looting, type="X.Artifact.DamageDestroy", place=HOMS, when=("2017-02-07", "day")))
    assert plain.sub_event_type.value == looting[1] and plain.problems == ()
    armed = incident(data(1, acled=looting, has_instrument=True, place=HOMS, when=("2017-02-07", "day")))
    problem = "destruction by a weapon is part of an attack: link it to the attack or code the attack"
    assert (armed.event_type.value, armed.sub_event_type.value, armed.sub_event_type.rule) == ("", "", problem)
    assert armed.problems == (problem,)


def test_the_most_precise_date_and_the_earliest_of_equals() -> None:
    found = incident(
        data(1, when=("2017-02", "month")), data(2, when=("2017-02-08", "day")), data(3, when=("2017-02-07", "day"))
    )
    assert (found.date.value, found.precision) == ("2017-02-07", "day")
    assert found.date.rule == "most precise date, the earliest of 2017-02-07, 2017-02-08"
    assert found.date.sources == (3,)
    same = incident(
        data(1, when=("2017-02-07", "day")), data(2, when=("2017-02-07", "day")), data(3, when=("2017", "year"))
    )
    assert (same.date.rule, same.date.sources) == ("most precise date", (1, 2))
    coarse = incident(data(1, when=("2017", "year")), data(2, when=("2017-02", "month")))
    assert (coarse.date.value, coarse.precision, coarse.date.sources) == ("2017-02", "month", (2,))
    weekly = incident(data(1, when=("2017-02", "month")), data(2, when=("2017-02-06", "week")))
    assert (weekly.date.value, weekly.precision, weekly.date.sources) == ("2017-02-06", "week", (2,))


def test_a_date_a_report_gives_wins_over_a_publication_date() -> None:
    given = data(2, published="2017-02-09", when=("2017-02", "month"))
    fallback = data(1, published="2017-02-08", when=("2017-02-08", "day"), fallback=True)
    found = incident(fallback, given)
    assert (found.date.value, found.precision, found.date.sources) == ("2017-02", "month", (2,))
    only = incident(fallback)
    assert (only.date.value, only.date.rule) == ("2017-02-08", "publication date of d1: no report gives a date")
    none = incident(data(1, place=HOMS))
    assert (none.date.value, none.date.sources, none.precision) == ("", (), "")
    assert none.date.rule == "no report dates it and no article has a publication date"
    assert "no date: set the article's publication date or date an event" in none.problems


def test_the_most_precise_place_and_the_others_reported() -> None:
    found = incident(data(1, place=GOVERNORATE), data(2, place=HOMS), data(3, place=WAER), data(4, place=WAER))
    assert (found.location.value, found.place) == ("Homs - Al Waer", WAER)
    assert found.location.sources == (3, 4)
    assert found.location.rule == "most precise place (also reported: Homs, Homs Governorate)"
    city = incident(data(1, place=GOVERNORATE), data(2, place=HOMS))
    assert city.place == HOMS
    near = incident(data(1, place=replace(WAER, near=True)), data(2, place=HOMS))
    assert near.place == HOMS  # "near al-Waer" says less than "in Homs"
    unplaced = replace(WAER, latitude=None, longitude=None, place_id="x")
    geocoded = incident(data(1, place=unplaced), data(2, place=WAER))
    assert geocoded.place == WAER  # of two equally precise places, the one with a point
    hand = incident(data(1, place=unplaced, when=("2017-02-07", "day")))
    assert hand.location.rule == "most precise place; not geocoded: geocode it by hand"
    assert hand.problems == ("no place below country level: add a place or geocode it by hand",)
    nowhere = incident(data(1, when=("2017-02-07", "day")))
    assert (nowhere.location.value, nowhere.location.rule, nowhere.place) == ("", "no report names a place", None)
    assert nowhere.problems == ("no place below country level: add a place or geocode it by hand",)


def test_the_most_reported_actor_with_a_category_leads_each_side() -> None:
    found = incident(
        data(1, side1=(GUNMEN,), side2=(CIVILIANS,)),
        data(2, side1=(GUNMEN, POLICE), side2=(CIVILIANS,)),
        data(3, side1=(ARMY, POLICE, GUNMEN)),
    )
    actors = found.actors
    # The gunmen are named most, but their category is unknown: the police lead, named twice.
    assert (actors.actor1.value, actors.actor1.sources, actors.actor1.rule) == (
        "Police Forces of Syria",
        (2, 3),
        "most reported",
    )
    assert actors.assoc_actor_1 == ("Military Forces of Syria", "Unidentified Armed Group")
    assert (actors.inter1, actors.inter2) == ("State forces", "Civilians")
    assert (actors.actor2.value, actors.actor2.sources, actors.actor2.rule) == ("Civilians (Syria)", (1, 2), "")
    assert actors.assoc_actor_2 == ()
    assert found.civilian_targeting
    renamed = incident(data(1, side1=(ARMY,)), data(2, side1=(Actor("army", "Syrian army", "State forces"),)))
    assert (renamed.actors.actor1.value, renamed.actors.actor1.sources, renamed.actors.actor1.rule) == (
        "Military Forces of Syria",
        (1, 2),
        "",
    )
    nobody = incident(data(1)).actors
    assert (nobody.actor1, nobody.assoc_actor_1, nobody.inter1) == (nobody.actor2, (), "")
    assert nobody.actor1.value == ""


def test_battles_are_not_civilian_targeting() -> None:
    clash = incident(data(1, side1=(ARMY,), side2=(CIVILIANS, REBELS), acled=("Battles", "Armed clash")))
    assert clash.actors.inter2 == "Civilians" and not clash.civilian_targeting
    strike = incident(data(1, side1=(ARMY,), side2=(REBELS,)))
    assert not strike.civilian_targeting


def test_reports_in_publication_order_and_every_source_named_once() -> None:
    late = data(1, published="2017-02-09", source="SANA", attribution="activists")
    early = data(2, published="2017-02-07", source="", attribution="the Observatory")
    same_day = data(3, published="2017-02-07", source="SANA", trigger_start=5)
    first_in_article = data(4, published="2017-02-07", source="AFP")
    found = incident(late, early, same_day, first_in_article)
    assert [m.event_id for m in found.members] == [2, 3, 4, 1]
    assert found.sources == ("d2", "SANA", "AFP", "the Observatory", "activists")
    assert found.fatalities.best == 0 and found.fatalities.rule.startswith("no report gives")
    assert (found.id, found.layer, found.status, found.score, found.reasons) == (
        "d1@0",
        "alice",
        "accepted",
        0.8,
        ("same type",),
    )


def test_fatalities_are_reconciled_over_the_members() -> None:
    found = incident(data(1, fatalities=exact(10)), data(2, fatalities=exact(9)))
    assert (found.fatalities.best, found.fatalities.high, found.fatalities.sources) == (9, 10, (1, 2))
