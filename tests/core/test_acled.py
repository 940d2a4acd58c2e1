"""ACLED's vocabulary in code: hierarchy ranks, interaction codes, event days and the periods dates cover."""

from __future__ import annotations

from datetime import date

import pytest

from annotator.core.acled import HIERARCHY, event_day, interaction, period, rank


def test_rank_follows_the_codebook_hierarchy() -> None:
    assert rank("Battles", "Government regains territory") == (0, 0)
    assert rank("Battles", "Armed clash") == (0, 2)
    assert rank("Explosions/Remote violence", "Air/drone strike") == (3, 1)
    assert rank("Explosions/Remote violence", "Shelling/artillery/missile attack") == (3, 3)
    assert rank("Explosions/Remote violence", "Catapult") == (3, 6)  # an unknown sub-event after the known ones
    assert rank("Strategic developments", "Other") == (5, 7)
    assert rank("Weather", "Storm") == (6, 0)  # unknown types after every known one
    assert sorted(
        [("Strategic developments", "Agreement"), ("Battles", "Armed clash"), ("Riots", "Mob violence")],
        key=lambda pair: rank(*pair),
    ) == [("Battles", "Armed clash"), ("Riots", "Mob violence"), ("Strategic developments", "Agreement")]
    assert list(HIERARCHY)[:2] == ["Battles", "Protests"]


def test_interaction_orders_the_pair_by_inter_code() -> None:
    assert interaction("Civilians", "State forces", True) == "State forces-Civilians"
    assert interaction("State forces", "Civilians", True) == "State forces-Civilians"
    assert interaction("Rebel group", "Rebel group", True) == "Rebel group-Rebel group"
    assert interaction("External/Other forces", "Political militia", True) == "Political militia-External/Other forces"
    assert interaction("Protesters", "", False) == "Protesters only"
    assert interaction("Protesters", "", True) == ""  # a second actor without a category: not "only"
    assert interaction("", "Civilians", True) == ""
    assert interaction("", "", False) == ""


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2017-02-07", "day", ("2017-02-07", "2017", "1")),
        ("2017-02-07", None, ("2017-02-07", "2017", "1")),
        ("2017-02-07", "week", ("2017-02-09", "2017", "2")),  # the Thursday of that week
        ("2017-W06", None, ("2017-02-09", "2017", "2")),
        ("2017-W06", "week", ("2017-02-09", "2017", "2")),
        ("2016-W52", None, ("2016-12-29", "2016", "2")),
        ("2017-02", None, ("2017-02-15", "2017", "3")),  # a month at its 15th
        ("2017-02-07", "month", ("2017-02-15", "2017", "3")),
        ("2017-02", "month", ("2017-02-15", "2017", "3")),
        ("2017-W06", "day", ("2017-02-09", "2017", "1")),  # a week said to be a day: its Thursday
        ("2017-02", "day", ("2017-02-15", "2017", "1")),
        ("2017-02-07T10:00", "day", ("2017-02-07", "2017", "1")),  # a time of day is dropped
        ("2017", None, ("", "2017", "")),  # a year gives no day
        ("2017 or 2018", None, ("", "2017", "")),
        ("2017-02-07", "year", ("", "2017", "")),
        ("", None, ("", "", "")),
        (None, None, ("", "", "")),
        ("last week", None, ("", "", "")),
        ("2017-13-01", "day", ("", "", "")),
        ("2017-W60", None, ("", "", "")),
    ],
)
def test_event_day(value: str | None, precision: str | None, expected: tuple[str, str, str]) -> None:
    assert event_day(value, precision) == expected


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        ("2017-02-07", "day", (date(2017, 2, 7), date(2017, 2, 8))),
        ("2017-W06", "week", (date(2017, 2, 6), date(2017, 2, 13))),
        ("2017-W06", None, (date(2017, 2, 6), date(2017, 2, 13))),
        ("2017-02", "month", (date(2017, 2, 1), date(2017, 3, 1))),
        ("2017-12", "month", (date(2017, 12, 1), date(2018, 1, 1))),  # December ends in the next year
        ("2017-11", "month", (date(2017, 11, 1), date(2017, 12, 1))),
        ("2017", "year", (date(2017, 1, 1), date(2018, 1, 1))),
        ("2017-02-30", "day", None),
        ("soon", None, None),
        ("2017-02-07-01", None, None),
    ],
)
def test_period(value: str, precision: str | None, expected: tuple[date, date] | None) -> None:
    assert period(value, precision) == expected
