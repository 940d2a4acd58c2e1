"""A small palette of label buttons that opens beside a fresh selection, for mouse users.

It is not a popup window: a popup would take the keyboard, and the label keys must keep working while it
shows. So it closes itself, like a popup, on Escape, on a press anywhere outside it, and once a label is
chosen (by click or key: the selection it was opened for is gone then).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QHideEvent, QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QFrame, QToolButton, QWidget

from annotator.core.schema import Schema
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.markup import tip


class LabelPalette(QFrame):
    label_chosen = Signal(str)

    def __init__(self, schema: Schema, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("label_palette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#label_palette { background: white; border: 1px solid #90a4ae; border-radius: 4px; }")
        self.flow = layout = FlowLayout(self, spacing=2)  # wraps onto a second line in a narrow article
        layout.setContentsMargins(3, 3, 3, 3)
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
        parent = self.parentWidget()
        assert parent is not None
        width = min(self.flow.line_width(), parent.width() - 8)
        self.resize(width, self.flow.heightForWidth(width))
        x = max(0, min(point.x(), parent.width() - self.width() - 4))
        y = point.y() if point.y() + self.height() < parent.height() else point.y() - self.height() - 28
        self.move(x, max(0, y))
        self.show()
        self.raise_()

    def showEvent(self, event: QShowEvent) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)  # only while shown: every event of the application passes here
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        escape = (
            isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
        )
        outside = (
            isinstance(event, QMouseEvent)
            and event.type() == QEvent.Type.MouseButtonPress
            and not self.rect().contains(self.mapFromGlobal(event.globalPosition().toPoint()))
        )
        if escape or outside:
            self.hide()  # and the event goes on: Escape in the text also clears the selection
        return False
