"""The document list model: a count, and rows fetched a page at a time as the view scrolls to them."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.core.dto import DocumentRow
from annotator.gui.icons import status_icon
from annotator.gui.markup import tip
from annotator.gui.roles import DOCUMENT_ID_ROLE
from annotator.services.documents import DocumentQueries

TITLE, SOURCE, DATE, STATUS, ENTITIES, EVENTS = range(6)
HEADERS = ("Title", "Source", "Date", "Status", "Entities", "Events")
PAGE = 200
CACHED_PAGES = 25  # about 5,000 rows kept: memory stays flat however far the user scrolls
SEARCH_STEP = 2000  # search results counted per step
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    """Holds no list of the corpus: the database counts, pages and locates documents for the current filter."""

    search_step = SEARCH_STEP

    def __init__(self, queries: DocumentQueries, annotator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._annotator = annotator
        self._query = ""
        self._status: str | None = None
        self._count = 0
        self._limit: int | None = None  # how far a search has been counted, None: counted whole
        self._inserting = False
        self._head: list[int] = []  # a search's first ids, found with its first count
        self._pages: OrderedDict[int, list[DocumentRow]] = OrderedDict()

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
        self._inserting = True  # a view reacting to the reset asks for more rows before the reset is over
        try:
            self.beginResetModel()
            self._pages.clear()
            if self._query.strip() or self._status:  # the first step's ids give the count and the first pages
                self._limit = self.search_step
                self._head = self._queries.ids(self._annotator, self._query, self._status, self._limit)
                self._count = len(self._head)
            else:
                self._limit, self._head = None, []
                self._count = self._queries.count(self._annotator, self._query, self._status)
            self.endResetModel()
        finally:
            self._inserting = False

    # A search or a filter is counted a step at a time, as the view scrolls to its end: a word most of a
    # million articles hold answers as fast as a rare name, "new" as fast as "done".

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._limit is not None and self._count >= self._limit

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._extend_to(self._count + self.search_step)

    def _extend_to(self, rows: int) -> None:
        if self._limit is None or self._inserting:  # views ask for more while rows are going in
            return
        limit = max(self._limit, rows)
        count = self._queries.count(self._annotator, self._query, self._status, limit)
        self._inserting = True
        try:
            if count > self._count:
                self.beginInsertRows(QModelIndex(), self._count, count - 1)
                self._count, self._limit = count, limit
                self._pages.clear()  # the last page held fewer rows than it does now
                self.endInsertRows()
            self._limit = limit
        finally:
            self._inserting = False

    def _page(self, number: int) -> list[DocumentRow]:
        page = self._pages.get(number)
        if page is None:
            if (number + 1) * PAGE <= len(self._head) or (self._head and self._count == len(self._head)):
                page = self._queries.rows(self._head[number * PAGE : (number + 1) * PAGE], self._annotator)
            else:
                page = self._queries.page(self._annotator, self._query, self._status, number * PAGE, PAGE)
            self._pages[number] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def _row(self, row: int) -> DocumentRow | None:
        page = self._page(row // PAGE)
        offset = row % PAGE
        return page[offset] if offset < len(page) else None

    def refresh(self, document_ids: Iterable[int]) -> None:
        """Re-read the changed documents' rows in the cached pages (not the pages: an edit touches one row) and
        repaint them. A row stays where it is even if it no longer matches the filter, until the list is reloaded,
        so it does not vanish under the person working on it."""
        changed = set(document_ids)
        for number, page in list(self._pages.items()):
            rows = [i for i, r in enumerate(page) if r.id in changed]
            if not rows:
                continue
            fresh = {r.id: r for r in self._queries.rows([page[i].id for i in rows], self._annotator)}
            for i in rows:
                page[i] = fresh.get(page[i].id, page[i])
            self.dataChanged.emit(
                self.index(number * PAGE + rows[0], 0), self.index(number * PAGE + rows[-1], len(HEADERS) - 1)
            )

    # -- lookups ---------------------------------------------------------------------------------------------

    def document_id(self, row: int) -> int | None:
        found = self._row(row) if 0 <= row < self._count else None
        return found.id if found else None

    def row_of(self, document_id: int) -> int | None:
        for number, page in self._pages.items():
            for i, row in enumerate(page):
                if row.id == document_id:
                    return number * PAGE + i
        position = self._queries.position(self._annotator, self._query, self._status, document_id)
        if position is not None and position >= self._count:
            self._extend_to(position + 1)  # a search result past the rows counted so far
        return position

    # -- Qt model API ----------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.TextAlignmentRole,
            DOCUMENT_ID_ROLE,
        ):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == DOCUMENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(row.status) if column == STATUS else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter) if column >= ENTITIES else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(row.title) if column == TITLE else None
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
