"""View > Suggestions: scores per label and type against finished documents, learning and the way back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from annotator.core.dto import DocStatus, Status
from annotator.gui.main_window import MainWindow
from annotator.gui.suggestions_dialog import ScoreTableModel, SuggestionsDialog
from annotator.services.evaluation import evaluate


def _open(qtbot, window: MainWindow) -> SuggestionsDialog:  # type: ignore[no-untyped-def]
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.suggestions_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.evaluate_button.isEnabled, timeout=30000)  # the first evaluation is over
    return dialog


def _click(qtbot, dialog: SuggestionsDialog, button: QPushButton) -> None:  # type: ignore[no-untyped-def]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.evaluate_button.isEnabled, timeout=60000)


def test_scores_of_finished_documents(qtbot, qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window)
    assert "No finished documents" in dialog.summary.text() and dialog.model.rowCount() == 0
    assert "base suggester" in dialog.version.text() and not dialog.rollback_button.isEnabled()

    # Two documents reviewed and done: alice accepts every suggestion of the first and rejects one span of the second.
    editor = window.editor
    first = window.documents.neighbour(None, 1)
    window.open_document(first)
    editor.accept_all()
    editor.set_document_status(DocStatus.DONE)
    window.open_document(window.documents.neighbour(first, 1))
    second = editor.current
    assert second is not None and second.id != first
    editor.service.set_status(second.id, editor.annotator, [second.entities[0].id], Status.REJECTED)
    editor.accept_all()
    editor.set_document_status(DocStatus.DONE)

    _click(qtbot, dialog, dialog.evaluate_button)
    expected = evaluate(window.project.db)
    assert expected.documents == 2 and "2 finished documents" in dialog.summary.text()
    assert expected.entities.exact.first == expected.entities.exact.second + 1  # the one rejected span
    rows = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert rows[0] == "Entities, exact" and "    PER" in rows and "Triggers, classification" in rows
    matched = dialog.model.index(0, 1).data()
    assert matched == str(expected.entities.exact.matched)
    assert dialog.model.index(0, 6).data() == f"{expected.entities.exact.f1:.3f}"
    qtmodeltester.check(dialog.model)


def test_learning_with_too_little_gold_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window)
    _click(qtbot, dialog, dialog.learn_button)
    assert "no finished document" in dialog.summary.text() and "nothing changed" in dialog.summary.text()
    assert window.project.models.versions() == []
    _click(qtbot, dialog, dialog.rollback_button)  # disabled: nothing happens
    assert "base suggester" in dialog.version.text()


def test_empty_score_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert QApplication.instance() is not None
    model = ScoreTableModel()
    qtmodeltester.check(model)
    assert model.headerData(6, Qt.Orientation.Horizontal) == "F1"
