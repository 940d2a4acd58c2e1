"""Two imports of the same folder at once both finish, without duplicates or tracebacks (issue 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from annotator.store import models as m
from annotator.store.database import Database
from tests.store import postgres

PLACES = ["Homs", "Idlib", "Palmyra", "Aleppo", "Raqqa", "Daraa", "Hama", "Deir ez-Zor"]


def _folder(tmp_path: Path, n: int = 120) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        (folder / f"a{i:03}.txt").write_text(
            f"Report {i}: shelling hit {place} on day {i}, killing {i % 7} people, activists said.\n", "utf-8"
        )
    return folder


def _import_twice_at_once(url: str, folder: Path, home: Path) -> list[subprocess.CompletedProcess[str]]:
    home.mkdir(exist_ok=True)
    (home / "settings.json").write_text(json.dumps({"batch_size": 4}), encoding="utf-8")  # many small transactions
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    command = [sys.executable, "-m", "annotator", "import", "--no-suggest", "--json", "--db", url, str(folder)]
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        done.append(subprocess.CompletedProcess(command, proc.returncode, out, err))
    return done


def _check(db: Database, runs: list[subprocess.CompletedProcess[str]], n: int) -> None:
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    added = [json.loads(run.stdout)["added"] for run in runs]
    duplicates = [json.loads(run.stdout)["duplicates"] for run in runs]
    assert sum(added) == n and sum(added) + sum(duplicates) == 2 * n
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == n
        assert session.scalar(select(func.count(func.distinct(m.Document.sha256)))) == n
        assert session.scalars(select(m.Annotator.name)).all().count("model") == 1


def test_two_imports_at_once_on_sqlite(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "p.sqlite3")
    db = Database(url)  # the project exists, as when a person imports into it twice
    runs = _import_twice_at_once(url, _folder(tmp_path), tmp_path / "home")
    _check(db, runs, 120)
    db.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not postgres.available():
        pytest.skip("PostgreSQL binaries not installed (.ci/run installs them: apt-get install postgresql)")
    with postgres.postgres_server() as url:
        yield url


@pytest.mark.postgres
def test_two_imports_at_once_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    runs = _import_twice_at_once(pg_url, _folder(tmp_path), tmp_path / "home")  # both create the schema too
    db = Database(pg_url)
    _check(db, runs, 120)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    db.dispose()
