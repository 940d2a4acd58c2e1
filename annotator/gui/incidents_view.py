"""The Incidents view: the layer's incidents, one's reports with their sentences, its fields with sources.

Keys act on the selection: Enter confirms, Backspace rejects (or dissolves an own incident), S splits the
selected reports off, M merges the selected incidents; Ctrl+Z undoes through the layer's incident history.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import Changes
from annotator.core.incidents import Incident, Member
from annotator.core.schema import Schema
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.icons import icon
from annotator.gui.tables import ColumnWidths, plain_rows

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Incident", "Status", "Date", "Type", "Place", "Deaths", "Reports", "Score")
MEMBER_HEADERS = ("Document", "Type", "Trigger", "Sentence")
STATUS_FILTERS = (
    ("Every incident", None),
    ("Linked (several reports)", "linked"),
    ("Suggested", "suggested"),
    ("Confirmed", "accepted"),
    ("Single reports", "single"),
)
KEYS = {
    Qt.Key.Key_Return: "confirm",
    Qt.Key.Key_Enter: "confirm",
    Qt.Key.Key_Backspace: "reject",
    Qt.Key.Key_S: "split",
    Qt.Key.Key_M: "merge",
}
STATUS_COLORS = {"suggested": "#e6a100", "accepted": "#2e7d32", "single": "#78909c"}


def shown_type(incident: Incident) -> str:
    return incident.sub_event_type.value or incident.event_type.value or incident.members[0].type


class _Rows(QAbstractTableModel):
    """A flat table of DTOs with fixed headers; subclasses say what a row shows."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.cell(self.rows[index.row()], index.column(), role)

    def cell(self, row: Any, column: int, role: int) -> Any:
        raise NotImplementedError

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class IncidentTableModel(_Rows):
    HEADERS = HEADERS

    def cell(self, incident: Incident, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            score = f"{incident.score:.2f}" if incident.score is not None else ""
            values = (
                incident.id,
                incident.status,
                incident.date.value,
                shown_type(incident),
                incident.location.value,
                incident.fatalities.best,
                len(incident.members),
                score,
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(STATUS_COLORS.get(incident.status, "#37474f"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(incident.reasons) or None
        return None


class MemberTableModel(_Rows):
    HEADERS = MEMBER_HEADERS

    def __init__(self, schema: Schema, parent: Any = None) -> None:
        super().__init__(parent)
        self.schema = schema

    def cell(self, member: Member, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            spec = self.schema.event_types.get(member.type)
            title = member.title or member.doc_id
            return (title, spec.label if spec else member.type, member.trigger, member.sentence)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return member.sentence
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return QColor(self.schema.color(member.type))
        return None


def fields_html(incident: Incident) -> str:
    """The consolidated fields, each with the reports it came from and the rule that chose it."""
    numbers = {m.event_id: n for n, m in enumerate(incident.members, 1)}

    def cite(sources: tuple[int, ...], rule: str = "") -> str:
        refs = ", ".join(f"#{numbers[s]}" for s in sources if s in numbers)
        parts = [p for p in (f"from {refs}" if refs else "", escape(rule)) if p]
        return f" <span style='color:#607d8b'>({'; '.join(parts)})</span>" if parts else ""

    deaths = incident.fatalities
    actors = incident.actors
    rows = [
        ("Type", escape(f"{incident.event_type.value} / {incident.sub_event_type.value}".strip(" /") or "—")
         + cite(incident.event_type.sources, incident.event_type.rule)),
        ("Date", escape(f"{incident.date.value or '—'} ({incident.precision or '?'})")
         + cite(incident.date.sources, incident.date.rule)),
        ("Place", escape(incident.location.value or "—") + _geo(incident)
         + cite(incident.location.sources, incident.location.rule)),
        ("Actor 1", escape(actors.actor1.value or "—") + (f" [{escape(actors.inter1)}]" if actors.inter1 else "")
         + cite(actors.actor1.sources)),
        ("Actor 2", escape(actors.actor2.value or "—") + (f" [{escape(actors.inter2)}]" if actors.inter2 else "")
         + cite(actors.actor2.sources)),
        ("Deaths", f"<b>{deaths.best}</b> (low {deaths.low}, high {deaths.high})" + cite(deaths.sources, deaths.rule)),
        ("Sources", escape("; ".join(incident.sources) or "—")),
    ]  # fmt: skip
    if incident.reasons:
        score = f"{incident.score:.2f}: " if incident.score is not None else ""
        rows.append(("Linked", escape(score + "; ".join(incident.reasons))))
    if incident.problems:
        rows.append(("To do", "<span style='color:#b71c1c'>" + escape("; ".join(incident.problems)) + "</span>"))
    body = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
    return f"<table cellspacing='4'>{body}</table>"


def _geo(incident: Incident) -> str:
    place = incident.place
    if place is None or not place.has_point:
        return ""
    assert place.latitude is not None and place.longitude is not None
    where = ", ".join(p for p in (place.admin2, place.admin1, place.country) if p)
    return escape(f" — {where} ({place.latitude:.4f}, {place.longitude:.4f}), ACLED precision {place.geo_precision}")


class IncidentsPanel(QWidget):
    """Lists incidents; the window runs the edits (through the editor's undo) and the loading (off the GUI thread)."""

    action_requested = Signal(str, object, object)  # verb, incidents, member event ids
    report_activated = Signal(int, int)  # document id, event id
    incident_selected = Signal(object)  # Incident | None
    refresh_requested = Signal()

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidents_panel")
        self.schema = schema
        self.all: list[Incident] = []
        self.stale = True
        self.model = IncidentTableModel(self)
        self.members = MemberTableModel(schema, self)
        self.filter_box = QComboBox(self)
        self.filter_box.setObjectName("incident_filter")
        for text, value in STATUS_FILTERS:
            self.filter_box.addItem(text, value)
        self.filter_box.setCurrentIndex(1)
        self.count = QLabel(self)
        self.buttons: dict[str, QPushButton] = {}
        bar_widget = QWidget(self)
        bar = FlowLayout(bar_widget)  # wraps on a narrow window instead of widening it
        bar.addWidget(self.filter_box)
        for verb, text, glyph, tip in (
            ("confirm", "Confirm", "accept", "Confirm the selected incident (Enter)"),
            ("reject", "Reject", "reject", "Reject the suggested link, or dissolve your incident (Backspace)"),
            ("split", "Split off", "delete", "Take the selected reports out of the incident (S)"),
            ("merge", "Merge", "event", "Join the selected incidents into one (M)"),
        ):
            button = QPushButton(icon(glyph), text, self)
            button.setObjectName(f"incident_{verb}")
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, v=verb: self.request(v))
            self.buttons[verb] = button
            bar.addWidget(button)
        bar.addWidget(self.count)
        self.table = QTableView(self)
        self.table.setObjectName("incident_table")
        self.table.setModel(self.model)
        plain_rows(self.table)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        em = self.fontMetrics().horizontalAdvance("M")
        self.widths = ColumnWidths(self.table, {c: w * em for c, w in enumerate((20, 7, 7, 16, 13, 5, 5))}, stretch=7)
        self.member_table = QTableView(self)
        self.member_table.setObjectName("incident_members")
        self.member_table.setModel(self.members)
        plain_rows(self.member_table)
        self.member_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        ColumnWidths(self.member_table, {0: 16 * em, 1: 8 * em, 2: 8 * em}, stretch=3)
        self.fields = QLabel(self)
        self.fields.setObjectName("incident_fields")
        self.fields.setWordWrap(True)
        self.fields.setTextFormat(Qt.TextFormat.RichText)
        self.fields.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        detail = QSplitter(Qt.Orientation.Horizontal, self)
        detail.addWidget(self.member_table)
        detail.addWidget(self.fields)
        detail.setSizes([500, 400])
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(bar_widget)
        layout.addWidget(split, 1)
        # Keys go through an event filter: item views take Return and letters for themselves (keyboard search).
        self.table.installEventFilter(self)
        self.member_table.installEventFilter(self)
        self.filter_box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.member_table.activated.connect(self._member_activated)
        self._selected()

    # -- data ------------------------------------------------------------------------------------------------

    def set_incidents(self, incidents: list[Incident], keep: str | None = None) -> None:
        self.all = incidents
        self.stale = False
        self._apply_filter(keep)

    def _apply_filter(self, keep: str | None = None) -> None:
        current = self.current()
        keep = keep or (current.id if current else None)
        wanted = self.filter_box.currentData()
        rows = [
            i for i in self.all if wanted is None or (len(i.members) > 1 if wanted == "linked" else i.status == wanted)
        ]
        self.model.set_rows(rows)
        linked = sum(1 for i in self.all if len(i.members) > 1)
        self.count.setText(f"{len(rows)} shown · {len(self.all)} incidents, {linked} linking reports")
        self.select(keep)

    def select(self, incident_id: str | None) -> bool:
        row = next((n for n, i in enumerate(self.model.rows) if i.id == incident_id), None)
        hidden = row is None and self.filter_box.currentIndex() != 0 and any(i.id == incident_id for i in self.all)
        if hidden:
            self.filter_box.setCurrentIndex(0)  # shown whatever the filter: the map asked for it
            return self.select(incident_id)
        if row is None:
            self.table.clearSelection()
            self._selected()
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def current(self) -> Incident | None:
        rows = self.selected_incidents()
        return rows[0] if rows else None

    def selected_incidents(self) -> list[Incident]:
        return [self.model.rows[i.row()] for i in self.table.selectionModel().selectedRows()]

    def show_detail(self, incident: Incident) -> None:
        """The incident re-read with its reports' sentences (the list holds them without)."""
        if self.current() is not None and self.current().id == incident.id:  # type: ignore[union-attr]
            self.members.set_rows(list(incident.members))
            self.fields.setText(fields_html(incident))

    def _selected(self) -> None:
        chosen = self.selected_incidents()
        current = chosen[0] if chosen else None
        self.members.set_rows(list(current.members) if current else [])
        self.fields.setText(fields_html(current) if current else "<i>Select an incident to see its reports.</i>")
        self.buttons["confirm"].setEnabled(len(chosen) == 1 and chosen[0].status != "accepted")
        self.buttons["reject"].setEnabled(len(chosen) == 1 and chosen[0].status != "single")
        self.buttons["split"].setEnabled(len(chosen) == 1 and len(chosen[0].members) > 1)
        self.buttons["merge"].setEnabled(len(chosen) > 1)
        self.incident_selected.emit(current)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers():
            verb = KEYS.get(Qt.Key(event.key()))
            if verb is not None:
                self.request(verb)
                return True
        return super().eventFilter(watched, event)

    def request(self, verb: str) -> None:
        chosen = self.selected_incidents()
        if not chosen:
            return
        leaving = [self.members.rows[i.row()].event_id for i in self.member_table.selectionModel().selectedRows()]
        self.action_requested.emit(verb, chosen, leaving)

    def _member_activated(self, index: QModelIndex) -> None:
        member = self.members.rows[index.row()]
        self.report_activated.emit(member.document_id, member.event_id)

    def changes_applied(self, changes: Changes) -> None:
        if changes.incidents or changes.events or changes.corpus or changes.entities:
            self.stale = True
            if self.isVisible():
                self.refresh_requested.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh_requested.emit()
