"""Before a document is marked done: suggestions nobody reviewed (accept, reject or leave them), then invalid events."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from annotator.core.review import unreviewed_count
from annotator.core.schema import Schema
from annotator.gui.editor import Editor
from annotator.gui.event_list import EventPanel
from annotator.services.validation import document_problems

ACCEPT, REJECT, LEAVE = "accept", "reject", "leave"


class DoneCheck(QObject):
    """Runs the questions before "done" in order; `proceed` marks the document done and moves on."""

    def __init__(
        self, editor: Editor, events: EventPanel, schema: Schema, proceed: Callable[[], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.events = events
        self.schema = schema
        self.proceed = proceed
        self.window = parent

    def run(self) -> None:
        view = self.editor.current
        if view is None:
            return
        pending = unreviewed_count(view)
        if pending:
            self.ask_about_suggestions(pending, view.id)
            return
        self.check_events()

    def ask_about_suggestions(self, pending: int, document_id: int) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Suggestions nobody reviewed",
            f"{pending} suggestion(s) in this document were neither accepted nor rejected: spans, events or role "
            "fillers the model proposed. Exports of your layer leave them out unless asked.\n\n"
            "Accept them all, reject them all, or mark the document done and leave them as they are?",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setObjectName("unreviewed_box")
        buttons: dict[QPushButton, str] = {
            box.addButton("&Accept all", QMessageBox.ButtonRole.AcceptRole): ACCEPT,
            box.addButton("&Reject all", QMessageBox.ButtonRole.DestructiveRole): REJECT,
            box.addButton("&Leave them and mark done", QMessageBox.ButtonRole.ApplyRole): LEAVE,
        }
        for button, choice in buttons.items():
            button.setObjectName(f"unreviewed_{choice}")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(_result: int) -> None:
            choice = buttons.get(box.clickedButton())  # type: ignore[call-overload]
            if choice is None or self.editor.current is None or self.editor.current.id != document_id:
                return  # cancelled, or another document was opened meanwhile
            if choice == ACCEPT:
                self.editor.accept_all()
            elif choice == REJECT:
                self.editor.reject_all()
            self.check_events()

        box.finished.connect(answered)
        box.open()  # window-modal, without a nested event loop

    def check_events(self) -> None:
        view = self.editor.current
        problems = document_problems(view, self.schema) if view else {}
        if problems:  # invalid events: done only if the user confirms, else the first of them is shown
            self.events.confirm_done(problems, self.proceed)
            return
        self.proceed()
