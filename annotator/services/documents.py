"""Document list queries: filtered and searched ids, lazily fetched rows, the next document to do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, column, func, or_, select, table, text
from sqlalchemy.orm import Session

from annotator.core.dto import MODEL, DocStatus, DocumentRow
from annotator.services import records
from annotator.services.assignment import next_document
from annotator.store import models as m
from annotator.store.database import Database

_WORD = re.compile(r"\w+", re.UNICODE)
_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')  # a quoted phrase (closed or not), or a bare word
#: The full-text index as a table: paging it in rowid order stops after one page, however many documents match.
_FTS = table("documents_fts", column("rowid", Integer))


def fts_query(query: str, *, prefix: bool = True) -> str | None:
    """An FTS5 query from what the user typed: every part required; "words in quotes" and hyphenated names
    (al-Waer) as phrases; the last bare word as a prefix, since the user may still be typing it."""
    parts: list[str] = []
    bare_last = False
    for match in _PART.finditer(query):
        words = _WORD.findall(match.group(1) if match.group(1) is not None else match.group(2))
        if words:
            parts.append('"' + " ".join(words) + '"')
            bare_last = match.group(2) is not None
    if not parts:
        return None
    if prefix and bare_last:
        parts[-1] += "*"
    return " ".join(parts)


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
        """The search on databases other than SQLite, which pages through its full-text index instead."""
        if not query.strip():
            return None
        if self.db.engine.dialect.name == "postgresql":
            vector = func.to_tsvector("simple", func.coalesce(m.Document.title, "") + " " + m.Document.text)
            return vector.op("@@")(func.plainto_tsquery("simple", query))
        return or_(m.Document.title.contains(query, autoescape=True), m.Document.text.contains(query, autoescape=True))

    def _filtered(self, session: Session, annotator: str, query: str, status: str | None) -> tuple[Select[Any], Any]:
        """The filtered ids in id order, and the column holding them."""
        phrase = fts_query(query) if self.db.is_sqlite else None
        doc_id: Any = m.Document.id
        if phrase is not None:
            doc_id = _FTS.c.rowid
            stmt = select(doc_id).where(text("documents_fts MATCH :fts_q").bindparams(fts_q=phrase))
        else:
            stmt = select(doc_id)
            clause = None if self.db.is_sqlite else self._search_clause(query)
            if clause is not None:
                stmt = stmt.where(clause)
        if status:
            aid = records.annotator_id(session, annotator)
            state = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == aid)
            if status == DocStatus.NEW:  # no layer yet counts as new
                stmt = stmt.where(doc_id.not_in(state.where(m.DocumentState.status != DocStatus.NEW)))
            else:
                stmt = stmt.where(doc_id.in_(state.where(m.DocumentState.status == status)))
        return stmt.order_by(doc_id), doc_id

    def annotators(self) -> list[str]:
        with self.db.reader() as session:
            return list(session.scalars(select(m.Annotator.name).order_by(m.Annotator.name)))

    def ids(self, annotator: str, query: str = "", status: str | None = None, at_most: int | None = None) -> list[int]:
        """The filtered ids in id order; with `at_most`, the first ones only."""
        with self.db.reader() as session:
            return list(session.scalars(self._filtered(session, annotator, query, status)[0].limit(at_most)))

    def count(self, annotator: str, query: str = "", status: str | None = None, at_most: int | None = None) -> int:
        """How many documents the filter keeps; with `at_most`, counting stops there (a search matching most
        of a large corpus is counted as far as the list has been scrolled, not to the end)."""
        with self.db.reader() as session:
            ids = self._filtered(session, annotator, query, status)[0].order_by(None)
            if at_most is not None:
                ids = ids.limit(at_most)
            return session.scalar(select(func.count()).select_from(ids.subquery())) or 0

    def page(self, annotator: str, query: str, status: str | None, offset: int, limit: int) -> list[DocumentRow]:
        """One page of the filtered list in id order: the list shows 100,000 articles a page at a time."""
        with self.db.reader() as session:
            stmt = self._filtered(session, annotator, query, status)[0]
            ids = list(session.scalars(stmt.limit(limit).offset(offset)))
        return self.rows(ids, annotator)

    def position(self, annotator: str, query: str, status: str | None, document_id: int) -> int | None:
        """Where a document stands in the filtered list, or None when the filter leaves it out."""
        with self.db.reader() as session:
            ids, doc_id = self._filtered(session, annotator, query, status)
            ids = ids.order_by(None)
            if session.scalar(ids.where(doc_id == document_id)) is None:
                return None
            before = ids.where(doc_id < document_id).subquery()
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
