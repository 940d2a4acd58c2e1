"""Facts about where and when: an article's publication date (relative dates re-resolved) and hand geocoding.

Both are edits like any other: one history entry each, undone with the document's undo stack.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.dto import Changes
from annotator.core.errors import UserError
from annotator.nlp.normalise import resolve_date
from annotator.services import history, records
from annotator.services.annotate import AnnotationService
from annotator.services.history import Touched
from annotator.store import models as m

LINKS_KEY = "incident_links"  # the incident service's record of what its suggestions were computed from
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PLACE_FIELDS = ("name", "lat", "lon", "country", "country_code", "admin1", "admin2", "admin3", "place_type")


def check_published(value: str | None) -> str | None:
    """A publication date as stored: YYYY-MM-DD, YYYY-MM or YYYY; empty clears it."""
    value = (value or "").strip() or None
    if value is None:
        return None
    if not _PUBLISHED.match(value):
        raise UserError(f"publication date {value!r}: write YYYY-MM-DD (or YYYY-MM, YYYY when only that is known)")
    try:
        date.fromisoformat(value if len(value) == 10 else (value + "-01-01")[:10])
    except ValueError as exc:
        raise UserError(f"{value} is not a calendar date") from exc
    return value


def _resolved(text: str | None, published: str | None) -> tuple[str | None, str | None]:
    found = resolve_date(text, published) if text else None
    return (found.value, found.precision) if found else (None, None)


def _event_date(
    ev: m.Event, old: str | None, new: str | None, times: dict[int, str]
) -> tuple[str | None, str | None, str | None] | None:
    """The event's new (value, precision, text) when its date came from the old publication date, else None.

    That is a date expression still at its old resolution, or no date at all while its Time filler is
    one of the expressions being re-resolved ("yesterday" once the article's date is known).
    """
    if ev.date_text and (ev.event_date, ev.date_precision) == _resolved(ev.date_text, old):
        found = _resolved(ev.date_text, new)
        return (found[0], found[1], ev.date_text) if found != (ev.event_date, ev.date_precision) else None
    if ev.event_date is None and ev.date_text is None:
        text = next((times[a.entity_id] for a in ev.arguments if a.role == "Time" and a.entity_id in times), None)
        found = _resolved(text, new)
        return (found[0], found[1], text) if found[0] else None
    return None


def set_published(service: AnnotationService, document_id: int, annotator: str, value: str | None) -> Changes:
    """Set or correct the article's publication date and re-resolve what was resolved against the old one.

    A date expression ("today", "on Tuesday", "last week") is re-resolved in every layer where it still
    holds the value the old date gave it; values a person typed in are theirs and stay.
    """
    new = check_published(value)
    date_types = {name for name, t in service.schema.entity_types.items() if t.normalise == "date"}
    with service.db.session() as session:
        doc = session.get(m.Document, document_id)
        if doc is None:
            raise UserError(f"there is no document with id {document_id}")
        old = doc.published
        if old == new:
            return Changes()
        aid = records.annotator_id(session, annotator)
        records.ensure_layer(session, document_id, aid)
        entities = [
            e
            for e in session.scalars(
                select(m.EntityMention).where(
                    m.EntityMention.document_id == document_id, m.EntityMention.label.in_(date_types)
                )
            )
            if (e.normalized or {}).get("value") == _resolved(e.text, old)[0] != _resolved(e.text, new)[0]
        ]
        times = {e.id: e.text for e in entities}
        events = [ev for ev in session.scalars(select(m.Event).where(m.Event.document_id == document_id))]
        dates = {ev.id: _event_date(ev, old, new, times) for ev in events}
        events = [ev for ev in events if dates[ev.id] is not None]
        touched = Touched({e.id for e in entities}, {ev.id for ev in events}, documents={document_id})

        def apply() -> None:
            doc.published = new
            for entity in entities:
                value, precision = _resolved(entity.text, new)
                rest = {k: v for k, v in (entity.normalized or {}).items() if k not in ("value", "precision")}
                entity.normalized = ({"value": value, "precision": precision} | rest) if value else (rest or None)
            for ev in events:
                ev.event_date, ev.date_precision, ev.date_text = dates[ev.id] or (None, None, None)
            stale = session.get(m.ProjectInfo, LINKS_KEY)
            if stale is not None:  # event dates changed: the model's links are computed again
                session.delete(stale)

        shown = new or "unknown"
        hid = history.record_edit(
            session, document_id, aid, "set_published", f"Set publication date to {shown}", touched, apply
        )
    return Changes(
        documents=frozenset({document_id}),
        entities=frozenset(touched.entities),
        events=frozenset(touched.events),
        states=True,
        incidents=True,
        history_id=hid,
    )


def geocode_entity(
    service: AnnotationService, document_id: int, annotator: str, entity_ids: list[int], place: dict[str, Any]
) -> Changes:
    """Geocode place mentions by hand: name, coordinates and admin levels become their normalised value."""
    name = str(place.get("name") or "").strip()
    lat, lon = place.get("lat"), place.get("lon")
    if not name:
        raise UserError("a geocoded place needs a name (ACLED's location, e.g. “Homs - Al Waer”)")
    if (
        not isinstance(lat, int | float)
        or not isinstance(lon, int | float)
        or not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise UserError(f"latitude {lat!r} and longitude {lon!r} must be numbers within ±90 and ±180")
    value = {k: place[k] for k in PLACE_FIELDS if place.get(k) not in (None, "")} | {"source": "hand", "kind": "place"}

    def apply(session: Session, _aid: int, _t: Touched) -> None:
        for entity in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(entity_ids))):
            entity.normalized = dict(value)
            stale = session.get(m.ProjectInfo, LINKS_KEY)
            if stale is not None:
                session.delete(stale)

    return service._edit(document_id, annotator, "geocode", f"Geocode as {name}", entity_ids, apply)
