"""Batches of documents are indexed for full-text search in one statement, and the insert trigger survives."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from annotator.core.dto import DocumentRecord
from annotator.services import records
from annotator.services.documents import DocumentQueries
from annotator.store import models as m
from annotator.store.database import Database
from annotator.store.search_index import TRIGGER


def _trigger(db: Database) -> str | None:
    with db.reader() as session:
        found = session.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": TRIGGER}).scalar()
    return str(found) if found else None


def _record(name: str, body: str) -> DocumentRecord:
    return DocumentRecord(doc_id=name, text=body, title=name.title())


def test_a_stored_batch_is_searchable_and_the_trigger_is_back(db: Database) -> None:
    before = _trigger(db)
    assert before is not None
    batch = [_record(f"d{i}", f"Shelling hit district {i} of Homs; talks with the Observatory {i}.") for i in range(7)]
    with db.session() as session:
        ids = records.store_documents(session, batch)
    assert len(set(ids)) == 7
    with db.reader() as session:
        stored = dict(session.execute(text("SELECT id, external_id FROM documents")).all())
    assert [stored[i] for i in ids] == [r.doc_id for r in batch]  # ids follow the batch's order
    queries = DocumentQueries(db)
    assert queries.ids("alice", "Homs") == sorted(ids)
    assert queries.ids("alice", "district 3") == [ids[3]]
    assert _trigger(db) == before
    with db.session() as session:  # a row inserted one by one is indexed by the trigger again
        session.add(m.Document(external_id="late", title="", text="Palmyra fell.", sha256="x" * 64))
    assert len(queries.ids("alice", "Palmyra")) == 1


def test_a_text_already_stored_is_skipped(db: Database) -> None:
    with db.session() as session:
        [first] = records.store_documents(session, [_record("a", "Idlib was shelled.")])
    with db.session() as session:
        again = records.store_documents(
            session, [_record("b", "Raqqa was shelled."), _record("a2", "Idlib was shelled.")]
        )
    assert first is not None and again[0] is not None and again[1] is None
    queries = DocumentQueries(db)
    assert queries.ids("alice", "shelled") == sorted([first, again[0]])
    with db.reader() as session:
        rows = session.execute(text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Idlib'")).scalar()
    assert rows == 1  # indexed once


def test_a_failed_batch_leaves_nothing_and_keeps_the_trigger(db: Database) -> None:
    before = _trigger(db)
    broken = DocumentRecord(doc_id="c", text="Homs was shelled.", meta={"tags": {"not", "JSON"}})
    with pytest.raises(StatementError), db.session() as session:  # fails inside the insert
        records.store_documents(session, [_record("b", "Raqqa was shelled."), broken])
    assert _trigger(db) == before
    queries = DocumentQueries(db)
    assert queries.ids("alice", "shelled") == []
    with db.session() as session:  # and the next batch is indexed as ever
        records.store_documents(session, [_record("b", "Raqqa was shelled.")])
    assert len(queries.ids("alice", "Raqqa")) == 1
