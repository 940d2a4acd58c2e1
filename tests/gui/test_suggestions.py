"""View > Suggestions: scores per label and type against finished documents, learning and the way back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from annotator.core.dto import DocStatus, Status
from annotator.gui.main_window import MainWindow
from annotator.gui.suggestions_dialog import ScoreTableModel, SuggestionsDialog
from annotator.nlp.preannotate import Preannotator
from annotator.services.agreement import EntityScores, Score
from annotator.services.evaluation import NOT_APPLICABLE, Evaluation, evaluate
from annotator.services.project import open_project
from annotator.store.database import Database
from tests.gui.conftest import make_window
from tests.services.gold_set import build_project


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
    # Nothing suggested of a label: its precision is not applicable, not a perfect 1.000.
    exact = {"GPE": Score(2, 3, 2), "LOC": Score(0, 0, 1)}
    model.set_evaluation(Evaluation(1, EntityScores(Score(2, 3, 3), Score(2, 3, 3), exact, {})))
    qtmodeltester.check(model)
    loc = next(r for r in range(model.rowCount()) if model.index(r, 0).data().strip() == "LOC")
    assert [model.index(loc, c).data() for c in range(1, 7)] == ["0", "0", "1", NOT_APPLICABLE, "0.000", "0.000"]
    assert "Not applicable" in model.index(loc, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert (
        model.index(loc - 1, 4).data() == "0.667" and model.index(loc - 1, 4).data(Qt.ItemDataRole.ToolTipRole) is None
    )


def test_learn_cancel_learn_and_roll_back(qtbot, tmp_path: Path, preannotator: Preannotator) -> None:  # type: ignore[no-untyped-def]
    # Three finished documents of the constructed gold set: enough to learn, in seconds.
    path = tmp_path / "gold.sqlite3"
    build_project(Database("sqlite:///" + str(path)), tmp_path / "src", 3, preannotator=preannotator)
    project = open_project(str(path))
    project.settings.set("annotator_name", "alice")
    project.settings.set("annotator_confirmed", True)
    window = make_window(qtbot, project)
    dialog = _open(qtbot, window)
    assert "3 finished documents" in dialog.summary.text() and not dialog.rollback_button.isEnabled()

    # Learn, and cancel from the progress dialog: nothing is written, the base suggester stays.
    QTest.mouseClick(dialog.learn_button, Qt.MouseButton.LeftButton)

    def progress_shown() -> QProgressDialog | None:
        shown = [d for d in dialog.findChildren(QProgressDialog) if d.isVisible() and "Learning" in d.labelText()]
        return shown[0] if shown else None

    qtbot.waitUntil(lambda: progress_shown() is not None, timeout=30000)
    progress = progress_shown()
    assert progress is not None
    QTest.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.evaluate_button.isEnabled, timeout=60000)
    assert "Cancelled; nothing changed" in dialog.summary.text()
    assert project.models.versions() == [] and "base suggester" in dialog.version.text()

    # Learn to the end: a version in use, its cross-validated scores in the table, and a way back.
    _click(qtbot, dialog, dialog.learn_button)
    assert "version v1 in use" in dialog.summary.text() and "before → after" in dialog.summary.text()
    assert project.models.active() == "v1" and "learned version v1" in dialog.version.text()
    assert dialog.model.rowCount() > 0 and dialog.rollback_button.isEnabled()
    assert project.preannotator().message.startswith("learned suggester v1")  # what new imports use
    _click(qtbot, dialog, dialog.rollback_button)
    assert "Now using the base suggester" in dialog.summary.text()
    assert project.models.active() is None and "base suggester" in dialog.version.text()
    assert "learned" not in project.preannotator().message
    assert not dialog.rollback_button.isEnabled() and project.models.versions() == ["v1"]
    window.close()
    project.db.dispose()
