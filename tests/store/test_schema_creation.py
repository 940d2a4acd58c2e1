"""Creating the schema is all or nothing, and a file that is not our database is refused unchanged (issue 8)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.errors import UserError
from annotator.store.database import HEAD_REVISION, Database

# Creates the schema and kills itself with SIGKILL just before the N-th CREATE statement reaches SQLite.
CREATE = """
import os, signal, sys
from sqlalchemy import event
from annotator.store.database import Database
db = Database("sqlite:///" + sys.argv[1], migrate=False)
seen = []

def trace(sql):
    if sql.lstrip().upper().startswith("CREATE"):
        seen.append(sql)
        if len(seen) == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)

event.listen(db.engine, "connect", lambda conn, _record: conn.set_trace_callback(trace))
db.migrate()
print(len(seen))
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    conn.close()
    return names


def test_a_kill_during_first_creation_leaves_no_half_made_schema(tmp_path: Path) -> None:
    total = subprocess.run(
        [sys.executable, "-c", CREATE, str(tmp_path / "full.sqlite3"), "0"], capture_output=True, text=True, check=True
    )
    statements = int(total.stdout)
    assert statements > 10
    for n in sorted({2, 3, statements // 3, statements // 2, statements - 1, statements}):
        path = tmp_path / f"k{n}.sqlite3"
        child = subprocess.run([sys.executable, "-c", CREATE, str(path), str(n)], capture_output=True, check=False)
        assert child.returncode == -signal.SIGKILL
        assert _tables(path) == []  # the migration is one transaction: nothing of it stayed
        db = Database("sqlite:///" + str(path))
        assert db.revision() == HEAD_REVISION
        db.dispose()


def test_an_interrupted_creation_with_empty_tables_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "half.sqlite3"
    with sqlite3.connect(path) as conn:  # what an older version left after a kill: tables, no revision
        conn.execute("CREATE TABLE annotators (id INTEGER PRIMARY KEY, name VARCHAR(128))")
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY)")
    conn.close()
    db = Database("sqlite:///" + str(path))
    assert db.revision() == HEAD_REVISION
    db.dispose()


def test_tables_with_rows_are_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO patients (name) VALUES ('not ours')")
    conn.close()
    before = _sha(path)
    with pytest.raises(UserError, match="patients"):
        Database("sqlite:///" + str(path))
    assert _sha(path) == before


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Shopping list: bread, milk.\n" * 100, encoding="utf-8")
    before = _sha(path)
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "stats", "--db", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home")},
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert str(path) in run.stderr and "not an annotator database" in run.stderr
    assert _sha(path) == before
    assert not path.with_name("notes.txt-wal").exists()
