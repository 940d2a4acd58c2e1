"""Linking's pure functions: exact pair scores and reasons, one-article rules, vetoes, death tolls, clusters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from annotator.core.incidents import Place
from annotator.services.linking import Actor, Report, link, pair

HOMS = Place("Homs", place_id="homs")
ALEPPO = Place("Aleppo", place_id="aleppo")
ARMY = Actor("army", "Syrian Army", "1")


def report(event_id: int, document_id: int = 1, **changes: object) -> Report:
    base = Report(
        event_id=event_id,
        document_id=document_id,
        type="Conflict.Attack",
        attack_mode="unspecified",
        trigger_start=0,
        start=date(2016, 3, 1),
        end=date(2016, 3, 2),
        date_value="2016-03-01",
        precision="day",
        fallback=False,
        place=HOMS,
        side1=(ARMY,),
        side2=(),
        value=None,
        low=None,
        high=None,
        entities=frozenset(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_two_articles_same_day_place_and_actor_add_up_exactly() -> None:
    found = pair(report(1, 1), report(2, 2))
    assert found == (
        0.95,
        ["same type", "same place: Homs", "same day: 2016-03-01", "shared actors: Syrian Army"],
    )


def test_same_passage_of_one_article_scores_the_article_and_closeness() -> None:
    score, reasons = pair(report(1, 1, side1=()), report(2, 1, side1=(), trigger_start=200)) or (0, [])
    assert score == 1.0 and reasons[-2:] == ["in the same article", "told in the same passage"]
    score, reasons = pair(report(1, 1, side1=(), place=None), report(2, 1, side1=(), trigger_start=201)) or (0, [])
    assert score == 0.7 and reasons[-1] == "in the same article"


def test_vetoes_on_type_place_and_date() -> None:
    assert pair(report(1), report(2, 2, type="Movement.Transport")) is None
    assert pair(report(1), report(2, 2, place=ALEPPO)) is None
    far = report(2, 2, start=date(2016, 3, 3), end=date(2016, 3, 4))
    assert pair(report(1), far) is None
    near = report(2, 2, start=date(2016, 3, 2), end=date(2016, 3, 3))
    assert pair(report(1), near) == (
        0.8,
        ["same type", "same place: Homs", "dates 1 day(s) apart", "shared actors: Syrian Army"],
    )


def test_death_tolls_that_agree_or_differ_move_the_score() -> None:
    agree = pair(report(1, value=10), report(2, 2, value=9))
    assert agree is not None and agree[1][-1] == "death tolls agree (10 and 9)"
    differ = pair(report(1, value=10), report(2, 2, value=30))
    assert differ is not None and differ == (0.85, differ[1]) and differ[1][-1] == "death tolls differ (10 and 30)"


def test_clusters_never_chain_two_vetoed_reports_through_a_third() -> None:
    a = report(1, 1, place=None)
    b = report(2, 2, place=HOMS)
    c = report(3, 3, place=ALEPPO)
    clusters = link([c, b, a])
    assert sorted(sorted(x.event_ids) for x in clusters) in ([[1, 2], [3]], [[1, 3], [2]])
    single = next(x for x in clusters if len(x.event_ids) == 1)
    assert single.score is None and single.reasons == ()
