"""The main window shell: docks, toolbar, menus and status bar, wired to the editor and the services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import GOLD, Changes, DocStatus, DocumentView, Status
from annotator.gui.actions import ActionRegistry, ActionSpec
from annotator.gui.annotator_bar import AnnotatorBar
from annotator.gui.article_header import ArticleHeader
from annotator.gui.article_view import ArticleView
from annotator.gui.document_list_model import DocumentListModel
from annotator.gui.document_pane import DocumentPane
from annotator.gui.editor import Editor
from annotator.gui.entity_panel import EntityPanel
from annotator.gui.event_list import EventPanel
from annotator.gui.event_table import EventTablePanel
from annotator.gui.find_bar import FindBar
from annotator.gui.icons import icon
from annotator.gui.incident_docks import IncidentDocks
from annotator.gui.label_palette import LabelPalette
from annotator.gui.legend import Legend
from annotator.gui.review_prompt import DoneCheck
from annotator.gui.review_tools import ReviewTools
from annotator.gui.suggestions_dialog import SuggestionsDialog
from annotator.gui.tasks import TaskRunner
from annotator.gui.transfers import Transfers
from annotator.gui.wheel_guard import guard_wheel
from annotator.gui.window_fit import WindowFit
from annotator.services.documents import DocumentQueries
from annotator.services.event_queries import EventQueries
from annotator.services.events import EventService
from annotator.services.project import Project

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, project: Project, pipeline_message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setWindowTitle("annotator")
        self.project = project
        self.tasks = TaskRunner(self)
        self.service = EventService(project.db, project.schema)
        self.queries = DocumentQueries(project.db)
        self.registry = ActionRegistry(self)
        self.transfers = Transfers(self)
        self.review = ReviewTools(self)
        self.suggestions_dialog: SuggestionsDialog | None = None

        self.article = ArticleView(self)
        self.header = ArticleHeader(self)
        self.legend = Legend(project.schema, project.settings, self)
        self.label_palette = LabelPalette(project.schema, self.article.viewport())
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.legend)
        layout.addWidget(self.article, 1)
        self.find_bar = FindBar(self.article, central)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

        self.editor = Editor(
            self.service, self.queries, project.schema, project.settings, self.article, self.tasks, self
        )
        self.list_model = DocumentListModel(self.queries, self.editor.annotator, self)
        self.documents = DocumentPane(self.list_model, self)
        self.entities = EntityPanel(self)
        self.event_panel = EventPanel(self.editor, self)
        self.event_table = EventTablePanel(EventQueries(project.db), project.schema, self.editor.annotator, self)
        documents_dock = self._dock("Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea, "documents_dock")
        entities_dock = self._dock("Entities", self.entities, Qt.DockWidgetArea.RightDockWidgetArea, "entities_dock")
        self.events_dock = self._dock("Events", self.event_panel, Qt.DockWidgetArea.RightDockWidgetArea, "events_dock")
        self.tabifyDockWidget(entities_dock, self.events_dock)
        self.fit = WindowFit(self, project.settings, documents_dock, self.events_dock, self.article)
        self.table_dock = self._dock(
            "Event table", self.event_table, Qt.DockWidgetArea.BottomDockWidgetArea, "event_table_dock"
        )
        self.table_dock.hide()  # a corpus overview for review, opened from the View menu
        self.incident_docks = IncidentDocks(self)

        self.status_pipeline = QLabel(pipeline_message, self)
        self.status_pipeline.setToolTip(pipeline_message)
        self.status_pipeline.setMinimumWidth(1)  # a long message is cut, never widens the window off the screen
        self.status_pipeline.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_saved = QLabel("", self)
        self.status_saved.setObjectName("saved_indicator")
        self.statusBar().addWidget(self.status_pipeline, 1)
        self.statusBar().addPermanentWidget(self.status_saved)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        self._connect()
        self.list_model.reload()
        guard_wheel(self)
        self.fit.restore()

    # -- construction --------------------------------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        a, e = self.registry, self.editor
        a.add(
            ActionSpec("import", "&Import articles…", QKeySequence.StandardKey.Open, "import"),
            self.transfers.import_files,
        )
        a.add(ActionSpec("import_folder", "Import &folder…", "Ctrl+Shift+O", "import"), self.transfers.import_folder)
        a.add(ActionSpec("export", "&Export dataset…", "Ctrl+E", "export"), self.transfers.export)
        a.add(ActionSpec("quit", "&Quit", QKeySequence.StandardKey.Quit, "quit"), self.close)
        undo = self.editor.undo.group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        undo.setIcon(icon("undo"))
        undo.setObjectName("action_undo")
        redo = self.editor.undo.group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setIcon(icon("redo"))
        redo.setObjectName("action_redo")
        self.undo_action, self.redo_action = undo, redo
        a.add(ActionSpec("previous", "&Previous document", "Ctrl+PgUp", "previous"), lambda: self._step(-1))
        a.add(ActionSpec("next", "&Next document", "Ctrl+PgDown", "next"), lambda: self._step(1))
        self.done_check = DoneCheck(self.editor, self.event_panel, self.project.schema, self._done_and_next, self)
        a.add(ActionSpec("done", "Mark &done and go to next", "Ctrl+Return", "done"), self.done_check.run)
        a.add(ActionSpec("find", "&Find in the article", QKeySequence.StandardKey.Find, "search"), self._find)
        a.add(ActionSpec("find_next", "Find ne&xt", "F3"), lambda: self.find_bar.step(1))
        a.add(ActionSpec("find_previous", "Find pre&vious", "Shift+F3"), lambda: self.find_bar.step(-1))
        a.add(ActionSpec("find_documents", "Find &documents", "Ctrl+Shift+F", "search"), self.documents.focus_search)
        a.add(ActionSpec("accept_all", "Accept &all suggestions", "Ctrl+Shift+A", "accept_all"), e.accept_all)
        a.add(ActionSpec("snap", "&Snap selections to tokens", None, "snap", checkable=True), self._toggle_snap)
        a.add(
            ActionSpec("event_table", "Event &table and timeline", "Ctrl+Shift+E", "event", checkable=True),
            self._toggle_event_table,
        )
        a.add(ActionSpec("agreement", "&Agreement…", "Ctrl+Shift+G", "agreement"), self.review.show_agreement)
        a.add(
            ActionSpec("adjudicate", "Ad&judicate this document…", "Ctrl+Shift+J", "adjudicate"), self.review.adjudicate
        )
        a.add(ActionSpec("team", "&Double annotation settings…", None, "team"), self.review.edit_settings)
        a.add(
            ActionSpec("suggestions", "Su&ggestions: scores and learning…", "Ctrl+Shift+L", "learn"),
            self.show_suggestions,
        )
        self.table_dock.visibilityChanged.connect(a["event_table"].setChecked)
        incidents = self.incident_docks
        a.add(
            ActionSpec("incidents", "&Incidents", "Ctrl+Shift+I", "incidents"), lambda: incidents.show_view("incidents")
        )
        a.add(ActionSpec("map", "&Map of incidents", "Ctrl+Shift+M", "map"), lambda: incidents.show_view("map"))
        a.add(ActionSpec("published", "Set &publication date…", "Ctrl+Shift+D", "date"), incidents.set_published)
        a.add(ActionSpec("geocode", "&Geocode place…", "Ctrl+G", "map"), incidents.geocode)
        a["snap"].setChecked(bool(self.project.settings.get("snap_to_tokens")))
        # Keys that act on the text: only while the article view has focus, so typing elsewhere is safe.
        text_actions: list[tuple[ActionSpec, Callable[[], object]]] = [
            (
                ActionSpec("accept", "&Accept span", "Return", "accept", widget_only=True),
                lambda: e.set_entity_status(Status.ACCEPTED),
            ),
            (
                ActionSpec("accept_enter", "Accept span", "Enter", widget_only=True),
                lambda: e.set_entity_status(Status.ACCEPTED),
            ),
            (
                ActionSpec("reject", "&Reject span", "Backspace", "reject", widget_only=True),
                lambda: e.set_entity_status(Status.REJECTED),
            ),
            (
                ActionSpec("delete", "&Delete span", QKeySequence.StandardKey.Delete, "delete", widget_only=True),
                e.delete,
            ),
            (
                ActionSpec("move_start_left", "Move start left", "Alt+Shift+Left", widget_only=True),
                lambda: e.move("start", -1),
            ),
            (
                ActionSpec("move_start_right", "Move start right", "Alt+Shift+Right", widget_only=True),
                lambda: e.move("start", 1),
            ),
            (ActionSpec("move_end_left", "Move end left", "Alt+Left", widget_only=True), lambda: e.move("end", -1)),
            (ActionSpec("move_end_right", "Move end right", "Alt+Right", widget_only=True), lambda: e.move("end", 1)),
            (
                ActionSpec("event", "Create or fill an &event", "E", "event", widget_only=True),
                self.event_panel.new_or_edit_event,
            ),
        ]
        for entity_type in self.project.schema.entity_types.values():
            text_actions.append(
                (
                    ActionSpec(
                        f"label_{entity_type.name}",
                        f"Label as {entity_type.name} ({entity_type.label})",
                        entity_type.key,
                        widget_only=True,
                    ),
                    partial(e.label, entity_type.name),
                )
            )
        self.text_actions = [a.add(spec, handler) for spec, handler in text_actions]
        self.article.addActions(self.text_actions)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("main_toolbar")
        for action_id in ("previous", "next"):
            bar.addAction(self.registry[action_id])
        bar.addSeparator()
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        for action_id in ("accept", "reject", "accept_all", "event", "done"):
            bar.addAction(self.registry[action_id])
        bar.addSeparator()
        bar.addAction(self.registry["snap"])
        bar.addSeparator()
        self.annotators = AnnotatorBar(self, bar)
        self.annotator_box = self.annotators.box

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action_id in ("import", "import_folder", "export"):
            file_menu.addAction(self.registry[action_id])
        file_menu.addSeparator()
        file_menu.addAction(self.registry["quit"])
        edit = menus.addMenu("&Edit")
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        for action in self.text_actions:
            if action.objectName() != "action_accept_enter":
                edit.addAction(action)
        edit.addAction(self.registry["accept_all"])
        edit.addSeparator()
        edit.addAction(self.registry["published"])
        edit.addAction(self.registry["geocode"])
        go = menus.addMenu("&Go")
        for action_id in ("previous", "next", "done", "find", "find_next", "find_previous", "find_documents"):
            go.addAction(self.registry[action_id])
        review = menus.addMenu("&Review")
        for action_id in ("agreement", "adjudicate", "team"):
            review.addAction(self.registry[action_id])
        view = menus.addMenu("&View")
        view.addAction(self.registry["snap"])
        view.addAction(self.registry["event_table"])
        view.addAction(self.registry["incidents"])
        view.addAction(self.registry["map"])
        view.addAction(self.registry["suggestions"])
        help_menu = menus.addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts", self.show_shortcuts)

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b></td><td>{text}</td></tr>" for keys, text in self.registry.shortcut_table()
        )
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts",
            "<p>Label keys, Enter, Backspace, Delete, Tab and Alt+arrows act in the article text. "
            "In an event's fill mode the digits pick roles.</p>"
            f"<table cellspacing='6'>{rows}<tr><td><b>Ctrl+Z / Ctrl+Shift+Z</b></td><td>Undo / redo"
            "</td></tr></table>",
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("shortcuts_box")
        box.open()

    def _connect(self) -> None:
        self.documents.document_chosen.connect(self.open_document)
        self.documents.text_wanted.connect(self.article.setFocus)
        self.editor.document_opened.connect(self._document_opened)
        self.editor.annotations_changed.connect(self._annotations_changed)
        self.editor.changes_applied.connect(self._changes_applied)
        self.editor.saved.connect(self._saved)
        self.editor.failed.connect(self.show_error)
        self.editor.propagation_offered.connect(self.entities.offer.offer)
        self.entities.offer.apply_requested.connect(self._propagate)
        self.entities.entity_activated.connect(self.article.select_entity)
        self.article.entity_selected.connect(self.entities.show_selected)
        self.article.text_selected.connect(self._show_palette)
        self.label_palette.label_chosen.connect(self.editor.label)
        self.editor.annotations_changed.connect(self.label_palette.hide)  # a label key used it too
        self.article.event_selected.connect(lambda event_id: self.events_dock.raise_() if event_id else None)
        self.event_panel.filler.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.event_table.event_activated.connect(self.show_event)

    # -- documents -----------------------------------------------------------------------------------------------

    def open_document(self, document_id: int | None) -> None:
        self.label_palette.hide()
        self.entities.offer.hide()
        self.editor.open(document_id)

    def _document_opened(self, view: DocumentView | None) -> None:
        self.header.show_document(view)
        self.entities.set_entities(self.project.schema, view.entities if view else ())
        self.event_panel.refresh(view)
        self.find_bar.show_search_terms(self.documents.search.text())
        if view is not None:
            self.documents.select_document(view.id)
            self.setWindowTitle(f"{view.title[:80]} — annotator")
            if not self.documents.table.hasFocus():  # browsing the list with the arrows goes on there
                self.article.setFocus()

    def _annotations_changed(self, view: DocumentView) -> None:
        self.header.show_document(view)
        self.entities.set_entities(
            self.project.schema, view.entities, self.article.selected_entity_id, same_document=True
        )
        self.event_panel.refresh(view)

    def _changes_applied(self, changes: Changes) -> None:
        self.list_model.refresh(changes.documents)
        self.event_table.changes_applied(changes)
        self.incident_docks.changes_applied(changes)

    def show_suggestions(self) -> None:
        if self.suggestions_dialog is None:
            self.suggestions_dialog = SuggestionsDialog(self)
        self.suggestions_dialog.show()
        self.suggestions_dialog.raise_()
        self.suggestions_dialog.evaluate()

    def show_event(self, document_id: int, event_id: int) -> None:
        """Jump to an event's evidence: its document, the trigger and arguments outlined, the card."""
        if self.editor.current is None or self.editor.current.id != document_id:
            self.open_document(document_id)
        event_id = self.event_table.queries.counterpart(event_id, self.editor.annotator)
        self.article.select_event(event_id)
        self.event_panel.show_event(event_id)
        self.events_dock.raise_()

    def _step(self, step: int) -> None:
        current = self.editor.current.id if self.editor.current else None
        target = self.documents.neighbour(current, step)
        if target is not None:
            self.open_document(target)

    def _done_and_next(self) -> None:
        if self.editor.annotator != GOLD:  # gold's status follows its open disagreements (adjudication)
            self.editor.set_document_status(DocStatus.DONE)
        target = self.editor.next_not_done()
        if target is not None:
            self.open_document(target)
        else:
            self.statusBar().showMessage("Every document is done for this annotator.", 5000)

    def _propagate(self, corpus: bool) -> None:
        preview = self.entities.offer.preview
        self.entities.offer.hide()
        if preview is not None:
            self.editor.propagate(preview, corpus)

    def _find(self) -> None:
        """Ctrl+F searches where the focus is: the document list's search from the list, else the article."""
        focus = QApplication.focusWidget()
        if focus is not None and self.documents.isAncestorOf(focus):
            self.documents.focus_search()
        else:
            self.find_bar.open_bar()

    def _show_palette(self) -> None:
        rect = self.article.cursorRect()  # viewport coordinates, where the palette lives
        self.label_palette.show_at(rect.bottomLeft() + QPoint(0, 6))

    # -- annotators ----------------------------------------------------------------------------------------------

    def refresh_annotators(self) -> None:
        self.annotators.refresh()

    def switch_annotator(self, name: str) -> None:
        self.annotators.switch(name)

    def _toggle_event_table(self, checked: bool) -> None:
        self.table_dock.setVisible(checked)
        if checked:
            self.resizeDocks([self.table_dock], [max(360, self.height() * 2 // 5)], Qt.Orientation.Vertical)

    def _toggle_snap(self, checked: bool) -> None:
        self.project.settings.set("snap_to_tokens", bool(checked))

    # -- status ------------------------------------------------------------------------------------------------

    def _saved(self, message: str) -> None:
        self.status_saved.setText(f"✔ {message}")
        self.status_saved.setToolTip("Every edit is committed to the project database at once")

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        log.warning("%s", message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.fit.save()
        self.tasks.shutdown()
        self.review.close()
        super().closeEvent(event)
