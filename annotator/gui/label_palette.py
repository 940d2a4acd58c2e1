"""A small palette of label buttons that opens beside a fresh selection, for mouse users."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from annotator.core.schema import Schema
from annotator.gui.markup import tip


class LabelPalette(QFrame):
    label_chosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("label_palette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#label_palette { background: white; border: 1px solid #90a4ae; border-radius: 4px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(2)
        for entity_type in schema.entity_types.values():
            button = QToolButton(self)
            button.setObjectName(f"palette_{entity_type.name}")
            button.setText(f"{entity_type.key} {entity_type.name}")
            button.setToolTip(tip(f"{entity_type.label} (key {entity_type.key})"))
            edge = QColor(entity_type.color).darker(160).name()
            button.setStyleSheet(
                f"QToolButton {{ background: {entity_type.color}; border: 1px solid {edge};"
                " border-radius: 3px; padding: 1px 4px; }"
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard focus stays in the text
            button.clicked.connect(lambda _c=False, name=entity_type.name: self._choose(name))
            layout.addWidget(button)
        self.hide()

    def _choose(self, label: str) -> None:
        self.hide()
        self.label_chosen.emit(label)

    def show_at(self, point: QPoint) -> None:
        self.adjustSize()
        parent = self.parentWidget()
        assert parent is not None
        x = max(0, min(point.x(), parent.width() - self.width() - 4))
        y = point.y() if point.y() + self.height() < parent.height() else point.y() - self.height() - 28
        self.move(x, max(0, y))
        self.show()
        self.raise_()
