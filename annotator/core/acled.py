"""ACLED's coding vocabulary: event types and sub-event types in hierarchy order, actor categories, dates.

The hierarchy decides which type an incident takes when its reports describe several tactics: an air
strike alongside ground fighting is one Battles event, shelling alongside an air strike an air strike.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: Event types with their sub-event types, both in the codebook's hierarchy order (highest first).
HIERARCHY: dict[str, tuple[str, ...]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
#: ACLED inter categories in code order (1-8): `interaction` lists the pair in this order.
INTER = (
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians",
    "External/Other forces",
)  # fmt: skip
CIVILIANS = "Civilians"
TIME_PRECISION = {"day": "1", "week": "2", "month": "3"}


def rank(event_type: str, sub_event_type: str) -> tuple[int, int]:
    """Position in the hierarchy (lower wins); unknown types sort last."""
    types = list(HIERARCHY)
    if event_type not in HIERARCHY:
        return len(types), 0
    subs = HIERARCHY[event_type]
    return types.index(event_type), subs.index(sub_event_type) if sub_event_type in subs else len(subs)


def interaction(inter1: str, inter2: str, has_actor2: bool) -> str:
    """The unordered pair of inter categories ("State forces-Civilians"), or "X only" without a second actor."""
    if inter1 and inter2:
        return "-".join(sorted((inter1, inter2), key=INTER.index))
    return f"{inter1} only" if inter1 and not has_actor2 else ""


def event_day(value: str | None, precision: str | None) -> tuple[str, str, str]:
    """(event_date, year, time_precision) for an ISO value: a week at its midpoint (Thursday), a month at the 15th.

    A year alone gives no date and no precision: ACLED does not record such events, so no day is made up.
    """
    value = value or ""
    precision = precision or _precision_of(value)
    try:
        if re.match(r"^\d{4}-W\d{2}$", value):
            day = date.fromisocalendar(int(value[:4]), int(value[6:8]), 4)
        elif re.match(r"^\d{4}-\d{2}(-\d{2})?", value):
            day = date(int(value[:4]), int(value[5:7]), int(value[8:10]) if len(value) >= 10 else 15)
        else:
            return "", value[:4] if re.match(r"^\d{4}", value) else "", ""
    except ValueError:
        return "", "", ""
    if precision == "week":
        year, week, _ = day.isocalendar()
        day = date.fromisocalendar(year, week, 4)
    elif precision == "month":
        day = day.replace(day=15)
    elif precision != "day":
        return "", str(day.year), ""
    return day.isoformat(), str(day.year), TIME_PRECISION[precision]


def _precision_of(value: str) -> str:
    if re.match(r"^\d{4}-W\d{2}$", value):
        return "week"
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "")


def period(value: str, precision: str | None) -> tuple[date, date] | None:
    """The days an ISO date value covers, end exclusive: a day, an ISO week, a month or a year."""
    try:
        if precision == "week" or "-W" in value:
            year, week = value.split("-W")
            start = date.fromisocalendar(int(year), int(week[:2]), 1)
            return start, start + timedelta(days=7)
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day + timedelta(days=1)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1), date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0] + 1, 1, 1)
    except ValueError:
        return None
    return None
