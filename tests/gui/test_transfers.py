"""File > Import and File > Export from the window: off the GUI thread, with a progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from annotator.cli import EXPORT_FORMATS
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.main_window import MainWindow
from annotator.services.records import default_layer

LEFT = Qt.MouseButton.LeftButton


def test_export_from_the_window(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done: list[bool] = []
    window.transfers.start_export("brat", tmp_path / "brat", "model", then=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    assert (tmp_path / "brat" / "annotation.conf").exists()
    assert len(list((tmp_path / "brat").glob("*.ann"))) == 4
    assert "Exported 4 documents" in window.statusBar().currentMessage()


def test_export_dialog_defaults(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(["alice", "model"], "alice", tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.chosen_format() == "jsonl" and dialog.layer.currentText() == "alice"
    assert not dialog.window_size.isEnabled()
    dialog.format.setCurrentIndex(dialog.format.findData("textee"))
    assert dialog.window_size.isEnabled() and dialog.chosen_status() is None
    assert dialog.out() == tmp_path / "export"


def test_import_from_the_window_reports_bad_files(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "new.txt").write_text("Airstrikes hit Palmyra on Monday, the coalition said.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    done: list[bool] = []
    window.transfers.start_import([tmp_path], suggest=False, then=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    assert window.list_model.rowCount() == 5
    report = window.findChild(QMessageBox, "transfer_report")
    assert report is not None and "empty.txt" in report.detailedText()


def test_file_export_offers_every_format_of_the_command_line(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ucdp"
    offered: list[str] = []
    labels: list[str] = []
    defaults: dict[str, object] = {}  # checked once the dialog is closed: a failed check in it would leave it open

    def fill_in() -> None:
        dialog = next(d for d in window.findChildren(ExportDialog) if d.isVisible())
        offered.extend(str(dialog.format.itemData(i)) for i in range(dialog.format.count()))
        labels.extend(dialog.format.itemText(i) for i in range(dialog.format.count()))
        defaults.update(layer=dialog.layer.currentText(), suggestions=dialog.suggestions.isChecked(), out=dialog.out())
        dialog.format.setFocus()
        qtbot.keyClicks(dialog.format, "u")  # UCDP GED: every format has its own first letter
        dialog.folder.setFocus()
        dialog.folder.selectAll()
        qtbot.keyClicks(dialog.folder, str(out))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), LEFT)

    QTimer.singleShot(100, fill_in)
    window.registry["export"].trigger()  # returns once the dialog is closed; the export runs on
    assert tuple(offered) == EXPORT_FORMATS
    assert len({label[0].lower() for label in labels}) == len(labels)  # one key picks a format
    assert defaults == {
        "layer": default_layer(window.project.db, window.editor.annotator),
        "suggestions": False,  # as the CLI without --include-suggestions
        "out": tmp_path / "export",  # beside the project's database, not in a hidden data folder
    }
    qtbot.waitUntil(lambda: (out / "ucdp_ged.csv").exists() and window.tasks.wait(0), timeout=30000)
    assert "as ucdp-ged-csv" in window.statusBar().currentMessage()
