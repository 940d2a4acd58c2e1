"""The project database: engine with SQLite pragmas, Alembic migrations with backup, sessions, lock errors."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from annotator.core.errors import DatabaseLockedError, DatabaseTooNewError, StaleEditError, UserError
from annotator.store import lock_guard
from annotator.store.models import Base

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
#: The newest migration; a test checks it against Alembic's script directory. Opening a database at this
#: revision needs no Alembic at all, which keeps the window's start-up short.
HEAD_REVISION = "0003"
BUSY_TIMEOUT_MS = 5000
_MIGRATION_LOCK = 0x616E6E6F  # PostgreSQL advisory lock key held while migrating ("anno")


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
        # Set once a connection was seen holding its POSIX lock: only then can a missing lock be trusted
        # as lost (a file system that hides locks from /proc/locks must not cause endless re-opening).
        self._locks_visible = False
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)})"

    # -- migrations -----------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to head; back up an existing SQLite file first; refuse a newer database."""
        self._refuse_foreign_file()
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
                # One transaction for the whole migration, which one process at a time runs: a kill
                # half-way leaves the database as it was, and a second process starting at the same
                # moment finds the schema made (Alembic then has nothing to do). pysqlite would run each
                # CREATE TABLE on its own unless a transaction is begun explicitly.
                if self.is_sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                if current is None:
                    self._clear_unfinished_schema(conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except DBAPIError as exc:
            raise self._translate(exc) from exc

    def _refuse_foreign_file(self) -> None:
        """Refuse, before any write (even switching to WAL), a file that is not a database of ours."""
        if self.path is None or not self.path.exists() or self.path.stat().st_size == 0:
            return
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if "alembic_version" not in names:
                self._refuse_if_holding(names, lambda t: conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone())
        except sqlite3.DatabaseError as exc:
            raise UserError(
                f"not an annotator database (SQLite: {exc}); nothing was changed — check the --db path", path=self.path
            ) from exc
        finally:
            conn.close()

    def _refuse_if_holding(self, tables: list[str], first_row: Callable[[str], object]) -> list[str]:
        """The tables worth keeping; a table annotator does not know, or one with rows, refuses the file."""
        tables = [t for t in tables if not t.startswith(("sqlite_", "documents_fts_"))]
        known = set(Base.metadata.tables) | {"documents_fts"}
        holding = [t for t in tables if t not in known or first_row(t)]
        if holding:
            raise UserError(
                f"this database holds tables that annotator did not finish creating or does not know "
                f"({', '.join(sorted(holding))}); it was left unchanged — open another file or move this one away",
                path=self.path or self.url,
            )
        return tables

    def _clear_unfinished_schema(self, conn: Connection) -> None:
        """A database without a schema revision but with tables: creation was interrupted (versions before
        migrations ran in one transaction could leave this). Empty tables are dropped so creation starts
        again; a database holding rows is someone else's, and is refused rather than touched."""
        if conn.dialect.has_table(conn, "alembic_version"):
            return  # created by another process while this one waited for the lock
        tables = self._refuse_if_holding(
            inspect(conn).get_table_names(), lambda t: conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first()
        )
        if not tables:
            return
        log.warning("%s: removing the empty tables of an interrupted schema creation: %s", self, tables)
        for table in tables:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))

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
        except DBAPIError as exc:  # also "file is not a database": --db pointed at something else
            raise self._translate(exc) from exc

    # -- locks ----------------------------------------------------------------------------------------------

    def owned_files(self) -> Callable[[Path], bool]:
        """A test of whether a file is this database or a companion (-wal, -shm, -journal), unopened: made once
        for the many files of one folder listing, with this database's files looked up then."""
        return lock_guard.database_files(self.path) if self.path is not None else lambda candidate: False

    def ensure_locks(self) -> bool:
        """Take back this process's locks on the SQLite file if it lost them; True if they were lost.

        Called before every write and after every file dialog. Lost locks are taken back on SQLite's own
        descriptors; if another process has meanwhile deleted the WAL (it checkpointed everything before
        doing so), the connections are re-opened so that writes go to the files on disk.
        """
        if self.path is None or not self._has_connections():
            return False
        held = lock_guard.holds_lock(self.path)
        if held:
            self._locks_visible = True
        deleted = lock_guard.deleted_companions(self.path)
        if not deleted and (held or held is None or not self._locks_visible):
            return False
        log.warning("lost the SQLite locks on %s (deleted files still open: %s)", self.path, deleted)
        if not deleted and lock_guard.retake_locks(self.path):
            return True
        self.engine.dispose()
        return True

    def _has_connections(self) -> bool:
        pool = self.engine.pool
        checked_in = getattr(pool, "checkedin", None)
        checked_out = getattr(pool, "checkedout", None)
        if checked_in is None or checked_out is None:
            return True
        return bool(checked_in() + checked_out())

    def _rescue(self) -> UserError:
        """After a commit into a WAL file another process had deleted: keep this process's view of the
        database (the deleted WAL included) in a copy beside it, re-open, and say so. Folding the deleted
        WAL back into the file could overwrite what another process wrote since."""
        assert self.path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.rescued-{stamp}")
        with self.engine.connect() as conn:
            source = conn.connection.dbapi_connection
            assert isinstance(source, sqlite3.Connection)
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        self.engine.dispose()
        log.error(
            "the WAL of %s was deleted by another process under this one; its view is kept in %s", self.path, target
        )
        return UserError(
            "another program removed the database's journal (its -wal file) while this window was writing to it; "
            f"everything this window had, your last edit included, is kept in {target.name} — check that edit",
            path=self.path,
        )

    # -- sessions --------------------------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits on success, rolls back on error, turns lock timeouts into user errors."""
        self.ensure_locks()
        session = self._sessions()
        try:
            yield session
            session.commit()
            if self.path is not None and lock_guard.deleted_companions(self.path):
                raise self._rescue()  # committed into a deleted WAL: nobody else will ever see it
        except OperationalError as exc:
            session.rollback()
            raise self._translate(exc) from exc
        except (StaleDataError, ObjectDeletedError) as exc:
            # Another session of the same layer (a second window, a colleague under the same name)
            # changed or removed the rows between this edit's read and its write.
            session.rollback()
            raise StaleEditError() from exc
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

    def _translate(self, exc: DBAPIError) -> UserError:
        if "file is not a database" in str(exc) or "database disk image is malformed" in str(exc):
            return UserError(
                f"not an annotator database (SQLite: {exc.orig}); nothing was changed — check the --db path",
                path=self.path or self.url,
            )
        if is_locked_error(exc):
            return DatabaseLockedError(
                f"the database is locked by another process (waited {self.busy_timeout_ms / 1000:g} s); "
                "nothing was changed — close the other program or try again",
                path=self.path or self.url,
            )
        return UserError(f"database error: {exc.orig}", path=self.path or self.url)

    def dispose(self) -> None:
        self.engine.dispose()
