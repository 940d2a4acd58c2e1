"""An import's files read by another process give what reading them here gives, in order, problems included."""

from __future__ import annotations

import multiprocessing
import signal
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.progress import NullProgress
from annotator.services import reading
from annotator.services.importer import import_paths
from annotator.store import models as m
from annotator.store.database import Database

BODY = "Shelling hit the {n}th district of Homs on Monday, killing {n} people.\nShare this article\n"


def _folder(root: Path, n: int = 450) -> Path:
    """`n` articles in several of the reading process's chunks, with an empty file, a binary one, a copy of
    another article and a file of a format annotator does not read among them."""
    folder = root / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:04}.txt").write_text(f"Report number {i} from Homs\n" + BODY.format(n=i), encoding="utf-8")
    (folder / "a0150.txt").write_bytes(b"")
    (folder / "a0320.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "a0321.txt").write_bytes((folder / "a0007.txt").read_bytes())
    (folder / "a0400.xyz").write_text("not read", encoding="utf-8")
    return folder


def test_the_reading_process_gives_what_reading_here_gives(tmp_path: Path) -> None:
    items = list(reading.expand([_folder(tmp_path)]))
    items.insert(200, ("text", tmp_path / "gone.txt"))  # listed, then deleted before it was read
    here = list(reading.read_items(items, 10_000_000, None))
    elsewhere = list(reading.read_elsewhere(items, 10_000_000, None))
    assert elsewhere == here
    problems = [p.path for p in here if isinstance(p, ReadProblem)]
    assert [Path(p).name for p in problems] == ["a0150.txt", "gone.txt", "a0320.txt", "a0400.xyz"]
    records = [r for r in here if isinstance(r, DocumentRecord)]
    assert len(records) == 448 and all(r.title.startswith("Report number") and r.boilerplate for r in records)


def test_reading_goes_on_here_when_the_reading_process_dies(tmp_path: Path) -> None:
    items = list(reading.expand([_folder(tmp_path)]))
    expected = list(reading.read_items(items, 10_000_000, None))
    found = reading.read_elsewhere(items, 10_000_000, None)
    got = [next(found)]  # the first chunk is read and the next ones are on their way
    [worker] = multiprocessing.active_children()
    worker.kill()  # killed (out of memory, say) with chunks in hand
    worker.join()
    assert worker.exitcode == -signal.SIGKILL
    got += list(found)
    assert got == expected


class _WatchingChildren(NullProgress):
    """Notes, at each step of an import, whether this process has a new child (the reading process) alive."""

    def __init__(self) -> None:
        self.before = {child.pid for child in multiprocessing.active_children()}  # other tests' workers
        self.children: list[bool] = []

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.children.append(bool({child.pid for child in multiprocessing.active_children()} - self.before))


@pytest.mark.parametrize("elsewhere", [True, False])
def test_an_import_stores_the_same_whoever_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elsewhere: bool
) -> None:
    n = reading.READ_ELSEWHERE + 100
    folder = _folder(tmp_path, n)
    if not elsewhere:
        monkeypatch.setattr(reading, "READ_ELSEWHERE", 10**9)
    db = Database("sqlite:///" + str(tmp_path / "project.sqlite3"))
    progress = _WatchingChildren()
    result = import_paths(db, [folder], annotator="alice", preannotator=None, batch_size=64, progress=progress)
    assert progress.children and any(progress.children) == elsewhere  # a plain import this large reads elsewhere
    with db.reader() as session:
        stored = session.execute(
            select(m.Document.external_id, m.Document.title, m.Document.boilerplate).order_by(m.Document.id)
        ).all()
    db.dispose()
    names = [f"a{i:04}" for i in range(n) if i not in (150, 320, 321)]
    assert [row.external_id for row in stored] == names
    assert all(row.title.startswith("Report number") and len(row.boilerplate) == 1 for row in stored)
    assert result.duplicates == 1 and len(result.added) == len(names)
    assert [Path(p.path).name for p in result.problems] == ["a0150.txt", "a0320.txt", "a0400.xyz"]
