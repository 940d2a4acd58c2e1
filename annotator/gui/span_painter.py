"""Painting for the article view: span boxes under the text; triggers, other layers and event frames over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLine

from annotator.core.dto import Entity, Status

if TYPE_CHECKING:
    from annotator.gui.article_view import ArticleView

FILL_ALPHA = {Status.ACCEPTED: 120, Status.SUGGESTED: 55}


def _x(line: QTextLine, position: int) -> float:
    """PySide returns (x, position) from cursorToX; its stubs say object."""
    result: tuple[float, int] = line.cursorToX(position)  # type: ignore[assignment]
    return float(result[0])


class SpanPainter:
    """Reads the view's state and draws it; the view decides what is visible and when to paint."""

    def __init__(self, view: ArticleView) -> None:
        self.view = view

    def fragments(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of a code point range, one per laid-out line it covers."""
        view = self.view
        doc = view.document()
        layout = doc.documentLayout()
        vs, ve = view.map.to_view(start), view.map.to_view(end)
        dx, dy = -view.horizontalScrollBar().value(), -view.verticalScrollBar().value()
        rects = []
        block = doc.findBlock(vs)
        while block.isValid() and block.position() <= ve:
            geo = layout.blockBoundingRect(block).translated(dx, dy)
            text_layout = block.layout()
            a, b = (
                max(vs, block.position()) - block.position(),
                min(ve, block.position() + block.length() - 1) - block.position(),
            )
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                s, t = max(a, line.textStart()), min(b, line.textStart() + line.textLength())
                if s < t:
                    x1, x2 = _x(line, s), _x(line, t)
                    height = line.ascent() + line.descent()
                    top = geo.top() + line.y() + line.height() - height - line.descent() / 2
                    rects.append(QRectF(geo.left() + x1, top, x2 - x1, height + line.descent() / 2))
            block = block.next()
        return rects

    def paint_boxes(self, painter: QPainter, entities: list[Entity]) -> None:
        """Boxes under the text: outer spans first (sorted by start, longest first), inner ones inset on top."""
        for entity in entities:
            self._paint_box(painter, entity)

    def paint_overlays(self, painter: QPainter, first: int, last: int) -> None:
        """Over the text: other layers' underlines, trigger underlines, the selected span or event frame."""
        self._paint_other_layers(painter, first, last)
        self._paint_triggers(painter, first, last)
        self._paint_selection(painter)

    def _paint_box(self, painter: QPainter, entity: Entity) -> None:
        schema = self.view.schema
        assert schema is not None
        color = QColor(schema.color(entity.label))
        inset = min(self.view.nesting_depth(entity.id), 3) * 2.0
        suggested = entity.status == Status.SUGGESTED
        fill = QColor(color)
        fill.setAlpha(FILL_ALPHA.get(Status(entity.status), 90))
        pen = QPen(color.darker(150 if suggested else 170), 1.2)
        pen.setStyle(Qt.PenStyle.DashLine if suggested else Qt.PenStyle.SolidLine)
        painter.setPen(pen)
        painter.setBrush(fill)
        for rect in self.fragments(entity.start, entity.end):
            painter.drawRoundedRect(rect.adjusted(0, inset, 0, -inset), 3, 3)

    def _paint_other_layers(self, painter: QPainter, first: int, last: int) -> None:
        document, schema = self.view.view, self.view.schema
        assert document is not None and schema is not None
        for layer_index, layer in enumerate(document.others.values()):
            for entity in layer:
                if entity.status == Status.REJECTED or entity.end < first or entity.start > last:
                    continue
                painter.setPen(QPen(QColor(schema.color(entity.label)).darker(130), 2.0))
                for rect in self.fragments(entity.start, entity.end):
                    y = rect.bottom() + 2 + 3 * layer_index
                    painter.drawLine(QLineF(rect.left(), y, rect.right(), y))

    def _paint_triggers(self, painter: QPainter, first: int, last: int) -> None:
        schema = self.view.schema
        assert schema is not None
        for ev in self.view.drawn_events:
            if ev.trigger_end < first or ev.trigger_start > last:
                continue
            color = QColor(schema.color(ev.type))
            pen = QPen(color, 3.0)
            pen.setStyle(Qt.PenStyle.DashLine if ev.status == Status.SUGGESTED else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            for rect in self.fragments(ev.trigger_start, ev.trigger_end):
                painter.drawLine(QLineF(rect.left(), rect.bottom() + 1, rect.right(), rect.bottom() + 1))

    def _paint_selection(self, painter: QPainter) -> None:
        view, schema = self.view, self.view.schema
        assert schema is not None
        entity = view.selected_entity()
        if entity is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#0d47a1"), 2.2))
            for rect in self.fragments(entity.start, entity.end):
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
            self._paint_tag(painter, entity.start, entity.end, entity.label, QColor("#0d47a1"))
        event = next((ev for ev in view.drawn_events if ev.id == view.selected_event_id), None)
        if event is None:
            return
        color = QColor(schema.color(event.type))
        by_id = {e.id: e for e in view.spans}
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(color, 2.4))
        for rect in self.fragments(event.trigger_start, event.trigger_end):
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
        self._paint_tag(painter, event.trigger_start, event.trigger_end, event.type.rsplit(".", 1)[-1], color)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for argument in event.arguments:
            filler = by_id.get(argument.entity_id or -1)
            if filler is None:
                continue
            pen = QPen(color, 2.0)
            pen.setStyle(Qt.PenStyle.DotLine if argument.status == Status.SUGGESTED else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in self.fragments(filler.start, filler.end):
                painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)
            self._paint_tag(painter, filler.start, filler.end, argument.role, color)

    def _paint_tag(self, painter: QPainter, start: int, end: int, text: str, color: QColor) -> None:
        """A small label above the first line of a span: role names of an event frame, the selected label."""
        rects = self.fragments(start, end)
        if not rects:
            return
        font = QFont(self.view.font())
        font.setPointSizeF(self.view.font().pointSizeF() * 0.72)
        font.setBold(True)
        metrics = QFontMetricsF(font)
        box = QRectF(
            rects[0].left(),
            rects[0].top() - metrics.height() - 3,
            metrics.horizontalAdvance(text) + 8,
            metrics.height() + 1,
        )
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
