"""File > Export: choose format, layer, status and folder; the export itself runs off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.core.dto import MODEL
from annotator.gui.file_dialogs import choose_folder
from annotator.gui.wheel_guard import guard_wheel

FORMAT_LABELS = {
    "jsonl": "Native JSONL (lossless, re-importable)",
    "brat": "brat standoff (.txt/.ann + annotation.conf)",
    "textee": "TextEE JSONL (token windows)",
    "conll": "CoNLL-2003 BIO (entities)",
    "xmi": "XMI: UIMA CAS for INCEpTION",  # each label starts with its own letter: one key picks it
    "acled-csv": "ACLED-style CSV (31 columns, one row per incident)",
    "ucdp-ged-csv": "UCDP GED-style CSV (one row per incident)",
}
STATUSES = (
    ("All documents of the layer", None),
    ("Done", "done"),
    ("In progress", "in_progress"),
    ("Adjudicated", "adjudicated"),
)


class ExportDialog(QDialog):
    """`last` holds the choices of the previous export (see `choices`); they are offered again."""

    def __init__(
        self,
        layers: list[str],
        default_layer: str,
        start_dir: Path,
        last: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        after_browse: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._after_browse = after_browse
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export dataset")
        self.format = QComboBox(self)
        self.format.setObjectName("export_format")
        for name, label in FORMAT_LABELS.items():
            self.format.addItem(label, name)
        self.layer = QComboBox(self)
        self.layer.setObjectName("export_layer")
        self.layer.addItems(layers)
        self.layer.setCurrentText(default_layer)
        self.status = QComboBox(self)
        self.status.setObjectName("export_status")
        for label, value in STATUSES:
            self.status.addItem(label, value)
        self.suggestions = QCheckBox("Also export suggestions nobody reviewed, marked as such", self)
        self.suggestions.setObjectName("export_suggestions")
        self.suggestions.setToolTip(
            "A person's layer and gold hold only what a person accepted or made; the model layer always "
            "exports its suggestions. DATASET.md says how each format marks them."
        )
        self.window_size = QSpinBox(self)
        self.window_size.setRange(1, 20)
        self.window_size.setSuffix(" sentence(s) per window")
        self.folder = QLineEdit(str(start_dir / "export"), self)
        self.folder.setObjectName("export_folder")
        browse = QPushButton("Browse…", self)
        browse.setObjectName("export_browse")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Layer", self.layer)
        form.addRow("Documents", self.status)
        form.addRow("Review", self.suggestions)
        form.addRow("TextEE windows", self.window_size)
        form.addRow("Into folder", folder_row)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(
            lambda _i: self.window_size.setEnabled(self.chosen_format() == "textee")
        )
        self.window_size.setEnabled(False)
        self.layer.currentTextChanged.connect(lambda name: self.suggestions.setEnabled(name != MODEL))
        self.suggestions.setEnabled(self.layer.currentText() != MODEL)
        self._restore(last or {})
        guard_wheel(self)

    def _restore(self, last: dict[str, Any]) -> None:
        """The previous export's choices, where they still apply (a layer may be gone, a format renamed)."""
        for box, key in ((self.format, "format"), (self.status, "status")):
            index = box.findData(last.get(key))
            if key in last and index >= 0:
                box.setCurrentIndex(index)
        if self.layer.findText(str(last.get("layer"))) >= 0:
            self.layer.setCurrentText(str(last["layer"]))
        self.suggestions.setChecked(bool(last.get("suggestions")))
        self.window_size.setValue(int(last.get("window", 1)))
        if last.get("folder"):
            self.folder.setText(str(last["folder"]))

    def choices(self) -> dict[str, Any]:
        """What to remember for the next export (plain JSON values)."""
        return {
            "format": self.chosen_format(),
            "layer": self.layer.currentText(),
            "status": self.chosen_status(),
            "suggestions": self.suggestions.isChecked(),
            "window": self.window_size.value(),
            "folder": self.folder.text(),
        }

    def _browse(self) -> None:
        folder = choose_folder(self, "Export into folder", self.folder.text(), after=self._after_browse)
        if folder is not None:
            self.folder.setText(str(folder))

    def chosen_format(self) -> str:
        return str(self.format.currentData())

    def chosen_status(self) -> str | None:
        value = self.status.currentData()
        return str(value) if value else None

    def out(self) -> Path:
        return Path(self.folder.text()).expanduser()
