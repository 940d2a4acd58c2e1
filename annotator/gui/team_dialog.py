"""Review > Double annotation settings: the project's rules, shared by everyone working in the database."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from annotator.gui.wheel_guard import guard_wheel
from annotator.services.assignment import TeamSettings


class TeamDialog(QDialog):
    def __init__(self, settings: TeamSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("team_dialog")
        self.setWindowTitle("Double annotation")
        intro = QLabel(
            "These settings are stored in the project, so everyone who opens it works under the same rules. "
            "Ctrl+Enter gives each annotator the documents that still need them.",
            self,
        )
        intro.setWordWrap(True)
        self.per_document = self._spin("annotators_per_document", 1, 9, settings.annotators_per_document)
        self.per_document.setSuffix(" annotator(s)")
        self.share = self._spin("double_share", 0, 100, round(settings.double_share * 100))
        self.share.setSuffix(" % of the documents")
        self.share.setToolTip("Chosen reproducibly from each document's text: the same documents on every machine")
        self.seed = self._spin("seed", 0, 999_999, settings.seed)
        self.seed.setToolTip("Another number draws another sample of the same size")
        self.blind = QCheckBox("Hide other layers from an annotator until they mark the document done", self)
        self.blind.setObjectName("blind")
        self.blind.setChecked(settings.blind)
        self.auto = QCheckBox("Put agreements into gold when a document is opened for adjudication", self)
        self.auto.setObjectName("auto_adjudicate")
        self.auto.setChecked(settings.auto_adjudicate)
        self.min_agree = self._spin("min_agree", 1, 9, settings.min_agree)
        self.min_agree.setSuffix(" annotators must agree")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Annotators per document", self.per_document)
        form.addRow("Double-annotated share", self.share)
        form.addRow("Sample seed", self.seed)
        form.addRow("Blind mode", self.blind)
        form.addRow("Adjudication", self.auto)
        form.addRow("Automatic when", self.min_agree)
        form.addRow(buttons)
        self.per_document.valueChanged.connect(self._follow)
        self._follow()
        guard_wheel(self)

    def _spin(self, name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def _follow(self) -> None:
        """The share, the seed and blind mode only mean something with more than one annotator per document."""
        several = self.per_document.value() > 1
        for widget in (self.share, self.seed, self.blind):
            widget.setEnabled(several)

    def chosen(self) -> TeamSettings:
        return TeamSettings(
            annotators_per_document=self.per_document.value(),
            double_share=self.share.value() / 100,
            seed=self.seed.value(),
            blind=self.blind.isChecked(),
            auto_adjudicate=self.auto.isChecked(),
            min_agree=self.min_agree.value(),
        )
