"""Document list queries: filtered and searched ids, lazily fetched rows, the next document to do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text
from sqlalchemy.orm import Session

from annotator.core.dto import MODEL, DocStatus, DocumentRow
from annotator.services import records
from annotator.services.assignment import next_document
from annotator.store import models as m
from annotator.store.database import Database

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(query: str, *, prefix: bool = True) -> str | None:
    """An FTS5 query from what the user typed: every word required, the last one as a prefix."""
    words = _WORD.findall(query)
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    if prefix:
        terms[-1] += "*"
    return " ".join(terms)


def fts_ids(phrase: str) -> Any:
    """Ids of documents matching an FTS5 query, as a subquery (SQLite)."""
    return (
        select(text("rowid"))
        .select_from(text("documents_fts"))
        .where(text("documents_fts MATCH :fts_q").bindparams(fts_q=phrase))
        .scalar_subquery()
    )


class DocumentQueries:
    """Read-only queries behind the document list; nothing here loads a whole corpus into memory."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _search_clause(self, query: str) -> ColumnElement[bool] | None:
        if not query.strip():
            return None
        if self.db.is_sqlite:
            phrase = fts_query(query)
            return m.Document.id.in_(fts_ids(phrase)) if phrase else None
        if self.db.engine.dialect.name == "postgresql":
            vector = func.to_tsvector("simple", func.coalesce(m.Document.title, "") + " " + m.Document.text)
            return vector.op("@@")(func.plainto_tsquery("simple", query))
        return or_(m.Document.title.contains(query, autoescape=True), m.Document.text.contains(query, autoescape=True))

    def _filtered(self, session: Session, annotator: str, query: str, status: str | None) -> Select[Any]:
        stmt = select(m.Document.id)
        clause = self._search_clause(query)
        if clause is not None:
            stmt = stmt.where(clause)
        if status:
            aid = records.annotator_id(session, annotator)
            state = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == aid)
            if status == DocStatus.NEW:  # no layer yet counts as new
                stmt = stmt.where(m.Document.id.not_in(state.where(m.DocumentState.status != DocStatus.NEW)))
            else:
                stmt = stmt.where(m.Document.id.in_(state.where(m.DocumentState.status == status)))
        return stmt.order_by(m.Document.id)

    def annotators(self) -> list[str]:
        with self.db.reader() as session:
            return list(session.scalars(select(m.Annotator.name).order_by(m.Annotator.name)))

    def ids(self, annotator: str, query: str = "", status: str | None = None) -> list[int]:
        with self.db.reader() as session:
            return list(session.scalars(self._filtered(session, annotator, query, status)))

    def count(self, annotator: str, query: str = "", status: str | None = None) -> int:
        with self.db.reader() as session:
            ids = self._filtered(session, annotator, query, status).order_by(None).subquery()
            return session.scalar(select(func.count()).select_from(ids)) or 0

    def page(self, annotator: str, query: str, status: str | None, offset: int, limit: int) -> list[DocumentRow]:
        """One page of the filtered list in id order: the list shows 100,000 articles a page at a time."""
        with self.db.reader() as session:
            ids = list(session.scalars(self._filtered(session, annotator, query, status).limit(limit).offset(offset)))
        return self.rows(ids, annotator)

    def position(self, annotator: str, query: str, status: str | None, document_id: int) -> int | None:
        """Where a document stands in the filtered list, or None when the filter leaves it out."""
        with self.db.reader() as session:
            ids = self._filtered(session, annotator, query, status).order_by(None)
            if session.scalar(ids.where(m.Document.id == document_id)) is None:
                return None
            before = ids.where(m.Document.id < document_id).subquery()
            return session.scalar(select(func.count()).select_from(before)) or 0

    def rows(self, ids: Sequence[int], annotator: str) -> list[DocumentRow]:
        """Rows for one page of ids, in that order; counts come from the annotator's layer, else the model's."""
        if not ids:
            return []
        with self.db.reader() as session:
            aid = records.annotator_id(session, annotator)
            model = records.annotator_id(session, MODEL)
            docs = session.execute(
                select(m.Document.id, m.Document.title, m.Document.source, m.Document.published, m.DocumentState.status)
                .outerjoin(
                    m.DocumentState,
                    and_(m.DocumentState.document_id == m.Document.id, m.DocumentState.annotator_id == aid),
                )
                .where(m.Document.id.in_(ids))
            ).all()
            has_layer = {d for d, _t, _s, _p, status in docs if status is not None}

            def counts(model_cls: Any, status_col: Any) -> dict[int, int]:
                result: dict[int, int] = {}
                for layer, doc_ids in (
                    (aid, [i for i in ids if i in has_layer]),
                    (model, [i for i in ids if i not in has_layer]),
                ):
                    if doc_ids:
                        result.update(
                            session.execute(
                                select(model_cls.document_id, func.count())
                                .where(
                                    model_cls.document_id.in_(doc_ids),
                                    model_cls.annotator_id == layer,
                                    status_col != "rejected",
                                )
                                .group_by(model_cls.document_id)
                            ).all()
                        )
                return result

            entity_counts = counts(m.EntityMention, m.EntityMention.status)
            event_counts = counts(m.Event, m.Event.status)
        by_id = {
            d: DocumentRow(
                id=d,
                title=title,
                source=source,
                published=published,
                status=status or DocStatus.NEW,
                entity_count=entity_counts.get(d, 0),
                event_count=event_counts.get(d, 0),
            )
            for d, title, source, published, status in docs
        }
        return [by_id[i] for i in ids if i in by_id]

    def next_not_done(self, after: int, annotator: str) -> int | None:
        """The next document after `after` (wrapping round) that still needs this annotator (or gold)."""
        return next_document(self.db, annotator, after)
