"""A layout that places widgets left to right and wraps them onto new lines (Qt's FlowLayout example)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.max_lines: int | None = None  # items past these lines get no room (a collapsed legend)

    def set_max_lines(self, lines: int | None) -> None:
        self.max_lines = lines
        self.invalidate()

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def line_width(self) -> int:
        """The width that holds every item on one line."""
        margins = self.contentsMargins()
        widths = [item.sizeHint().width() for item in self._items]
        return sum(widths) + self._spacing * max(len(widths) - 1, 0) + margins.left() + margins.right()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height, line = area.x(), area.y(), 0, 0
        bottom = y
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() and line_height > 0:
                x, y = area.x(), y + line_height + self._spacing
                line_height, line = 0, line + 1
            shown = self.max_lines is None or line < self.max_lines
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint) if shown else QRect())
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
            if shown:
                bottom = y + line_height
        return bottom - rect.y() + margins.bottom()
