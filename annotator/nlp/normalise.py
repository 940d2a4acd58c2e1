"""Normalised values: counts ("at least nine" -> low 9) and dates resolved against the publication date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_UNITS = {
    w: i
    for i, w in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
            *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
        )
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2)
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_MULTIPLIERS = {"dozen": 12} | _SCALES
_WORDS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[a-z]+")
_RANGE = frozenset({"to", "and", "or"})


@dataclass(frozen=True, slots=True)
class Count:
    """A count read from text. `value` is the figure ACLED would code (the lowest reliable number)."""

    value: int | None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None  # exact, at_least, at_most, about, vague; None for a range

    def as_dict(self) -> dict[str, Any]:
        fields = {"value": self.value, "low": self.low, "high": self.high, "qualifier": self.qualifier}
        return {k: v for k, v in fields.items() if v is not None}


def _is_number_word(words: list[str], i: int) -> bool:
    w = words[i]
    if w[0].isdigit() or w in _UNITS or w in _TENS or w == "dozen":
        return True
    return w in ("a", "an") and i + 1 < len(words) and words[i + 1] in _MULTIPLIERS


def _number(words: list[str], i: int) -> tuple[int, int]:
    """The number starting at words[i] ("two dozen", "75,000", "twenty three", "1.5 million"); its end index."""
    total, current, n = 0.0, 0.0, i
    while n < len(words):
        w = words[n]
        if w[0].isdigit():
            if n > i:
                break  # two numerals in a row ("10 15") are a range, not one number
            current = float(w.replace(",", ""))
        elif w in _UNITS or w in _TENS:
            current += _UNITS.get(w, 0) + _TENS.get(w, 0)
        elif w in _MULTIPLIERS:
            current = (current or 1) * _MULTIPLIERS[w]
            if _MULTIPLIERS[w] >= 1000:
                total, current = total + current, 0
        elif w in ("a", "an") and n == i:
            current = 1
        elif w == "and" and n > i and n + 1 < len(words) and (words[n + 1] in _UNITS or words[n + 1] in _TENS):
            pass  # "two hundred and fifty"
        else:
            break
        n += 1
    return int(total + current), n


class CountReader:
    """Reads counts with the schema's tables: `qualifiers` and the ACLED `fatality_terms` ("dozens" -> 12)."""

    def __init__(self, mappings: Mapping[str, Any]) -> None:
        self._qualifiers = sorted(
            ((tuple(_WORDS.findall(p.lower())), q) for q, ps in (mappings.get("qualifiers") or {}).items() for p in ps),
            key=lambda e: -len(e[0]),
        )
        self._vague = sorted(
            (
                (tuple(_WORDS.findall(str(t).lower())), int(v))
                for t, v in (mappings.get("fatality_terms") or {}).items()
            ),
            key=lambda e: -len(e[0]),
        )

    def read(self, text: str) -> Count | None:
        words = _WORDS.findall(text.lower())
        qualifier = None
        for i in range(len(words)):
            for phrase, name in self._qualifiers:
                if qualifier is None and tuple(words[i : i + len(phrase)]) == phrase:
                    qualifier = name
            if not _is_number_word(words, i):
                continue
            value, end = _number(words, i)
            if end < len(words) and (words[end] in _RANGE or words[end][0].isdigit()):
                second = end + (words[end] in _RANGE)
                if second < len(words) and _is_number_word(words, second):
                    high = _number(words, second)[0]
                    if high > value:
                        return Count(value=value, low=value, high=high)
            return {
                "at_least": Count(value=value, low=value, qualifier="at_least"),
                "at_most": Count(value=None, high=value, qualifier="at_most"),
                "about": Count(value=value, qualifier="about"),
            }.get(qualifier or "", Count(value=value, low=value, high=value, qualifier="exact"))
        for phrase, value in self._vague:
            n = len(phrase)
            if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
                return Count(value=value, qualifier="vague")
        return None


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: str  # 2014-02-01, 2014-W05, 2014-02, 2014
    precision: str  # day, week, month, year

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "precision": self.precision}


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"(?:on\s+)?(?:(last|this|next)\s+)?(" + "|".join(_WEEKDAYS) + r")(?:\s+(?:morning|afternoon|evening|night))?"
)
_PREPOSITION = re.compile(r"^(?:on|in|since|by|from|until|till|as of|during|of)\s+")
# Parts of a month or year keep the coarser precision: "early June" is June (ACLED time precision 3).
_PART = re.compile(r"^(?:(?:the\s+)?(?:beginning|start|end|middle)\s+of|early|mid|late)[\s-]+")
# "two years", "a month", "one day" (after), "3-year-old": durations, not dates.
_DURATION = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several|many|couple of)"
    r"\s*-?\s*(?:day|week|month|year|decade|hour|minute)s?\b(?!\s+(?:ago|earlier|later|before))"
)
_PRECISION = {"day": "day", "time": "day", "part_of_day": "day", "week": "week", "month": "month", "year": "year"}
# Two unrelated anchors: an expression that resolves the same from both needs no publication date.
_ANCHORS = (dt.date(2001, 6, 15), dt.date(2011, 2, 21))


@lru_cache(maxsize=64)
def _parser(base: dt.date) -> DateDataParser:
    from dateparser.date import DateDataParser

    # The end of the publication day: "08:55" earlier that day is then in the past, not a day back.
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(23, 59, 59)),
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DATES_FROM": "past",
    }
    return DateDataParser(languages=["en"], settings=settings)


def _format(day: dt.date, precision: str) -> str:
    if precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": day.isoformat(), "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}[precision]


def _resolve_against(text: str, base: dt.date) -> ResolvedDate | None:
    weekday = _WEEKDAY.fullmatch(text)
    if weekday:
        which, name = weekday.group(1), weekday.group(2)
        back = (base.weekday() - _WEEKDAYS.index(name)) % 7
        if which == "next":
            day = base + dt.timedelta(days=(7 - back) % 7 or 7)
        else:  # a bare weekday in news is the latest one, the publication day included
            day = base - dt.timedelta(days=back or (7 if which == "last" else 0))
        return ResolvedDate(day.isoformat(), "day")
    data = _parser(base).get_date_data(text)
    precision = _PRECISION.get(data.period or "")
    if data.date_obj is None or precision is None:
        return None
    # Only the fields the precision covers are read: dateparser fills the rest from the anchor.
    return ResolvedDate(_format(data.date_obj.date(), precision), precision)


def is_duration(text: str) -> bool:
    """ "two years", "a month-old", "as many days": a length of time, not a date."""
    return bool(_DURATION.search(" ".join(text.lower().split())))


@lru_cache(maxsize=8192)
def resolve_date(text: str, published: str | None) -> ResolvedDate | None:
    """An ISO value and precision for a date expression, or None (durations, vague or unanchored expressions).

    Relative expressions ("today", "on Monday", "last week") need the publication date; absolute ones
    ("December 11, 2016", "May 2015") resolve without it.
    """
    phrase = _PREPOSITION.sub("", " ".join(text.lower().split()))
    part = _PART.match(phrase)
    phrase = phrase[part.end() :] if part else phrase
    if not phrase or _DURATION.search(phrase):
        return None
    base = None
    if published:
        try:
            base = dt.date.fromisoformat(published[:10])
        except ValueError:
            base = None
    if base is not None:
        resolved = _resolve_against(phrase, base)
    else:
        first, second = (_resolve_against(phrase, anchor) for anchor in _ANCHORS)
        resolved = first if first == second else None
    if resolved is not None and part and resolved.precision in ("day", "week"):
        return None  # "the end of last week": no single day or week to give
    return resolved
