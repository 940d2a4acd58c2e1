"""The Events dock: the open document's events (type, trigger, roles, status, validity) above the event card."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import DocumentView, Event, Status
from annotator.core.schema import Schema
from annotator.gui.editor import Editor
from annotator.gui.entity_panel import STATUS_MARK
from annotator.gui.event_card import EventCard
from annotator.gui.event_type_chooser import TypeChooser
from annotator.gui.markup import tip
from annotator.gui.role_filler import RoleFiller
from annotator.gui.roles import EVENT_ID_ROLE
from annotator.gui.row_diff import update_rows
from annotator.services.annotate import status_verb
from annotator.services.validation import Problem, events_with_problems

VALID, TYPE, TRIGGER, ROLES, STATUS = range(5)
HEADERS = ("", "Type", "Trigger", "Roles", "Status")
Index = QModelIndex | QPersistentModelIndex
DECISIONS = {
    Qt.Key.Key_Return: Status.ACCEPTED,
    Qt.Key.Key_Enter: Status.ACCEPTED,
    Qt.Key.Key_Backspace: Status.REJECTED,
}


class EventListModel(QAbstractTableModel):
    """The layer's events in text order, rejected ones greyed; the first column marks invalid frames."""

    def __init__(self, schema: Schema, parent: Any = None) -> None:
        super().__init__(parent)
        self._schema = schema
        self._events: list[Event] = []
        self.problems: dict[int, list[Problem]] = {}

    def set_events(
        self, events: Sequence[Event], problems: dict[int, list[Problem]], *, same_document: bool = False
    ) -> None:
        """The layer's events; for the same document only the rows that changed are told (selection and scroll
        stay, and nothing is measured again), for another one the model starts afresh."""
        ordered = sorted(events, key=lambda ev: (ev.trigger_start, ev.trigger_end, ev.id))
        if not same_document:
            self.beginResetModel()
            self._events, self.problems = ordered, problems
            self.endResetModel()
            return
        before, self.problems = self.problems, problems
        update_rows(
            self,
            self._events,
            ordered,
            key=lambda ev: ev.id,
            changed=lambda old, fresh: old != fresh or before.get(old.id) != problems.get(fresh.id),
        )

    def row_of(self, event_id: int) -> int | None:
        return next((row for row, ev in enumerate(self._events) if ev.id == event_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event, column = self._events[index.row()], index.column()
        problems = self.problems.get(event.id, [])
        if role == EVENT_ID_ROLE:
            return event.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column, problems)
        if role == Qt.ItemDataRole.ToolTipRole and column == VALID:
            return tip("\n".join(p.message for p in problems) or "valid against the schema")
        if role == Qt.ItemDataRole.DecorationRole and column == TYPE:
            return QColor(self._schema.color(event.type))
        if role == Qt.ItemDataRole.ForegroundRole:
            if event.status == Status.REJECTED:
                return QColor("#9e9e9e")
            if column == VALID:
                return QColor("#c62828" if problems else "#2e7d32")
        return None

    def _display(self, event: Event, column: int, problems: list[Problem]) -> str:
        if column == VALID:
            return "" if event.status == Status.REJECTED else "⚠" if problems else "✓"
        if column == TYPE:
            spec = self._schema.event_types.get(event.type)
            return spec.label if spec else event.type
        if column == TRIGGER:
            return event.trigger_text
        if column == ROLES:
            spec = self._schema.event_types.get(event.type)
            filled = {a.role for a in event.arguments if a.status != Status.REJECTED}
            return f"{len(filled)}/{len(spec.roles) if spec else len(filled)}"
        return f"{STATUS_MARK.get(Status(event.status), '')} {event.status}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class EventPanel(QWidget):
    """Keeps the list, the card and the article's selected event in step; owns E (create or edit an event)."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_panel")
        self.editor = editor
        self.article = editor.view
        self.chooser = TypeChooser(self.article.viewport(), self.article)
        self.filler = RoleFiller(editor, self.article, self.chooser, self)
        self.card = EventCard(editor, self.filler)
        # In a short dock the scroll area scrolls the card instead of squeezing its rows into each other.
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.card_scroll = scroll = QScrollArea(self)
        scroll.setObjectName("event_card_scroll")
        scroll.setWidget(self.card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.model = EventListModel(editor.schema, self)
        self.list = QTableView(self)
        self.list.setObjectName("event_list")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.list.setShowGrid(False)
        self.list.setAlternatingRowColors(True)
        self.list.verticalHeader().hide()
        self._size_columns(editor.schema)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(scroll)
        splitter.setSizes([200, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(splitter)
        self._syncing = False
        self._document_id: int | None = None
        self.article.event_selected.connect(self.show_event)
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)
        self.list.doubleClicked.connect(self._row_activated)
        self.list.installEventFilter(self)

    def _size_columns(self, schema: Schema) -> None:
        """Widths from the schema's labels, not the rows: measuring every row on each open costs as much as
        drawing an article with hundreds of events. The user can still drag the columns."""
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TRIGGER, QHeaderView.ResizeMode.Stretch)
        metrics = self.list.fontMetrics()
        pad = 4 * metrics.averageCharWidth() + self.list.iconSize().width()
        widest = {
            VALID: ["⚠", "✓", HEADERS[VALID]],
            TYPE: [t.label for t in schema.event_types.values()] + [HEADERS[TYPE]],
            ROLES: ["10/10", HEADERS[ROLES]],
            STATUS: [f"{mark} {status}" for status, mark in STATUS_MARK.items()],
        }
        for column, texts in widest.items():
            header.resizeSection(column, max(metrics.horizontalAdvance(t) for t in texts) + pad)

    # -- following the document ----------------------------------------------------------------------------------

    def refresh(self, view: DocumentView | None) -> None:
        events = view.events if view else ()
        same_document = view is not None and view.id == self._document_id
        problems = events_with_problems(events, view.entities, self.editor.schema) if view else {}
        self.model.set_events(events, problems, same_document=same_document)
        if all(ev.id != self.filler.event_id for ev in events):
            self.filler.stop()
            self.filler.event_id = 0
        if (view.id if view else None) != self._document_id:  # another document: its list starts at the top
            self._document_id = view.id if view else None
            self.list.scrollToTop()
        self._select_row(self.filler.event_id)
        self.card.refresh()

    def show_event(self, event_id: int) -> None:
        """Show an event on the card (0: none); another event than the one being filled ends fill mode."""
        if self._syncing:
            return
        if event_id != self.filler.event_id:
            self.filler.stop()
            self.filler.event_id = event_id
            self.card_scroll.verticalScrollBar().setValue(0)  # another event: its title and Accept/Reject in view
        self._select_row(event_id)
        self.card.refresh()

    def _select_row(self, event_id: int) -> None:
        row = self.model.row_of(event_id)
        self._syncing = True
        if row is None:
            self.list.clearSelection()
        else:
            self.list.selectRow(row)
        self._syncing = False

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event_id = current.data(EVENT_ID_ROLE)
        if not event_id or self._syncing:
            return
        self._syncing = True  # rejected events are not drawn: the article answers 0, which must not win
        self.article.select_event(int(event_id))
        self._syncing = False
        self.show_event(int(event_id))

    def _row_activated(self, index: QModelIndex) -> None:
        """A double-click on an event: fill its roles from the text."""
        self.filler.start(int(index.data(EVENT_ID_ROLE)))
        self.article.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter accepts and Backspace rejects the selected event, then the next one is selected."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            status = DECISIONS.get(Qt.Key(event.key()))
            if status is not None and mods == Qt.KeyboardModifier.NoModifier:
                self._decide(status)
                return True
        return super().eventFilter(watched, event)

    def _decide(self, status: Status) -> None:
        row = self.list.currentIndex().row()
        event_id = self.list.currentIndex().data(EVENT_ID_ROLE)
        if not event_id:
            return
        self.editor.event_edit(
            f"{status_verb(status)} event", self.editor.service.set_event_status, [int(event_id)], status
        )
        if row + 1 < self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(row + 1, TYPE))

    def pending_work(self) -> str:
        """What is half done on the card (an armed role, fill mode, a date typed but not entered), or ""."""
        event = self.filler.current_event()
        if event is None:
            return ""
        what = f"{event.type} “{event.trigger_text}”"
        values = self.card.values
        stored = (event.date.value or "") if event.date else ""
        if values.date_value.isModified() and values.date_value.text().strip() != stored:
            return f"The date typed for {what} is not entered yet."
        if self.filler.armed is not None:
            return f"You are filling {self.filler.armed.name} of {what}."
        if self.filler.active:
            return f"{what} is in fill mode."
        return ""

    # -- E -----------------------------------------------------------------------------------------------------

    def new_or_edit_event(self) -> None:
        """E: on a trigger (no selection), fill that event's roles, or retype it when already filling it;
        elsewhere, choose a type for a new event on the selection or on the word at the cursor."""
        view = self.editor.current
        if view is None:
            return
        if not self.article.textCursor().hasSelection():
            cp = self.article.map.to_codepoint(self.article.textCursor().position())
            on = [ev for ev in view.events if ev.status != Status.REJECTED and ev.trigger_start <= cp <= ev.trigger_end]
            if on:
                event = next((ev for ev in on if ev.id == self.filler.event_id), on[0])
                if self.filler.active and self.filler.event_id == event.id:
                    self.card.choose_type()
                    return
                self.article.select_event(event.id, scroll=False)
                self.filler.start(event.id)
                return
        span = self.editor.trigger_span()
        if span is None:
            self.editor.failed.emit("Select the trigger word (or put the cursor in it), then press E")
            return
        self.chooser.open(
            f"New event on “{view.text[span[0] : span[1]]}”",
            [(t.name, f"{t.label}  ({t.name})", t.color) for t in self.editor.schema.event_types.values()],
            self.article.cursorRect().bottomLeft() + QPoint(0, 6),
            lambda event_type: self._create(event_type, span),
        )

    def _create(self, event_type: str, span: tuple[int, int]) -> None:
        event_id = self.editor.create_event(event_type, span)
        if event_id is not None:
            self.filler.start(event_id)
            self.article.setFocus()

    # -- done ----------------------------------------------------------------------------------------------------

    def confirm_done(self, problems: dict[int, list[Problem]], proceed: Callable[[], None]) -> None:
        """Ask before a document with invalid events is marked done; "No" shows the first of them."""
        view = self.editor.current
        assert view is not None
        events = {ev.id: ev for ev in view.events}
        lines = [f"• {events[i].type} “{events[i].trigger_text}”: {p[0].message}" for i, p in problems.items()]
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Events do not fit the schema",
            f"{len(problems)} event(s) in this document are invalid:\n"
            + "\n".join(lines[:8] + (["…"] if len(lines) > 8 else []))
            + "\n\nMark the document done anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window(),
        )
        box.setObjectName("invalid_events_box")
        box.setTextFormat(Qt.TextFormat.PlainText)  # event triggers and span texts come from the article
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        first = min(problems, key=lambda i: events[i].trigger_start)

        def answered(result: int) -> None:
            if self.editor.current is None or self.editor.current.id != view.id:
                return  # another document was opened meanwhile
            if result == QMessageBox.StandardButton.Yes:
                proceed()
            else:
                self.article.select_event(first)
                self.show_event(first)

        box.finished.connect(answered)
        box.open()  # window-modal, without a nested event loop
