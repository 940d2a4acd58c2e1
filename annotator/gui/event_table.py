"""The corpus event table: filters, a timeline above, rows fetched a page at a time and sorted in SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import Changes
from annotator.core.schema import Schema
from annotator.gui.icons import icon
from annotator.gui.markup import tip
from annotator.gui.roles import DOCUMENT_ID_ROLE, EVENT_ID_ROLE
from annotator.gui.tables import ColumnWidths, plain_rows
from annotator.gui.timeline import Timeline
from annotator.services.event_queries import SORT_KEYS, EventFilter, EventQueries, EventRow

HEADERS = ("Type", "Attack mode", "Date", "Place", "Actors", "Fatalities", "Status", "Document")
TYPE, ATTACK_MODE, DATE, PLACE, ACTORS, FATALITIES, STATUS, DOCUMENT = range(8)
PAGE = 200
STATUS_FILTERS = (
    ("Not rejected", None),
    ("Suggested", "suggested"),
    ("Accepted", "accepted"),
    ("Rejected", "rejected"),
)
Index = QModelIndex | QPersistentModelIndex


class EventTableModel(QAbstractTableModel):
    """Holds the rows fetched so far; the view asks for more as it scrolls, sorting re-queries."""

    def __init__(self, queries: EventQueries, schema: Schema, annotator: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._queries = queries
        self._schema = schema
        self.annotator = annotator
        self.filter = EventFilter()
        self._sort = ("date", False)
        self._rows: list[EventRow] = []
        self.total = 0

    def reload(self, flt: EventFilter | None = None) -> None:
        self.filter = flt if flt is not None else self.filter
        self.beginResetModel()
        self.total = self._queries.count(self.annotator, self.filter)
        self._rows = self._page(0)
        self.endResetModel()

    def _page(self, offset: int) -> list[EventRow]:
        key, descending = self._sort
        return self._queries.rows(
            self.annotator, self.filter, sort=key, descending=descending, offset=offset, limit=PAGE
        )

    def row(self, row: int) -> EventRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # -- Qt model API ----------------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        more = self._page(len(self._rows))
        if not more:  # the corpus changed under us: stop asking
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(SORT_KEYS):
            self._sort = (SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
            if self._rows:  # an empty (or not yet loaded) table has nothing to re-sort: no query
                self.reload()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 8:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        if role == EVENT_ID_ROLE:
            return row.id
        if role == DOCUMENT_ID_ROLE:
            return row.document_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(f"{row.type} “{row.trigger}” in {row.document}") if column in (TYPE, DOCUMENT) else None
        if role == Qt.ItemDataRole.DecorationRole and column == TYPE:
            return QColor(self._schema.color(row.type))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == FATALITIES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "rejected":
            return QColor("#9e9e9e")
        return None

    def _display(self, row: EventRow, column: int) -> Any:
        if column == TYPE:
            spec = self._schema.event_types.get(row.type)
            return spec.label if spec else row.type
        if column == DATE:
            shown = row.date or ""
            return f"{shown} ({row.precision})" if row.date and row.precision not in (None, "day") else shown
        if column == FATALITIES:
            return "" if row.fatalities is None else row.fatalities
        values = {ATTACK_MODE: row.attack_mode.replace("_", " "), PLACE: row.place, ACTORS: row.actors}
        return values.get(column, row.status if column == STATUS else row.document)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class EventTablePanel(QWidget):
    """Filters (type, status, text) drive both the timeline and the table; double-click opens the evidence."""

    event_activated = Signal(int, int)  # document id, event id

    def __init__(self, queries: EventQueries, schema: Schema, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_table_panel")
        self.queries = queries
        self.model = EventTableModel(queries, schema, annotator, self)
        self.type_box = QComboBox(self)
        self.type_box.setObjectName("event_filter_type")
        self.type_box.addItem("All event types", None)
        for spec in schema.event_types.values():
            self.type_box.addItem(f"{spec.label} ({spec.name})", spec.name)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("event_filter_status")
        for text, value in STATUS_FILTERS:
            self.status_box.addItem(text, value)
        self.text = QLineEdit(self)
        self.text.setObjectName("event_filter_text")
        self.text.setPlaceholderText("Trigger, actor, place or document title…")
        self.text.setClearButtonEnabled(True)
        self.text.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.count = QLabel(self)
        self.count.setObjectName("event_count")
        bar = QHBoxLayout()
        for widget, stretch in ((self.type_box, 0), (self.status_box, 0), (self.text, 1), (self.count, 0)):
            bar.addWidget(widget, stretch)
        self.timeline = Timeline(schema, self)
        self.table = QTableView(self)
        self.table.setObjectName("event_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        plain_rows(self.table)
        em = self.fontMetrics().horizontalAdvance("M")
        self.columns = ColumnWidths(
            self.table, {c: w * em for c, w in enumerate((14, 13, 12, 12, 18, 6, 8))}, stretch=7
        )
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.timeline)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([150, 250])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(splitter)
        self._stale = True
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(lambda _t: self._debounce.start())
        self.type_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.activated.connect(self._activated)

    def current_filter(self) -> EventFilter:
        return EventFilter(self.type_box.currentData(), self.status_box.currentData(), self.text.text())

    def reload(self) -> None:
        """Re-run the filters for the table and the timeline alike."""
        flt = self.current_filter()
        self.model.reload(flt)
        points, undated = self.queries.timeline(self.model.annotator, flt)
        self.timeline.set_points(points, undated)
        self.count.setText(f"{self.model.total} event(s)")
        self._stale = False

    def set_annotator(self, name: str) -> None:
        self.model.annotator = name
        self._stale = True
        if self.isVisible():
            self.reload()

    def changes_applied(self, changes: Changes) -> None:
        """Refresh after edits, once they settle, and only while shown; a hidden table refreshes when opened."""
        if not (changes.events or changes.entities or changes.corpus):
            return
        self._stale = True
        if self.isVisible():
            self._debounce.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _activated(self, index: QModelIndex) -> None:
        self.event_activated.emit(int(index.data(DOCUMENT_ID_ROLE)), int(index.data(EVENT_ID_ROLE)))
