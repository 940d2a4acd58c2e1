"""The editing controller: turns keys and clicks on the article view into service calls, undo and refreshes."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.dto import Changes, DocStatus, DocumentView, Status
from annotator.core.errors import StaleEditError, UserError
from annotator.core.offsets import snap_to_tokens, trim_span
from annotator.core.schema import Schema
from annotator.core.settings import Settings
from annotator.gui.article_view import ArticleView
from annotator.gui.markup import message_box
from annotator.gui.tasks import TaskRunner
from annotator.gui.undo import UndoManager
from annotator.services.annotate import PropagationPreview
from annotator.services.documents import DocumentQueries
from annotator.services.events import EventService

log = logging.getLogger(__name__)
_TOKEN = re.compile(r"\w+(?:[-_]\w+)*|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w+(?:[-_]\w+)*", re.UNICODE)


class Editor(QObject):
    """Owns the open document for the current annotator; every edit is committed before this returns."""

    document_opened = Signal(object)  # DocumentView | None
    annotations_changed = Signal(object)  # DocumentView after an edit, undo or redo
    changes_applied = Signal(object)  # Changes: the one signal every view listens to
    saved = Signal(str)
    failed = Signal(str)
    propagation_offered = Signal(object)  # PropagationPreview

    def __init__(
        self,
        service: EventService,
        queries: DocumentQueries,
        schema: Schema,
        settings: Settings,
        view: ArticleView,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.queries = queries
        self.schema = schema
        self.settings = settings
        self.view = view
        self.tasks = tasks
        self.current: DocumentView | None = None
        self.undo = UndoManager(service, self._after_replay, lambda exc: self.failed.emit(exc.describe()), self)

    @property
    def annotator(self) -> str:
        return str(self.settings.get("annotator_name"))

    @property
    def shown_layers(self) -> list[str]:
        return [str(n) for n in self.settings.get("show_layers") if n != self.annotator]

    # -- opening -----------------------------------------------------------------------------------------------

    def open(self, document_id: int | None) -> None:
        if document_id is None:
            self.current = None
            self.view.set_document(None, self.schema)
            self.document_opened.emit(None)
            return
        try:
            self.current = self.service.open_document(document_id, self.annotator, self.shown_layers)
        except UserError as exc:
            self.failed.emit(exc.describe())
            return
        self.view.set_document(self.current, self.schema)
        self.undo.activate(document_id, self.annotator)
        self.settings.set("last_document", document_id)
        self.document_opened.emit(self.current)

    def reload(self, changes: Changes | None = None) -> None:
        """Re-read the open layer after a change, keeping scroll position and selection; with the `changes`
        of an edit, only what the edit touched is read again."""
        if self.current is None:
            return
        fresh = None
        if changes is not None and self.current.annotator == self.annotator:
            fresh = self.service.refresh_view(self.current, changes)
        self.current = fresh or self.service.open_document(self.current.id, self.annotator, self.shown_layers)
        self.view.view = self.current
        self.view.set_annotations(self.current.entities, self.current.events)
        self.annotations_changed.emit(self.current)

    # -- applying ----------------------------------------------------------------------------------------------

    def _run(self, description: str, call: Callable[[], Changes]) -> Changes | None:
        """Run one service call; on success push it on the undo stack and tell every view."""
        try:
            changes = call()
        except StaleEditError as exc:  # another window of this layer got there first: show what is stored now
            self.failed.emit(exc.describe())
            self.reload()
            return None
        except UserError as exc:
            self.failed.emit(exc.describe())
            return None
        if changes.empty:
            return changes
        self.undo.push(changes, description)
        self._announce(changes)
        return changes

    def run_on(self, document_id: int | None, description: str, call: Callable[[], Changes]) -> Changes | None:
        """An edit recorded on another undo stack: a document's, or the layer's incidents' (None)."""
        self.undo.activate(document_id, self.annotator)
        return self._run(description, call)

    def _announce(self, changes: Changes) -> None:
        self.reload(changes)
        self.changes_applied.emit(changes)
        self.saved.emit(f"Saved {datetime.now().strftime('%H:%M:%S')}")

    def _after_replay(self, changes: Changes) -> None:
        self._announce(changes)

    def target_span(self) -> tuple[int, int] | None:
        span = self.view.selection_span()
        if span is None or self.current is None:
            return None
        snap = snap_to_tokens if self.settings.get("snap_to_tokens") else trim_span
        start, end = snap(self.current.text, *span)
        return (start, end) if start < end else None

    # -- entity commands ---------------------------------------------------------------------------------------

    def label(self, label: str) -> None:
        """A label key: label the selection, or relabel the selected span; then offer propagation."""
        if self.current is None:
            return
        doc = self.current.id
        span = self.target_span()
        if span is not None:
            self.unless_boilerplate(span, lambda: self._label_span(span, label))
            return
        entity = self.view.selected_entity()
        if entity is None:
            self.failed.emit("Select some text or a span first, then press a label key")
            return
        self._run(f"Relabel as {label}", lambda: self.service.relabel(doc, self.annotator, [entity.id], label))
        self._offer_propagation(entity.text, label)

    def _label_span(self, span: tuple[int, int], label: str) -> None:
        if self.current is None:
            return
        doc = self.current.id
        changes = self._run(
            f"Label as {label}", lambda: self.service.create_entity(doc, self.annotator, span[0], span[1], label)
        )
        if changes is not None and changes.entities:
            self.view.clear_text_selection()  # the new span is selected now; further keys act on it
            self.view.select_entity(max(changes.entities), scroll=False)
        self._offer_propagation(self.current.text[span[0] : span[1]], label)

    def unless_boilerplate(self, span: tuple[int, int], then: Callable[[], None]) -> None:
        """Run `then` at once, or, when the span reaches into page boilerplate, only once the user says so."""
        view = self.current
        if view is None or not any(s < span[1] and span[0] < e for s, e in view.boilerplate):
            then()
            return
        box = message_box(
            QMessageBox.Icon.Question,
            "Label page boilerplate?",
            f"“{view.text[span[0] : span[1]][:80]}” is page boilerplate (advertisements, newsletter and "
            "navigation lines): it is kept with the text but is not part of the article, and nothing there is "
            "pre-annotated.\n\nLabel it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.view.window(),
        )
        box.setObjectName("boilerplate_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        document = view.id

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes and self.current is not None and self.current.id == document:
                then()

        box.finished.connect(answered)
        box.open()  # window-modal, without a nested event loop

    def _offer_propagation(self, text: str, label: str) -> None:
        """Count the other unreviewed occurrences off the GUI thread (a corpus may be large), then offer."""
        if self.current is None:
            return
        doc, annotator = self.current.id, self.annotator
        self.tasks.run(
            self.service.preview_propagation,
            doc,
            annotator,
            text,
            label,
            on_done=self.propagation_offered.emit,
            on_error=lambda exc: log.warning("propagation preview failed: %s", exc),
        )

    def propagate(self, preview: PropagationPreview, corpus: bool) -> None:
        if self.current is None:
            return
        doc = self.current.id
        self._run(
            f"Label every “{preview.text}” as {preview.label}",
            lambda: self.service.propagate(doc, self.annotator, preview.text, preview.label, corpus=corpus),
        )

    def delete(self) -> None:
        entity = self.view.selected_entity()
        if entity is None or self.current is None:
            return
        doc = self.current.id
        self._run("Delete span", lambda: self.service.delete(doc, self.annotator, [entity.id]))

    def set_entity_status(self, status: Status) -> None:
        entity = self.view.selected_entity()
        if entity is None or self.current is None:
            return
        doc = self.current.id
        self._run(
            f"{status.value.title()} span", lambda: self.service.set_status(doc, self.annotator, [entity.id], status)
        )
        self.view.cycle(1)  # reviewing goes on with the next span, after an accept as after a reject

    def accept_all(self) -> None:
        if self.current is None:
            return
        doc = self.current.id
        self._run("Accept all suggestions", lambda: self.service.accept_all(doc, self.annotator))

    def reject_all(self) -> None:
        if self.current is None:
            return
        doc = self.current.id
        self._run("Reject all suggestions", lambda: self.service.reject_all(doc, self.annotator))

    def move(self, edge: str, step: int) -> None:
        """Move the selected span's start or end by one token (or one character with snapping off)."""
        entity = self.view.selected_entity()
        if entity is None or self.current is None:
            return
        start, end = entity.start, entity.end
        if edge == "start":
            start = self._step(start, step, is_start=True)
        else:
            end = self._step(end, step, is_start=False)
        if not 0 <= start < end <= len(self.current.text) or (start, end) == (entity.start, entity.end):
            return
        doc = self.current.id
        self._run("Move span boundary", lambda: self.service.move(doc, self.annotator, entity.id, start, end))
        self.view.select_entity(entity.id, scroll=False)

    def _step(self, position: int, step: int, *, is_start: bool) -> int:
        assert self.current is not None
        if not self.settings.get("snap_to_tokens"):
            return position + step
        bounds = sorted({m.start() if is_start else m.end() for m in _TOKEN.finditer(self.current.text)})
        if step > 0:
            return next((b for b in bounds if b > position), position)
        return next((b for b in reversed(bounds) if b < position), position)

    # -- event commands ----------------------------------------------------------------------------------------

    def trigger_span(self) -> tuple[int, int] | None:
        """The selection (snapped as for spans), or else the word the text cursor is in or just after."""
        span = self.target_span()
        if span is not None or self.current is None:
            return span
        cp = self.view.map.to_codepoint(self.view.textCursor().position())
        for match in _WORD.finditer(self.current.text, max(0, cp - 200), cp + 200):
            if match.start() <= cp <= match.end():
                return match.start(), match.end()
        return None

    def create_event(self, event_type: str, span: tuple[int, int]) -> int | None:
        """A new event on the span, selected; the selection goes so a role number does not label the trigger."""
        if self.current is None:
            return None
        doc = self.current.id
        label = self.schema.event_types[event_type].label
        changes = self._run(
            f"Create {label} event", lambda: self.service.create_event(doc, self.annotator, *span, event_type)
        )
        if changes is None or not changes.events:
            return None
        cursor = self.view.textCursor()
        cursor.clearSelection()
        self.view.setTextCursor(cursor)
        event_id = max(changes.events)
        self.view.select_event(event_id, scroll=False)
        return event_id

    def event_edit(self, description: str, call: Callable[..., Changes], *args: Any) -> Changes | None:
        """Run an EventService edit on the open layer, as `call(document, annotator, *args)`, with undo."""
        if self.current is None:
            return None
        doc = self.current.id
        return self._run(description, lambda: call(doc, self.annotator, *args))

    def set_document_status(self, status: DocStatus) -> None:
        if self.current is None:
            return
        doc = self.current.id
        try:
            changes = self.service.set_document_status(doc, self.annotator, status)
        except UserError as exc:
            self.failed.emit(exc.describe())
            return
        self._announce(changes)

    def next_not_done(self) -> int | None:
        return self.queries.next_not_done(self.current.id if self.current else 0, self.annotator)
