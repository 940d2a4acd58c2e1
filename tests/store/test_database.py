"""The project database: pragmas, migrations, refusing newer databases, backups, lock errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from annotator.core.dto import DocumentRecord
from annotator.core.errors import DatabaseLockedError, DatabaseTooNewError
from annotator.services import records
from annotator.store.database import HEAD_REVISION, MIGRATIONS, Database
from tests.processes import next_line


def test_new_database_is_created_by_migrations(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "documents",
        "annotators",
        "entity_mentions",
        "events",
        "event_arguments",
        "document_states",
        "history",
        "relations",
        "alembic_version",
        "documents_fts",
    } <= tables
    assert db.revision() == HEAD_REVISION


def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_full_text_index_follows_inserts(db: Database) -> None:
    with db.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="Airstrikes hit al-Waer in Homs", title="t"))
    with db.engine.connect() as conn:
        hits = conn.execute(text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"Waer\"'")).all()
    assert len(hits) == 1


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "p.sqlite3")
    Database(url).dispose()
    again = Database(url)
    assert again.revision() == HEAD_REVISION
    assert not list(tmp_path.glob("*.bak"))  # nothing to migrate, so no backup


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Database("sqlite:///" + str(path)).dispose()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.close()
    with pytest.raises(DatabaseTooNewError, match="newer annotator"):
        Database("sqlite:///" + str(path))


def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    database = Database("sqlite:///" + str(path))
    with database.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="some text", title="t"))
    backup = database._backup("0001")
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    conn.close()


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """A second process that takes the write lock and keeps it."""
    code = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert next_line(proc).strip() == "locked"
    return proc


def test_locked_database_gives_a_clear_error_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    database = Database("sqlite:///" + str(path), busy_timeout_ms=300)
    with database.session() as session:
        records.store_document(session, DocumentRecord(doc_id="kept", text="already stored", title="t"))
    with database.engine.connect() as conn:  # how long a writer waits for the lock: the setting reaches SQLite
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
    # The lock is held far longer than the 300 ms busy timeout: a write that waited for the lock instead of giving
    # up would succeed once the holder ends and fail the raises check, so no wall-clock bound is needed.
    holder = _hold_lock(path, 60)
    try:
        with pytest.raises(DatabaseLockedError) as info, database.session() as session:
            records.store_document(session, DocumentRecord(doc_id="new", text="new text", title="t"))
        assert "locked by another process" in str(info.value) and str(path) in str(info.value)
    finally:
        holder.kill()
        holder.communicate()
    with database.reader() as session:
        stored = session.execute(text("SELECT external_id FROM documents")).scalars().all()
    assert stored == ["kept"]


def test_head_revision_constant_matches_the_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_an_older_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    path = tmp_path / "old.sqlite3"
    database = Database("sqlite:///" + str(path))
    with database.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="kept through the upgrade", title="t"))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as conn:  # what a database written by the first release looks like
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    database.dispose()
    assert Database("sqlite:///" + str(path), migrate=False).revision() == "0001"

    upgraded = Database("sqlite:///" + str(path))
    assert upgraded.revision() == HEAD_REVISION
    assert "ix_documents_order" in {ix["name"] for ix in inspect(upgraded.engine).get_indexes("documents")}
    (backup,) = tmp_path.glob("old.sqlite3.0001.*.bak")
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT text FROM documents").fetchone() == ("kept through the upgrade",)
    conn.close()


def test_a_revision_0002_database_upgrades_to_incidents(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    path = tmp_path / "v2.sqlite3"
    database = Database("sqlite:///" + str(path))
    with database.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="kept through the upgrade", title="t"))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as conn:  # a database written before incidents existed
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    database.dispose()
    old = Database("sqlite:///" + str(path), migrate=False)
    assert "incidents" not in inspect(old.engine).get_table_names()
    old.dispose()
    upgraded = Database("sqlite:///" + str(path))
    check_incident_schema(upgraded)
    assert list(tmp_path.glob("v2.sqlite3.0002.*.bak"))
    upgraded.dispose()


def check_incident_schema(database: Database) -> None:
    """The 0003 tables work: an incident holds events once, and incident edits have history rows without a document."""
    from sqlalchemy.exc import IntegrityError

    from annotator.store import models as m

    assert database.revision() == HEAD_REVISION
    with database.session() as session:
        doc = session.query(m.Document).one()
        who = records.annotator_id(session, "alice")
        event = m.Event(document_id=doc.id, annotator_id=who, type="Conflict.Attack", trigger_start=0,
                        trigger_end=4, trigger_text="kept", attrs={})  # fmt: skip
        session.add(event)
        session.flush()
        incident = m.Incident(annotator_id=who, status="accepted", reasons=[], attrs={})
        incident.members = [m.IncidentMember(event_id=event.id)]
        session.add(incident)
        session.add(m.History(document_id=None, annotator_id=who, operation="merge_incidents", before={}, after={}))
    with pytest.raises(IntegrityError), database.session() as session:  # one incident per event
        other = m.Incident(annotator_id=who, status="accepted", reasons=[], attrs={})
        other.members = [m.IncidentMember(event_id=event.id)]
        session.add(other)
    with database.session() as session:
        session.delete(session.get(m.Event, event.id))  # deleting an event takes it out of its incident
    with database.reader() as session:
        assert session.query(m.IncidentMember).count() == 0 and session.query(m.Incident).count() == 1


def test_its_own_files_are_known_by_name_inode_and_link(tmp_path: Path) -> None:
    """What an import must never open: the database and its companions, however they are reached."""
    path = tmp_path / "db" / "project.sqlite3"
    path.parent.mkdir()
    db = Database("sqlite:///" + str(path))
    with db.session():  # a connection: the -wal and -shm files exist
        pass
    other = tmp_path / "other"
    other.mkdir()
    os.link(path.with_name("project.sqlite3-wal"), other / "wal-copy")
    os.symlink(path.with_name("project.sqlite3-shm"), other / "shm-link")
    os.symlink(path.with_name("project.sqlite3-journal"), other / "journal-to-come")  # SQLite has not made it
    os.symlink(path.parent, other / "folder-link")
    (other / "project.sqlite3").write_text("another project's file, not this one\n", encoding="utf-8")
    (other / "notes.txt").write_text("Jets struck Idlib.\n", encoding="utf-8")
    owned = db.owned_files()
    assert owned(path) and owned(path.with_name("project.sqlite3-wal"))
    assert owned(tmp_path / "db" / ".." / "db" / "project.sqlite3-journal")  # not made yet, named all the same
    assert owned(other / "wal-copy") and owned(other / "shm-link") and owned(other / "journal-to-come")
    assert owned(other / "folder-link" / "project.sqlite3-shm")
    assert not owned(other / "project.sqlite3") and not owned(other / "notes.txt")
    assert not owned(other / "missing.txt")
    db.dispose()
    assert not Database("sqlite://").owned_files()(path)  # an in-memory database has no files
