"""One layer's rows read for many documents at once, as plain rows: entities, events with their arguments."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Text, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core import dto
from annotator.store import models as m


def fatalities_dto(data: dict[str, Any] | None) -> dto.Fatalities | None:
    if not data:
        return None
    return dto.Fatalities(
        value=data.get("value"),
        low=data.get("low"),
        high=data.get("high"),
        qualifier=data.get("qualifier"),
        text=data.get("text"),
    )


def _json(raw: Any) -> Any:
    """A JSON column read as text (SQLite hands back the string; psycopg has already decoded it)."""
    if isinstance(raw, str):
        return json.loads(raw) if raw not in ("{}", "null") else None
    return raw or None


class JsonCells:
    """JSON cells of one layer, each distinct text parsed once: attribute sets repeat across a layer's rows.

    Every row gets its own top-level copy, so a caller changing one row's attributes changes no other.
    """

    def __init__(self) -> None:
        self._parsed: dict[str, Any] = {}

    def __call__(self, raw: Any) -> Any:
        if not isinstance(raw, str) or raw in ("{}", "null"):
            return _json(raw)
        found = self._parsed.get(raw)
        if found is None:
            found = self._parsed[raw] = json.loads(raw)
        return dict(found) if isinstance(found, dict) else found


def entities_by_document(
    session: Session, document_ids: Collection[int], annotator: int, only: Collection[int] | None = None
) -> dict[int, list[dto.Entity]]:
    """The layer's entities of each document in text order (or those whose ids are in `only`), in one query:
    thousands load in a few milliseconds. The JSON columns are parsed only when not empty, which most are."""
    e = m.EntityMention
    chosen = () if only is None else (e.id.in_(only),)
    cells = JsonCells()
    found: dict[int, list[dto.Entity]] = {}
    for doc_id, i, s, en, lab, t, o, st, n, a in (
        session.connection()
        .execute(  # Core rows: no ORM bookkeeping
            select(
                e.document_id,
                e.id,
                e.start,
                e.end,
                e.label,
                e.text,
                e.origin,
                e.status,
                type_coerce(e.normalized, Text),
                type_coerce(e.attrs, Text),
            )
            .where(e.document_id.in_(document_ids), e.annotator_id == annotator, *chosen)
            .order_by(e.document_id, e.start, e.end, e.id)
        )
        .all()
    ):
        found.setdefault(doc_id, []).append(
            dto.Entity(
                id=i, start=s, end=en, label=lab, text=t, origin=o, status=st, normalized=cells(n), attrs=cells(a) or {}
            )
        )
    return found


def events_by_document(
    session: Session, document_ids: Collection[int], annotator: int, only: Collection[int] | None = None
) -> dict[int, list[dto.Event]]:
    """The layer's events of each document in text order (or those whose ids are in `only`), in two queries
    whatever their number: events, then all their arguments."""
    ev, a = m.Event, m.EventArgument
    in_layer = (
        ev.document_id.in_(document_ids),
        ev.annotator_id == annotator,
        *(() if only is None else (ev.id.in_(only),)),
    )
    connection, cells = session.connection(), JsonCells()
    arguments: dict[int, list[dto.Argument]] = {}
    for event_id, role, entity_id, target, status, origin in connection.execute(
        select(a.event_id, a.role, a.entity_id, a.target_event_id, a.status, a.origin)
        .where(a.event_id.in_(select(ev.id).where(*in_layer)))
        .order_by(a.event_id, a.position, a.id)
    ).all():
        arguments.setdefault(event_id, []).append(
            dto.Argument(role=role, entity_id=entity_id, event_id=target, status=status, origin=origin)
        )
    found: dict[int, list[dto.Event]] = {}
    for doc_id, i, t, s, e, tt, attrs, fat, d, p, dt, o, st in connection.execute(
        select(
            ev.document_id,
            ev.id,
            ev.type,
            ev.trigger_start,
            ev.trigger_end,
            ev.trigger_text,
            type_coerce(ev.attrs, Text),
            type_coerce(ev.fatalities, Text),
            ev.event_date,
            ev.date_precision,
            ev.date_text,
            ev.origin,
            ev.status,
        )
        .where(*in_layer)
        .order_by(ev.document_id, ev.trigger_start, ev.trigger_end, ev.id)
    ).all():
        found.setdefault(doc_id, []).append(
            dto.Event(
                id=i,
                type=t,
                trigger_start=s,
                trigger_end=e,
                trigger_text=tt,
                arguments=tuple(arguments.get(i, ())),
                attrs=cells(attrs) or {},
                fatalities=fatalities_dto(cells(fat)),
                date=dto.EventDate(value=d, precision=p, text=dt) if d or p or dt else None,
                origin=o,
                status=st,
            )
        )
    return found
