"""Synthetic corpora for `annotator bench`: seed sentences recombined, model suggestions, an event-heavy article.

Everything is seeded, so two runs build the same texts; nothing is tuned to the seed articles beyond
borrowing their sentences.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from annotator.core import dto
from annotator.core.dto import MODEL, DocStatus, DocumentRecord
from annotator.core.paths import seeds_dir
from annotator.core.schema import Schema
from annotator.services import records
from annotator.store import models as m
from annotator.store.database import Database

LABELS = ("PER", "ORG", "GPE", "LOC", "TIME", "NUM")
_WORD = re.compile(r"\w[\w-]+")


def _sentences() -> list[str]:
    found = []
    for path in sorted(seeds_dir().glob("*.txt")):
        for sentence in re.split(r"(?<=[.!?”])\s+", path.read_text(encoding="utf-8")):
            if len(sentence.split()) >= 6:
                found.append(sentence.strip())
    return found


def synthetic_articles(count: int, seed: int = 7, sentences_per_doc: int = 18) -> Iterator[str]:
    """Distinct article texts of about 3,000 characters made of real seed sentences."""
    rng = random.Random(seed)
    pool = _sentences()
    for i in range(count):
        body = " ".join(rng.choice(pool) for _ in range(sentences_per_doc))
        paragraphs = re.sub(r"(\. )", lambda mt: ".\n\n" if rng.random() < 0.25 else mt.group(1), body)
        yield f"Report {i}: {pool[i % len(pool)][:60]}\n\n{paragraphs}\n"


def _entity_rows(doc_id: int, model_id: int, body: str, rng: random.Random, per_doc: int) -> list[dict[str, Any]]:
    words = [(mt.start(), mt.end()) for mt in _WORD.finditer(body)]
    picks = sorted(rng.sample(words, min(per_doc, len(words))))
    return [
        {
            "document_id": doc_id,
            "annotator_id": model_id,
            "start": s,
            "end": e,
            "label": rng.choice(LABELS),
            "text": body[s:e],
            "origin": "model",
            "status": "suggested",
            "normalized": None,
            "attrs": {},
        }
        for s, e in picks
    ]


def build_corpus(db: Database, count: int, per_doc: int = 20, chunk: int = 5000, start: int = 0) -> None:
    """Insert synthetic documents `start`..`count` with model suggestions, in large transactions; a build that
    stopped half-way goes on where it stopped."""
    rng = random.Random(11 + start)
    with db.session() as session:
        model_id = records.annotator_id(session, MODEL)
    texts = synthetic_articles(count)
    for _ in range(start):
        next(texts)
    done = start
    while done < count:
        batch = [
            DocumentRecord(
                doc_id=f"synthetic-{done + i}",
                text=t,
                title=t.split("\n", 1)[0],
                source="bench",
                published=f"2016-{1 + (done + i) % 12:02d}-{1 + (done + i) % 28:02d}",
            )
            for i, t in enumerate(next(texts) for _ in range(min(chunk, count - done)))
        ]
        with db.session() as session:
            ids = records.store_documents(session, batch)
            rows = [
                row
                for doc_id, record in zip(ids, batch, strict=True)
                if doc_id is not None  # every synthetic text is new: its first line numbers it
                for row in _entity_rows(doc_id, model_id, record.text, rng, per_doc)
            ]
            _insert_plain(session, rows)
        done += len(batch)


def _insert_plain(session: Session, rows: list[dict[str, Any]]) -> None:
    """Suggestions for a million articles: twenty million rows, straight to the driver on SQLite."""
    if not rows or session.get_bind().dialect.name != "sqlite":
        session.execute(insert(m.EntityMention), rows)
        return
    stamp = m.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite date-time form
    session.execute(text("PRAGMA cache_size = -1000000"))  # the text index soon outgrows the 2 MB default
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    raw.executemany(
        "INSERT INTO entity_mentions (document_id, annotator_id, start_offset, end_offset, label, text, origin, "
        "status, normalized, attrs, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '{}', ?)",
        [
            (
                r["document_id"],
                r["annotator_id"],
                r["start"],
                r["end"],
                r["label"],
                r["text"],
                r["origin"],
                r["status"],
                stamp,
            )
            for r in rows
        ],
    )


def long_text(chars: int = 50_000, seed: int = 99) -> str:
    body = ""
    for article in synthetic_articles(60, seed=seed, sentences_per_doc=40):
        body += article
        if len(body) >= chars:
            break
    return body[:chars]


def add_long_article(db: Database, chars: int = 50_000, spans: int = 2000) -> int:
    """One 50,000-character article with 2,000 suggested spans (the article-open target)."""
    body = long_text(chars)
    with db.session() as session:
        model_id = records.annotator_id(session, MODEL)
        existing = records.find_duplicate(session, records.text_sha256(body))
        if existing is not None:
            return existing
        doc = m.Document(
            external_id="long-article",
            title="A 50,000-character article",
            source="bench",
            url="",
            text=body,
            sha256=records.text_sha256(body),
            boilerplate=[],
            meta={},
        )
        session.add(doc)
        session.flush()
        session.execute(insert(m.EntityMention), _entity_rows(doc.id, model_id, body, random.Random(3), spans))
        return doc.id


def event_heavy_record(schema: Schema, text: str, spans: int, events: int, seed: int = 13) -> DocumentRecord:
    """A person's layer as corrections leave it: dense spans (some of several words), events with role fillers
    near their trigger, ACE attributes, dates and death tolls, as real event-annotated exports have them."""
    rng = random.Random(seed)
    words = [(mt.start(), mt.end()) for mt in _WORD.finditer(text)]
    step = max(1, len(words) // max(1, spans + events))
    slots = [words[i : i + step] for i in range(0, len(words) - step + 1, step)]
    rng.shuffle(slots)
    trigger_slots, span_slots = sorted(slots[:events]), sorted(slots[events : events + spans])
    entities = []
    for i, slot in enumerate(span_slots, 1):
        width = min(len(slot), 1 if rng.random() < 0.7 else rng.randint(2, 3))
        start, end = slot[0][0], slot[width - 1][1]
        label = rng.choice(LABELS)
        normalized = {"value": f"2016-03-{1 + i % 28:02d}", "precision": "day"} if label == "TIME" else None
        kind = {"mention_type": rng.choice(("NAM", "NOM", "PRO"))} if rng.random() < 0.5 else {}
        entities.append(
            dto.Entity(id=i, start=start, end=end, label=label, text=text[start:end], normalized=normalized, attrs=kind)
        )
    types = list(schema.event_types.values())
    event_rows = []
    for i, slot in enumerate(trigger_slots, 1):
        start, end = slot[0]
        etype = rng.choice(types)
        near = [e for e in entities if abs(e.start - start) < 400] or entities[:1]
        arguments = []
        for role in rng.sample(etype.roles, min(len(etype.roles), rng.choice((0, 1, 1, 2, 3)))):
            filler = next((e for e in near if e.label in role.types), None)
            if filler is not None:
                arguments.append(dto.Argument(role=role.name, entity_id=filler.id))
        attrs: dict[str, Any] = {name: rng.choice(values) for name, values in schema.attributes_for(etype.name).items()}
        die = etype.name == "Life.Die"
        event_rows.append(
            dto.Event(
                id=i,
                type=etype.name,
                trigger_start=start,
                trigger_end=end,
                trigger_text=text[start:end],
                arguments=tuple(arguments),
                attrs=attrs,
                fatalities=dto.Fatalities(value=rng.randint(1, 40), qualifier="exact") if die else None,
                date=dto.EventDate(value="2016-03-02", precision="day", text="on Wednesday") if i % 3 == 0 else None,
            )
        )
    return DocumentRecord(
        doc_id="event-heavy", text=text, entities=tuple(entities), events=tuple(event_rows), status=DocStatus.DONE
    )


def add_event_articles(
    db: Database, schema: Schema, annotator: str, *, count: int = 5, spans: int = 2000, events: int = 300
) -> list[int]:
    """`count` event-heavy articles in `annotator`'s layer, each 50,000 characters of its own with dense spans
    and events with arguments: a first open is measured on each, as a person opens one not opened before."""
    ids = []
    for k in range(count):
        body = long_text(seed=101 + k)
        with db.session() as session:
            existing = records.find_duplicate(session, records.text_sha256(body))
            if existing is not None:
                ids.append(existing)
                continue
            record = event_heavy_record(schema, body, spans, events, seed=13 + k)
            doc_id = records.store_document(
                session,
                DocumentRecord(
                    doc_id=f"event-heavy-{k + 1}", text=body, title="An event-heavy article", source="bench"
                ),
            )
            assert doc_id is not None, "the text was looked for in this same transaction"
            layer = records.annotator_id(session, annotator)
            records.store_layer(session, doc_id, layer, record, status=DocStatus.IN_PROGRESS)
            ids.append(doc_id)
    return ids
