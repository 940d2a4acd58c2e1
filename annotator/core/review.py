"""Review state: which annotations a person has looked at, and a layer cut down to them.

Gold standards count only what a person reviewed: an item a person accepted, or one a person made.
Suggestions nobody looked at, and anything rejected, are not part of a person's answer.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.dto import Argument, DocumentRecord, Origin, Status


def is_reviewed(status: str, origin: str) -> bool:
    """Accepted, or made by a person and not rejected."""
    return status == Status.ACCEPTED or (origin == Origin.HUMAN and status != Status.REJECTED)


def reviewed(record: DocumentRecord) -> DocumentRecord:
    """The record with only its reviewed entities, events, arguments and relations.

    An argument stays only if it is reviewed itself and what it points at stays: a role filled by a
    span nobody reviewed is not part of the answer, even under an accepted event.
    """
    entities = tuple(e for e in record.entities if is_reviewed(e.status, e.origin))
    kept_entities = {e.id for e in entities}
    events = [ev for ev in record.events if is_reviewed(ev.status, ev.origin)]
    kept_events = {ev.id for ev in events}

    def keep(argument: Argument) -> bool:
        if not is_reviewed(argument.status, argument.origin):
            return False
        if argument.entity_id is not None:
            return argument.entity_id in kept_entities
        return argument.event_id in kept_events

    return replace(
        record,
        entities=entities,
        events=tuple(replace(ev, arguments=tuple(a for a in ev.arguments if keep(a))) for ev in events),
        relations=tuple(r for r in record.relations if r.arg1 in kept_entities and r.arg2 in kept_entities),
    )


def unreviewed_count(record: DocumentRecord) -> int:
    """Suggestions still waiting for a decision: entities, events and role fillers neither accepted nor rejected."""
    pending = [e for e in record.entities if e.status == Status.SUGGESTED and e.origin != Origin.HUMAN]
    pending_events = [ev for ev in record.events if ev.status == Status.SUGGESTED and ev.origin != Origin.HUMAN]
    pending_args = [
        a
        for ev in record.events
        if ev.status != Status.REJECTED
        for a in ev.arguments
        if a.status == Status.SUGGESTED and a.origin != Origin.HUMAN
    ]
    return len(pending) + len(pending_events) + len(pending_args)
