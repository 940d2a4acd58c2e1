"""Writes adjudication decisions into gold rows, inside one edit of the annotation service's frame.

The edit snapshots every gold row of the document beforehand, so whatever a decision changes is undone.

Spans go first, then events, then parts of events, so a role filler finds the span it needs. Taking a
person's version copies it (spans a role needs are found in gold or made there); taking "nothing"
leaves a rejected item as the record of that decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.dto import DocumentRecord, Event, Origin, Status
from annotator.core.errors import UserError
from annotator.services import records
from annotator.services.alignment import Alignment, Item, ItemKind, part_key, trigger_value
from annotator.services.annotate import AnnotationService
from annotator.services.events import mark_decided
from annotator.services.history import Touched
from annotator.store import models as m

Span = tuple[int, int, str]


class GoldWriter:
    """Applies decisions to gold rows inside one edit: spans first, then events, then parts of events."""

    def __init__(
        self, session: Session, document_id: int, aid: int, touched: Touched, al: Alignment, *, cautious: bool = False
    ) -> None:
        self.session = session
        self.cautious = cautious  # automatic decisions fill roles only with spans gold already holds
        self.document_id = document_id
        self.aid = aid
        self.touched = touched
        self.al = al
        self.events: dict[int, m.Event] = {}  # event unit -> its gold row, once written
        self.decided = 0  # items settled by the decisions written so far

    def write(self, item: Item, value: Any, source: Event | None) -> None:
        if item.is_entity:
            self._entity(item, value)
        elif item.is_event:
            skeleton = source or self._version(item.unit, value)
            self._event(item.unit, skeleton, accept=value is not None, frame=source if value is not None else None)
        elif not self._part(item, value, source):
            return
        self.decided += 1

    def _entity(self, item: Item, value: Span | None) -> None:
        unit = self.al.entity_units[item.unit]
        existing = unit.get(self.al.gold_index)
        row = self.session.get(m.EntityMention, existing.id) if existing is not None else None
        if row is None:  # a rejection made from nothing keeps a version's extent, so it aligns with the unit
            row = self.span(*(value or next(v for v in item.versions if v is not None)), reuse=False)
        elif value is not None:
            text = self.session.get_one(m.Document, self.document_id).text
            row.start, row.end, row.label, row.text = value[0], value[1], value[2], text[value[0] : value[1]]
        row.status = Status.ACCEPTED if value else Status.REJECTED

    def span(self, start: int, end: int, label: str, *, reuse: bool = True) -> m.EntityMention:
        """Gold's span at these offsets (preferring an accepted one, then the label), made when gold has none.

        A rejected span is accepted again: a role filler a person chose must be a span of the answer. A span
        is not made when the annotators gave those offsets different labels: that is a decision of its own.
        """
        if reuse:
            rows = self.session.scalars(
                select(m.EntityMention).where(
                    m.EntityMention.document_id == self.document_id,
                    m.EntityMention.annotator_id == self.aid,
                    m.EntityMention.start == start,
                    m.EntityMention.end == end,
                )
            ).all()
            found = sorted(rows, key=lambda e: (e.status != Status.ACCEPTED, e.label != label, e.id))
            if found:
                found[0].status = Status.ACCEPTED
                return found[0]
        text = self.session.get_one(m.Document, self.document_id).text
        labels = {e.label for layer in self.al.layers for e in layer.entities if (e.start, e.end) == (start, end)}
        if reuse and len(labels) > 1:  # a role decision must not settle a label dispute on the side
            raise UserError(
                f"decide the label of “{text[start:end]}” first: the annotators disagree ({', '.join(sorted(labels))})"
            )
        row = AnnotationService._add_span(self.session, self.document_id, self.aid, start, end, label, text[start:end])
        self.touched.entities.add(row.id)
        return row

    def _version(self, unit: int, value: Span | None) -> Event:
        """An annotator's event of the unit with this trigger and type (any annotator's for None)."""
        versions = [ev for i, ev in sorted(self.al.event_units[unit].items()) if i != self.al.gold_index]
        return next((ev for ev in versions if value is not None and trigger_value(ev) == value), versions[0])

    def _event(self, unit: int, skeleton: Event, *, accept: bool, frame: Event | None) -> m.Event:
        """Gold's event of a unit, accepted with the skeleton's type and trigger (and `frame`'s parts), or rejected.

        Taking a whole frame replaces gold's parts, and its listed decisions go: they are open again.
        """
        existing = self.al.event_units[unit].get(self.al.gold_index)
        row = self.session.get(m.Event, existing.id) if existing is not None else None
        if row is None:
            row = m.Event(document_id=self.document_id, annotator_id=self.aid, origin=Origin.HUMAN, attrs={})
            self.session.add(row)
        if accept or existing is None:
            row.type, row.trigger_start, row.trigger_end = skeleton.type, skeleton.trigger_start, skeleton.trigger_end
            row.trigger_text = skeleton.trigger_text
        row.status = Status.ACCEPTED if accept else Status.REJECTED
        if frame is not None:
            row.attrs = {k: v for k, v in frame.attrs.items() if not k.startswith("_")}
            row.fatalities = records.fatalities_json(frame.fatalities)
            row.event_date, row.date_precision, row.date_text = _date(frame)
            layer = self._layer_of(unit, frame)
            row.arguments = []
            for role in sorted({a.role for a in frame.arguments}):
                self._fill(row, role, _fillers(layer, frame, role))
        self.session.flush()
        self.touched.events.add(row.id)
        self.events[unit] = row
        return row

    def _part(self, item: Item, value: Any, source: Event | None) -> bool:
        """Set one part of gold's event; False when it stays open (fillers without their spans, shared only)."""
        row = self.events.get(item.unit)
        if row is None:
            existing = self.al.event_units[item.unit].get(self.al.gold_index)
            if existing is None or existing.status == Status.REJECTED:
                raise UserError("decide the event itself first: it is not in gold")
            row = self.session.get_one(m.Event, existing.id)
        if item.kind == ItemKind.ROLE:
            if source is not None:
                spans = _fillers(self._layer_of(item.unit, source), source, item.name)
            else:  # nothing, or the fillers enough people share
                spans = [(s, e, "") for s, e in value or ()]
            complete = self._fill(row, item.name, spans, only_existing=self.cautious or source is None)
            if not complete or (source is None and value):
                return False  # some fillers wait for their spans, or only the shared ones went in
        elif item.kind == ItemKind.ATTRIBUTE:
            attrs = {k: v for k, v in row.attrs.items() if k != item.name}
            row.attrs = {**attrs, item.name: source.attrs[item.name]} if source and value is not None else attrs
        elif item.kind == ItemKind.FATALITIES:
            row.fatalities = records.fatalities_json(source.fatalities) if source else None
        else:
            row.event_date, row.date_precision, row.date_text = _date(source) if source else (None, None, None)
        mark_decided(row, part_key(item.kind, item.name))
        return True

    def _fill(self, row: m.Event, role: str, spans: Sequence[Span], *, only_existing: bool = False) -> bool:
        """Make these spans the role's fillers; True when every one of them is in gold now."""
        kept = [a for a in row.arguments if a.role != role]
        fillers = []
        for start, end, label in spans:
            found = self._existing_span(start, end) if only_existing else self.span(start, end, label)
            if found is not None:
                fillers.append(found)
        row.arguments = kept + [
            m.EventArgument(role=role, entity_id=f.id, origin=Origin.HUMAN, status=Status.ACCEPTED) for f in fillers
        ]
        for position, argument in enumerate(row.arguments):
            argument.position = position
        return len(fillers) == len(spans)

    def _existing_span(self, start: int, end: int) -> m.EntityMention | None:
        return self.session.scalars(
            select(m.EntityMention).where(
                m.EntityMention.document_id == self.document_id,
                m.EntityMention.annotator_id == self.aid,
                m.EntityMention.start == start,
                m.EntityMention.end == end,
                m.EntityMention.status == Status.ACCEPTED,
            )
        ).first()

    def _layer_of(self, unit: int, source: Event) -> DocumentRecord:
        index = next(i for i, ev in self.al.event_units[unit].items() if ev is source)
        return self.al.layers[index]


def _fillers(layer: DocumentRecord, ev: Event, role: str) -> list[Span]:
    spans = {e.id: (e.start, e.end, e.label) for e in layer.entities}
    return sorted({spans[a.entity_id] for a in ev.arguments if a.role == role and a.entity_id in spans})


def _date(ev: Event) -> tuple[str | None, str | None, str | None]:
    return (ev.date.value, ev.date.precision, ev.date.text) if ev.date else (None, None, None)
