"""How each version of an adjudication item reads: spans, events, fillers, death tolls and dates as short phrases."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.core.schema import Schema
from annotator.services.adjudication_text import describe, quoted, toll
from annotator.services.alignment import NOT_VOTING, ItemKind

TEXT = "Homs was shelled on Tuesday by   army\nunits and rebels."


@pytest.mark.parametrize(
    ("value", "low", "high", "qualifier", "shown"),
    [
        (9, None, None, None, "9"),  # value only
        (12, 10, None, None, "12"),  # a value and a bound: the value
        (12, 10, 10, None, "12"),  # a value and a range of one number: the value
        (9, 9, 9, "exact", "9"),
        (None, 9, 9, "exact", "9"),  # range only
        (None, 7, None, None, "7"),  # low only
        (None, None, 5, None, "5"),  # high only
        (None, 9, 12, None, "9–12"),
        (10, 9, 12, None, "9–12"),  # a real range wins over the value
        (None, 9, None, "at_least", "at least 9"),
        (9, None, None, "at_least", "9"),  # "at least" without its bound reads as the value
        (None, None, 5, "at_most", "at most 5"),
        (5, None, None, "at_most", "5"),
        (20, None, None, "about", "about 20"),
        (None, 20, 20, "about", "about 20"),
        (30, None, None, "vague", "vague: 30"),
        (None, None, None, "vague", "vague"),  # nothing but the qualifier
        (None, None, None, None, "—"),
    ],
)
def test_a_death_toll_reads_as_a_reader_says_it(
    value: int | None, low: int | None, high: int | None, qualifier: str | None, shown: str
) -> None:
    assert toll(value, low, high, qualifier) == shown


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        (ItemKind.SPAN, NOT_VOTING, "(no event)"),
        (ItemKind.ROLE, NOT_VOTING, "(no event)"),
        (ItemKind.SPAN, None, "—"),
        (ItemKind.ROLE, (), "—"),
        (ItemKind.ATTRIBUTE, None, "—"),
        (ItemKind.SPAN, (0, 4, "GPE"), "GPE “Homs”"),
        (ItemKind.LABEL, (0, 4, "LOC"), "LOC “Homs”"),
        (ItemKind.EVENT, (9, 16, "Conflict.Attack"), "Attack “shelled”"),  # the schema's label for the type
        (ItemKind.EVENT_TYPE, (9, 16, "Life.Die"), "Die “shelled”"),
        (ItemKind.EVENT_TYPE, (9, 16, "X.Unknown"), "X.Unknown “shelled”"),  # a type the schema lacks: as it is
        (ItemKind.ROLE, ((0, 4),), "“Homs”"),
        (ItemKind.ROLE, ((31, 43), (48, 54)), "“army units”, “rebels”"),  # white space inside collapses
        (ItemKind.ROLE, ((0, 43),), "“Homs was shelled on Tuesday b…”"),  # 30 characters at most
        (ItemKind.FATALITIES, (9, None, None, "at_least"), "9"),
        (ItemKind.FATALITIES, (None, 9, None, "at_least"), "at least 9"),
        (ItemKind.DATE, ("2017-02-07", "day"), "2017-02-07 (day)"),
        (ItemKind.DATE, ("2017", None), "2017"),
        (ItemKind.ATTRIBUTE, "Positive", "Positive"),
    ],
)
def test_each_kind_of_version_reads_as_a_short_phrase(kind: ItemKind, value: Any, shown: str, schema: Schema) -> None:
    assert describe(kind, value, TEXT, schema) == shown


def test_a_quote_keeps_sixty_characters_by_default() -> None:
    text = "x" * 59 + "yz"
    assert quoted(text, 0, 60) == "“" + "x" * 59 + "y”"
    assert quoted(text, 0, 61) == "“" + "x" * 59 + "…”"
    assert quoted(text, 0, 61, limit=61) == "“" + text + "”"
