"""The document list pane: search box (full text), status filter, and the lazily filled table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.gui.document_list_model import DATE, ENTITIES, EVENTS, HEADERS, SOURCE, STATUS, TITLE, DocumentListModel
from annotator.gui.icons import icon
from annotator.gui.tables import ColumnWidths, plain_rows

OPTIONAL = (SOURCE, EVENTS, ENTITIES, DATE)  # hidden in this order when the pane is narrow
TITLE_ROOM = 0.45  # of the list's width, kept for the title
STATUS_FILTERS = (
    ("All documents", None),
    ("New", "new"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Adjudicated", "adjudicated"),
)


class DocumentPane(QWidget):
    document_chosen = Signal(int)
    text_wanted = Signal()  # Enter on a row, or a click: on to the article's text (arrow keys stay in the list)

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.search = QLineEdit(self)
        self.search.setObjectName("document_search")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setToolTip("Every word must occur, the last one as a prefix; Down goes to the results")
        self.search.installEventFilter(self)
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
        self.table.viewport().installEventFilter(self)  # a narrow pane hides columns before the title shrinks
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(lambda _index: self.text_wanted.emit())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._selecting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search:
            if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
                self.table.setFocus(Qt.FocusReason.TabFocusReason)  # from the box to its results
                if not self.table.currentIndex().isValid() and self.model.rowCount():
                    self.table.setCurrentIndex(self.model.index(0, TITLE))
                return True
        elif watched is self.table.viewport():
            if event.type() == QEvent.Type.Resize:
                self.fit_columns()
            elif event.type() == QEvent.Type.MouseButtonRelease:
                self.text_wanted.emit()  # a document picked with the mouse: its text takes the keys

        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Show the optional columns that fit beside a readable title (at least TITLE_ROOM of the width)."""
        header = self.table.horizontalHeader()
        width = self.table.viewport().width()
        used = sum(self.columns.widths[c] for c in self.columns.widths if c not in OPTIONAL)
        shown = set()
        for column in reversed(OPTIONAL):  # the most useful first, while the title keeps its room
            if width - used - self.columns.widths[column] < max(TITLE_ROOM * width, 120):
                break
            used += self.columns.widths[column]
            shown.add(column)
        for column in OPTIONAL:
            header.setSectionHidden(column, column not in shown)

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
