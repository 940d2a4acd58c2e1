"""Which event mentions report the same real-world event: a score with its reasons for each pair, then clusters.

Pure functions over `Report`s (no database). A pair is vetoed when the reports cannot be one event: types
that never co-occur, two places neither of which contains the other, dates too far apart. Otherwise the
evidence adds up (type, place, date, actors, fatalities, closeness in one article) to a score in [0, 1];
pairs at or above the threshold are merged, strongest first, as long as no two members of the merged
cluster veto each other (so "Homs" does not chain al-Waer to Palmyra).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from annotator.core.incidents import Place

THRESHOLD = 0.5
WINDOW_DAYS = 1  # reports of one event in different articles may date it a day apart
FALLBACK_DAYS = 3  # an undated report happened on, or shortly before, its publication day
CLOSE_CHARS = 200  # triggers this close in one article are usually one account
#: Event types that report what an attack did; they join the attack's incident.
CONSEQUENCES = frozenset({"Life.Die", "Life.Injure", "X.Artifact.DamageDestroy"})
VIOLENT = frozenset({"Conflict.Attack", "X.Conflict.ChangeOfControl", "Justice.Execute"})


@dataclass(frozen=True, slots=True)
class Actor:
    key: str  # gazetteer id or the folded name: what makes two mentions the same actor
    name: str
    inter: str  # ACLED inter category, or ""


@dataclass(frozen=True, slots=True)
class Report:
    """What linking and consolidation need of one event mention."""

    event_id: int
    document_id: int
    type: str
    attack_mode: str
    trigger_start: int
    start: date | None  # the days the date covers, end exclusive
    end: date | None
    date_value: str | None
    precision: str | None
    fallback: bool  # the date is the publication date, not one the report gives
    place: Place | None
    side1: tuple[Actor, ...]
    side2: tuple[Actor, ...]
    value: int | None  # deaths as ACLED would count this report (lowest credible figure)
    low: int | None
    high: int | None
    entities: frozenset[int]  # entity mentions filling its roles


@dataclass(frozen=True, slots=True)
class Cluster:
    event_ids: tuple[int, ...]
    score: float | None  # the weakest link that joined it; None for a single report
    reasons: tuple[str, ...]


def compatible(a: Report, b: Report) -> str | None:
    """Why two event types can report one event, or None when they cannot."""
    if a.type == b.type:
        if a.type == "Conflict.Attack" and "unspecified" not in (a.attack_mode, b.attack_mode):
            return "same type and attack mode" if a.attack_mode == b.attack_mode else "attacks of two modes"
        return "same type"
    violent = VIOLENT | CONSEQUENCES
    if a.type in violent and b.type in violent and (a.type in CONSEQUENCES or b.type in CONSEQUENCES):
        return "an attack and what it did"
    if {a.type, b.type} == {"Conflict.Attack", "X.Conflict.ChangeOfControl"}:
        return "fighting for territory"
    return None


def pair(a: Report, b: Report, window: int = WINDOW_DAYS) -> tuple[float, list[str]] | None:
    """The evidence that two reports are one event, or None when something rules it out."""
    why = compatible(a, b)
    if why is None:
        return None
    score = 0.3 if why.startswith("same type") else 0.2
    reasons = [why]
    place = _places(a.place, b.place)
    if place is None:
        return None
    score, reasons = score + place[0], reasons + place[1]
    dates = _dates(a, b, 0 if a.document_id == b.document_id else window)
    if dates is None:
        return None
    score, reasons = score + dates[0], reasons + dates[1]
    shared = sorted({x.name for x in a.side1 + a.side2 for y in b.side1 + b.side2 if x.key == y.key})
    if shared:
        score += min(0.1 * len(shared), 0.2)
        reasons.append("shared actors: " + ", ".join(shared))
    deaths = _deaths(a, b)
    score, reasons = score + deaths[0], reasons + deaths[1]
    if a.document_id == b.document_id:
        score += 0.15
        reasons.append("in the same article")
        if a.entities & b.entities:
            score += 0.1
            reasons.append("they share role fillers")
        elif abs(a.trigger_start - b.trigger_start) <= CLOSE_CHARS:
            score += 0.1
            reasons.append("told in the same passage")
    return min(round(score, 2), 1.0), reasons


def _places(a: Place | None, b: Place | None) -> tuple[float, list[str]] | None:
    if a is None or b is None:
        return 0.0, []
    if a.key() == b.key():
        return 0.3, [f"same place: {a.name}"]
    if a.contains(b) or b.contains(a):
        inner, outer = (b, a) if a.contains(b) else (a, b)
        return 0.2, [f"{inner.name} is in {outer.name}"]
    return None


def _dates(a: Report, b: Report, window: int) -> tuple[float, list[str]] | None:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return 0.0, []
    if a.fallback or b.fallback:
        # An undated report says nothing about the day; it only rules out events long before or after it.
        slack = timedelta(days=FALLBACK_DAYS + window)
        if a.start - slack < b.end and b.start - slack < a.end:
            return 0.0, []
        return None
    gap = max((b.start - a.end).days + 1, (a.start - b.end).days + 1, 0)
    if gap > window:
        return None
    if a.precision == b.precision == "day" and a.start == b.start:
        return 0.25, [f"same day: {a.start.isoformat()}"]
    if gap == 0:
        return 0.1, ["overlapping dates"]
    return 0.1, [f"dates {gap} day(s) apart"]


def _deaths(a: Report, b: Report) -> tuple[float, list[str]]:
    if a.value is None or b.value is None or not (a.value and b.value):
        return 0.0, []
    low_a, high_a = a.low if a.low is not None else a.value, a.high if a.high is not None else None
    low_b, high_b = b.low if b.low is not None else b.value, b.high if b.high is not None else None
    fits_a = low_a <= b.value and (high_a is None or b.value <= high_a)
    fits_b = low_b <= a.value and (high_b is None or a.value <= high_b)
    close = min(a.value, b.value) >= 0.8 * max(a.value, b.value)  # "at least 9" fits 26, but says little
    if (fits_a or fits_b) and close:
        return 0.1, [f"death tolls agree ({a.value} and {b.value})"]
    if max(a.value, b.value) > 2 * min(a.value, b.value):
        return -0.1, [f"death tolls differ ({a.value} and {b.value})"]
    return 0.0, []


def link(reports: Sequence[Report], *, threshold: float = THRESHOLD, window: int = WINDOW_DAYS) -> list[Cluster]:
    """Every report in exactly one cluster; clusters in the order of their first report."""
    ordered = sorted(reports, key=lambda r: (r.start or date.max, r.document_id, r.trigger_start, r.event_id))
    scores: dict[tuple[int, int], tuple[float, list[str]] | None] = {}
    candidates: list[tuple[float, int, int]] = []

    def compare(a: Report, b: Report) -> None:
        if (a.event_id, b.event_id) in scores:
            return
        found = pair(a, b, window)
        scores[(a.event_id, b.event_id)] = scores[(b.event_id, a.event_id)] = found
        if found is not None and found[0] >= threshold:
            candidates.append((found[0], a.event_id, b.event_id))

    dated = [r for r in ordered if r.start is not None]
    reach = timedelta(days=window + FALLBACK_DAYS + 31)  # the longest period a coarse date covers, and slack
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            assert a.start is not None and b.start is not None
            if b.start - a.start > reach:
                break  # sorted by date: nothing later is within any window
            compare(a, b)
    by_document: dict[int, list[Report]] = {}
    for r in ordered:  # undated reports are only linked within their article, where all pairs are cheap
        by_document.setdefault(r.document_id, []).append(r)
    for group in by_document.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                compare(a, b)
    owner = {r.event_id: r.event_id for r in ordered}
    members = {r.event_id: [r.event_id] for r in ordered}
    joined: dict[int, tuple[float, list[str]]] = {}
    by_id = {r.event_id: r for r in ordered}
    for score, x, y in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        cx, cy = owner[x], owner[y]
        if cx == cy:
            continue
        if any(_vetoed(scores, by_id, p, q, window) for p in members[cx] for q in members[cy]):
            continue
        found = scores[(x, y)]
        assert found is not None
        reasons = joined.get(cx, (1.0, []))[1] + joined.get(cy, (1.0, []))[1]
        weakest = min(score, joined.get(cx, (1.0, []))[0], joined.get(cy, (1.0, []))[0])
        for event_id in members[cy]:
            owner[event_id] = cx
        members[cx] += members.pop(cy)
        joined.pop(cy, None)
        joined[cx] = (weakest, list(dict.fromkeys(reasons + found[1])))
    clusters = []
    for head, ids in members.items():
        found_link = joined.get(head)
        clusters.append(
            Cluster(tuple(ids), found_link[0] if found_link else None, tuple(found_link[1] if found_link else ()))
        )
    return clusters


def _vetoed(
    scores: dict[tuple[int, int], tuple[float, list[str]] | None],
    by_id: dict[int, Report],
    p: int,
    q: int,
    window: int,
) -> bool:
    if (p, q) not in scores:  # never compared (far apart in time, or undated in two articles): compare now
        scores[(p, q)] = scores[(q, p)] = pair(by_id[p], by_id[q], window)
    return scores[(p, q)] is None
