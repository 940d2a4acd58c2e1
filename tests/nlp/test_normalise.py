"""Counts and dates: ACLED's fatality coding (ACLED Codebook, Fatalities) and date resolution with precision."""

from __future__ import annotations

import pytest

from annotator.core.schema import Schema
from annotator.nlp.normalise import Count, CountReader, ResolvedDate, is_duration, resolve_date


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("at least nine civilians", Count(9, low=9, qualifier="at_least")),
        ("nine", Count(9, 9, 9, "exact")),
        ("9 civilians", Count(9, 9, 9, "exact")),
        ("75,000", Count(75000, 75000, 75000, "exact")),
        ("An estimated 75,000", Count(75000, qualifier="about")),
        ("two dozen", Count(24, 24, 24, "exact")),
        ("a dozen", Count(12, 12, 12, "exact")),
        ("twenty-three", Count(23, 23, 23, "exact")),
        ("two hundred and fifty", Count(250, 250, 250, "exact")),
        ("1.5 million", Count(1_500_000, 1_500_000, 1_500_000, "exact")),
        ("two thousand five hundred", Count(2500, 2500, 2500, "exact")),
        ("three hundred thousand", Count(300_000, 300_000, 300_000, "exact")),
        ("one hundred and twenty thousand", Count(120_000, 120_000, 120_000, "exact")),
        ("two million three hundred thousand", Count(2_300_000, 2_300_000, 2_300_000, "exact")),
        ("a thousand", Count(1000, 1000, 1000, "exact")),
        ("at least two thousand people", Count(2000, low=2000, qualifier="at_least")),
        ("nine thousand or ten thousand", Count(9000, 9000, 10_000)),
        ("more than 1,400", Count(1400, low=1400, qualifier="at_least")),
        ("up to 10", Count(None, high=10, qualifier="at_most")),
        ("between 10 and 15", Count(10, 10, 15)),
        ("nine or ten", Count(9, 9, 10)),
        ("dozen", Count(12, 12, 12, "exact")),
        ("30 a day", Count(30, 30, 30, "exact")),
        ("nine or", Count(9, 9, 9, "exact")),
        ("dozens", Count(12, qualifier="vague")),
        ("hundreds", Count(100, qualifier="vague")),
        ("several", Count(3, qualifier="vague")),
    ],
)
def test_counts(schema: Schema, phrase: str, expected: Count) -> None:
    assert CountReader(schema.mappings).read(phrase) == expected


@pytest.mark.parametrize("phrase", ["first", "the army", "", "the army shot a"])
def test_no_count(schema: Schema, phrase: str) -> None:
    assert CountReader(schema.mappings).read(phrase) is None


def test_count_dict_drops_unknowns() -> None:
    assert Count(9, low=9, qualifier="at_least").as_dict() == {"value": 9, "low": 9, "qualifier": "at_least"}


THURSDAY = "2014-04-17"


@pytest.mark.parametrize(
    ("phrase", "published", "value", "precision"),
    [
        ("today", THURSDAY, "2014-04-17", "day"),
        ("yesterday", THURSDAY, "2014-04-16", "day"),
        ("Thursday", THURSDAY, "2014-04-17", "day"),  # news: the publication day itself
        ("on Monday", THURSDAY, "2014-04-14", "day"),
        ("last Thursday", THURSDAY, "2014-04-10", "day"),
        ("last Friday", THURSDAY, "2014-04-11", "day"),
        ("Sunday", THURSDAY, "2014-04-13", "day"),  # the latest Sunday: four days back
        ("next Monday", THURSDAY, "2014-04-21", "day"),
        ("next Thursday", THURSDAY, "2014-04-24", "day"),  # a week on, never the publication day
        ("next Wednesday", THURSDAY, "2014-04-23", "day"),
        ("Monday morning", THURSDAY, "2014-04-14", "day"),
        ("this morning", THURSDAY, "2014-04-17", "day"),
        ("08:55 EDT", THURSDAY, "2014-04-17", "day"),
        ("two days ago", THURSDAY, "2014-04-15", "day"),
        ("December 30", THURSDAY, "2013-12-30", "day"),
        ("last week", THURSDAY, "2014-W15", "week"),
        ("last month", THURSDAY, "2014-03", "month"),
        ("January", THURSDAY, "2014-01", "month"),  # never the anchor's day of month
        ("early June", THURSDAY, "2013-06", "month"),
        ("since 2013", THURSDAY, "2013", "year"),
        ("December 11, 2016", None, "2016-12-11", "day"),
        ("Tuesday 30 July 2013", None, "2013-07-30", "day"),
        ("May 2015", None, "2015-05", "month"),
        ("2011", None, "2011", "year"),
    ],
)
def test_dates(phrase: str, published: str | None, value: str, precision: str) -> None:
    assert resolve_date(phrase, published) == ResolvedDate(value, precision)


@pytest.mark.parametrize(
    ("phrase", "published"),
    [
        ("today", None),  # relative, and no publication date to anchor it
        ("December 30", None),
        ("two years", THURSDAY),
        ("one day", THURSDAY),
        ("the past two years", THURSDAY),
        ("3-year-old", THURSDAY),
        ("earlier this month", THURSDAY),
        ("the end of last week", THURSDAY),
        ("today", "not a date"),
    ],
)
def test_unresolved_dates(phrase: str, published: str | None) -> None:
    assert resolve_date(phrase, published) is None


def test_durations() -> None:
    assert is_duration("as many days")
    assert is_duration("a month-old")
    assert not is_duration("two days ago")
    assert not is_duration("December 2016")
