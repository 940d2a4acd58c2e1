"""The Incidents and Map docks, the publication date and geocoding actions, wired to the services.

Incidents are read off the GUI thread (the first read links the model's reports, which takes a moment on a
large corpus); edits go through the editor, onto the layer's incident undo stack, which is the active one
while the Incidents view has the focus.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from annotator.core.dto import Changes
from annotator.core.errors import UserError
from annotator.core.incidents import Incident
from annotator.gui.geocode_dialog import GeocodeDialog
from annotator.gui.incidents_view import IncidentsPanel
from annotator.gui.map_view import MapView
from annotator.services.event_queries import EventFilter
from annotator.services.incidents import IncidentService
from annotator.services.places import geocode_entity, set_published

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

PLACE_LABELS = ("GPE", "LOC", "FAC")


def _load(service: IncidentService, layer: str, progress: Any = None) -> list[Incident]:
    service.ensure_suggestions(progress)
    return service.incidents(layer)


class IncidentDocks(QObject):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.service = IncidentService(window.project.db, window.project.schema)
        self.panel = IncidentsPanel(window.project.schema, window)
        self.map = MapView(window)
        self.incidents: list[Incident] = []
        self.dates: tuple[date, date] | None = None
        self._loading = False
        self.dock = window._dock("Incidents", self.panel, Qt.DockWidgetArea.BottomDockWidgetArea, "incidents_dock")
        self.map_dock = window._dock("Map", self.map, Qt.DockWidgetArea.BottomDockWidgetArea, "map_dock")
        window.tabifyDockWidget(window.table_dock, self.dock)
        window.tabifyDockWidget(self.dock, self.map_dock)
        self.dock.hide()
        self.map_dock.hide()
        self.panel.refresh_requested.connect(self.refresh)
        self.panel.action_requested.connect(self.act)
        self.panel.report_activated.connect(window.show_event)
        self.panel.incident_selected.connect(self._selected)
        self.map.incident_clicked.connect(self.show_incident)
        window.header.published_clicked.connect(self.set_published)
        self.map_dock.visibilityChanged.connect(lambda shown: self.refresh() if shown and self.panel.stale else None)
        table = window.event_table
        for signal in (table.type_box.currentIndexChanged, table.status_box.currentIndexChanged):
            signal.connect(lambda _i: self._show_on_map())
        table.text.textChanged.connect(lambda _t: self._show_on_map())
        table.timeline.range_selected.connect(self._dates_chosen)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    # -- loading ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        # A progress bar only when the model's reports must be linked again (after an import): reading the
        # incidents after an edit is quick, and a dialog each time would take the focus from the list.
        self.window.tasks.run(
            _load,
            self.service,
            self.window.editor.annotator,
            on_done=self._loaded,
            on_error=self._failed,
            parent=self.window,
            label="Linking reports into incidents",
            with_progress=self.service.suggestions_stale(),
        )

    def _loaded(self, incidents: list[Incident]) -> None:
        self._loading = False
        self.incidents = incidents
        self.panel.set_incidents(incidents)
        self._show_on_map()
        if QApplication.activeWindow() is None:  # the progress dialog closed without handing activation back
            self.window.activateWindow()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.window.show_error(exc.describe() if isinstance(exc, UserError) else f"incidents not read: {exc!r}")

    def _show_on_map(self) -> None:
        flt = self.window.event_table.current_filter()
        self.map.set_incidents([i for i in self.incidents if _matches(i, flt)], self.dates)

    def _dates_chosen(self, dates: tuple[date, date] | None) -> None:
        self.dates = dates
        self._show_on_map()

    def changes_applied(self, changes: Changes) -> None:
        self.panel.changes_applied(changes)
        if self.map_dock.isVisible() and not self.panel.isVisible() and self.panel.stale:
            self.refresh()

    # -- selection -------------------------------------------------------------------------------------------

    def show_incident(self, incident_id: str) -> None:
        """From the map: the incident in the Incidents view, its reports listed with their sentences."""
        self.dock.show()
        self.panel.select(incident_id)
        self.map.select(incident_id)

    def _selected(self, incident: Incident | None) -> None:
        self.map.select(incident.id if incident else None)
        if incident is not None:
            detail = self.service.incident(self.window.editor.annotator, incident.id)
            if detail is not None:
                self.panel.show_detail(detail)

    def show_view(self, which: str) -> None:
        dock = self.map_dock if which == "map" else self.dock
        dock.show()
        dock.raise_()
        self.window.resizeDocks([dock], [max(360, self.window.height() // 2)], Qt.Orientation.Vertical)
        self.refresh()

    # -- edits -----------------------------------------------------------------------------------------------

    def act(self, verb: str, incidents: list[Incident], leaving: list[int]) -> None:
        layer = self.window.editor.annotator
        calls = {
            "confirm": lambda: self.service.confirm(layer, incidents[0]),
            "reject": lambda: self.service.reject(layer, incidents[0]),
            "split": lambda: self.service.split(layer, incidents[0], leaving),
            "merge": lambda: self.service.merge(layer, incidents),
        }
        labels = {"confirm": "Confirm incident", "reject": "Reject incident", "split": "Split incident"}
        self.window.editor.run_on(None, labels.get(verb, "Merge incidents"), calls[verb])

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Ctrl+Z undoes incident edits while the Incidents view has the focus, text edits elsewhere."""
        editor = self.window.editor
        if new is None:
            return
        if self.panel.isAncestorOf(new):
            editor.undo.activate(None, editor.annotator)
        elif (new is self.window.article or self.window.article.isAncestorOf(new)) and editor.current is not None:
            editor.undo.activate(editor.current.id, editor.annotator)

    def set_published(self) -> None:
        """Set or correct the open article's publication date; relative dates follow."""
        view = self.window.editor.current
        if view is None:
            return
        value, ok = QInputDialog.getText(
            self.window,
            "Publication date",
            "Date the article was published (YYYY-MM-DD; YYYY-MM or YYYY when only that is known; empty: unknown).\n"
            "“Today”, “on Tuesday”, “last week” in the text are resolved against it.",
            text=view.published or "",
        )
        if ok:
            editor = self.window.editor
            editor.run_on(
                view.id, "Set publication date", lambda: set_published(editor.service, view.id, editor.annotator, value)
            )

    def geocode(self) -> None:
        """Geocode the selected place span by hand (places the gazetteer lacks)."""
        editor = self.window.editor
        entity = self.window.article.selected_entity()
        if editor.current is None or entity is None or entity.label not in PLACE_LABELS:
            self.window.show_error("Select a place (GPE, LOC or FAC span) in the article to geocode it.")
            return
        dialog = GeocodeDialog(entity.text, entity.normalized or {}, self.window)
        if dialog.exec():
            document = editor.current.id
            editor.run_on(
                document,
                "Geocode place",
                lambda: geocode_entity(editor.service, document, editor.annotator, [entity.id], dialog.value()),
            )


def _matches(incident: Incident, flt: EventFilter) -> bool:
    """The event table's filters, applied to an incident's reports."""
    members = incident.members
    if flt.type and not any(m.type == flt.type for m in members):
        return False
    if flt.status and not any(m.status == flt.status for m in members):
        return False
    needle = flt.text.strip().casefold()
    texts = [incident.location.value, *(m.trigger for m in members), *(m.title for m in members)]
    return not needle or any(needle in t.casefold() for t in texts)
