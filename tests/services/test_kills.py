"""Random SIGKILLs during imports and editing never lose an acknowledged edit or half-import a document."""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from annotator.services import records
from annotator.services.importer import PLAIN_BATCH
from annotator.store import models as m
from annotator.store.database import Database

KILLS = int(os.environ.get("ANNOTATOR_KILLS", "10"))  # more for a longer run: ANNOTATOR_KILLS=40 pytest -s ...
ARTICLE = (
    "Government forces shelled the {place} district on {day}, killing {n} civilians, activists said. "
    "The Syrian Observatory for Human Rights said airstrikes hit a hospital in {place}.\n"
)
PLACES = ["Homs", "Idlib", "Palmyra", "Aleppo", "Raqqa", "Daraa", "Hama", "Douma"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def _articles(folder: Path, n: int = 40) -> Path:
    folder.mkdir()
    for i in range(n):
        text = ARTICLE.format(place=PLACES[i % len(PLACES)], day=DAYS[i % len(DAYS)], n=i + 2)
        (folder / f"a{i:02}.txt").write_text(f"Report {i}\n{text}", encoding="utf-8")
    return folder


def _import(db: Path, folder: Path, home: Path, *options: str) -> subprocess.Popen[str]:
    home.mkdir(exist_ok=True)
    (home / "settings.json").write_text(json.dumps({"batch_size": 2}), encoding="utf-8")  # many transactions
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", "--db", str(db), "--json", *options, str(folder)],
        env={**os.environ, "ANNOTATOR_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _suggestions_per_text(path: Path) -> dict[str, tuple[int, int]]:
    """(entity, event) counts of the model layer per document text hash."""
    db = Database("sqlite:///" + str(path))
    try:
        with db.reader() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            model = records.annotator_id(session, "model")
            entities = dict(
                session.execute(
                    select(m.Document.sha256, func.count(m.EntityMention.id))
                    .outerjoin(
                        m.EntityMention,
                        (m.EntityMention.document_id == m.Document.id) & (m.EntityMention.annotator_id == model),
                    )
                    .group_by(m.Document.sha256)
                ).all()
            )
            events = dict(
                session.execute(
                    select(m.Document.sha256, func.count(m.Event.id))
                    .outerjoin(m.Event, (m.Event.document_id == m.Document.id) & (m.Event.annotator_id == model))
                    .group_by(m.Document.sha256)
                ).all()
            )
        return {sha: (entities[sha], events.get(sha, 0)) for sha in entities}
    finally:
        db.dispose()


def _wait_for_documents(path: Path, count: int, child: subprocess.Popen[str], timeout: float = 120) -> None:
    """Until the database holds `count` documents (read by this process), or the import has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if path.exists():
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            try:
                stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # the schema is not there yet
            finally:
                conn.close()
            if stored >= count:
                return
        time.sleep(0.02)


@pytest.mark.slow
def test_random_kills_during_import_never_half_import_a_document(tmp_path: Path) -> None:
    folder = _articles(tmp_path / "articles")
    reference = tmp_path / "reference.sqlite3"
    done = _import(reference, folder, tmp_path / "home")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    expected = _suggestions_per_text(reference)
    assert len(expected) == 40 and all(e > 0 for e, _ in expected.values())

    rng = random.Random(8)
    killed = tmp_path / "killed.sqlite3"
    stored_counts = []
    for _ in range(KILLS):
        before = len(_suggestions_per_text(killed)) if killed.exists() else 0
        child = _import(killed, folder, tmp_path / "home")
        # kill at a random point once this run has stored something, however slow the machine is
        _wait_for_documents(killed, before + rng.randint(1, 3), child)
        time.sleep(rng.uniform(0.0, 0.05))  # anywhere in the next batch: reading, tagging or writing
        child.send_signal(signal.SIGKILL)
        child.communicate()
        stored = _suggestions_per_text(killed)
        stored_counts.append(len(stored))
        assert all(stored[sha] == expected[sha] for sha in stored)  # every stored document is whole
    finished = _import(killed, folder, tmp_path / "home")  # the import resumes where the kills left it
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    assert _suggestions_per_text(killed) == expected
    assert len(set(stored_counts)) > 3, f"kills landed at too few points of the import: {stored_counts}"
    print(f"\n{KILLS} kills during an import with suggestions: documents stored at each, {stored_counts}; none half")


def _documents(path: Path) -> dict[str, tuple[str, str, str]]:
    """(title, text, boilerplate) of each stored document by its text's hash, with the full-text index checked."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')").rowcount != 0
        indexed = conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
        rows = conn.execute("SELECT sha256, title, text, boilerplate FROM documents").fetchall()
    finally:
        conn.close()
    assert indexed == len(rows)  # every stored document is searchable, none indexed twice
    return {sha: (title, body, boilerplate) for sha, title, body, boilerplate in rows}


@pytest.mark.slow
def test_random_kills_during_a_large_plain_import_never_half_import_a_document(tmp_path: Path) -> None:
    """Without suggestions another process reads the files and a thread stores: a kill anywhere leaves whole
    documents, each indexed for search, and the import resumes to what an uninterrupted one stores."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4000):  # more than the reading process is started for, and long enough to be killed in
        text = ARTICLE.format(place=PLACES[i % len(PLACES)], day=DAYS[i % len(DAYS)], n=i + 2)
        (folder / f"a{i:04}.txt").write_text(f"Report {i} from the field\n{text}Share this article\n", encoding="utf-8")
    reference = tmp_path / "reference.sqlite3"
    done = _import(reference, folder, tmp_path / "home", "--no-suggest")
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    expected = _documents(reference)
    assert len(expected) == 4000 and all(b != "[]" for _, _, b in expected.values())  # boilerplate marked

    rng = random.Random(9)
    killed = tmp_path / "killed.sqlite3"
    stored_counts = []
    for _ in range(KILLS):
        for suffix in ("", "-wal", "-shm"):  # each kill in a new import: a resumed one is over too soon
            killed.with_name(killed.name + suffix).unlink(missing_ok=True)
        child = _import(killed, folder, tmp_path / "home", "--no-suggest")
        _wait_for_documents(killed, 1, child)
        time.sleep(rng.uniform(0.0, 0.6))  # reading, storing, indexing or committing
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)  # the reading process ends with it (it holds the same pipes)
        stored = _documents(killed)
        stored_counts.append(len(stored))
        assert all(stored[sha] == expected[sha] for sha in stored)  # every stored document is whole
        assert len(stored) % PLAIN_BATCH == 0  # whole batches only
    finished = _import(killed, folder, tmp_path / "home", "--no-suggest")
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    assert _documents(killed) == expected
    assert len(set(stored_counts)) > 3, f"kills landed at too few points of the import: {stored_counts}"
    print(f"\n{KILLS} kills during a plain import: documents stored at each, {stored_counts}; none half")


EDITOR = """
import sys
from annotator.core.schema import load_schema
from annotator.services.annotate import AnnotationService
from annotator.store.database import Database
db = Database("sqlite:///" + sys.argv[1])
service = AnnotationService(db, load_schema())
text = "{text}"
n = 0
while True:
    for start in range(0, len(text) - 6, 7):
        changes = service.create_entity(1, "alice", start, start + 5, "ORG")
        [entity] = changes.entities
        print("ack", entity, start, flush=True)  # acknowledged: the edit is committed
        service.relabel(1, "alice", [entity], "GPE")
        print("relabel", entity, flush=True)
        service.delete(1, "alice", [entity])
        print("deleted", entity, flush=True)
"""


def test_random_kills_while_editing_never_lose_an_acknowledged_edit(tmp_path: Path) -> None:
    path = tmp_path / "edit.sqlite3"
    body = "Rebels shelled Homs and Idlib while jets struck Palmyra and Raqqa again. " * 8
    db = Database("sqlite:///" + str(path))
    with db.session() as session:
        records.store_document(session, records.DocumentRecord(doc_id="d", text=body))
    db.dispose()
    script = EDITOR.replace("{text}", body)
    rng = random.Random(14)
    acknowledged = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        lines: list[list[str]] = []
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            assert selector.select(60), "the editing process started no edit in 60 s"
            deadline = time.monotonic() + rng.uniform(0.05, 1.0)  # kill at any point of the edit loop
            while time.monotonic() < deadline:
                if selector.select(0.05):
                    line = child.stdout.readline()
                    if not line:
                        break
                    lines.append(line.split())
        child.send_signal(signal.SIGKILL)
        rest, err = child.communicate()
        lines += [line.split() for line in rest.splitlines()]
        assert not err.strip() or "Traceback" not in err, err
        last: dict[int, str] = {}
        for word, entity, *_ in lines:
            last[int(entity)] = word
        acknowledged += len(lines)  # ids repeat: SQLite gives a deleted last row's id to the next one
        check = Database("sqlite:///" + str(path))
        with check.reader() as session:
            rows = dict(session.execute(select(m.EntityMention.id, m.EntityMention.label)).all())
        check.dispose()
        # Every span is in its last acknowledged state, or in the next one (committed, killed before saying so).
        # A deleted span's id goes to the next one created, so "deleted" may be followed by a new ORG.
        allowed = {"ack": {"ORG", "GPE"}, "relabel": {"GPE", None}, "deleted": {None, "ORG"}}
        for entity, word in last.items():
            assert rows.get(entity) in allowed[word], (entity, word, rows.get(entity))
    assert acknowledged > KILLS * 5
    print(f"\n{KILLS} kills while editing: {acknowledged} acknowledged edits, none lost")
