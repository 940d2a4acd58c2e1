"""The map of incidents: Natural Earth outlines drawn with Qt, one marker per incident sized by deaths.

Markers are coloured by ACLED event type; the map shows the incidents the event table's filters and the
timeline's chosen dates leave. Clicking a marker selects its incident (the Incidents view shows its reports).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.core.acled import period
from annotator.core.incidents import Incident
from annotator.gui.incidents_view import shown_type
from annotator.gui.markup import tip
from annotator.services.maps import Line, Outlines, outlines

#: Marker colours by ACLED event type (reports of no ACLED type are grey).
TYPE_COLORS = {
    "Battles": "#c62828",
    "Explosions/Remote violence": "#ef6c00",
    "Violence against civilians": "#6a1b9a",
    "Protests": "#1565c0",
    "Riots": "#00838f",
    "Strategic developments": "#2e7d32",
}
OTHER = "#78909c"
MARGIN = 0.6  # degrees around the markers
MIN_SPAN = 2.5  # degrees: a single town still shows its surroundings


class MapView(QWidget):
    incident_clicked = Signal(str)  # incident id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_map")
        self.setMinimumSize(200, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.incidents: list[Incident] = []
        self.selected: str | None = None
        self.outlines = Outlines()
        self.bbox = (34.0, 31.5, 43.0, 37.5)  # until incidents arrive: Syria
        self.markers: list[tuple[QPointF, float, Incident]] = []
        self.dates: tuple[date, date] | None = None
        self.note = "Loading incidents…"

    # -- data ------------------------------------------------------------------------------------------------

    def set_incidents(self, incidents: Sequence[Incident], dates: tuple[date, date] | None = None) -> None:
        self.dates = dates
        placed = [i for i in incidents if i.place is not None and i.place.has_point and _in_range(i, dates)]
        self.incidents = placed
        unplaced = len(incidents) - len(placed)
        self.note = f"{len(placed)} incident(s) on the map" + (
            f", {unplaced} without a place or outside the dates" if unplaced else ""
        )
        if placed:
            lons = [i.place.longitude for i in placed if i.place and i.place.longitude is not None]
            lats = [i.place.latitude for i in placed if i.place and i.place.latitude is not None]
            west, east, south, north = min(lons), max(lons), min(lats), max(lats)
            grow_x, grow_y = max(0.0, MIN_SPAN - (east - west)) / 2, max(0.0, MIN_SPAN - (north - south)) / 2
            self.bbox = (
                west - MARGIN - grow_x,
                south - MARGIN - grow_y,
                east + MARGIN + grow_x,
                north + MARGIN + grow_y,
            )
        rounded = tuple(round(v, 1) for v in self.bbox)
        self.outlines = outlines((rounded[0], rounded[1], rounded[2], rounded[3]))
        self.update()

    def select(self, incident_id: str | None) -> None:
        self.selected = incident_id
        self.update()

    # -- drawing ---------------------------------------------------------------------------------------------

    def _frame(self) -> tuple[float, float, float, float, float]:
        """Scale and offsets of an equirectangular view of the box, with longitudes shrunk by cos(latitude)."""
        west, south, east, north = self.bbox
        squeeze = math.cos(math.radians((south + north) / 2))
        # 30 px on top for the legend, 24 below for the note: the map never runs under either.
        width, height = max(self.width() - 20, 10), max(self.height() - 54, 10)
        scale = min(width / ((east - west) * squeeze), height / (north - south))
        x0 = 10 + (width - (east - west) * squeeze * scale) / 2
        y0 = 30 + (height - (north - south) * scale) / 2
        return scale, squeeze, x0, y0, north

    def point(self, lon: float, lat: float) -> QPointF:
        scale, squeeze, x0, y0, north = self._frame()
        return QPointF(x0 + (lon - self.bbox[0]) * squeeze * scale, y0 + (north - lat) * scale)

    def _path(self, lines: Sequence[Line], close: bool = False) -> QPainterPath:
        path = QPainterPath()
        for line in lines:
            path.moveTo(self.point(*line[0]))
            for lon, lat in line[1:]:
                path.lineTo(self.point(lon, lat))
            if close:
                path.closeSubpath()
        return path

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Outside the region's frame nothing is known: the window's colour there, not the sea's (it read as sea
        # where the neighbouring countries are).
        painter.fillRect(self.rect(), self.palette().window())
        west, south, east, north = self.bbox
        frame = QRectF(self.point(west, north), self.point(east, south))
        painter.fillRect(frame, QColor("#dbe9f4"))  # sea
        painter.setClipRect(frame)
        painter.fillPath(self._path(self.outlines.land, close=True), QColor("#f4f1ea"))
        painter.strokePath(self._path(self.outlines.admin1), QPen(QColor("#b0a99f"), 0.8, Qt.PenStyle.DashLine))
        painter.strokePath(self._path(self.outlines.countries), QPen(QColor("#6d6459"), 1.4))
        painter.strokePath(self._path(self.outlines.coast), QPen(QColor("#7aa6c2"), 1.0))
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 1.1)
        small.setBold(True)
        painter.setFont(small)
        painter.setPen(QColor("#9e9588"))
        for name, lon, lat in self.outlines.labels:
            painter.drawText(self.point(lon, lat), name.upper())
        self.markers = []
        for incident in sorted(self.incidents, key=lambda i: -i.fatalities.best):  # small markers on top
            place = incident.place
            assert place is not None and place.longitude is not None and place.latitude is not None
            center = self.point(place.longitude, place.latitude)
            radius = 5.0 + 3.0 * math.sqrt(incident.fatalities.best)
            color = QColor(TYPE_COLORS.get(incident.event_type.value, OTHER))
            fill = QColor(color)
            fill.setAlpha(170)
            chosen = incident.id == self.selected
            painter.setPen(QPen(QColor("#111111") if chosen else color.darker(150), 3 if chosen else 1.2))
            painter.setBrush(fill)
            painter.drawEllipse(center, radius, radius)
            self.markers.append((center, radius, incident))
        painter.setClipping(False)
        self._legend(painter)
        painter.end()

    def _legend(self, painter: QPainter) -> None:
        painter.setFont(self.font())
        x = 10.0
        for name, color in [*TYPE_COLORS.items(), ("other", OTHER)]:
            if name != "other" and not any(i.event_type.value == name for i in self.incidents):
                continue
            painter.setPen(QPen(QColor(color).darker(150), 1))
            painter.setBrush(QColor(color))
            painter.drawEllipse(QPointF(x + 6, 14), 5, 5)
            painter.setPen(QColor("#263238"))
            painter.drawText(QPointF(x + 15, 19), name)
            x += 30 + painter.fontMetrics().horizontalAdvance(name)
        painter.setPen(QColor("#455a64"))
        source = f" · outlines: {self.outlines.source}" if self.outlines.source else " · no outline data installed"
        painter.drawText(QRectF(0, self.height() - 20, self.width() - 8, 18), Qt.AlignmentFlag.AlignRight,
                         self.note + " · marker area ∝ deaths" + source)  # fmt: skip

    # -- mouse -----------------------------------------------------------------------------------------------

    def incident_at(self, pos: QPointF) -> Incident | None:
        """The topmost marker under the pointer (markers are drawn largest first)."""
        for center, radius, incident in reversed(self.markers):
            if math.dist((pos.x(), pos.y()), (center.x(), center.y())) <= radius + 2:
                return incident
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        found = self.incident_at(event.position())
        if found is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(found.id)
            self.incident_clicked.emit(found.id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        found = self.incident_at(event.position())
        if found is None:
            QToolTip.hideText()
        else:
            text = (
                f"{shown_type(found)} · {found.location.value}\n{found.date.value or 'undated'} · "
                f"{found.fatalities.best} dead · {len(found.members)} report(s)\n{found.id}"
            )
            QToolTip.showText(event.globalPosition().toPoint(), tip(text), self)
        super().mouseMoveEvent(event)


def _in_range(incident: Incident, dates: tuple[date, date] | None) -> bool:
    if dates is None:
        return True
    span = period(incident.date.value, incident.precision) if incident.date.value else None
    return span is not None and span[0] < dates[1] and dates[0] < span[1]
