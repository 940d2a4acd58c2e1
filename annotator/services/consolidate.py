"""One incident's fields from its reports: ACLED type by hierarchy, date, place, actors and fatalities.

Pure functions: every value says which reports gave it and by what rule, so a coder can check it. The
fatality rule is ACLED's: the lowest credible figure is the best estimate (UCDP's `best` follows it),
with the lowest and highest reported figures as low and high.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core import acled
from annotator.core.dto import Fatalities
from annotator.core.incidents import (
    DISTRICT,
    POINT_TYPES,
    SITE,
    Actors,
    Evidence,
    FatalityEstimate,
    FatalityReport,
    Incident,
    Member,
    Place,
)
from annotator.services.linking import CONSEQUENCES, Actor, Report

ARMED = frozenset(acled.INTER) - {acled.CIVILIANS, "Protesters", "Rioters"}


@dataclass(frozen=True, slots=True)
class ReportData:
    """A report with what only consolidation needs: its display row, ACLED types, figures and sources."""

    report: Report
    member: Member
    acled: tuple[str, str] | None  # (event_type, sub_event_type) the event alone maps to
    fatalities: Fatalities | None
    attribution: str  # who the report cites ("activists", "the Observatory")
    has_instrument: bool  # a weapon or vehicle fills a role (destruction by a weapon is part of an attack)


def reconcile(reports: Sequence[tuple[int, Fatalities | None]]) -> FatalityEstimate:
    """ACLED's most conservative credible figure as `best`, low/high from the reports; 0 when none says."""
    found = []
    for event_id, f in reports:
        if f is None:
            continue
        counted = f.low if f.low is not None else f.value
        if counted is None and f.high is None:
            continue
        found.append(FatalityReport(event_id, f.value, f.low, f.high, f.qualifier, f.text))
    credible = [(r.low if r.low is not None else r.value) for r in found]
    figures = [n for n in credible if n]
    if not figures:
        return FatalityEstimate(0, 0, 0, tuple(found), "no report gives a death toll: 0, as ACLED codes it")
    best = min(figures)
    highs = [n for r in found for n in (r.high, r.value, r.low) if n]
    high = max([best, *highs])
    shown = ", ".join(_figure(r) for r in found)
    rule = f"lowest credible report ({shown})" if len(found) > 1 else f"one report ({shown})"
    return FatalityEstimate(best, best, high, tuple(found), rule)


def _figure(r: FatalityReport) -> str:
    if r.qualifier == "at_least" and r.low is not None:
        return f"at least {r.low}"
    if r.low is not None and r.high is not None and r.low != r.high:
        return f"{r.low}–{r.high}"
    if r.qualifier == "at_most" and r.high is not None:
        return f"at most {r.high}"
    number = r.value if r.value is not None else r.low
    return f"about {number}" if r.qualifier == "about" else str(number)


def _types(data: Sequence[ReportData], actors: Actors) -> tuple[Evidence, Evidence, list[str]]:
    """The ACLED type by the codebook's hierarchy over the reports that say what happened."""
    problems: list[str] = []
    primary = [d for d in data if d.acled and d.report.type not in CONSEQUENCES]
    primary = primary or [d for d in data if d.acled]
    typed = [d for d in primary if d.acled and d.acled[1]]
    if typed:
        best = min(typed, key=lambda d: acled.rank(*d.acled) if d.acled else (99, 99))
        assert best.acled is not None
        chosen = best.acled
        others = sorted({d.acled[1] for d in typed if d.acled and d.acled != chosen})
        rule = f"ACLED hierarchy: {chosen[1]} over {', '.join(others)}" if others else "the reports say so"
    else:
        chosen, rule = _untyped(data, actors)
        if not chosen[1]:
            problems.append(rule)
    if chosen == ("Strategic developments", "Looting/property destruction") and any(d.has_instrument for d in data):
        problems.append("destruction by a weapon is part of an attack: link it to the attack or code the attack")
        chosen, rule = ("", ""), problems[-1]
    sources = tuple(d.member.event_id for d in data if d.acled and d.acled[0] == chosen[0])
    return Evidence(chosen[0], sources, rule), Evidence(chosen[1], sources, rule), problems


def _untyped(data: Sequence[ReportData], actors: Actors) -> tuple[tuple[str, str], str]:
    """An attack of unknown mode, or deaths alone: the sides decide, as ACLED's definitions do."""
    civilians = actors.inter2 == acled.CIVILIANS
    armed = actors.inter1 in ARMED
    if civilians and (armed or any(d.report.type == "Conflict.Attack" for d in data)):
        return ("Violence against civilians", "Attack"), "civilians attacked, no weapon named: ACLED's Attack"
    if armed and actors.inter2 in ARMED:
        return ("Battles", "Armed clash"), "two armed sides, no weapon named: Armed clash"
    kinds = sorted({d.report.type for d in data})
    if any(d.acled for d in data):
        return ("", ""), "the attack mode is unknown: choose it on the event card, or name both sides"
    return ("", ""), f"no report says what happened ({', '.join(kinds)}): link it to the attack or code one"


def _date(data: Sequence[ReportData]) -> tuple[Evidence, str]:
    order = {"day": 0, "week": 1, "month": 2, "year": 3}
    given = [d for d in data if d.report.date_value and not d.report.fallback]
    pool = given or [d for d in data if d.report.date_value]
    if not pool:
        return Evidence("", (), "no report dates it and no article has a publication date"), ""
    finest = min(order.get(d.report.precision or "", 9) for d in pool)
    precise = [d for d in pool if order.get(d.report.precision or "", 9) == finest]
    chosen = min(precise, key=lambda d: d.report.date_value or "")
    value, precision = chosen.report.date_value or "", chosen.report.precision or ""
    if given:
        values = sorted({d.report.date_value or "" for d in precise})
        rule = "most precise date" + (f", the earliest of {', '.join(values)}" if len(values) > 1 else "")
    else:
        rule = f"publication date of {chosen.member.doc_id}: no report gives a date"
    sources = tuple(d.member.event_id for d in pool if d.report.date_value == value)
    return Evidence(value, sources, rule), precision


def _place(data: Sequence[ReportData]) -> tuple[Evidence, Place | None]:
    placed = [d for d in data if d.report.place is not None]
    if not placed:
        return Evidence("", (), "no report names a place"), None

    def precision(d: ReportData) -> tuple[int, int]:
        place = d.report.place
        assert place is not None
        kind = 0 if place.place_type in (DISTRICT, SITE) else 1 if place.place_type in POINT_TYPES else 2
        return (kind + (3 if place.near else 0), 0 if place.has_point else 1)

    best = min(placed, key=precision)
    place = best.report.place
    assert place is not None
    sources = tuple(d.member.event_id for d in placed if d.report.place and d.report.place.key() == place.key())
    wider = sorted({d.report.place.name for d in placed if d.report.place and d.report.place.key() != place.key()})
    rule = "most precise place" + (f" (also reported: {', '.join(wider)})" if wider else "")
    if not place.has_point:
        rule += "; not geocoded: geocode it by hand"
    return Evidence(place.name, sources, rule), place


def _actors(data: Sequence[ReportData]) -> Actors:
    def side(which: int) -> tuple[Evidence, tuple[str, ...], str]:
        counts: Counter[str] = Counter()
        named: dict[str, Actor] = {}
        sources: dict[str, list[int]] = {}
        for d in data:
            for actor in d.report.side1 if which == 1 else d.report.side2:
                counts[actor.key] += 1
                named.setdefault(actor.key, actor)
                sources.setdefault(actor.key, []).append(d.member.event_id)
        if not counts:
            return Evidence("", (), ""), (), ""
        # The most reported actor with a known category leads; the others are associated actors.
        ranked = sorted(counts, key=lambda k: (not named[k].inter, -counts[k], named[k].name))
        lead = named[ranked[0]]
        rule = "most reported" if len(ranked) > 1 else ""
        others = tuple(dict.fromkeys(named[k].name for k in ranked[1:] if named[k].name != lead.name))
        return Evidence(lead.name, tuple(dict.fromkeys(sources[lead.key])), rule), others, lead.inter

    first, assoc1, inter1 = side(1)
    second, assoc2, inter2 = side(2)
    return Actors(first, assoc1, inter1, second, assoc2, inter2)


def consolidate(
    *,
    incident_id: str,
    key: int | None,
    layer: str,
    status: str,
    score: float | None,
    reasons: Sequence[str],
    data: Sequence[ReportData],
    disorder: dict[str, str],
) -> Incident:
    """The incident its reports describe; `disorder` maps ACLED event types to disorder types."""
    data = sorted(data, key=lambda d: (d.member.published or "", d.member.doc_id, d.member.trigger_start))
    actors = _actors(data)
    event_type, sub_event_type, problems = _types(data, actors)
    date, precision = _date(data)
    location, place = _place(data)
    fatalities = reconcile([(d.member.event_id, d.fatalities) for d in data])
    outlets = [d.member.source or d.member.doc_id for d in data]  # every report is a source, named if possible
    cited = [d.attribution for d in data if d.attribution]
    if event_type.value and not date.value:
        problems.append("no date: set the article's publication date or date an event")
    if event_type.value and (place is None or place.geo_precision is None):
        problems.append("no place below country level: add a place or geocode it by hand")
    return Incident(
        id=incident_id,
        key=key,
        layer=layer,
        status=status,
        score=score,
        reasons=tuple(reasons),
        members=tuple(d.member for d in data),
        event_type=event_type,
        sub_event_type=sub_event_type,
        disorder_type=disorder.get(event_type.value, ""),
        date=date,
        precision=precision,
        location=location,
        place=place,
        actors=actors,
        fatalities=fatalities,
        civilian_targeting=actors.inter2 == acled.CIVILIANS and event_type.value not in ("", "Battles"),
        sources=tuple(dict.fromkeys([*outlets, *cited])),
        problems=tuple(problems),
    )
