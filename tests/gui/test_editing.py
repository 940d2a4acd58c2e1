"""Editing entities (issue 3) through the real window, checking the database after every step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import select

from annotator.core.dto import Status
from annotator.gui.main_window import MainWindow
from annotator.nlp.preannotate import Preannotator
from annotator.services import records
from annotator.services.importer import import_paths
from annotator.services.project import Project, open_project
from annotator.store import models as m
from tests.conftest import SEEDS
from tests.gui.conftest import make_window
from tests.processes import next_line


def layer(project: Project, doc: int, annotator: str = "alice") -> list[tuple[int, int, str, str]]:
    with project.db.reader() as session:
        aid = records.annotator_id(session, annotator)
        return [(e.start, e.end, e.label, e.status) for e in records.layer_entities(session, doc, aid)]


def press(
    qtbot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:  # type: ignore[no-untyped-def]
    window.article.setFocus()
    qtbot.keyClick(window.article, key, modifier)


def test_keyboard_editing_with_undo_and_redo(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    text = doc.text
    start = text.index("Washington-based")
    # Select "Washington" with Shift+arrows from the keyboard, as a user would.
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.map.to_view(start))
    window.article.setTextCursor(cursor)
    for _ in range(10):
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.article.selection_span() == (start, start + 10)
    press(qtbot, window, Qt.Key.Key_3)  # GPE
    created = (start, start + 10, "GPE", "accepted")
    assert created in layer(project, doc.id)
    assert window.article.selected_entity() is not None

    press(qtbot, window, Qt.Key.Key_4)  # relabel the selected span as LOC
    assert (start, start + 10, "LOC", "accepted") in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert not [row for row in layer(project, doc.id) if row[:2] == (start, start + 10) and row[3] == "accepted"]

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the delete
    assert (start, start + 10, "LOC", "accepted") in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the relabel
    assert created in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert (start, start + 10, "LOC", "accepted") in layer(project, doc.id)
    assert "Saved" in window.status_saved.text()


def test_suggestions_are_accepted_rejected_and_cycled(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    press(qtbot, window, Qt.Key.Key_Tab)
    first = window.article.selected_entity()
    assert first is not None and first.status == Status.SUGGESTED
    press(qtbot, window, Qt.Key.Key_Return)
    assert (first.start, first.end, first.label, "accepted") in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Tab)
    second = window.article.selected_entity()
    assert second is not None and second.id != first.id
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert (second.start, second.end, second.label, "rejected") in layer(project, doc.id)
    assert second.id not in {e.id for e in window.article.spans}  # rejected: recorded, no longer drawn
    window.registry["accept_all"].trigger()
    assert {st for *_rest, st in layer(project, doc.id)} == {"accepted", "rejected"}
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # accept-all is one step
    assert "suggested" in {st for *_rest, st in layer(project, doc.id)}


def test_boundaries_move_with_alt_arrows(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    start = doc.text.index("activist network")
    window.article.set_selection(start, start + len("activist"))
    press(qtbot, window, Qt.Key.Key_2)
    assert (start, start + 8, "ORG", "accepted") in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # end: one token right
    assert (start, start + len("activist network"), "ORG", "accepted") in layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert (start - 3, start + len("activist network"), "ORG", "accepted") in layer(project, doc.id)  # "an ..."


def test_done_moves_to_the_next_document_not_done(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    first = window.editor.current
    assert first is not None
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Suggestions nobody reviewed: done asks what to do with them first; they are left as they are.
    box = next(b for b in window.findChildren(QMessageBox, "unreviewed_box") if b.isVisible())
    assert "suggestion(s) in this document were neither accepted nor rejected" in box.text()
    box.findChild(QPushButton, "unreviewed_leave").click()
    # The seed's model suggestions include an event missing a required role: done asks again.
    box = next(b for b in window.findChildren(QMessageBox, "invalid_events_box") if b.isVisible())
    box.button(QMessageBox.StandardButton.Yes).click()
    with project.db.reader() as session:
        aid = records.annotator_id(session, "alice")
        assert session.get_one(m.DocumentState, (first.id, aid)).status == "done"
    assert window.editor.current is not None and window.editor.current.id != first.id
    window.documents.status.setCurrentIndex(window.documents.status.findData("done"))
    assert window.list_model.rowCount() == 1


def test_undo_survives_a_restart(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    start = doc.text.index("Siege Watch")
    window.article.set_selection(start, start + len("Siege Watch"))
    press(qtbot, window, Qt.Key.Key_2)
    assert (start, start + 11, "ORG", "accepted") in layer(project, doc.id)
    window.close()
    url = project.db.url
    project.db.dispose()

    reopened = open_project(url)
    again = make_window(qtbot, reopened)
    again.open_document(doc.id)
    assert again.undo_action.isEnabled()
    again.undo_action.trigger()
    assert (start, start + 11, "ORG", "accepted") not in layer(reopened, doc.id)
    again.redo_action.trigger()
    assert (start, start + 11, "ORG", "accepted") in layer(reopened, doc.id)


def test_propagation_fixes_al_waer_everywhere_and_one_undo_restores(qtbot, tmp_path: Path, schema) -> None:  # type: ignore[no-untyped-def]
    """Without the gazetteer spaCy calls al-Waer a person: one fix plus corpus propagation mends every article."""
    project = open_project(str(tmp_path / "p.sqlite3"))
    project.settings.set("annotator_name", "alice")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "followup.txt").write_text(
        "Residents of al-Waer said the shelling stopped at dawn.\n\n"
        "Aid trucks reached al-Waer on Sunday, according to the Red Crescent.\n",
        encoding="utf-8",
    )
    empty = tmp_path / "no-gazetteer"
    empty.mkdir()
    import_paths(
        project.db,
        [SEEDS, extra],
        annotator="alice",
        preannotator=Preannotator(schema, gazetteer_dir=empty, suggest_events=False),
    )

    def waer(annotator: str) -> dict[int, list[tuple[int, str, str]]]:
        with project.db.reader() as session:
            aid = records.annotator_id(session, annotator)
            rows = session.execute(
                select(
                    m.EntityMention.document_id, m.EntityMention.start, m.EntityMention.label, m.EntityMention.status
                ).where(m.EntityMention.text == "al-Waer", m.EntityMention.annotator_id == aid)
            ).all()
        found: dict[int, list[tuple[int, str, str]]] = {}
        for doc_id, start, label, status in sorted(rows):
            found.setdefault(doc_id, []).append((start, label, status))
        return found

    model = waer("model")
    first = min(doc for doc, spans in model.items() if any(label == "PER" for _s, label, _st in spans))
    assert len(model[first]) >= 3, "the scenario needs al-Waer mislabelled by spaCy"
    window = make_window(qtbot, project)
    window.open_document(first)
    target = next(e for e in window.article.spans if e.text == "al-Waer" and e.label == "PER")
    window.article.select_entity(target.id)
    press(qtbot, window, Qt.Key.Key_3)  # GPE
    qtbot.waitUntil(window.entities.offer.isVisible, timeout=10000)
    preview = window.entities.offer.preview
    assert preview is not None and (preview.text, preview.label) == ("al-Waer", "GPE")
    assert preview.in_document == len(model[first]) - 1 and preview.in_corpus == 2 and preview.documents == 1
    window.entities.offer.corpus.click()

    fixed = waer("alice")
    assert len(fixed) == 2 and sum(len(v) for v in fixed.values()) == len(model[first]) + 2
    assert {(label, status) for spans in fixed.values() for _s, label, status in spans} == {("GPE", "accepted")}
    window.undo_action.trigger()  # one step undoes the whole propagation
    restored = waer("alice")
    assert [label for _s, label, _st in restored[first]].count("GPE") == 1  # only the hand-made fix stays
    other = next(doc for doc in fixed if doc != first)
    assert restored.get(other, []) == model.get(other, [])
    project.db.dispose()


KILL_SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    from annotator.services.project import open_project
    from annotator.gui.app import build_window
    app = QApplication([])
    project = open_project(sys.argv[1])
    project.settings.set("annotator_name", "alice")
    window = build_window(project)
    window.show()
    window.open_document(1)
    start = window.editor.current.text.index("Siege Watch")
    window.article.set_selection(start, start + 11)
    window.editor.label("ORG")
    print("edited", start, flush=True)
    app.exec()
""")


def test_an_edit_survives_sigkill(seeded_template: Path, tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "killed.sqlite3"
    shutil.copyfile(seeded_template, path)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    line = next_line(proc).split()
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert line[0] == "edited"
    start = int(line[1])
    reopened = open_project(str(path))
    assert (start, start + 11, "ORG", "accepted") in layer(reopened, 1)
    reopened.db.dispose()


def test_label_palette_for_mouse_users(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolButton

    doc = window.editor.current
    assert doc is not None
    start = doc.text.index("Idlib Civil Defense")
    article = window.article
    article.scroll_to(start)

    def point(cp: int) -> QPoint:
        cursor = QTextCursor(article.document())
        cursor.setPosition(article.map.to_view(cp))
        return article.cursorRect(cursor).center()

    # A sloppy drag from inside the first letter to inside the last one, as a hand does: it snaps to "Idlib".
    viewport = article.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(start) + QPoint(2, 0))
    qtbot.mouseMove(viewport, point(start + 3))
    qtbot.mouseMove(viewport, point(start + 4) + QPoint(2, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(start + 4) + QPoint(2, 0))
    assert window.label_palette.isVisible()
    button = window.label_palette.findChild(QToolButton, "palette_GPE")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (start, start + 5, "GPE", "accepted") in layer(project, doc.id)
    assert not window.label_palette.isVisible()
