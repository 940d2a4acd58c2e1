"""Undo stacks backed by the history table: one per document and annotator, rebuilt after a restart."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from annotator.core.dto import Changes
from annotator.core.errors import UserError
from annotator.services.annotate import AnnotationService


class HistoryCommand(QUndoCommand):
    """One history entry. The edit is already applied when pushed, so the first redo does nothing."""

    def __init__(self, manager: UndoManager, history_id: int, text: str) -> None:
        super().__init__(text)
        self.manager = manager
        self.history_id = history_id
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.manager.replay(self.history_id, redo=True)

    def undo(self) -> None:
        self.manager.replay(self.history_id, redo=False)


class UndoManager(QObject):
    def __init__(
        self,
        service: AnnotationService,
        on_changes: Callable[[Changes], None],
        on_error: Callable[[UserError], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.on_changes = on_changes
        self.on_error = on_error
        self.group = QUndoGroup(self)
        self._stacks: dict[tuple[int | None, str], QUndoStack] = {}
        self._rebuilding = False

    def activate(self, document_id: int | None, annotator: str) -> QUndoStack:
        """The undo stack of a document, or of the layer's incident edits (None), made the active one."""
        key = (document_id, annotator)
        stack = self._stacks.get(key)
        if stack is None:
            stack = self._build(document_id, annotator)
            self._stacks[key] = stack
        self.group.setActiveStack(stack)
        return stack

    def _build(self, document_id: int | None, annotator: str) -> QUndoStack:
        """Replay the stored history into a fresh stack without touching the database."""
        stack = QUndoStack(self.group)
        self._rebuilding = True
        try:
            entries = self.service.history(document_id, annotator)
            for entry in entries:
                stack.push(HistoryCommand(self, entry.id, entry.description))
            stack.setIndex(sum(1 for e in entries if not e.undone))
        finally:
            self._rebuilding = False
        return stack

    def push(self, changes: Changes, text: str) -> None:
        stack = self.group.activeStack()
        if stack is not None and changes.history_id is not None:
            stack.push(HistoryCommand(self, changes.history_id, text))

    def replay(self, history_id: int, *, redo: bool) -> None:
        if self._rebuilding:
            return
        try:
            changes = self.service.redo(history_id) if redo else self.service.undo(history_id)
        except UserError as exc:
            self.on_error(exc)
            self.forget_active()
            return
        self.on_changes(changes)

    def forget_active(self) -> None:
        """Drop the active stack so it is rebuilt from the database (after a refused undo)."""
        stack = self.group.activeStack()
        for key, candidate in list(self._stacks.items()):
            if candidate is stack:
                del self._stacks[key]
                self.group.removeStack(stack)
                stack.deleteLater()
                self.activate(*key)
                return
