"""Painting for the article view: span boxes under the text; triggers, other layers and event frames over it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextLine

from annotator.core.dto import Argument, Entity, Event, Status

if TYPE_CHECKING:
    from annotator.gui.article_view import ArticleView

FILL_ALPHA = {Status.ACCEPTED: 120, Status.SUGGESTED: 55}
LAYER_BAR = 4.0  # px: another annotator's span, under the text


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
        """Each shown layer's spans as a bar under the text in the label's colour, one row per layer
        (dashed while a suggestion): clear beside this layer's boxes, and named in the tooltip."""
        document, schema = self.view.view, self.view.schema
        assert document is not None and schema is not None
        for layer_index, layer in enumerate(document.others.values()):
            for entity in layer:
                if entity.status == Status.REJECTED or entity.end < first or entity.start > last:
                    continue
                pen = QPen(QColor(schema.color(entity.label)).darker(125), LAYER_BAR, Qt.PenStyle.SolidLine)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                if entity.status == Status.SUGGESTED:
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                for rect in self.fragments(entity.start, entity.end):
                    y = rect.bottom() + 3 + LAYER_BAR / 2 + (LAYER_BAR + 2) * layer_index
                    painter.drawLine(QLineF(rect.left() + 1, y, rect.right() - 1, y))

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
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if entity is not None:
            painter.setPen(QPen(QColor("#0d47a1"), 2.2))
            for rect in self.fragments(entity.start, entity.end):
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
        event = self._selected_event()
        if event is not None:
            color = QColor(schema.color(event.type))
            painter.setPen(QPen(color, 2.4))
            for rect in self.fragments(event.trigger_start, event.trigger_end):
                painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
            for argument, filler in self._fillers(event):
                pen = QPen(color, 2.0)
                pen.setStyle(Qt.PenStyle.DotLine if argument.status == Status.SUGGESTED else Qt.PenStyle.SolidLine)
                painter.setPen(pen)
                for rect in self.fragments(filler.start, filler.end):
                    painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)
        font = self._tag_font()
        painter.setFont(font)
        for tag in self.tags():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(tag.color)
            painter.drawRoundedRect(tag.box, 3, 3)
            painter.setPen(QColor("white"))
            painter.drawText(tag.box, Qt.AlignmentFlag.AlignCenter, tag.text)

    def _fillers(self, event: Event) -> list[tuple[Argument, Entity]]:
        """The drawn spans in an event's roles; a rejected filler is no part of the frame any more."""
        by_id = {e.id: e for e in self.view.spans}
        return [
            (a, by_id[a.entity_id])
            for a in event.arguments
            if a.status != Status.REJECTED and a.entity_id is not None and a.entity_id in by_id
        ]

    def _selected_event(self) -> Event | None:
        return next((ev for ev in self.view.drawn_events if ev.id == self.view.selected_event_id), None)

    def _tag_font(self) -> QFont:
        font = QFont(self.view.font())
        font.setPointSizeF(self.view.font().pointSizeF() * 0.72)
        font.setBold(True)
        return font

    def tags(self) -> list[Tag]:
        """The small labels above spans: the selected span's label, the selected event's type over its trigger
        and each role over its filler (rejected fillers have none), placed so none overlaps or leaves the view."""
        view, schema = self.view, self.view.schema
        assert schema is not None
        wanted: list[tuple[str, QColor, int, int]] = []
        entity = view.selected_entity()
        if entity is not None:
            wanted.append((entity.label, QColor("#0d47a1"), entity.start, entity.end))
        event = self._selected_event()
        if event is not None:
            color = QColor(schema.color(event.type))
            wanted.append((event.type.rsplit(".", 1)[-1], color, event.trigger_start, event.trigger_end))
            wanted += [(argument.role, color, filler.start, filler.end) for argument, filler in self._fillers(event)]
        metrics = QFontMetricsF(self._tag_font())
        tags = []
        for text, color, start, end in wanted:
            rects = self.fragments(start, end)
            if rects:
                anchor = rects[0]
                box = QRectF(
                    anchor.left(),
                    anchor.top() - metrics.height() - 3,
                    metrics.horizontalAdvance(text) + 8,
                    metrics.height() + 1,
                )
                tags.append(Tag(text, color, box, start))
        return place_tags(tags, float(view.viewport().width()), metrics)


@dataclass
class Tag:
    text: str
    color: QColor
    box: QRectF
    start: int  # where the labelled span or trigger begins


def place_tags(tags: list[Tag], width: float, metrics: QFontMetricsF, gap: float = 2.0) -> list[Tag]:
    """Tags on one line side by side in text order, pushed left from the right edge when they would leave
    the view; what still does not fit is shortened with an ellipsis rather than drawn over its neighbour,
    and a tag without room even for that goes one row higher."""
    rows: dict[int, list[Tag]] = {}
    for tag in tags:
        rows.setdefault(round(tag.box.top()), []).append(tag)
    for row in rows.values():
        _place_row(row, width, metrics, gap)
    return tags


def _place_row(row: list[Tag], width: float, metrics: QFontMetricsF, gap: float) -> None:
    row.sort(key=lambda t: t.box.left())
    anchors = [tag.box.left() for tag in row]
    edge = 0.0
    for tag in row:  # left to right: after the previous tag
        tag.box.moveLeft(max(tag.box.left(), edge))
        edge = tag.box.right() + gap
    edge = width
    for tag in reversed(row):  # right to left: inside the view, before the next tag
        if tag.box.right() > edge:
            tag.box.moveRight(edge)
        edge = tag.box.left() - gap
    edge, least = 0.0, metrics.horizontalAdvance("…") + 8
    overflow: list[Tag] = []
    for tag, anchor in zip(row, anchors, strict=True):  # left to right again: never past the left edge
        if tag.box.left() < edge:
            room = tag.box.right() - edge
            if room < least:
                tag.box.moveTo(anchor, tag.box.top() - tag.box.height() - 1)
                overflow.append(tag)
                continue
            tag.box.setLeft(edge)
            tag.text = metrics.elidedText(tag.text, Qt.TextElideMode.ElideRight, room - 8)
        edge = tag.box.right() + gap
    if overflow and len(overflow) < len(row):
        _place_row(overflow, width, metrics, gap)
