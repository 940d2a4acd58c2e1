"""The Review menu: double-annotation settings, the Agreement window and the adjudication window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from annotator.core.dto import GOLD, Changes
from annotator.core.errors import UserError
from annotator.gui.adjudication_view import AdjudicationView
from annotator.gui.agreement_view import AgreementView
from annotator.gui.markup import warn
from annotator.gui.team_dialog import TeamDialog
from annotator.services.adjudication import AdjudicationService
from annotator.services.assignment import load_team_settings, save_team_settings

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class ReviewTools(QObject):
    """Owns the two review windows (made on first use) and the settings dialog.

    The windows are top-level windows of their own, not children of the main window: the adjudicator
    keeps them beside it (or on a second screen), and they close with it without holding the app open.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._agreement: AgreementView | None = None
        self._adjudication: AdjudicationView | None = None

    @property
    def agreement(self) -> AgreementView:
        if self._agreement is None:
            self._agreement = AgreementView(self.window.project.db, self.window.tasks)
            self._own(self._agreement)
            self._agreement.document_chosen.connect(self.adjudicate)
        return self._agreement

    @property
    def adjudication(self) -> AdjudicationView:
        if self._adjudication is None:
            project = self.window.project
            service = AdjudicationService(project.db, project.schema)
            self._adjudication = AdjudicationView(service, lambda: self.window.editor.annotator)
            self._own(self._adjudication)
            self._adjudication.changes_applied.connect(self._gold_changed)
            self._adjudication.edit_requested.connect(self.edit_in_gold)
        return self._adjudication

    def _own(self, view: QWidget) -> None:
        view.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.window.destroyed.connect(view.close)

    def close(self) -> None:
        for view in (self._agreement, self._adjudication):
            if view is not None:
                view.close()

    def show_agreement(self) -> None:
        view = self.agreement
        view.show()
        view.raise_()
        view.activateWindow()
        view.refresh()

    def adjudicate(self, document_id: int | None = None) -> None:
        """Open a document (the one open in the main window by default) in the adjudication window."""
        if document_id is None:
            current = self.window.editor.current
            if current is None:
                self.window.show_error("Open a document first, or choose one in Review > Agreement")
                return
            document_id = current.id
        self.adjudication.open_document(document_id)

    def edit_in_gold(self, document_id: int, offset: int) -> None:
        """E in the adjudication list: the main window on the gold layer, at the item."""
        window = self.window
        if window.editor.annotator != GOLD:
            window.switch_annotator(GOLD)
        window.open_document(document_id)
        under = window.article.spans_at(offset)
        if under:
            window.article.select_entity(under[0].id)
        window.statusBar().showMessage(
            "Editing gold: every edit is a decision. Switch back to your name in the toolbar when done.", 10000
        )
        window.raise_()
        window.activateWindow()

    def _gold_changed(self, changes: Changes) -> None:
        self.window.list_model.refresh(changes.documents)
        if self.window.editor.current is not None and self.window.editor.annotator == GOLD:
            self.window.editor.reload()

    def edit_settings(self) -> None:
        project = self.window.project
        dialog = TeamDialog(load_team_settings(project.db), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            save_team_settings(project.db, dialog.chosen())
        except UserError as exc:
            warn(self.window, "Double annotation", exc.describe())
            return
        self.window.statusBar().showMessage("Double annotation settings saved in the project", 5000)
        if self.window.editor.current is not None:
            self.window.open_document(self.window.editor.current.id)  # blind mode may hide or show layers now
