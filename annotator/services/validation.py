"""Schema validation of event frames: required roles, cardinality, filler types, dangling fillers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from annotator.core.dto import DocumentView, Entity, Event, Status
from annotator.core.schema import Schema


class ProblemKind(StrEnum):
    UNKNOWN_TYPE = "unknown_type"
    UNKNOWN_ROLE = "unknown_role"
    MISSING = "missing"  # fewer fillers than the role's minimum
    TOO_MANY = "too_many"  # more fillers than the role's maximum
    WRONG_TYPE = "wrong_type"  # a filler whose label the role does not allow
    DANGLING = "dangling"  # a filler span that is rejected or no longer in the layer


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    role: str | None
    message: str


def validate_event(event: Event, entities_by_id: Mapping[int, Entity], schema: Schema) -> list[Problem]:
    """What is wrong with one event against the schema; rejected arguments do not count.

    An argument filled by another event (brat's nested events) counts towards cardinality but has no
    label to check: the schema's roles name entity types only.
    """
    event_type = schema.event_types.get(event.type)
    if event_type is None:
        return [Problem(ProblemKind.UNKNOWN_TYPE, None, f"{event.type} is not an event type of the schema")]
    problems: list[Problem] = []
    counts = {role.name: 0 for role in event_type.roles}
    for argument in event.arguments:
        if argument.status == Status.REJECTED:
            continue
        role = event_type.role(argument.role)
        if role is None:
            problems.append(
                Problem(ProblemKind.UNKNOWN_ROLE, argument.role, f"{event_type.label} has no role {argument.role}")
            )
            continue
        if argument.entity_id is None:
            counts[role.name] += argument.event_id is not None
            continue
        filler = entities_by_id.get(argument.entity_id)
        if filler is None or filler.status == Status.REJECTED:
            problems.append(
                Problem(ProblemKind.DANGLING, role.name, f"{role.name} points at a span that was rejected or removed")
            )
            continue
        counts[role.name] += 1
        if filler.label not in role.types:
            problems.append(
                Problem(
                    ProblemKind.WRONG_TYPE,
                    role.name,
                    f"{role.name} “{filler.text}” is {filler.label}; allowed: {', '.join(role.types)}",
                )
            )
    for role in event_type.roles:
        n = counts[role.name]
        if n < role.min:
            problems.append(Problem(ProblemKind.MISSING, role.name, f"{role.name} is required"))
        elif role.max is not None and n > role.max:
            problems.append(Problem(ProblemKind.TOO_MANY, role.name, f"{role.name} takes at most {role.max}, has {n}"))
    return problems


def events_with_problems(
    events: Iterable[Event], entities: Iterable[Entity], schema: Schema
) -> dict[int, list[Problem]]:
    """The problems of every event that is not rejected, keyed by event id; valid events are left out."""
    by_id = {e.id: e for e in entities}
    found = {}
    for event in events:
        if event.status == Status.REJECTED:
            continue
        problems = validate_event(event, by_id, schema)
        if problems:
            found[event.id] = problems
    return found


def document_problems(view: DocumentView, schema: Schema) -> dict[int, list[Problem]]:
    """What stands between a document and "done": the invalid events of its open layer."""
    return events_with_problems(view.events, view.entities, schema)
