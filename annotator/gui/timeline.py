"""A timeline of events: one row per event type, days as dots sized by count, coarser dates as bands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from annotator.core.acled import period
from annotator.core.schema import Schema
from annotator.gui.markup import tip
from annotator.services.event_queries import TimelinePoint

LEFT, RIGHT, TOP, BOTTOM, ROW = 118, 16, 22, 24, 19


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Axis ticks at years, months or days, whichever gives a readable number of them."""
    span = (last - first).days
    if span > 3 * 365:
        return [(date(y, 1, 1), str(y)) for y in range(first.year + (first.month > 1 or first.day > 1), last.year + 1)]
    if span > 75:
        ticks: list[tuple[date, str]] = []
        y, mo = first.year, first.month
        while date(y, mo, 1) <= last:
            if date(y, mo, 1) >= first:
                ticks.append((date(y, mo, 1), date(y, mo, 1).strftime("%b %Y" if mo == 1 or not ticks else "%b")))
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return ticks
    days = [first + timedelta(days=d) for d in range(0, span + 1, max(1, math.ceil(span / 10)))]
    return [(day, day.strftime("%d %b")) for day in days]


class Timeline(QWidget):
    """Painted, not listed: people would rather look than read. Follows the event table's filters.

    Dragging across it chooses a span of dates (the map shows the incidents in it); a click clears it.
    """

    range_selected = Signal(object)  # (first day, day after the last) or None

    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_timeline")
        self.schema = schema
        self.points: list[TimelinePoint] = []
        self.undated = 0
        self._marks: list[tuple[QRectF, str]] = []  # hit areas for tooltips
        self.setMouseTracking(True)
        self.setMinimumHeight(110)
        self._axis: tuple[date, int, float] | None = None  # first day, days shown, pixels wide
        self._drag: tuple[float, float] | None = None
        self.chosen: tuple[date, date] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_points(self, points: Sequence[TimelinePoint], undated: int) -> None:
        self.points, self.undated = list(points), undated
        self.setMinimumHeight(max(110, TOP + BOTTOM + ROW * len(self.types()) + 8))
        self.update()

    def types(self) -> list[str]:
        present = {p.type for p in self.points}
        order = list(self.schema.event_types)
        return sorted(present, key=lambda t: (order.index(t) if t in order else len(order), t))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        self._marks = []
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        painter.setFont(small)
        note = f"{self.undated} event(s) without a date not shown" if self.undated else ""
        painter.setPen(QColor("#607d8b"))
        painter.drawText(QRectF(LEFT, 2, self.width() - LEFT - RIGHT, TOP - 4), Qt.AlignmentFlag.AlignRight, note)
        spans = [(p, period(p.date, p.precision)) for p in self.points]
        dated = [(p, s) for p, s in spans if s is not None]
        if not dated:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated events match the filters")
            return
        first = min(s[0] for _, s in dated) - timedelta(days=1)
        last = max(s[1] for _, s in dated) + timedelta(days=1)
        width = self.width() - LEFT - RIGHT
        days = max((last - first).days, 1)
        self._axis = (first, days, width)

        def x(day: date) -> float:
            return LEFT + width * (day - first).days / days

        types = self.types()
        bottom = TOP + ROW * len(types)
        painter.setPen(QPen(QColor("#cfd8dc"), 1))
        for tick, label in _ticks(first, last):
            painter.drawLine(QPointF(x(tick), TOP), QPointF(x(tick), bottom + 4))
            painter.drawText(QRectF(x(tick) - 40, bottom + 5, 80, BOTTOM - 6), Qt.AlignmentFlag.AlignHCenter, label)
        for row, event_type in enumerate(types):
            y = TOP + ROW * row + ROW / 2
            spec = self.schema.event_types.get(event_type)
            painter.setPen(QColor("#37474f"))
            painter.drawText(
                QRectF(4, y - ROW / 2, LEFT - 10, ROW),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                spec.label if spec else event_type,
            )
            painter.setPen(QPen(QColor("#eceff1"), 1))
            painter.drawLine(QPointF(LEFT, y), QPointF(LEFT + width, y))
        label_end = dict.fromkeys(types, 0.0)  # where each row's last count label ends: labels never overlap
        for point, (start, end) in sorted(dated, key=lambda d: (d[1][0] - d[1][1], d[1][0])):  # bands, then dots
            y = TOP + ROW * types.index(point.type) + ROW / 2
            color = QColor(self.schema.color(point.type))
            tip = f"{point.date} ({point.precision or '?'}) · {point.type}: {point.count} event(s)"
            if (end - start).days > 1:
                band = QRectF(x(start), y - 6, max(x(end) - x(start), 3.0), 12)
                fill = QColor(color)
                fill.setAlpha(70)
                painter.setPen(QPen(color, 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(band, 4, 4)
                self._marks.append((band, tip))
            else:
                radius = min(3.5 + 2.2 * math.sqrt(point.count - 1), ROW / 2 - 1)
                center = QPointF((x(start) + x(end)) / 2, y)
                painter.setPen(QPen(color.darker(140), 1))
                painter.setBrush(color)
                painter.drawEllipse(center, radius, radius)
                self._marks.append((QRectF(center.x() - radius, y - radius, 2 * radius, 2 * radius), tip))
            left = max(x(end), (x(start) + x(end)) / 2 + ROW / 2) + 1
            if point.count > 1 and left > label_end[point.type]:
                painter.setPen(QColor("#263238"))
                painter.drawText(QPointF(left, y - 3), str(point.count))
                label_end[point.type] = left + painter.fontMetrics().horizontalAdvance(str(point.count)) + 2
        span = self._drag or ((x(self.chosen[0]), x(self.chosen[1])) if self.chosen else None)
        if span is not None:
            shade = QColor("#1565c0")
            shade.setAlpha(40)
            painter.fillRect(QRectF(min(span), TOP - 4, abs(span[1] - span[0]), bottom - TOP + 8), shade)
        painter.end()

    def _day(self, x: float) -> date | None:
        if self._axis is None:
            return None
        first, days, width = self._axis
        return first + timedelta(days=round(days * min(max(x - LEFT, 0.0), width) / width))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag = (event.position().x(), event.position().x())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], event.position().x())
            self.update()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            start, end = self._day(min(self._drag)), self._day(max(self._drag))
            wide = abs(self._drag[1] - self._drag[0]) > 4
            self._drag = None
            self.chosen = (start, end) if wide and start is not None and end is not None and start < end else None
            self.range_selected.emit(self.chosen)
            self.update()
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tips = [text for rect, text in self._marks if rect.adjusted(-3, -3, 3, 3).contains(QPointF(event.pos()))]
            if tips:
                QToolTip.showText(event.globalPos(), tip("\n".join(tips)), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
