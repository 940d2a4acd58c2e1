"""Lost SQLite locks are noticed and healed before the next write, so a killed process loses nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.store import lock_guard
from annotator.store.database import Database

pytestmark = pytest.mark.skipif(not lock_guard.supported(), reason="reads /proc/locks")

# Writes one annotator, closes a stray descriptor of each database file (what a sniffing file dialog
# does), lets another process read the database, writes a second annotator, and kills itself.
CHILD = textwrap.dedent("""
    import os, signal, subprocess, sys
    from annotator.store import models as m
    from annotator.store.database import Database
    from annotator.store.lock_guard import companion_files
    from pathlib import Path
    path = Path(sys.argv[1])
    db = Database("sqlite:///" + str(path))
    with db.session() as s:
        s.add(m.Annotator(name="before"))
    for f in companion_files(path):
        if f.exists():
            os.close(os.open(f, os.O_RDONLY))
    reader = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('select count(*) from annotators').fetchall()"
    subprocess.run([sys.executable, "-c", reader, str(path)], check=True)
    with db.session() as s:
        s.add(m.Annotator(name="after"))
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_holds_lock_and_deleted_companions(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    db = Database("sqlite:///" + str(path))
    with db.session():
        pass
    assert lock_guard.holds_lock(path) is True
    os.close(os.open(path.with_name("p.sqlite3-shm"), os.O_RDONLY))  # drops every lock the process holds
    assert lock_guard.holds_lock(path) is False
    assert lock_guard.deleted_companions(path) == []
    assert db.ensure_locks() is True  # re-opened ...
    with db.session() as session:
        session.execute(text("select 1"))
    assert lock_guard.holds_lock(path) is True  # ... and locked again
    assert db.ensure_locks() is False
    db.dispose()


def test_a_write_after_lost_locks_survives_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    child = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=False)
    assert child.returncode == -9, child.stderr
    db = Database("sqlite:///" + str(path))
    with db.reader() as session:
        names = [row[0] for row in session.execute(text("select name from annotators"))]
    db.dispose()
    assert names == ["before", "after"]


def _drop_locks(path: Path) -> None:
    """What a file dialog sniffing the files did: open and close them outside SQLite."""
    for companion in lock_guard.companion_files(path):
        if companion.exists():
            os.close(os.open(companion, os.O_RDONLY))


def _read_in_another_process(path: Path) -> None:
    """A reader that believes it is the last connection: on close it checkpoints and deletes the WAL."""
    code = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('select count(*) from annotators').fetchall()"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def test_locks_are_taken_back_while_another_thread_holds_a_connection(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    db = Database("sqlite:///" + str(path))
    with db.session() as session:  # the app has worked with the database before: its locks were seen
        session.execute(text("select 1"))
    with db.engine.connect() as busy:  # a background task's connection, checked out the whole time
        busy.execute(text("select 1"))
        _drop_locks(path)
        assert lock_guard.holds_lock(path) is False
        assert db.ensure_locks() is True
        assert lock_guard.holds_lock(path) is True  # re-opening connections alone could not do this
    db.dispose()


def test_an_edit_committed_into_a_deleted_wal_is_rescued_and_reported(tmp_path: Path) -> None:
    from annotator.core.errors import UserError
    from annotator.store import models as m

    path = tmp_path / "p.sqlite"
    db = Database("sqlite:///" + str(path))
    with db.session() as session:
        session.add(m.Annotator(name="before"))
    with pytest.raises(UserError, match="rescued"), db.session() as session:
        session.add(m.Annotator(name="during"))
        session.flush()
        # between this edit's start and its commit, the locks go and another process deletes the WAL
        _drop_locks(path)
        _read_in_another_process(path)
    [rescued] = list(tmp_path.glob("p.sqlite.rescued-*"))
    copy = Database("sqlite:///" + str(rescued), migrate=False)
    with copy.reader() as session:
        assert [r[0] for r in session.execute(text("select name from annotators order by id"))] == ["before", "during"]
    copy.dispose()
    with db.session() as session:  # the project works on as before
        session.add(m.Annotator(name="after"))
    with db.reader() as session:
        # closing its connections, SQLite folded the deleted WAL into the file (no other process was using it)
        names = [r[0] for r in session.execute(text("select name from annotators order by id"))]
    assert names == ["before", "during", "after"]
    db.dispose()
