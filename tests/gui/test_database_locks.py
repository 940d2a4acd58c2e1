"""A file dialog on the database's folder never costs an edit (SQLite's POSIX locks, issue 8).

Qt's file dialog used to read every listed file to guess its type; closing the database file that way
dropped the process's locks, another process then deleted the WAL, and later edits were lost on a kill.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from annotator.gui.main_window import MainWindow
from annotator.services.project import Project, open_project
from annotator.store.lock_guard import holds_lock
from tests.gui.conftest import make_window, open_copy
from tests.gui.test_editing import layer
from tests.processes import next_line

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/locks")
CHILD = Path(__file__).with_name("lock_child.py")


def _cancel_when_listed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Cancel the file dialog once it has had time to list its folder."""

    def find() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, find)
        else:
            QTimer.singleShot(1500, dialog.reject)

    QTimer.singleShot(50, find)


@pytest.fixture
def db_window(qtbot, seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on a database in the current folder, as `annotator gui --db t.sqlite` started there."""
    monkeypatch.chdir(tmp_path)
    project = open_copy(seeded_template, tmp_path / "t.sqlite")
    window = make_window(qtbot, project)
    window.open_document(1)
    return window


def _locks_kept(window: MainWindow, caplog: pytest.LogCaptureFixture) -> bool:
    path = window.project.db.path
    assert path is not None
    lost = [r for r in caplog.records if "lost the SQLite locks" in r.getMessage()]
    return not lost and holds_lock(path) is True


def test_import_dialog_on_the_database_folder_keeps_the_locks(qtbot, db_window: MainWindow, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    assert holds_lock(db_window.project.db.path) is True
    _cancel_when_listed(qtbot)
    db_window.registry["import_folder"].trigger()
    assert _locks_kept(db_window, caplog)
    _cancel_when_listed(qtbot)
    db_window.registry["import"].trigger()
    assert _locks_kept(db_window, caplog)


def test_export_browse_on_the_database_folder_keeps_the_locks(
    qtbot, db_window: MainWindow, caplog, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)

    def browse() -> None:
        export = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "export_dialog" and w.isVisible())
        export.folder.setText(str(tmp_path))
        _cancel_when_listed(qtbot)
        qtbot.mouseClick(export.findChild(QPushButton, "export_browse"), Qt.MouseButton.LeftButton)
        export.reject()

    QTimer.singleShot(0, browse)
    db_window.registry["export"].trigger()
    assert _locks_kept(db_window, caplog)


@pytest.mark.parametrize("dialog", ["import", "export"])
def test_edit_after_a_dialog_and_another_reader_survives_sigkill(
    dialog: str, seeded_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.sqlite"
    shutil.copyfile(seeded_template, path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), path.name, dialog],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert next_line(proc).strip() == "ready"
        assert next_line(proc).strip() == "dialog-closed"
        # another process reads the database: believing itself the last connection, an unfixed app's
        # WAL would be checkpointed and deleted under it here
        stats = subprocess.run(
            [sys.executable, "-m", "annotator", "stats", "--db", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert stats.returncode == 0, stats.stderr
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        edited = next_line(proc).strip().split()
        assert edited[0] == "edited"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    start = int(edited[1])
    reopened: Project = open_project(str(path))
    try:
        assert (start, start + len("al-Waer"), "ORG", "accepted") in layer(reopened, 1)
    finally:
        reopened.db.dispose()


def test_a_stale_edit_in_the_window_is_refused_and_the_document_reloaded(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A second window of the same annotator removes a span; this window's edit of it is refused, not a traceback."""
    from annotator.services.annotate import AnnotationService
    from annotator.store.database import Database

    view = window.editor.current
    assert view is not None
    start = view.text.index("trapped")  # no suggestion there: the span is the person's own
    window.article.set_selection(start, start + len("trapped"))
    window.editor.label("ORG")
    [span] = [e for e in window.editor.current.entities if e.start == start and e.origin == "human"]
    window.article.select_entity(span.id)
    other_db = Database(window.project.db.url)
    AnnotationService(other_db, window.project.schema).delete(view.id, "alice", [span.id])
    other_db.dispose()
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # move its end: stale
    assert "another window or session" in window.statusBar().currentMessage()
    assert span.id not in {e.id for e in window.editor.current.entities}  # the view shows what is stored now
