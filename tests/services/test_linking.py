"""Linking event mentions into incidents: each piece of evidence's weight and reason, the vetoes, the clusters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from annotator.core.incidents import Place
from annotator.services.linking import Actor, Report, compatible, link, pair

HOMS = Place("Homs", place_id="SY-homs", place_type="city")
WAER = Place("Homs - Al Waer", place_id="SY-homs-al-waer", parent="SY-homs", place_type="district")
BAB_AMR = Place("Homs - Bab Amr", place_id="SY-homs-bab-amr", parent="SY-homs", place_type="district")
ARMY = Actor("army", "Military Forces of Syria", "State forces")
REBELS = Actor("fsa", "Free Syrian Army", "Rebel group")
ISIS = Actor("isis", "Islamic State", "Rebel group")


def rep(event_id: int, document_id: int | None = None, **fields: Any) -> Report:
    """A report with nothing but its type; each test adds the evidence it is about."""
    base = Report(
        event_id=event_id, document_id=event_id if document_id is None else document_id, type="Conflict.Attack",
        attack_mode="unspecified", trigger_start=0, start=None, end=None, date_value=None, precision=None,
        fallback=False, place=None, side1=(), side2=(), value=None, low=None, high=None, entities=frozenset(),
    )  # fmt: skip
    return replace(base, **fields)


def day(iso: str) -> dict[str, Any]:
    start = date.fromisoformat(iso)
    return {"start": start, "end": date.fromordinal(start.toordinal() + 1), "date_value": iso, "precision": "day"}


def month(year: int, number: int) -> dict[str, Any]:
    end = date(year + number // 12, number % 12 + 1, 1)
    return {"start": date(year, number, 1), "end": end, "date_value": f"{year}-{number:02}", "precision": "month"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("Conflict.Attack", "shelling"), ("Conflict.Attack", "shelling"), "same type and attack mode"),
        (("Conflict.Attack", "shelling"), ("Conflict.Attack", "air_drone_strike"), "attacks of two modes"),
        (("Conflict.Attack", "shelling"), ("Conflict.Attack", "unspecified"), "same type"),
        (("Conflict.Attack", "unspecified"), ("Conflict.Attack", "shelling"), "same type"),
        (("Life.Die", ""), ("Life.Die", ""), "same type"),
        (("Conflict.Attack", ""), ("Life.Die", ""), "an attack and what it did"),
        (("Life.Injure", ""), ("Justice.Execute", ""), "an attack and what it did"),
        (("Life.Die", ""), ("X.Artifact.DamageDestroy", ""), "an attack and what it did"),
        (("X.Conflict.ChangeOfControl", ""), ("Conflict.Attack", ""), "fighting for territory"),
        (("Conflict.Attack", ""), ("Justice.Execute", ""), None),  # two kinds of violence, neither a consequence
        (("Conflict.Attack", ""), ("Movement.Transport", ""), None),
        (("Life.Die", ""), ("Contact.Meet", ""), None),
    ],
)
def test_which_types_can_report_one_event(a: tuple[str, str], b: tuple[str, str], expected: str | None) -> None:
    first, second = rep(1, type=a[0], attack_mode=a[1]), rep(2, type=b[0], attack_mode=b[1])
    assert compatible(first, second) == expected
    assert compatible(second, first) == expected


def test_each_piece_of_evidence_adds_its_weight_and_says_why() -> None:
    a = rep(1, attack_mode="shelling")
    assert pair(a, rep(2, attack_mode="shelling")) == (0.3, ["same type and attack mode"])
    assert pair(a, rep(2, attack_mode="air_drone_strike")) == (0.2, ["attacks of two modes"])
    assert pair(a, rep(2, type="Life.Die")) == (0.2, ["an attack and what it did"])
    a, b = replace(a, place=WAER, **day("2017-02-07")), rep(2, place=WAER, **day("2017-02-07"))
    assert pair(a, b) == (0.85, ["same type", "same place: Homs - Al Waer", "same day: 2017-02-07"])
    assert pair(a, replace(b, place=HOMS)) == (0.75, ["same type", "Homs - Al Waer is in Homs", "same day: 2017-02-07"])
    assert pair(replace(a, place=HOMS), b) == (0.75, ["same type", "Homs - Al Waer is in Homs", "same day: 2017-02-07"])
    assert pair(a, replace(b, place=BAB_AMR)) is None  # two districts: never one event
    assert pair(a, replace(b, place=None)) == (0.55, ["same type", "same day: 2017-02-07"])


def test_shared_actors_count_up_to_two() -> None:
    a = rep(1, side1=(ARMY, REBELS, ISIS))
    assert pair(a, rep(2, side2=(ARMY,))) == (0.4, ["same type", "shared actors: Military Forces of Syria"])
    both = pair(a, rep(2, side1=(REBELS,), side2=(ARMY,)))
    assert both == (0.5, ["same type", "shared actors: Free Syrian Army, Military Forces of Syria"])
    assert pair(a, rep(2, side1=(ISIS, REBELS, ARMY))) == (
        0.5,
        ["same type", "shared actors: Free Syrian Army, Islamic State, Military Forces of Syria"],
    )
    renamed = Actor("army", "Syrian Arab Army", "State forces")  # the key decides, not the name
    assert pair(rep(1, side1=(ARMY,)), rep(2, side1=(renamed,))) == (
        0.4,
        ["same type", "shared actors: Military Forces of Syria"],
    )
    assert pair(a, rep(2, side1=(Actor("ypg", "YPG", "Rebel group"),))) == (0.3, ["same type"])


@pytest.mark.parametrize(
    ("b", "expected"),
    [
        ("2017-02-08", (0.4, ["same type", "dates 1 day(s) apart"])),
        ("2017-02-06", (0.4, ["same type", "dates 1 day(s) apart"])),
        ("2017-02-09", None),
        ("2017-02-05", None),
    ],
)
def test_dates_a_day_apart_link_two_days_apart_veto(b: str, expected: object) -> None:
    assert pair(rep(1, **day("2017-02-07")), rep(2, **day(b))) == expected


def test_the_window_widens_how_far_apart_reports_may_be_dated() -> None:
    a, b = rep(1, **day("2017-02-07")), rep(2, **day("2017-02-09"))
    assert pair(a, b, window=2) == (0.4, ["same type", "dates 2 day(s) apart"])
    assert pair(a, rep(2, **day("2017-02-10")), window=2) is None
    # In one article two dates a day apart are two events: the window is for different outlets.
    assert pair(a, rep(2, document_id=1, **day("2017-02-08"))) is None
    assert pair(a, rep(2, document_id=1, trigger_start=500, **day("2017-02-07"))) == (
        0.7,
        ["same type", "same day: 2017-02-07", "in the same article"],
    )


def test_a_coarse_date_overlapping_a_day_is_weak_evidence() -> None:
    assert pair(rep(1, **month(2017, 2)), rep(2, **day("2017-02-28"))) == (0.4, ["same type", "overlapping dates"])
    assert pair(rep(1, **month(2017, 2)), rep(2, **day("2017-03-01"))) == (0.4, ["same type", "dates 1 day(s) apart"])
    assert pair(rep(1, **month(2017, 2)), rep(2, **month(2017, 2))) == (0.4, ["same type", "overlapping dates"])
    assert pair(rep(1, **month(2017, 2)), rep(2, **day("2017-03-02"))) is None
    assert pair(rep(1, **day("2017-02-07")), rep(2)) == (0.3, ["same type"])  # undated: no evidence either way


@pytest.mark.parametrize(
    ("b", "linked"),
    [("2017-02-13", True), ("2017-02-09", True), ("2017-02-08", False), ("2017-02-17", True), ("2017-02-18", False)],
)
def test_a_publication_date_only_rules_out_events_long_before_or_after(b: str, linked: bool) -> None:
    # Published on the 13th without a date of its own: anything from the 9th to the 17th may be the event
    # (three days of fallback plus the one-day window, either side of the day it covers).
    undated = rep(1, fallback=True, **day("2017-02-13"))
    for first, second in ((undated, rep(2, **day(b))), (rep(2, **day(b)), undated)):
        assert pair(first, second) == ((0.3, ["same type"]) if linked else None)


@pytest.mark.parametrize(
    ("a", "b", "weight", "reason"),
    [
        ((9, None, None), (10, None, None), 0.1, "death tolls agree (9 and 10)"),
        ((8, None, None), (10, None, None), 0.1, "death tolls agree (8 and 10)"),  # within a fifth
        ((10, None, None), (8, None, None), 0.1, "death tolls agree (10 and 8)"),
        ((7, None, None), (10, None, None), 0.0, None),  # neither agrees nor differs much
        ((9, 9, 9), (10, 10, 10), 0.0, None),  # two exact counts that differ do not agree
        ((9, 9, 10), (10, 10, 10), 0.1, "death tolls agree (9 and 10)"),  # 10 is within "9 to 10"
        ((10, 10, 10), (9, 9, 10), 0.1, "death tolls agree (10 and 9)"),
        ((9, 9, 10), (11, 11, 11), 0.0, None),
        ((11, 11, 11), (9, 9, 10), 0.0, None),  # 11 is beyond "9 to 10", whichever report says it
        ((5, None, None), (11, None, None), -0.1, "death tolls differ (5 and 11)"),
        ((11, None, None), (5, None, None), -0.1, "death tolls differ (11 and 5)"),
        ((5, None, None), (10, None, None), 0.0, None),  # twice as many is not yet a contradiction
        ((0, None, None), (10, None, None), 0.0, None),  # "no one died" next to a toll says nothing here
        ((None, None, None), (10, None, None), 0.0, None),
    ],
)
def test_death_tolls_agree_or_differ(
    a: tuple[int | None, int | None, int | None], b: tuple[int | None, int | None, int | None],
    weight: float, reason: str | None,
) -> None:  # fmt: skip
    first = rep(1, value=a[0], low=a[1], high=a[2])
    second = rep(2, value=b[0], low=b[1], high=b[2])
    assert pair(first, second) == (round(0.3 + weight, 2), ["same type"] + ([reason] if reason else []))


def test_one_article_adds_weight_for_shared_fillers_or_a_close_passage() -> None:
    a = rep(1, document_id=7, trigger_start=100, entities=frozenset({4, 5}))
    assert pair(a, rep(2, document_id=7, trigger_start=900, entities=frozenset({5}))) == (
        0.55,
        ["same type", "in the same article", "they share role fillers"],
    )
    assert pair(a, rep(2, document_id=7, trigger_start=300)) == (
        0.55,
        ["same type", "in the same article", "told in the same passage"],
    )
    assert pair(a, rep(2, document_id=7, trigger_start=301)) == (0.45, ["same type", "in the same article"])
    assert pair(rep(2, document_id=7, trigger_start=301), a) == (0.45, ["same type", "in the same article"])


def test_the_score_never_exceeds_one() -> None:
    full = {"place": WAER, "side1": (ARMY, REBELS), "value": 9, "entities": frozenset({1}), **day("2017-02-07")}
    score, reasons = pair(rep(1, document_id=1, **full), rep(2, document_id=1, **full)) or (0.0, [])
    assert score == 1.0 and len(reasons) == 7


def test_every_report_is_in_one_cluster_in_the_order_of_its_first_report() -> None:
    later = rep(1, place=WAER, **day("2017-03-01"))
    first = rep(2, place=HOMS, **day("2017-02-07"))
    joined = rep(3, place=HOMS, **day("2017-02-07"))
    undated = rep(4, place=WAER)
    clusters = link([undated, later, joined, first])
    assert [c.event_ids for c in clusters] == [(2, 3), (1,), (4,)]
    assert clusters[0].score == 0.85
    assert clusters[0].reasons == ("same type", "same place: Homs", "same day: 2017-02-07")
    assert (clusters[1].score, clusters[1].reasons) == (None, ())


def test_a_pair_at_the_threshold_is_linked() -> None:
    # Same type 0.3, one place in the other 0.2; a publication date adds nothing.
    a = rep(1, place=WAER, fallback=True, **day("2017-02-07"))
    b = rep(2, place=HOMS, fallback=True, **day("2017-02-07"))
    assert [c.event_ids for c in link([a, b])] == [(1, 2)]
    assert [c.event_ids for c in link([a, b], threshold=0.51)] == [(1,), (2,)]
    assert link([a, b])[0].score == 0.5


def test_a_city_does_not_chain_two_of_its_districts_together() -> None:
    when = day("2017-02-07")
    waer = rep(1, place=WAER, side1=(ARMY,), **when)
    homs = rep(2, place=HOMS, side1=(ARMY,), **when)
    bab_amr = rep(3, place=BAB_AMR, **when)
    clusters = link([waer, homs, bab_amr])
    # Homs–al-Waer (0.85, a shared actor) is stronger than Homs–Bab Amr (0.75); Bab Amr then stays apart.
    assert [c.event_ids for c in clusters] == [(1, 2), (3,)]
    assert clusters[0].score == 0.85


def test_the_weakest_link_scores_a_cluster_and_reasons_are_kept_once() -> None:
    when = day("2017-02-07")
    a = rep(1, place=WAER, side1=(ARMY,), **when)
    b = rep(2, place=WAER, side1=(ARMY,), **when)
    c = rep(3, place=HOMS, **when)
    (cluster,) = link([c, b, a])
    assert cluster.event_ids == (1, 2, 3)
    assert cluster.score == 0.75
    assert cluster.reasons == (
        "same type",
        "same place: Homs - Al Waer",
        "same day: 2017-02-07",
        "shared actors: Military Forces of Syria",
        "Homs - Al Waer is in Homs",
    )


def test_two_clusters_merge_only_when_no_members_veto_each_other() -> None:
    when = day("2017-02-07")
    a, b = rep(1, place=WAER, side1=(ARMY,), **when), rep(2, place=WAER, side1=(ARMY,), **when)
    c, d = rep(3, place=HOMS, side1=(REBELS,), **when), rep(4, place=HOMS, side1=(REBELS,), **when)
    assert [x.event_ids for x in link([a, b, c, d])] == [(1, 2, 3, 4)]  # al-Waer is in Homs: all one
    e = rep(5, place=BAB_AMR, side1=(REBELS,), **when)
    clusters = link([a, b, c, d, e])
    assert sorted(x.event_ids for x in clusters) == [(1, 2), (3, 4, 5)]  # Bab Amr vetoes al-Waer


def test_a_coarse_date_links_to_a_day_at_its_end() -> None:
    a = rep(1, place=WAER, **month(2017, 1))
    b = rep(2, place=WAER, side1=(ARMY,), **day("2017-01-31"))
    c = rep(3, place=WAER, side1=(ARMY,), **day("2017-01-31"))
    assert [x.event_ids for x in link([a, b, c])] == [(1, 2, 3)]


def test_undated_reports_link_only_within_their_article() -> None:
    same = [rep(1, document_id=1, place=WAER), rep(2, document_id=1, trigger_start=50, place=WAER)]
    assert [c.event_ids for c in link(same)] == [(1, 2)]
    apart = [rep(1, document_id=1, place=WAER), rep(2, document_id=2, place=WAER, side1=(ARMY,))]
    assert [c.event_ids for c in link(apart)] == [(1,), (2,)]


def test_the_window_is_passed_on_to_every_pair() -> None:
    a, b = rep(1, place=WAER, **day("2017-02-07")), rep(2, place=WAER, **day("2017-02-09"))
    assert [c.event_ids for c in link([a, b])] == [(1,), (2,)]
    assert [c.event_ids for c in link([a, b], window=2)] == [(1, 2)]


def test_a_veto_is_checked_even_between_reports_never_compared() -> None:
    # An undated report joins the dated one of its own article; the other article's report, in another
    # district, was never compared with it (undated, another article) and must still keep apart.
    undated = rep(1, document_id=1, place=WAER)
    dated = rep(2, document_id=1, trigger_start=50, place=HOMS, **day("2017-02-07"))
    other = rep(3, document_id=2, place=BAB_AMR, **day("2017-02-07"))
    assert [c.event_ids for c in link([undated, dated, other])] == [(2, 1), (3,)]
    assert link([]) == []
