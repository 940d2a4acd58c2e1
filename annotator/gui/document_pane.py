"""The document list pane: search box (full text), status filter, and the lazily filled table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.gui.document_list_model import DATE, ENTITIES, EVENTS, HEADERS, SOURCE, STATUS, TITLE, DocumentListModel
from annotator.gui.icons import icon
from annotator.gui.tables import ColumnWidths, plain_rows

STATUS_FILTERS = (
    ("All documents", None),
    ("New", "new"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Adjudicated", "adjudicated"),
)


class DocumentPane(QWidget):
    document_chosen = Signal(int)

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(self)
        self.search.setObjectName("document_search")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.status = QComboBox(self)
        self.status.setObjectName("status_filter")
        for text, value in STATUS_FILTERS:
            self.status.addItem(text, value)
        self.table = QTableView(self)
        self.table.setObjectName("document_list")
        self.table.setModel(model)
        plain_rows(self.table)
        metrics = self.table.horizontalHeader().fontMetrics()
        widths = {
            column: metrics.horizontalAdvance(sample) + pad
            for column, sample, pad in (
                (SOURCE, "ARA News", 12),
                (DATE, "2016-12-11", 12),
                (STATUS, "in progress", 30),
                (ENTITIES, HEADERS[ENTITIES], 12),
                (EVENTS, HEADERS[EVENTS], 12),
            )
        }
        self.columns = ColumnWidths(self.table, widths, stretch=TITLE)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._selecting = False

    def _apply_filter(self) -> None:
        self.model.reload(query=self.search.text(), status=self.status.currentData())

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = self.model.document_id(current.row())
        if doc_id is not None and not self._selecting:
            self.document_chosen.emit(doc_id)

    def select_document(self, document_id: int) -> None:
        """Show a document as current without re-emitting document_chosen."""
        row = self.model.row_of(document_id)
        self._selecting = True
        try:
            if row is None:
                self.table.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index, QTableView.ScrollHint.EnsureVisible)
        finally:
            self._selecting = False

    def neighbour(self, document_id: int | None, step: int) -> int | None:
        row = self.model.row_of(document_id) if document_id is not None else None
        target = 0 if row is None else row + step
        return self.model.document_id(target) if 0 <= target < self.model.rowCount() else None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
