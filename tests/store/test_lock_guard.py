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
