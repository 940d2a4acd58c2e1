"""How a version of an adjudication item reads in the view and the command line: “Homs” GPE, at least 9, ..."""

from __future__ import annotations

from typing import Any

from annotator.core.schema import Schema
from annotator.services.alignment import NOT_VOTING, ItemKind

NOTHING = "—"
NO_EVENT = "(no event)"


def quoted(text: str, start: int, end: int, limit: int = 60) -> str:
    excerpt = " ".join(text[start:end].split())
    return f"“{excerpt if len(excerpt) <= limit else excerpt[: limit - 1] + '…'}”"


def describe(kind: ItemKind, value: Any, text: str, schema: Schema) -> str:
    """One version of an item as a short phrase; NOTHING where the person marked nothing."""
    if value is NOT_VOTING:
        return NO_EVENT
    if value is None or value == ():
        return NOTHING
    if kind in (ItemKind.SPAN, ItemKind.LABEL):
        start, end, label = value
        return f"{label} {quoted(text, start, end)}"
    if kind in (ItemKind.EVENT, ItemKind.EVENT_TYPE):
        start, end, event_type = value
        spec = schema.event_types.get(event_type)
        return f"{spec.label if spec else event_type} {quoted(text, start, end)}"
    if kind == ItemKind.ROLE:
        return ", ".join(quoted(text, start, end, 30) for start, end in value)
    if kind == ItemKind.FATALITIES:
        return toll(*value)
    if kind == ItemKind.DATE:
        day, precision = value
        return f"{day} ({precision})" if precision else str(day)
    return str(value)


def toll(value: int | None, low: int | None, high: int | None, qualifier: str | None) -> str:
    """A death toll as a reader says it: 9, at least 9, 9–12, at most 5, about 20."""
    if qualifier == "at_least" and low is not None:
        return f"at least {low}"
    if qualifier == "at_most" and high is not None:
        return f"at most {high}"
    if low is not None and high is not None and low != high:
        return f"{low}–{high}"
    shown = value if value is not None else low if low is not None else high
    prefix = "about " if qualifier == "about" else "vague: " if qualifier == "vague" else ""
    return f"{prefix}{shown}" if shown is not None else (qualifier or NOTHING)
