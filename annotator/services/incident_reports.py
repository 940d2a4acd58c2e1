"""Reads event mentions as incident reports: type, date (or the article's), place, sides, figures, in bulk.

A layer's reports are its own events where the annotator has the document, else the model's (as the event
table shows them), of the types incidents are made of: ACLED-coded ones and what attacks do (deaths,
injuries, destruction). Rejected events are not reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from annotator.core import acled
from annotator.core.dto import MODEL, Entity, Event, Origin, Status
from annotator.core.incidents import Member
from annotator.core.schema import Schema
from annotator.formats.acled import ACTOR1_ROLES, ACTOR2_ROLES, ACTOR_LABELS, SHARED_ROLES, acled_types, actor_name
from annotator.nlp.geocode import Geocoder, fold
from annotator.services import records
from annotator.services.consolidate import ReportData
from annotator.services.layer_rows import fatalities_dto
from annotator.services.linking import CONSEQUENCES, Actor, Report
from annotator.store import models as m

CHUNK = 500  # ids per IN clause
NEAR_CHARS = 40  # text read before a place mention to see "near", "outskirts of"


def incident_types(schema: Schema) -> frozenset[str]:
    """Event types incidents are made of: those ACLED codes, and the consequences of attacks."""
    mapped = set(((schema.mappings.get("acled") or {}).get("event_type") or {}).keys())
    mapped |= {name for name, spec in schema.event_types.items() if spec.maps.get("acled_event_type")}
    return frozenset((mapped | CONSEQUENCES) & set(schema.event_types))


def layer_scope(session: Session, layer: str) -> ColumnElement[bool]:
    """Events of `layer`: its own where it has the document, the model's elsewhere."""
    model = records.annotator_id(session, MODEL)
    if layer == MODEL:
        return m.Event.annotator_id == model
    aid = records.annotator_id(session, layer)
    own = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == aid)
    return or_(
        and_(m.Event.annotator_id == aid, m.Event.document_id.in_(own)),
        and_(m.Event.annotator_id == model, m.Event.document_id.not_in(own)),
    )


def report_ids(
    session: Session,
    layer: str,
    types: Iterable[str],
    documents: Sequence[int] | None = None,
    *,
    reviewed_only: bool = False,
) -> list[int]:
    query = select(m.Event.id).where(
        layer_scope(session, layer), m.Event.type.in_(list(types)), m.Event.status != Status.REJECTED
    )
    if reviewed_only:  # accepted, or made by a person (annotator.core.review.is_reviewed)
        query = query.where(or_(m.Event.status == Status.ACCEPTED, m.Event.origin == Origin.HUMAN))
    if documents is not None:
        query = query.where(m.Event.document_id.in_(list(documents)))
    return list(session.scalars(query.order_by(m.Event.id)))


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def load_reports(session: Session, ids: Sequence[int], schema: Schema, geocoder: Geocoder) -> dict[int, ReportData]:
    """Report data of these events, in a few queries per thousand events."""
    out: dict[int, ReportData] = {}
    for chunk in _chunks(ids):
        events = session.execute(
            select(
                m.Event,
                m.Document.external_id,
                m.Document.title,
                m.Document.source,
                m.Document.published,
            )
            .join(m.Document, m.Document.id == m.Event.document_id)
            .where(m.Event.id.in_(chunk))
        ).all()
        fillers = _fillers(session, chunk)
        for ev, doc_id, title, source, published in events:
            out[ev.id] = _report(ev, doc_id, title, source, published, fillers.get(ev.id, []), schema, geocoder)
        session.expunge_all()
    return out


def _fillers(session: Session, event_ids: list[int]) -> dict[int, list[tuple[str, Entity, str]]]:
    """(role, entity, the text just before it) for the non-rejected fillers of each event."""
    e = m.EntityMention
    # SQLite counts a negative substr start from the end: read from the first character near the start.
    before = case(
        (e.start >= NEAR_CHARS, func.substr(m.Document.text, e.start - (NEAR_CHARS - 1), NEAR_CHARS)),
        else_=func.substr(m.Document.text, 1, e.start),
    )
    rows = session.execute(
        select(
            m.EventArgument.event_id,
            m.EventArgument.role,
            e.id,
            e.start,
            e.end,
            e.label,
            e.text,
            e.normalized,
            e.attrs,
            before,
        )
        .join(e, e.id == m.EventArgument.entity_id)
        .join(m.Document, m.Document.id == e.document_id)
        .where(
            m.EventArgument.event_id.in_(event_ids),
            m.EventArgument.status != Status.REJECTED,
            e.status != Status.REJECTED,
        )
        .order_by(m.EventArgument.event_id, m.EventArgument.position)
    )
    found: dict[int, list[tuple[str, Entity, str]]] = defaultdict(list)
    for event_id, role, entity_id, start, end, label, text, normalized, attrs, prefix in rows:
        entity = Entity(entity_id, start, end, label, text, normalized=normalized, attrs=dict(attrs or {}))
        found[event_id].append((role, entity, str(prefix or "")))
    return found


def _actor(entity: Entity) -> Actor:
    value = entity.normalized or {}
    name = actor_name(entity)
    key = str(value.get("id") or "") or fold(name)
    inter = entity.attrs.get("actor_type")
    return Actor(key, name, inter if isinstance(inter, str) and inter in acled.INTER else "")


def _sides(fillers: list[tuple[str, Entity, str]]) -> tuple[tuple[Actor, ...], tuple[Actor, ...]]:
    """ACLED's actor 1 and actor 2 sides, as the ACLED exporter reads roles (a shared role fills both)."""
    actors = [(role, e) for role, e, _ in fillers if e.label in ACTOR_LABELS]
    side1 = [_actor(e) for role, e in actors if role in ACTOR1_ROLES]
    side2 = [_actor(e) for role, e in actors if role in ACTOR2_ROLES]
    shared = [_actor(e) for role, e in actors if role in SHARED_ROLES]
    if shared and not side1:
        side1, shared = shared[:1], shared[1:]
    if shared and not side2:
        side2, shared = shared[:1], shared[1:]
    return tuple(side1 + shared), tuple(side2)


def _report(
    ev: m.Event,
    doc_id: str,
    title: str,
    source: str,
    published: str | None,
    fillers: list[tuple[str, Entity, str]],
    schema: Schema,
    geocoder: Geocoder,
) -> ReportData:
    fatalities = fatalities_dto(ev.fatalities)
    value, precision, fallback = ev.event_date, ev.date_precision, False
    if not value and published:  # the article's date stands in, with its own precision
        value, fallback = published[:10], True
        precision = {10: "day", 7: "month", 4: "year"}.get(len(value))
    span = acled.period(value, precision) if value else None
    place_filler = next(((e, before) for role, e, before in fillers if role == "Place"), None)
    place = (
        geocoder.resolve(place_filler[0].normalized, place_filler[0].text, place_filler[1]) if place_filler else None
    )
    side1, side2 = _sides(fillers)
    counted = None
    if fatalities is not None:
        counted = fatalities.low if fatalities.low is not None else fatalities.value
    dto_event = Event(ev.id, ev.type, ev.trigger_start, ev.trigger_end, ev.trigger_text, attrs=dict(ev.attrs or {}))
    report = Report(
        event_id=ev.id,
        document_id=ev.document_id,
        type=ev.type,
        attack_mode=str((ev.attrs or {}).get("attack_mode") or ""),
        trigger_start=ev.trigger_start,
        start=span[0] if span else None,
        end=span[1] if span else None,
        date_value=value,
        precision=precision,
        fallback=fallback,
        place=place,
        side1=side1,
        side2=side2,
        value=counted,
        low=fatalities.low if fatalities else None,
        high=fatalities.high if fatalities else None,
        entities=frozenset(e.id for _, e, _ in fillers),
    )
    member = Member(
        event_id=ev.id,
        document_id=ev.document_id,
        doc_id=doc_id,
        title=title or "",
        source=source or "",
        published=published,
        type=ev.type,
        trigger=ev.trigger_text,
        trigger_start=ev.trigger_start,
        trigger_end=ev.trigger_end,
        status=ev.status,
    )
    attribution = (ev.attrs or {}).get("attribution")
    return ReportData(
        report=report,
        member=member,
        acled=acled_types(schema, dto_event),
        fatalities=fatalities,
        attribution=" ".join(attribution.split()) if isinstance(attribution, str) else "",
        has_instrument=any(role == "Instrument" for role, _, _ in fillers),
    )


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) holding a span, on one line: enough to read the report in context."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "? ", "! ")))
    right_candidates = [i for i in (text.find(p, end) for p in (". ", "? ", "! ", "\n")) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left + 1 if left >= 0 else 0 : right].split())


def sentences(session: Session, members: Sequence[Member]) -> dict[int, str]:
    """The sentence of each member's trigger, reading each article's text once."""
    by_doc: dict[int, list[Member]] = defaultdict(list)
    for member in members:
        by_doc[member.document_id].append(member)
    out: dict[int, str] = {}
    for document_id, group in by_doc.items():
        text = session.scalar(select(m.Document.text).where(m.Document.id == document_id)) or ""
        for member in group:
            out[member.event_id] = sentence_around(text, member.trigger_start, member.trigger_end)
    return out
