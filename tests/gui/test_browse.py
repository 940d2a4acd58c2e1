"""Browsing (issue 2): the seeds highlighted, the list model, the legend, offsets through to the view."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtWidgets import QTableView, QWidget

from annotator.gui.article_view import ArticleView
from annotator.gui.document_list_model import DocumentListModel
from annotator.gui.main_window import MainWindow
from annotator.services.documents import DocumentQueries
from annotator.services.importer import import_paths
from annotator.services.project import Project
from tests.gui.conftest import make_window
from tests.gui.screens import LAPTOP, offscreen_platform


def test_window_shows_the_seeds_highlighted(window: MainWindow) -> None:
    table = window.findChild(QTableView, "document_list")
    assert table is not None and table.model().rowCount() == 4
    view = window.findChild(ArticleView, "article_view")
    assert view is not None and window.findChild(QWidget, "legend") is not None
    current = window.editor.current
    assert current is not None
    assert view.toPlainText() == current.text.replace("\r\n", "\n")
    labels = {e.label for e in view.spans}
    assert {"GPE", "ORG", "TIME"} <= labels
    assert all(e.status == "suggested" for e in view.spans)


def test_document_list_model(qtmodeltester, project: Project) -> None:  # type: ignore[no-untyped-def]
    model = DocumentListModel(DocumentQueries(project.db), "alice")
    model.reload()
    qtmodeltester.check(model)
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert "Syria presses offensive in Homs’ Old City after talks break down" in titles
    model.reload(query="Khalidiya")
    assert model.rowCount() == 1
    model.reload(query="", status="done")
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_entity_panel_model(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.entities.model)
    assert window.entities.model.rowCount() >= 3  # label groups


def test_spans_with_astral_characters_and_crlf_reach_the_view(
    qtbot,
    project: Project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    preannotator,
) -> None:
    path = tmp_path / "flags.txt"
    path.write_bytes(
        "Activists 🇸🇾 said the Syrian Observatory for Human Rights counted dead.\r\n"
        "In 𠀋 Homs, shelling hit al-Waer.\r\n".encode()
    )
    result = import_paths(project.db, [path], annotator="alice", preannotator=preannotator)
    window = make_window(qtbot, project)
    window.open_document(result.added[0])
    view = window.article
    assert view.spans
    for entity in view.spans:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.map.to_view(entity.start))
        cursor.setPosition(view.map.to_view(entity.end), QTextCursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == entity.text.replace("\r\n", "\u2029")
    waer = next(e for e in view.spans if e.text == "al-Waer")
    view.set_selection(waer.start, waer.end)
    assert view.selection_span() == (waer.start, waer.end)


def test_screenshot_command_on_a_fresh_home(tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    platform = offscreen_platform(tmp_path, LAPTOP)  # the first window takes the screen it opens on
    # The test's own environment (PYTHONDONTWRITEBYTECODE, locale, paths...) with only what this test changes.
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": platform}
    subprocess.run(
        [sys.executable, "-m", "annotator", "gui", "--screenshot", str(target)], env=env, check=True, timeout=240
    )
    image = QImage(str(target))
    assert image.width() >= 1000 and image.height() >= 600
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 25) for y in range(0, image.height(), 25)}
    assert len(colours) > 20, "the screenshot looks blank"
    assert (tmp_path / "home" / "annotator.sqlite3").exists()  # first run imported the seeds


def test_column_widths_survive_a_search(window: MainWindow) -> None:
    header = window.documents.table.horizontalHeader()
    header.resizeSection(3, 131)  # the user widens Status (never hidden: a narrow pane hides Source first)
    window.list_model.reload(query="Homs")
    assert header.sectionSize(3) == 131
    assert header.sectionResizeMode(0) == header.ResizeMode.Stretch  # the title still takes the rest


def test_shortcut_help_lists_the_label_keys(window: MainWindow) -> None:
    window.show_shortcuts()
    box = window.findChild(QWidget, "shortcuts_box")
    assert box is not None
    text = box.text()  # type: ignore[attr-defined]
    assert "Label as GPE" in text and "Mark done and go to next" in text and "Ctrl+E" in text
