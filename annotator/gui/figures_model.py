"""A read-only table of figures: text and numbers shown as the eye reads them, sorted by their values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.gui.markup import tip

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value: numbers sort as numbers, "n/a" last
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's key (a document id), for double-clicks


class FiguresModel(QAbstractTableModel):
    """Rows of values; floats show with three decimals, None as n/a; a low score is tinted in F1 columns."""

    def __init__(self, headers: Sequence[str], scored: Sequence[int] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.scored = set(scored)  # columns holding 0-1 scores, tinted from red (low) to plain (high)
        self._rows: list[tuple[Any, ...]] = []
        self._keys: list[Any] = []
        self._tips: list[str] = []

    def set_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] = (), tips: Sequence[str] = ()) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = list(keys) or [None] * len(self._rows)
        self._tips = list(tips) or [""] * len(self._rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "n/a"
            return f"{value:.3f}" if isinstance(value, float) else str(value)
        if role == SORT_ROLE:
            if value is None:
                return float("inf")
            return value if isinstance(value, int | float) else str(value).lower()
        if role == KEY_ROLE:
            return self._keys[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(self._tips[index.row()]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in self.scored and isinstance(value, float):
            # 1.0 plain, 0.5 and below clearly red: the eye finds the weak pairs and documents at once
            strength = max(0.0, min(1.0, (1.0 - value) * 2))
            return QColor(255, round(255 - 120 * strength), round(255 - 120 * strength))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
