"""Event editing use cases: create, retype, delete, fill and empty roles, attributes, values, accept and reject.

Each call is one history entry on the same frame as entity edits (`AnnotationService._edit`), with the
events it touches snapshotted together with their arguments, so undo restores whole frames.
Reviewing is editing: any change to a suggested event accepts it, and filling a role with a suggested
span accepts that span, as relabelling a suggested span accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.dto import GOLD, Changes, EventDate, Fatalities, Origin, Status
from annotator.core.errors import StaleEditError, UserError
from annotator.core.schema import Role
from annotator.services import records
from annotator.services.alignment import DECIDED, part_key
from annotator.services.alignment import ItemKind as Part
from annotator.services.annotate import AnnotationService, status_verb
from annotator.services.history import Touched
from annotator.store import models as m

#: An argument of an event: its index in `Event.arguments`, or (role, entity id).
ArgumentRef = int | tuple[str, int]
QUALIFIERS = ("exact", "at_least", "at_most", "about", "vague")
DATE_PATTERNS = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "week": re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$"),
    "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "year": re.compile(r"^\d{4}$"),
}


def normalise_date(value: str | None, precision: str | None, text: str | None = None) -> EventDate | None:
    """Check an ISO date value against its precision (inferred from the value when not given)."""
    value = (value or "").strip() or None
    if value is None:
        return EventDate(None, precision, text) if text else None
    if precision is None:
        precision = next((p for p, pattern in DATE_PATTERNS.items() if pattern.match(value)), None)
    if precision not in DATE_PATTERNS:
        raise UserError(f"date {value!r}: write YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY")
    if not DATE_PATTERNS[precision].match(value):
        raise UserError(f"date {value!r} does not have {precision} precision")
    if precision == "day":
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise UserError(f"{value} is not a calendar date") from exc
    return EventDate(value, precision, text)


def check_fatalities(f: Fatalities | None) -> Fatalities | None:
    if f is None:
        return None
    numbers = [n for n in (f.value, f.low, f.high) if n is not None]
    if any(n < 0 for n in numbers):
        raise UserError("fatality counts cannot be negative")
    if f.low is not None and f.high is not None and f.low > f.high:
        raise UserError(f"the low estimate ({f.low}) is above the high one ({f.high})")
    if f.qualifier is not None and f.qualifier not in QUALIFIERS:
        raise UserError(f"unknown qualifier {f.qualifier!r}; use one of {', '.join(QUALIFIERS)}")
    return None if not numbers and f.qualifier is None and not f.text else f


class EventService(AnnotationService):
    """Every call commits at once and returns the Changes it made, with the history id for undo."""

    # -- checks ------------------------------------------------------------------------------------------------

    def _check_event_type(self, event_type: str) -> str:
        if event_type not in self.schema.event_types:
            raise UserError(f"unknown event type {event_type!r}; the schema has {', '.join(self.schema.event_types)}")
        return self.schema.event_types[event_type].label

    def _role(self, event_type: str, role: str) -> Role:
        found = self.schema.event_types[event_type].role(role) if event_type in self.schema.event_types else None
        if found is None:
            raise UserError(f"{event_type} has no role {role!r}")
        return found

    @staticmethod
    def _entity(session: Session, document_id: int, aid: int, entity_id: int) -> m.EntityMention:
        entity = session.get(m.EntityMention, entity_id)
        if entity is None or entity.document_id != document_id or entity.annotator_id != aid:
            raise UserError(f"span {entity_id} is not in this document's layer")
        return entity

    @staticmethod
    def _argument(event: m.Event, ref: ArgumentRef) -> m.EventArgument:
        if isinstance(ref, int):
            if 0 <= ref < len(event.arguments):
                return event.arguments[ref]
        else:
            found = next((a for a in event.arguments if (a.role, a.entity_id) == ref), None)
            if found is not None:
                return found
        raise UserError(f"event {event.id} has no argument {ref!r}")

    # -- the frame ---------------------------------------------------------------------------------------------

    def _event_edit(
        self,
        document_id: int,
        annotator: str,
        event_ids: Sequence[int],
        operation: str,
        description: str,
        apply: Callable[[Session, list[m.Event], Touched], None],
        entity_ids: Sequence[int] = (),
        part: str | None = None,
        incident_ids: Sequence[int] = (),
    ) -> Changes:
        """The entity edit frame, for events of this document's layer only.

        `part` names what the edit decides in a gold event ("role Place", "attribute tense"...): an
        adjudicator's edit there is a decision, so adjudication stops listing that part as open.
        """

        def frame(session: Session, aid: int, touched: Touched) -> None:
            rows = {ev.id: ev for ev in session.scalars(select(m.Event).where(m.Event.id.in_(event_ids)))}
            for event_id in event_ids:
                ev = rows.get(event_id)
                if ev is None:
                    raise StaleEditError("an event")
                if ev.document_id != document_id:
                    raise UserError(f"there is no event {event_id} in this document")
                if ev.annotator_id != aid:
                    raise UserError("that event belongs to another annotator's layer, which is read-only here")
            apply(session, [rows[i] for i in event_ids], touched)
            if part is not None and annotator == GOLD:
                mark_decided(rows[event_ids[0]], part)

        return self._edit(document_id, annotator, operation, description, entity_ids, frame, event_ids, incident_ids)

    def _filler_ids(self, event_ids: Sequence[int], refs: Sequence[ArgumentRef] | None = None) -> list[int]:
        """Entities filling the events' roles (or some arguments): accepting a filler accepts its span too."""
        with self.db.reader() as session:
            events = session.scalars(select(m.Event).where(m.Event.id.in_(event_ids))).all()
            if refs is not None:
                arguments = [self._argument(ev, ref) for ev in events for ref in refs]
            else:
                arguments = [a for ev in events for a in ev.arguments]
            return sorted({a.entity_id for a in arguments if a.entity_id is not None})

    @staticmethod
    def _drop(event: m.Event, argument: m.EventArgument) -> None:
        """A model's suggestion is kept as rejected (rejections are evaluation data); a human's goes."""
        if argument.origin == Origin.MODEL:
            argument.status = Status.REJECTED
        else:
            event.arguments.remove(argument)

    @staticmethod
    def _fill(event: m.Event, role: Role, entity: m.EntityMention) -> None:
        """Put a span in a role; a single-filler role gives up its current filler to the new one."""
        if entity.status == Status.SUGGESTED:
            entity.status = Status.ACCEPTED
        event.status = Status.ACCEPTED
        same = next((a for a in event.arguments if a.role == role.name and a.entity_id == entity.id), None)
        if same is not None:
            same.status = Status.ACCEPTED
            return
        if role.max == 1:
            for argument in [a for a in event.arguments if a.role == role.name and a.status != Status.REJECTED]:
                EventService._drop(event, argument)
        position = max((a.position for a in event.arguments), default=-1) + 1
        event.arguments.append(
            m.EventArgument(
                position=position, role=role.name, entity_id=entity.id, origin=Origin.HUMAN, status=Status.ACCEPTED
            )
        )

    # -- events ------------------------------------------------------------------------------------------------

    def create_event(self, document_id: int, annotator: str, start: int, end: int, event_type: str) -> Changes:
        """A new event on a trigger span the caller has already snapped to words."""
        label = self._check_event_type(event_type)

        def apply(session: Session, aid: int, touched: Touched) -> None:
            text = self._check_span(session, document_id, start, end)
            row = m.Event(
                document_id=document_id,
                annotator_id=aid,
                type=event_type,
                trigger_start=start,
                trigger_end=end,
                trigger_text=text,
                attrs={},
                origin=Origin.HUMAN,
                status=Status.ACCEPTED,
            )
            session.add(row)
            session.flush()
            touched.events.add(row.id)

        return self._edit(document_id, annotator, "create_event", f"Create {label} event", (), apply)

    def set_type(self, document_id: int, annotator: str, event_id: int, event_type: str) -> Changes:
        """Retype an event; arguments stay (validation marks roles the new type lacks), stale attributes go."""
        label = self._check_event_type(event_type)
        offered = self.schema.attributes_for(event_type)

        def apply(_s: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            old = self.schema.event_types.get(ev.type)
            stale = set(old.attributes if old else ()) - set(offered)
            ev.type, ev.status = event_type, Status.ACCEPTED
            ev.attrs = {k: v for k, v in ev.attrs.items() if k not in stale}

        return self._event_edit(document_id, annotator, [event_id], "retype_event", f"Make it {label}", apply)

    def delete_event(self, document_id: int, annotator: str, event_ids: Sequence[int]) -> Changes:
        """Remove events; a model suggestion is kept as rejected. Events nesting them are snapshotted too, and
        the incidents they report, which lose them as members: undo gives both back."""
        with self.db.reader() as session:
            nesting = set(
                session.scalars(select(m.EventArgument.event_id).where(m.EventArgument.target_event_id.in_(event_ids)))
            )
            members = select(m.IncidentMember.incident_id).where(m.IncidentMember.event_id.in_(event_ids))
            incidents = sorted(set(session.scalars(members)))

        def apply(session: Session, events: list[m.Event], _t: Touched) -> None:
            for ev in events[: len(event_ids)]:  # the nesting events follow: snapshotted, not deleted
                if ev.origin == Origin.MODEL:
                    ev.status = Status.REJECTED
                else:
                    session.delete(ev)

        ids = [*event_ids, *sorted(nesting - set(event_ids))]
        what = f"Delete {len(event_ids)} event(s)"
        return self._event_edit(document_id, annotator, ids, "delete_event", what, apply, incident_ids=incidents)

    def set_event_status(self, document_id: int, annotator: str, event_ids: Sequence[int], status: Status) -> Changes:
        """Accept or reject whole events: their suggested arguments follow; accepted fillers' spans too."""
        fillers = self._filler_ids(event_ids) if status == Status.ACCEPTED else []

        def apply(session: Session, events: list[m.Event], _t: Touched) -> None:
            accepted: set[int] = set()
            for ev in events:
                ev.status = status
                for argument in ev.arguments:
                    if argument.status == Status.SUGGESTED:
                        argument.status = status
                    if argument.status == Status.ACCEPTED and argument.entity_id is not None:
                        accepted.add(argument.entity_id)
            _accept_spans(session, accepted)

        verb = status_verb(status)
        return self._event_edit(
            document_id,
            annotator,
            event_ids,
            f"{status.value}_event",
            f"{verb} {len(event_ids)} event(s)",
            apply,
            fillers,
        )

    # -- roles -------------------------------------------------------------------------------------------------

    def add_argument(self, document_id: int, annotator: str, event_id: int, role: str, entity_id: int) -> Changes:
        """Fill a role with a span of the layer; a filler of a type the role does not allow is kept and flagged."""

        def apply(session: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            entity = self._entity(session, document_id, ev.annotator_id, entity_id)
            self._fill(ev, self._role(ev.type, role), entity)

        decided = part_key(Part.ROLE, role)
        return self._event_edit(
            document_id, annotator, [event_id], "fill_role", f"Fill {role}", apply, [entity_id], decided
        )

    def create_entity_and_fill(
        self, document_id: int, annotator: str, event_id: int, role: str, start: int, end: int, label: str
    ) -> Changes:
        """Label a selection and put it in a role: one history entry, one undo step. An identical span is reused."""
        self._check_label(label)
        existing = next(
            iter(
                self.layer_ids(
                    m.EntityMention,
                    document_id,
                    annotator,
                    m.EntityMention.start == start,
                    m.EntityMention.end == end,
                    m.EntityMention.label == label,
                    m.EntityMention.status != Status.REJECTED,
                )
            ),
            None,
        )

        def apply(session: Session, events: list[m.Event], touched: Touched) -> None:
            ev = events[0]
            spec = self._role(ev.type, role)
            if existing is not None:
                entity = self._entity(session, document_id, ev.annotator_id, existing)
            else:
                text = self._check_span(session, document_id, start, end)
                entity = self._add_span(session, document_id, ev.annotator_id, start, end, label, text)
                touched.entities.add(entity.id)
            self._fill(ev, spec, entity)

        return self._event_edit(
            document_id,
            annotator,
            [event_id],
            "create_and_fill",
            f"Label as {label} and fill {role}",
            apply,
            [existing] if existing is not None else [],
            part_key(Part.ROLE, role),
        )

    def remove_argument(self, document_id: int, annotator: str, event_id: int, ref: ArgumentRef) -> Changes:
        def apply(_s: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            argument = self._argument(ev, ref)
            self._drop(ev, argument)
            ev.status = Status.ACCEPTED
            if annotator == GOLD:  # the role is only known here, from the argument
                mark_decided(ev, part_key(Part.ROLE, argument.role))

        return self._event_edit(document_id, annotator, [event_id], "remove_argument", "Remove role filler", apply)

    def set_argument_status(
        self, document_id: int, annotator: str, event_id: int, refs: Sequence[ArgumentRef], status: Status
    ) -> Changes:
        """Review fillers of one event (a role's at once, say); accepting accepts the event and the spans too."""
        fillers = self._filler_ids([event_id], refs) if status == Status.ACCEPTED else []

        def apply(session: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            for argument in [self._argument(ev, ref) for ref in refs]:
                argument.status = status
            if status == Status.ACCEPTED:
                ev.status = Status.ACCEPTED
                _accept_spans(session, fillers)

        verb = status_verb(status)
        return self._event_edit(
            document_id,
            annotator,
            [event_id],
            f"{status.value}_argument",
            f"{verb} {len(refs)} role filler(s)",
            apply,
            fillers,
        )

    # -- attributes and values ---------------------------------------------------------------------------------

    def set_attribute(self, document_id: int, annotator: str, event_id: int, name: str, value: str | None) -> Changes:
        def apply(_s: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            offered = self.schema.attributes_for(ev.type)
            if name not in offered:
                raise UserError(f"{ev.type} has no attribute {name!r}; it has {', '.join(offered)}")
            if value is not None and value not in offered[name]:
                raise UserError(f"{value!r} is not a value of {name}; use one of {', '.join(offered[name])}")
            attrs = {k: v for k, v in ev.attrs.items() if k != name}
            if value is not None:
                attrs[name] = value
            ev.attrs, ev.status = attrs, Status.ACCEPTED

        shown = f"Set {name} to {value}" if value is not None else f"Clear {name}"
        part = part_key(Part.ATTRIBUTE, name)
        return self._event_edit(document_id, annotator, [event_id], "set_attribute", shown, apply, part=part)

    def set_fatalities(self, document_id: int, annotator: str, event_id: int, fatalities: Fatalities | None) -> Changes:
        checked = check_fatalities(fatalities)

        def apply(_s: Session, events: list[m.Event], _t: Touched) -> None:
            events[0].fatalities = records.fatalities_json(checked)
            events[0].status = Status.ACCEPTED

        decided = part_key(Part.FATALITIES)
        return self._event_edit(
            document_id, annotator, [event_id], "set_fatalities", "Set fatalities", apply, part=decided
        )

    def set_date(self, document_id: int, annotator: str, event_id: int, event_date: EventDate | None) -> Changes:
        checked = normalise_date(event_date.value, event_date.precision, event_date.text) if event_date else None

        def apply(_s: Session, events: list[m.Event], _t: Touched) -> None:
            ev = events[0]
            ev.event_date = checked.value if checked else None
            ev.date_precision = checked.precision if checked else None
            ev.date_text = checked.text if checked else None
            ev.status = Status.ACCEPTED

        return self._event_edit(
            document_id, annotator, [event_id], "set_date", "Set event date", apply, part=part_key(Part.DATE)
        )


def mark_decided(event: m.Event, part: str) -> None:
    """Record that an adjudicator decided this part of a gold event (a reserved attribute, never exported)."""
    decided = event.attrs.get(DECIDED)
    listed = [str(p) for p in decided] if isinstance(decided, list) else []
    if part not in listed:
        event.attrs = {**event.attrs, DECIDED: sorted([*listed, part])}


def _accept_spans(session: Session, entity_ids: Iterable[int]) -> None:
    """Spans a person puts in (or keeps in) a frame are reviewed: their suggestions become accepted."""
    for entity in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(list(entity_ids)))):
        if entity.status == Status.SUGGESTED:
            entity.status = Status.ACCEPTED
