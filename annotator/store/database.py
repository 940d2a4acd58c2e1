"""The project database: engine with SQLite pragmas, Alembic migrations with backup, sessions, lock errors."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.errors import DatabaseLockedError, DatabaseTooNewError, UserError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest migration; a test checks it against Alembic's script directory. Opening a database at this
#: revision needs no Alembic at all, which keeps the window's start-up short.
HEAD_REVISION = "0003"
BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer: the GUI stays responsive
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # FULL: a committed edit survives power loss, not only a crash; a WAL commit is one fsync.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return connect


def is_locked_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text or "lock timeout" in text


class Database:
    """One project database: a URL, its engine, and sessions that commit at once."""

    def __init__(self, url: str, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path: Path | None = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, pool_pre_ping=not self.is_sqlite)
        except Exception as exc:  # bad URL, missing driver
            raise UserError(f"cannot open database {url}: {exc}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)})"

    # -- migrations -----------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to head; back up an existing SQLite file first; refuse a newer database."""
        current = self.revision()
        if current == HEAD_REVISION:
            return
        from alembic import command
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseTooNewError(
                f"database {self} was written by a newer annotator (schema revision {current}); "
                "upgrade annotator to open it"
            )
        if current is not None and self.path is not None and self.path.exists():
            self._backup(current)
        log.info("migrating %s from %s to %s", self, current or "empty", HEAD_REVISION)
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise self._translate(exc) from exc

    def _backup(self, revision: str) -> Path:
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.{revision}.{stamp}.bak")
        # sqlite3's backup API copies a consistent snapshot even with a WAL file beside the database.
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        log.info("backed up %s to %s before migrating", self.path, target)
        return target

    def revision(self) -> str | None:
        """The schema revision stored in the database (None for a new, empty one)."""
        try:
            with self.engine.connect() as conn:
                if not self.engine.dialect.has_table(conn, "alembic_version"):
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:
            raise self._translate(exc) from exc

    # -- sessions --------------------------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error, turns lock timeouts into user errors."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise self._translate(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session; nothing is committed."""
        session = self._sessions()
        try:
            yield session
        except OperationalError as exc:
            raise self._translate(exc) from exc
        finally:
            session.rollback()
            session.close()

    def _translate(self, exc: OperationalError) -> UserError:
        if is_locked_error(exc):
            return DatabaseLockedError(
                f"the database is locked by another process (waited {self.busy_timeout_ms / 1000:g} s); "
                "nothing was changed — close the other program or try again",
                path=self.path or self.url,
            )
        return UserError(f"database error: {exc.orig}", path=self.path or self.url)

    def dispose(self) -> None:
        self.engine.dispose()
