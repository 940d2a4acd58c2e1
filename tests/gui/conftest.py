"""GUI fixtures: a pre-annotated copy of the seeds per test, and the real main window on it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import text

from annotator.gui.main_window import MainWindow
from annotator.services.importer import import_paths
from annotator.services.project import Project, open_project
from annotator.store.database import Database
from tests.conftest import SEEDS


def _template(path: Path, preannotator) -> Path:  # type: ignore[no-untyped-def]
    database = Database("sqlite:///" + str(path))
    import_paths(database, [SEEDS], annotator="alice", preannotator=preannotator)
    with database.engine.connect() as conn:  # fold the WAL into the file so a plain copy is complete
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    database.dispose()
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory, preannotator) -> Path:  # type: ignore[no-untyped-def]
    return _template(tmp_path_factory.mktemp("template") / "seeds.sqlite3", preannotator)


def open_copy(template: Path, target: Path, annotator: str = "alice") -> Project:
    shutil.copyfile(template, target)
    project = open_project(str(target))
    project.settings.set("annotator_name", annotator)
    project.settings.set("annotator_confirmed", True)
    return project


@pytest.fixture
def project(seeded_template: Path, tmp_path: Path) -> Iterator[Project]:
    project = open_copy(seeded_template, tmp_path / "project.sqlite3")
    yield project
    project.db.dispose()


def make_window(qtbot, project: Project) -> MainWindow:  # type: ignore[no-untyped-def]
    from annotator.gui.app import build_window

    window = build_window(project)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # key shortcuts need an active window, as on a real desktop
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot, project: Project) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, project)
    window.open_document(window.documents.neighbour(None, 1))
    return window


@contextmanager
def modals(answer: Callable[[QDialog], None] | None = None) -> Iterator[list[QWidget]]:
    """Every modal dialog shown inside the block, answered by `answer` as a person would, else rejected.

    A timer looks for the active modal dialog, so code that blocks in `exec()` gets its answer; a dialog nobody
    expected is closed and listed, so the test fails on its assertions instead of hanging until the timeout.
    An exception in `answer` closes the dialog too, and is raised when the block ends.
    """
    seen: list[QWidget] = []
    errors: list[BaseException] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            return
        if dialog in seen:  # still open after its answer: close it rather than wait forever, and say so
            errors.append(AssertionError(f"dialog {dialog.windowTitle()!r} still open after its answer"))
            dialog.reject()
            return
        seen.append(dialog)
        try:
            if answer is None:
                raise AssertionError(f"unexpected dialog {dialog.windowTitle()!r}")
            answer(dialog)
        except BaseException as error:  # raised again below, once the dialog is closed
            errors.append(error)
            dialog.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    try:
        yield seen
    finally:
        timer.stop()
    if errors:
        raise errors[0]
