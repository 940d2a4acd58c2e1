"""The adjudication list: one row per item to decide, each annotator's version side by side with gold's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from annotator.services.adjudication import AdjudicationState, DecisionRow
from annotator.services.adjudication_text import quoted

Index = QModelIndex | QPersistentModelIndex
MARK, KIND, WHERE = range(3)  # then one column per annotator, then gold
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
GOLD_GREEN = QColor("#c8e6c9")


class DecisionModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.annotators: tuple[str, ...] = ()
        self.rows: list[DecisionRow] = []
        self.text = ""

    def set_state(self, state: AdjudicationState | None) -> None:
        self.beginResetModel()
        self.annotators = state.annotators if state else ()
        self.rows = list(state.rows) if state else []
        self.text = state.text if state else ""
        self.endResetModel()

    @property
    def gold_column(self) -> int:
        return WHERE + 1 + len(self.annotators)

    def row_of(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.key == key), None)

    def open_rows(self) -> Sequence[int]:
        return [i for i, r in enumerate(self.rows) if not r.decided]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.gold_column + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == MARK:
            return ""
        if section == KIND:
            return "Disagreement"
        if section == WHERE:
            return "Where"
        if section == self.gold_column:
            return "Gold"
        k = section - WHERE - 1
        return f"{k + 1}  {self.annotators[k]}" if 0 <= k < len(self.annotators) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == MARK:
            if row.decided:
                return "decided: gold holds it"
            return "agreed by everyone, not in gold yet" if row.agreed else "open: nobody decided yet"
        if role == Qt.ItemDataRole.FontRole and not row.decided:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == MARK:
                return QColor("#2e7d32" if row.decided else "#c62828")
            if row.decided and column != self.gold_column:
                return QColor("#757575")
        if role == Qt.ItemDataRole.BackgroundRole:
            k = column - WHERE - 1
            if row.gold_is is not None and (k == row.gold_is or column == self.gold_column):
                return GOLD_GREEN
        return None

    def _display(self, row: DecisionRow, column: int) -> str:
        if column == MARK:
            return "✓" if row.decided else "=" if row.agreed else "●"
        if column == KIND:
            return f"{row.kind} · {row.name}" if row.name else row.kind
        if column == WHERE:
            return quoted(self.text, row.start, row.end, 40)
        if column == self.gold_column:
            return row.gold if row.decided else ""
        k = column - WHERE - 1
        return row.versions[k] if 0 <= k < len(row.versions) else ""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
