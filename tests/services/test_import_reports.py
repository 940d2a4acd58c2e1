"""Nothing is skipped without a word: unreadable folders, unknown formats, files beside a brat corpus."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from annotator.services.importer import import_paths
from annotator.store.database import Database
from tests.conftest import PROJECT_ROOT

BRAT = PROJECT_ROOT / "tests" / "fixtures" / "brat-news-tutorial"


def _by_name(result) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {Path(p.path).name: (p.severity, p.message) for p in result.problems}


def test_unsupported_files_in_a_folder_are_named(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Jets struck Idlib on Monday.\n", encoding="utf-8")
    (folder / "sub" / "b.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / ".hidden.txt").write_text("not for import\n", encoding="utf-8")
    result = import_paths(db, [folder], annotator="alice", preannotator=None)
    assert len(result.added) == 1
    problems = _by_name(result)
    assert set(problems) == {"b.pdf", "notes.docx"}
    assert problems["b.pdf"][0] == "warning" and "not a format" in problems["b.pdf"][1]


def test_files_beside_a_brat_corpus_are_named(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(BRAT, folder)
    (folder / "page.html").write_text("<p>Airstrikes hit Palmyra.</p>", encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"text": "Talks broke down."}\n', encoding="utf-8")
    result = import_paths(db, [folder], annotator="alice", preannotator=None)
    assert result.added  # the corpus itself imports
    problems = _by_name(result)
    assert {"page.html", "feed.jsonl"} <= set(problems)
    assert "brat corpus" in problems["page.html"][1]
    assert not any(name.endswith((".ann", ".conf")) for name in problems)  # the corpus files themselves


def test_an_unreadable_folder_is_an_error(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.txt").write_text("Jets struck Idlib.\n", encoding="utf-8")
    if os.geteuid() == 0:  # root reads any folder: have the kernel's answer for another user instead
        real_scandir = os.scandir

        def refuse(path):  # type: ignore[no-untyped-def]
            if Path(path) == folder:
                raise PermissionError(13, "Permission denied", str(folder))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", refuse)
    else:
        folder.chmod(0)
    try:
        result = import_paths(db, [folder], annotator="alice", preannotator=None)
    finally:
        folder.chmod(0o755)
    assert result.added == []
    [problem] = result.problems
    assert problem.severity == "error" and problem.path == str(folder)
    assert "cannot read the folder" in problem.message and "Permission denied" in problem.message


def test_the_project_database_is_never_read_even_through_a_link(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    assert db.path is not None
    with db.session():  # a connection, so the database holds its locks
        pass
    os.symlink(db.path, folder / "articles")  # no suffix: would be read as text
    os.link(db.path, folder / "copy")
    (folder / "a.txt").write_text("Jets struck Idlib.\n", encoding="utf-8")
    result = import_paths(db, [folder, db.path], annotator="alice", preannotator=None)
    assert len(result.added) == 1
    notes = [p for p in result.problems if "own database" in p.message]
    assert len(notes) == 2 and all(p.severity == "warning" for p in notes)
    assert not [p for p in result.problems if p not in notes]
