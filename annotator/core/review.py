"""Review state: which annotations a person has looked at, and a layer cut down to them.

Gold standards count only what a person reviewed: an item a person accepted, or one a person made.
Suggestions nobody looked at, and anything rejected, are not part of a person's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from annotator.core.dto import Argument, DocumentRecord, DocumentView, Origin, Status


def is_reviewed(status: str, origin: str) -> bool:
    """Accepted, or made by a person and not rejected."""
    return status == Status.ACCEPTED or (origin == Origin.HUMAN and status != Status.REJECTED)


def is_unreviewed(status: str, origin: str) -> bool:
    """A suggestion nobody has decided on yet: neither accepted nor rejected, and not made by a person."""
    return status == Status.SUGGESTED and origin != Origin.HUMAN


def reviewed(record: DocumentRecord) -> DocumentRecord:
    """The record with only its reviewed entities, events, arguments and relations.

    An argument stays only if it is reviewed itself and what it points at stays: a role filled by a
    span nobody reviewed is not part of the answer, even under an accepted event.
    """
    return _keep(record, is_reviewed)


def without_unreviewed(record: DocumentRecord) -> DocumentRecord:
    """The record without the suggestions nobody decided on; rejections stay (they are a person's decision too)."""
    return _keep(record, lambda status, origin: not is_unreviewed(status, origin))


def _keep(record: DocumentRecord, keep_item: Callable[[str, str], bool]) -> DocumentRecord:
    entities = tuple(e for e in record.entities if keep_item(e.status, e.origin))
    kept_entities = {e.id for e in entities}
    events = [ev for ev in record.events if keep_item(ev.status, ev.origin)]
    kept_events = {ev.id for ev in events}

    def keep(argument: Argument) -> bool:
        if not keep_item(argument.status, argument.origin):
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


def unreviewed_count(record: DocumentRecord | DocumentView) -> int:
    """Suggestions still waiting for a decision: entities, events and role fillers neither accepted nor rejected."""
    pending = [e for e in record.entities if is_unreviewed(e.status, e.origin)]
    pending_events = [ev for ev in record.events if is_unreviewed(ev.status, ev.origin)]
    pending_args = [
        a
        for ev in record.events
        if ev.status != Status.REJECTED
        for a in ev.arguments
        if is_unreviewed(a.status, a.origin)
    ]
    return len(pending) + len(pending_events) + len(pending_args)
