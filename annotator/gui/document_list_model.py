"""The document list model: ids only, rows fetched a page at a time when the view asks for them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.dto import DocumentRow
from annotator.gui.icons import status_icon
from annotator.gui.roles import DOCUMENT_ID_ROLE
from annotator.services.documents import DocumentQueries

TITLE, SOURCE, DATE, STATUS, ENTITIES, EVENTS = range(6)
HEADERS = ("Title", "Source", "Date", "Status", "Entities", "Events")
PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    def __init__(self, queries: DocumentQueries, annotator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._annotator = annotator
        self._query = ""
        self._status: str | None = None
        self._ids: list[int] = []
        self._rows: dict[int, DocumentRow] = {}  # cache by document id, filled page by page
        self._position: dict[int, int] | None = None

    # -- loading ---------------------------------------------------------------------------------------------

    def reload(
        self, *, query: str | None = None, status: str | bool | None = False, annotator: str | None = None
    ) -> None:
        """Re-run the filter; `status=False` keeps the current status filter."""
        if query is not None:
            self._query = query
        if status is not False:
            self._status = status or None  # type: ignore[assignment]
        if annotator is not None:
            self._annotator = annotator
        self.beginResetModel()
        self._ids = self._queries.ids(self._annotator, self._query, self._status)
        self._rows.clear()
        self._position = None
        self.endResetModel()

    def _row(self, row: int) -> DocumentRow | None:
        doc_id = self._ids[row]
        cached = self._rows.get(doc_id)
        if cached is None:
            first = row - row % PAGE
            for fetched in self._queries.rows(self._ids[first : first + PAGE], self._annotator):
                self._rows[fetched.id] = fetched
            cached = self._rows.get(doc_id)
        return cached

    def refresh(self, document_ids: Iterable[int]) -> None:
        """Drop cached rows of changed documents and repaint just those rows."""
        for doc_id in document_ids:
            self._rows.pop(doc_id, None)
            row = self.row_of(doc_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    # -- lookups ---------------------------------------------------------------------------------------------

    def document_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, document_id: int) -> int | None:
        if self._position is None:
            self._position = {doc: i for i, doc in enumerate(self._ids)}
        return self._position.get(document_id)

    # -- Qt model API ----------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == DOCUMENT_ID_ROLE:
            return self._ids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(row.status) if column == STATUS else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if column >= ENTITIES else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title if column == TITLE else None
        values = (
            row.title,
            row.source,
            row.published or "",
            row.status.replace("_", " "),
            row.entity_count,
            row.event_count,
        )
        return values[column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
