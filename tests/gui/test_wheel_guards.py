"""The wheel over any combo or spin box of a dialog or view changes nothing unless the box has the focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

from annotator.gui.main_window import MainWindow
from tests.gui.helpers import wheel


def _shown(box: QWidget) -> str:
    return box.currentText() if isinstance(box, QComboBox) else box.text()  # type: ignore[attr-defined]


def _geocode(window: MainWindow) -> QWidget:
    from annotator.gui.geocode_dialog import GeocodeDialog

    return GeocodeDialog("al-Waer", {"lat": 34.7, "lon": 36.7, "place_type": "neighbourhood"}, window)


def _team(window: MainWindow) -> QWidget:
    from annotator.gui.team_dialog import TeamDialog
    from annotator.services.assignment import load_team_settings

    return TeamDialog(load_team_settings(window.project.db), window)


def _suggestions(window: MainWindow) -> QWidget:
    from annotator.gui.suggestions_dialog import SuggestionsDialog

    return SuggestionsDialog(window)


def _export(window: MainWindow) -> QWidget:
    from annotator.gui.export_dialog import ExportDialog

    return ExportDialog(["alice", "model"], "alice", window.project.home, parent=window)


OPENERS: dict[str, Callable[[MainWindow], QWidget]] = {
    "export": _export,
    "suggestions": _suggestions,
    "team": _team,
    "geocode": _geocode,
    "agreement": lambda w: w.review.agreement,
    "adjudication": lambda w: w.review.adjudication,
    "main window": lambda w: w,
}


def test_the_wheel_changes_no_box_without_focus(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    for name, opener in OPENERS.items():  # one window for all: each dialog and view opened on it in turn
        root = opener(window)
        root.show()
        qtbot.waitExposed(root)
        window.article.setFocus() if root is window else root.setFocus()
        boxes: list[QWidget] = [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
        assert boxes or name == "adjudication"  # its choices are keys and buttons
        for box in boxes:
            if isinstance(box, QComboBox) and box.count() < 2:
                box.addItems(["one", "two", "three"])  # something for the wheel to move to
            before = _shown(box)
            assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus, (name, box.objectName())
            for ticks in (1, -1, -1, 2):
                assert not wheel(box, ticks), (name, box.objectName())  # the dialog or scroll area gets it
            assert _shown(box) == before, (name, box.objectName())
        if root is not window:
            root.close()
