"""Moves whole documents between the store and DocumentRecord DTOs: layers, storing, loading, streaming."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import FromClause, Text, insert, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core import dto
from annotator.core.dto import GOLD, MODEL, DocStatus, DocumentRecord
from annotator.core.errors import UserError
from annotator.services.layer_rows import JsonCells, entities_by_document, events_by_document
from annotator.store import models as m
from annotator.store.database import Database
from annotator.store.search_index import bulk_indexing

RECORD_CHUNK = 100  # documents read together when streaming a layer


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upsertable_insert(session: Session, model: type[m.Base] | FromClause) -> Any:
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


def find_duplicates(session: Session, shas: Collection[str]) -> dict[str, int]:
    """The stored document of each of these text hashes that is already in the project, in one query."""
    found: dict[str, int] = {}
    wanted = list(shas)
    for i in range(0, len(wanted), 500):  # well under every database's limit of bound parameters
        chunk = wanted[i : i + 500]
        found.update(
            (sha, doc_id)
            for sha, doc_id in session.execute(
                select(m.Document.sha256, m.Document.id).where(m.Document.sha256.in_(chunk))
            )
        )
    return found


def store_document(session: Session, record: DocumentRecord) -> int | None:
    """Insert the document itself (text, metadata, boilerplate); annotations go in with `store_layer`.

    None when the same text is already stored (another import got there first).
    """
    return store_documents(session, [record])[0]


def store_documents(session: Session, batch: Sequence[DocumentRecord]) -> list[int | None]:
    """Insert documents, the whole batch in one statement; the id of each in the batch's order, None for a
    text already stored (another import got there first). The batch holds each text once."""
    if not batch:
        return []
    now = m.utcnow()
    shas = [text_sha256(record.text) for record in batch]
    rows = [
        {
            "external_id": record.doc_id,
            "title": record.title,
            "source": record.source,
            "url": record.url,
            "published": record.published,
            "text": record.text,
            "sha256": sha,
            "imported_at": now,
            "boilerplate": [list(b) for b in record.boilerplate],
            "meta": dict(record.meta),
        }
        for record, sha in zip(batch, shas, strict=True)
    ]
    # On the table, not the mapped class: the ORM's bulk insert leaves out the keys of a row whose value is None
    # and so splits a batch into a statement per run of rows with and without a date.
    insert_new = upsertable_insert(session, m.Document.__table__).on_conflict_do_nothing(index_elements=["sha256"])
    present: dict[str, int] = {}
    with bulk_indexing(session) as index:
        if session.get_bind().dialect.name == "sqlite":
            # The transaction holds SQLite's write lock from here on (bulk_indexing wrote already), so no
            # other import adds these texts meanwhile. A plain executemany, then the ids by the texts'
            # hashes: asking the insert to return ids would make SQLAlchemy insert the rows one at a time.
            present = find_duplicates(session, shas)
            fresh = [(row, sha) for row, sha in zip(rows, shas, strict=True) if sha not in present]
            if fresh:
                session.execute(insert_new, [row for row, _ in fresh])
            stored = find_duplicates(session, [sha for _, sha in fresh])
        else:  # concurrent writers: only what this insert returns is this import's
            returned = session.execute(insert_new.returning(m.Document.sha256, m.Document.id), rows)
            stored = {sha: doc_id for sha, doc_id in returned}
        index(list(stored.values()))
    return [None if sha in present else stored.get(sha) for sha in shas]


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


def layer_entities(
    session: Session, document_id: int, annotator: int, only: Collection[int] | None = None
) -> list[dto.Entity]:
    """One layer's entities in text order (or those of them whose ids are in `only`)."""
    return entities_by_document(session, [document_id], annotator, only).get(document_id, [])


def layer_events(
    session: Session, document_id: int, annotator: int, only: Collection[int] | None = None
) -> list[dto.Event]:
    """One layer's events in text order (or those whose ids are in `only`), with their arguments."""
    return events_by_document(session, [document_id], annotator, only).get(document_id, [])


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
    found = load_records(session, [document_id], annotator)
    if not found:
        raise UserError(f"there is no document with id {document_id}")
    return found[0]


def load_records(session: Session, document_ids: Sequence[int], annotator: int) -> list[DocumentRecord]:
    """Documents with one layer each, in these ids' order, in the same few queries however many there are."""
    d, r = m.Document, m.Relation
    ids = list(document_ids)
    cells = JsonCells()
    docs = {
        row[0]: row
        for row in session.connection().execute(
            select(
                d.id,
                d.external_id,
                d.title,
                d.source,
                d.url,
                d.published,
                d.text,
                type_coerce(d.boilerplate, Text),
                type_coerce(d.meta, Text),
            ).where(d.id.in_(ids))
        )
    }
    states = dict(
        session.execute(
            select(m.DocumentState.document_id, m.DocumentState.status).where(
                m.DocumentState.document_id.in_(ids), m.DocumentState.annotator_id == annotator
            )
        ).all()
    )
    name = session.scalar(select(m.Annotator.name).where(m.Annotator.id == annotator))
    entities = entities_by_document(session, ids, annotator)
    events = events_by_document(session, ids, annotator)
    relations: dict[int, list[dto.Relation]] = {}
    for doc_id, rel_id, rtype, arg1, arg2, role1, role2, attrs in session.connection().execute(
        select(r.document_id, r.id, r.type, r.arg1_id, r.arg2_id, r.role1, r.role2, type_coerce(r.attrs, Text))
        .where(r.document_id.in_(ids), r.annotator_id == annotator)
        .order_by(r.document_id, r.id)
    ):
        relations.setdefault(doc_id, []).append(
            dto.Relation(
                id=rel_id, type=rtype, arg1=arg1, arg2=arg2, role1=role1, role2=role2, attrs=cells(attrs) or {}
            )
        )
    found = []
    for doc_id in ids:
        if doc_id not in docs:
            continue
        _, external, title, source, url, published, text, boilerplate, meta = docs[doc_id]
        found.append(
            DocumentRecord(
                doc_id=external,
                text=text,
                title=title,
                source=source,
                url=url,
                published=published,
                boilerplate=tuple((int(s), int(e)) for s, e in cells(boilerplate) or ()),
                meta=cells(meta) or {},
                entities=tuple(entities.get(doc_id, ())),
                events=tuple(events.get(doc_id, ())),
                relations=tuple(relations.get(doc_id, ())),
                status=states.get(doc_id),
                annotator=name,
            )
        )
    return found


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
    """Stream one layer, read a chunk of documents at a time: memory does not grow with the corpus."""
    ids = list(document_ids) if document_ids is not None else layer_document_ids(db, layer, status)
    with db.reader() as session:
        aid = annotator_id(session, layer) if ids else 0
        for i in range(0, len(ids), RECORD_CHUNK):
            yield from load_records(session, ids[i : i + RECORD_CHUNK], aid)
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
