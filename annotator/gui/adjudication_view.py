"""The adjudication window: every disagreement of a document with who chose what; one key decides, the next follows.

Keys in the list: 1-9 take that annotator's version into gold, 0 takes "nothing", Enter keeps what gold
holds for a part of an event (after editing it in gold), A puts the agreements into gold, E opens the
item in the main window on the gold layer, Ctrl+Z / Ctrl+Shift+Z undo and redo, Ctrl+Enter goes to the
next document to adjudicate. Every decision is one edit of gold, with history and undo like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import GOLD, Changes
from annotator.core.errors import UserError
from annotator.gui.decision_model import KEY_ROLE, DecisionModel
from annotator.gui.markup import rich
from annotator.gui.tables import plain_rows
from annotator.gui.undo import UndoManager
from annotator.services.adjudication import AdjudicationService, AdjudicationState
from annotator.services.assignment import load_team_settings, next_document

KEYS = (
    "<b>1</b>–<b>9</b> take that annotator's version · <b>0</b> nothing · <b>Enter</b> keep gold's · "
    "<b>A</b> agreements into gold · <b>E</b> edit in gold · <b>Ctrl+Z</b> undo · <b>Ctrl+Enter</b> next document"
)
CONTEXT = 220  # characters shown around the disputed text


class AdjudicationView(QWidget):
    """A window of its own; `changes_applied` tells the main window, `edit_requested` opens gold there."""

    changes_applied = Signal(object)  # Changes
    edit_requested = Signal(int, int)  # document id, offset of the item

    def __init__(self, service: AdjudicationService, person: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("adjudication_view")
        self.service = service
        self.person = person
        self.document_id: int | None = None
        self.state: AdjudicationState | None = None
        self.undo = UndoManager(service, self._replayed, lambda exc: self._say(exc.describe(), error=True), self)
        self.header = QLabel(self)
        self.header.setObjectName("adjudication_header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.auto_button = QPushButton("Put agreements into gold (A)", self)
        self.auto_button.clicked.connect(self.put_agreements)
        self.next_button = QPushButton("Next document (Ctrl+Enter)", self)
        self.next_button.clicked.connect(self.next_document)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.auto_button)
        top.addWidget(self.next_button)
        self.model = DecisionModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("adjudication_list")
        self.table.setModel(self.model)
        plain_rows(self.table)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_context())
        self.model.modelReset.connect(self._fit_columns)
        self.context = QTextBrowser(self)
        self.context.setObjectName("adjudication_context")
        self.message = rich(QLabel(KEYS, self))
        self.message.setObjectName("adjudication_message")
        self.message.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.context)
        split.setSizes([420, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        undo = self.undo.group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo.group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        QShortcut(QKeySequence("Ctrl+Return"), self, self.next_document)
        self.resize(1180, 700)

    # -- documents ---------------------------------------------------------------------------------------------

    def open_document(self, document_id: int) -> bool:
        """Show a document's disagreements, after putting its agreements into gold if the project says so."""
        person = self.person()
        try:
            self.service.alignment(document_id, person=person)  # blind mode refuses before anything is written
        except UserError as exc:
            self._say(exc.describe(), error=True)
            return False
        self.document_id = document_id
        self.undo.activate(document_id, GOLD)
        settings = load_team_settings(self.service.db)
        if settings.auto_adjudicate:
            self._apply("Agreements into gold", lambda: self.service.auto(document_id, settings.min_agree)[0])
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()
        return True

    def refresh(self, select: str | None = None) -> None:
        if self.document_id is None:
            return
        current = select or self.current_key()
        self.state = self.service.state(self.document_id, person=self.person())
        self.model.set_state(self.state)
        row = self.model.row_of(current) if current else None
        if row is None:
            row = next(iter(self.model.open_rows()), 0 if self.model.rows else None)
        if row is not None:
            self._select(row)
        self._show_header()

    def next_document(self) -> None:
        target = next_document(self.service.db, GOLD, self.document_id or 0)
        if target is None:
            self._say("No other document waits for adjudication.")
            return
        self.open_document(target)

    # -- deciding ----------------------------------------------------------------------------------------------

    def take(self, choice: int | None) -> None:
        """Annotator `choice`'s version (None: nothing) into gold; the next open item follows."""
        key = self.current_key()
        if key is None or self.document_id is None:
            return
        document_id = self.document_id
        if choice is not None and choice >= len(self.model.annotators):
            self._say(f"There is no annotator {choice + 1} here.", error=True)
            return
        shown = "nothing" if choice is None else f"{self.model.annotators[choice]}'s version"
        if self._apply(f"Gold: {shown}", lambda: self.service.take(document_id, key, choice)):
            self._advance(key)

    def keep(self) -> None:
        key = self.current_key()
        if key is None or self.document_id is None:
            return
        document_id = self.document_id
        if self._apply("Gold: keep", lambda: self.service.keep(document_id, key)):
            self._advance(key)

    def put_agreements(self) -> None:
        if self.document_id is None:
            return
        document_id, min_agree = self.document_id, load_team_settings(self.service.db).min_agree
        self._apply("Agreements into gold", lambda: self.service.auto(document_id, min_agree)[0])
        self.refresh()

    def _apply(self, description: str, call: Callable[[], Changes]) -> bool:
        try:
            changes = call()
        except UserError as exc:
            self._say(exc.describe(), error=True)
            return False
        if not changes.empty:
            self.undo.push(changes, description)
            self.changes_applied.emit(changes)
        self.message.setText(KEYS)  # markup of our own: not escaped as messages are
        return True

    def _advance(self, key: str) -> None:
        """After a decision: the list again, and the first open item after the one decided."""
        before = self.model.row_of(key) or 0
        self.refresh(select=key)
        open_rows = self.model.open_rows()
        following = [r for r in open_rows if r >= before] or list(open_rows)
        if following:
            self._select(following[0])
        elif self.state is not None and self.state.open == 0:
            self._say("Every disagreement is decided: the document is adjudicated. Ctrl+Enter for the next one.")

    def _replayed(self, changes: Changes) -> None:
        self.refresh()
        self.changes_applied.emit(changes)

    # -- keys ------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                return False  # Ctrl+Z and the like belong to the window's actions
            key = event.key()
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
                self.take(key - Qt.Key.Key_1)
                return True
            handlers = {
                Qt.Key.Key_0: lambda: self.take(None),
                Qt.Key.Key_Return: self.keep,
                Qt.Key.Key_Enter: self.keep,
                Qt.Key.Key_A: self.put_agreements,
                Qt.Key.Key_E: self.edit_in_gold,
            }
            if key in handlers:
                handlers[Qt.Key(key)]()
                return True
        return super().eventFilter(watched, event)

    def edit_in_gold(self) -> None:
        row = self._current_row()
        if row is not None and self.document_id is not None:
            self.edit_requested.emit(self.document_id, self.model.rows[row].start)

    # -- showing ---------------------------------------------------------------------------------------------

    def current_key(self) -> str | None:
        row = self._current_row()
        return self.model.rows[row].key if row is not None else None

    def _current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() and index.data(KEY_ROLE) is not None else None

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 28)
        header.resizeSection(1, 170)
        header.resizeSection(2, 200)
        for column in range(3, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def _show_header(self) -> None:
        state = self.state
        if state is None:
            return
        self.setWindowTitle(f"Adjudication — {state.title or state.doc_id}")
        people = " · ".join(f"<b>{k + 1}</b> {escape(name)}" for k, name in enumerate(state.annotators))
        waiting = f" — not finished yet, left out: {escape(', '.join(state.waiting))}" if state.waiting else ""
        gold = (state.gold_status or "not started").replace("_", " ")
        self.header.setText(
            f"<div style='font-size:13pt; font-weight:600'>{escape(state.title or state.doc_id)}</div>"
            f"<div>{people or 'nobody has finished this document yet'}{waiting}</div>"
            f"<div style='color:#555'>{state.open} open · {len(state.rows) - state.open} decided · "
            f"{state.agreed} agreed · gold: <b>{gold}</b></div>"
        )

    def _show_context(self) -> None:
        row = self._current_row()
        if row is None or self.state is None:
            self.context.clear()
            return
        item, text = self.model.rows[row], self.state.text
        start, end = max(0, item.start - CONTEXT), min(len(text), item.end + CONTEXT)
        versions = "".join(
            f"<li><b>{k + 1} {escape(name)}</b>: {escape(item.versions[k])}</li>"
            for k, name in enumerate(self.state.annotators)
        )
        gold = escape(item.gold) if item.decided else "<i>undecided</i>"
        self.context.setHtml(
            f"<p>{'…' if start else ''}{escape(text[start : item.start])}"
            f"<span style='background:#ffe082; font-weight:600'>{escape(text[item.start : item.end])}</span>"
            f"{escape(text[item.end : end])}{'…' if end < len(text) else ''}</p>"
            f"<p><b>{escape(item.kind)}{' · ' + escape(item.name) if item.name else ''}</b></p>"
            f"<ul>{versions}<li><b>gold</b>: {gold}</li></ul>"
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(f"<span style='color:#c62828'>{escape(text)}</span>" if error else escape(text))
