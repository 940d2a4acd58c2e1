"""Moves whole documents between the store and DocumentRecord DTOs: layers, storing, loading, streaming."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Text, insert, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core import dto
from annotator.core.dto import GOLD, MODEL, DocStatus, DocumentRecord
from annotator.store import models as m
from annotator.store.database import Database


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upsertable_insert(session: Session, model: type[m.Base]) -> Any:
    """This database's INSERT, which takes ON CONFLICT DO NOTHING / DO UPDATE: a row another process
    inserted first (two imports at once, two windows of one team) is not an IntegrityError."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def annotator_id(session: Session, name: str) -> int:
    """The id of annotator `name`, created on first use."""
    query = select(m.Annotator.id).where(m.Annotator.name == name)
    found = session.scalar(query)
    if found is not None:
        return found
    session.execute(upsertable_insert(session, m.Annotator).values(name=name).on_conflict_do_nothing())
    return session.scalars(query).one()


def find_annotator(session: Session, name: str) -> int | None:
    """The id of annotator `name`, or None when nobody of that name has a layer yet."""
    return session.scalar(select(m.Annotator.id).where(m.Annotator.name == name))


def has_layer(session: Session, document_id: int, annotator: int) -> bool:
    return (
        session.scalar(
            select(m.DocumentState.status).where(
                m.DocumentState.document_id == document_id, m.DocumentState.annotator_id == annotator
            )
        )
        is not None
    )


def ensure_layer(session: Session, document_id: int, annotator: int, model: int | None = None) -> bool:
    """Give `annotator` a layer on the document, starting as a copy of the model's suggestions.

    Returns True when the layer was created now. The model's own layer needs no state row; gold starts
    empty, since it holds adjudicated decisions only.
    """
    model = model if model is not None else annotator_id(session, MODEL)
    if annotator == model or has_layer(session, document_id, annotator):
        return False
    if annotator == find_annotator(session, GOLD):  # gold holds decisions only, never unreviewed suggestions
        suggestions = DocumentRecord(doc_id="", text="")
    else:
        suggestions = DocumentRecord(
            doc_id="",
            text="",
            entities=tuple(layer_entities(session, document_id, model)),
            events=tuple(layer_events(session, document_id, model)),
        )
    store_layer(session, document_id, annotator, suggestions, status=DocStatus.NEW)
    session.flush()
    return True


def find_duplicate(session: Session, sha: str) -> int | None:
    return session.scalar(select(m.Document.id).where(m.Document.sha256 == sha))


def store_document(session: Session, record: DocumentRecord) -> int | None:
    """Insert the document itself (text, metadata, boilerplate); annotations go in with `store_layer`.

    None when the same text is already stored (another import got there first).
    """
    statement = (
        upsertable_insert(session, m.Document)
        .values(
            external_id=record.doc_id,
            title=record.title,
            source=record.source,
            url=record.url,
            published=record.published,
            text=record.text,
            sha256=text_sha256(record.text),
            boilerplate=[list(b) for b in record.boilerplate],
            meta=dict(record.meta),
        )
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(m.Document.id)
    )
    stored: int | None = session.scalar(statement)
    return stored


def store_layer(
    session: Session,
    document_id: int,
    annotator: int,
    record: DocumentRecord,
    status: str | None = None,
    event_map: dict[int, int] | None = None,
) -> dict[int, int]:
    """Write the record's entities, events and relations into one annotator's layer, replacing nothing.

    Record ids are local to the record; the returned map gives the database id of each entity, and
    `event_map`, when given, receives the database id of each event.
    Rows go in with bulk inserts: pre-annotation writes thousands of suggestions per batch.
    """
    entity_ids: dict[int, int] = {}
    if record.entities:
        rows = [
            {
                "document_id": document_id,
                "annotator_id": annotator,
                "start": e.start,
                "end": e.end,
                "label": e.label,
                "text": e.text,
                "origin": str(e.origin),
                "status": str(e.status),
                "normalized": e.normalized,
                "attrs": dict(e.attrs),
            }
            for e in record.entities
        ]
        new_ids = session.scalars(
            insert(m.EntityMention).returning(m.EntityMention.id, sort_by_parameter_order=True), rows
        ).all()
        entity_ids = {e.id: new for e, new in zip(record.entities, new_ids, strict=True)}
    event_ids: dict[int, int] = {}
    if record.events:
        rows = [
            {
                "document_id": document_id,
                "annotator_id": annotator,
                "type": ev.type,
                "trigger_start": ev.trigger_start,
                "trigger_end": ev.trigger_end,
                "trigger_text": ev.trigger_text,
                "attrs": dict(ev.attrs),
                "fatalities": fatalities_json(ev.fatalities),
                "event_date": ev.date.value if ev.date else None,
                "date_precision": ev.date.precision if ev.date else None,
                "date_text": ev.date.text if ev.date else None,
                "origin": str(ev.origin),
                "status": str(ev.status),
            }
            for ev in record.events
        ]
        new_ids = session.scalars(insert(m.Event).returning(m.Event.id, sort_by_parameter_order=True), rows).all()
        event_ids = {ev.id: new for ev, new in zip(record.events, new_ids, strict=True)}
        if event_map is not None:
            event_map.update(event_ids)
        arg_rows = [
            {
                "event_id": event_ids[ev.id],
                "position": i,
                "role": a.role,
                "entity_id": entity_ids[a.entity_id] if a.entity_id is not None else None,
                "target_event_id": event_ids[a.event_id] if a.event_id is not None else None,
                "origin": str(a.origin),
                "status": str(a.status),
            }
            for ev in record.events
            for i, a in enumerate(ev.arguments)
        ]
        if arg_rows:
            session.execute(insert(m.EventArgument), arg_rows)
    if record.relations:
        session.execute(
            insert(m.Relation),
            [
                {
                    "document_id": document_id,
                    "annotator_id": annotator,
                    "type": r.type,
                    "arg1_id": entity_ids[r.arg1],
                    "arg2_id": entity_ids[r.arg2],
                    "role1": r.role1,
                    "role2": r.role2,
                    "attrs": dict(r.attrs),
                }
                for r in record.relations
            ],
        )
    if status is not None:
        session.add(m.DocumentState(document_id=document_id, annotator_id=annotator, status=status))
    return entity_ids


def fatalities_json(f: dto.Fatalities | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"value": f.value, "low": f.low, "high": f.high, "qualifier": f.qualifier, "text": f.text}


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


def event_dto(ev: m.Event) -> dto.Event:
    date = None
    if ev.event_date or ev.date_precision or ev.date_text:
        date = dto.EventDate(value=ev.event_date, precision=ev.date_precision, text=ev.date_text)
    return dto.Event(
        id=ev.id,
        type=ev.type,
        trigger_start=ev.trigger_start,
        trigger_end=ev.trigger_end,
        trigger_text=ev.trigger_text,
        arguments=tuple(
            dto.Argument(
                role=a.role, entity_id=a.entity_id, event_id=a.target_event_id, status=a.status, origin=a.origin
            )
            for a in ev.arguments
        ),
        attrs=dict(ev.attrs or {}),
        fatalities=fatalities_dto(ev.fatalities),
        date=date,
        origin=ev.origin,
        status=ev.status,
    )


def _json(raw: Any) -> Any:
    """A JSON column read as text (SQLite hands back the string; psycopg has already decoded it)."""
    if isinstance(raw, str):
        return json.loads(raw) if raw not in ("{}", "null") else None
    return raw or None


def layer_entities(session: Session, document_id: int, annotator: int) -> list[dto.Entity]:
    """One layer's entities in text order, read as plain rows: thousands load in a few milliseconds.

    The JSON columns come back as text and are parsed only when not empty, which most are.
    """
    e = m.EntityMention
    rows = session.execute(
        select(
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
        .where(e.document_id == document_id, e.annotator_id == annotator)
        .order_by(e.start, e.end, e.id)
    )
    return [
        dto.Entity(
            id=i, start=s, end=en, label=lab, text=t, origin=o, status=st, normalized=_json(n), attrs=_json(a) or {}
        )
        for i, s, en, lab, t, o, st, n, a in rows
    ]


def layer_events(session: Session, document_id: int, annotator: int) -> list[dto.Event]:
    rows = session.scalars(
        select(m.Event)
        .where(m.Event.document_id == document_id, m.Event.annotator_id == annotator)
        .order_by(m.Event.trigger_start, m.Event.trigger_end, m.Event.id)
    ).all()
    return [event_dto(ev) for ev in rows]


def document_fields(doc: m.Document) -> dict[str, Any]:
    """The fields a record and a view share: external id, metadata, the text and its boilerplate."""
    return {
        "doc_id": doc.external_id,
        "text": doc.text,
        "title": doc.title,
        "source": doc.source,
        "url": doc.url,
        "published": doc.published,
        "boilerplate": tuple((int(s), int(e)) for s, e in doc.boilerplate),
    }


def load_record(session: Session, document_id: int, annotator: int) -> DocumentRecord:
    """One document with one layer, ids from the database."""
    doc = session.get_one(m.Document, document_id)
    relations = session.scalars(
        select(m.Relation)
        .where(m.Relation.document_id == document_id, m.Relation.annotator_id == annotator)
        .order_by(m.Relation.id)
    ).all()
    state = session.scalar(
        select(m.DocumentState.status).where(
            m.DocumentState.document_id == document_id, m.DocumentState.annotator_id == annotator
        )
    )
    name = session.scalar(select(m.Annotator.name).where(m.Annotator.id == annotator))
    return DocumentRecord(
        **document_fields(doc),
        meta=dict(doc.meta or {}),
        entities=tuple(layer_entities(session, document_id, annotator)),
        events=tuple(layer_events(session, document_id, annotator)),
        relations=tuple(
            dto.Relation(
                id=r.id,
                type=r.type,
                arg1=r.arg1_id,
                arg2=r.arg2_id,
                role1=r.role1,
                role2=r.role2,
                attrs=dict(r.attrs or {}),
            )
            for r in relations
        ),
        status=state,
        annotator=name,
    )


def default_layer(db: Database, current: str) -> str:
    """`gold` where it exists, else the current annotator (the export default)."""
    with db.reader() as session:
        gold = session.scalar(select(m.Annotator.id).where(m.Annotator.name == GOLD))
        if (
            gold is not None
            and session.scalar(select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == gold).limit(1))
            is not None
        ):
            return GOLD
    return current


def layer_document_ids(db: Database, layer: str, status: str | None = None) -> list[int]:
    """Documents that have `layer` (every document for the model layer), in id order."""
    with db.reader() as session:
        aid = session.scalar(select(m.Annotator.id).where(m.Annotator.name == layer))
        if layer == MODEL:
            return list(session.scalars(select(m.Document.id).order_by(m.Document.id)))
        if aid is None:
            return []
        query = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == aid)
        if status:
            query = query.where(m.DocumentState.status == status)
        return list(session.scalars(query.order_by(m.DocumentState.document_id)))


def iter_records(
    db: Database, layer: str, document_ids: Sequence[int] | None = None, status: str | None = None
) -> Iterator[DocumentRecord]:
    """Stream one layer document by document: memory does not grow with the corpus."""
    ids = list(document_ids) if document_ids is not None else layer_document_ids(db, layer, status)
    with db.reader() as session:
        aid = annotator_id(session, layer) if ids else 0
        for doc_id in ids:
            yield load_record(session, doc_id, aid)
            session.expunge_all()  # keep the identity map from growing with the corpus


def renumber(record: DocumentRecord) -> DocumentRecord:
    """Give entities, events and relations ids 1..n in text order, so exports do not depend on database ids."""
    ents = sorted(record.entities, key=lambda e: (e.start, e.end, e.label, e.id))
    ent_map = {e.id: i for i, e in enumerate(ents, 1)}
    evs = sorted(record.events, key=lambda e: (e.trigger_start, e.trigger_end, e.type, e.id))
    ev_map = {e.id: i for i, e in enumerate(evs, 1)}

    def arg(a: dto.Argument) -> dto.Argument:
        return replace(
            a,
            entity_id=ent_map.get(a.entity_id) if a.entity_id is not None else None,
            event_id=ev_map.get(a.event_id) if a.event_id is not None else None,
        )

    rels = sorted(record.relations, key=lambda r: (ent_map[r.arg1], ent_map[r.arg2], r.type, r.id))
    return replace(
        record,
        entities=tuple(replace(e, id=ent_map[e.id]) for e in ents),
        events=tuple(replace(e, id=ev_map[e.id], arguments=tuple(arg(a) for a in e.arguments)) for e in evs),
        relations=tuple(replace(r, id=i, arg1=ent_map[r.arg1], arg2=ent_map[r.arg2]) for i, r in enumerate(rels, 1)),
    )
