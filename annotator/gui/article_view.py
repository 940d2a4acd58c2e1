"""The article view: the text with its spans drawn as boxes, triggers, event frames; selection and hovering."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from annotator.core.dto import DocumentView, Entity, Event, Status
from annotator.core.offsets import PositionMap
from annotator.core.schema import Schema
from annotator.gui.markup import tip
from annotator.gui.span_painter import SpanPainter

LINE_HEIGHT = 185  # percent: the space above each line holds role labels of a selected event


class ArticleView(QTextEdit):
    """Read-only text, selectable by mouse and keyboard; offsets cross this boundary through one PositionMap."""

    entity_selected = Signal(int)  # 0 when nothing is selected
    event_selected = Signal(int)
    text_selected = Signal()  # a drag or Shift+arrows left a non-empty selection: offer the label palette

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article_view")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5) * 1.1)
        self.setFont(font)
        self.schema: Schema | None = None
        self.view: DocumentView | None = None
        self.map = PositionMap("")
        self._spans: list[Entity] = []  # drawn spans (rejected ones are kept in the store, not drawn)
        self._starts: list[int] = []
        self._depth: dict[int, int] = {}
        self._events: list[Event] = []
        self.selected_entity_id = 0
        self.selected_event_id = 0
        self._last_click: tuple[int, int] | None = None  # (position, index) for cycling through nested spans
        self._own_document: QTextDocument | None = None
        self._bold: set[tuple[int, int]] = set()  # trigger ranges drawn bold in the document
        self.span_painter = SpanPainter(self)

    # -- content -----------------------------------------------------------------------------------------------

    def set_document(self, view: DocumentView | None, schema: Schema) -> None:
        self.schema = schema
        self.view = view
        self.selected_entity_id = self.selected_event_id = 0
        self._last_click = None
        text = view.text if view else ""
        self.map = PositionMap(text)
        # A document built detached from the widget lays out once, when attached: three times faster.
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(self.font())
        document.setDocumentMargin(18)
        document.setPlainText(text)
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        block_format = QTextBlockFormat()
        block_format.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.mergeBlockFormat(block_format)
        grey = QTextCharFormat()
        grey.setForeground(QColor("#9e9e9e"))
        grey.setFontItalic(True)
        for start, end in view.boilerplate if view else ():
            self._range(document, start, end).mergeCharFormat(grey)
        self._bold = set()
        self._embolden(document, [ev for ev in view.events if ev.status != Status.REJECTED] if view else [])
        self.setExtraSelections([])  # highlights belong to the old text
        self.setDocument(document)
        if self._own_document is not None:  # Qt deletes only the document it created itself
            self._own_document.deleteLater()
        self._own_document = document
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.set_annotations(view.entities if view else (), view.events if view else ())

    def set_annotations(self, entities: Sequence[Entity], events: Sequence[Event]) -> None:
        """Replace the drawn annotations (after an edit) without touching text, scroll or selection."""
        self._spans = sorted((e for e in entities if e.status != Status.REJECTED), key=lambda e: (e.start, -e.end))
        self._starts = [e.start for e in self._spans]
        self._depth = self._nesting(self._spans)
        self._events = [ev for ev in events if ev.status != Status.REJECTED]
        if self.selected_entity_id and not any(e.id == self.selected_entity_id for e in self._spans):
            self.selected_entity_id = 0
        self._embolden(self.document(), self._events)
        self.viewport().update()

    @staticmethod
    def _nesting(spans: Sequence[Entity]) -> dict[int, int]:
        """Depth of each span inside the spans that contain it, so nested boxes are drawn inset."""
        depth: dict[int, int] = {}
        open_spans: list[Entity] = []
        for span in spans:
            open_spans = [o for o in open_spans if o.end > span.start]
            depth[span.id] = sum(1 for o in open_spans if o.start <= span.start and o.end >= span.end)
            open_spans.append(span)
        return depth

    def _range(self, document: QTextDocument, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(document)
        cursor.setPosition(self.map.to_view(start))
        cursor.setPosition(self.map.to_view(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _embolden(self, document: QTextDocument, events: Sequence[Event]) -> None:
        """Triggers in bold, in the document's own character formats: bold widens the glyphs, so it must be
        laid out (an extra selection is only painted). Only the triggers that changed are re-formatted."""
        wanted = {(ev.trigger_start, ev.trigger_end) for ev in events}
        gone, added = self._bold - wanted, wanted - self._bold
        if not gone and not added:
            return
        plain, bold = QTextCharFormat(), QTextCharFormat()
        plain.setFontWeight(QFont.Weight.Normal)
        bold.setFontWeight(QFont.Weight.Bold)
        edit = QTextCursor(document)
        edit.beginEditBlock()  # one re-layout for all of them
        for start, end in gone:
            self._range(document, start, end).mergeCharFormat(plain)
        for start, end in wanted:  # a trigger sharing characters with a gone one is bolded again
            if (start, end) in added or any(s < end and start < e for s, e in gone):
                self._range(document, start, end).mergeCharFormat(bold)
        edit.endEditBlock()
        self._bold = wanted

    def set_highlights(self, ranges: Sequence[tuple[int, int]], current: int = -1) -> None:
        """Found text (in-article find, the document search's words): painted over the boxes, `current` stronger."""
        selections = []
        for index, (start, end) in enumerate(ranges):
            found = QTextCharFormat()
            found.setBackground(QColor("#ff9800" if index == current else "#fff176"))
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self._range(self.document(), start, end)
            selection.format = found
            selections.append(selection)
        self.setExtraSelections(selections)

    # -- queries -----------------------------------------------------------------------------------------------

    @property
    def spans(self) -> list[Entity]:
        return self._spans

    def selected_entity(self) -> Entity | None:
        return next((e for e in self._spans if e.id == self.selected_entity_id), None)

    def selection_span(self) -> tuple[int, int] | None:
        """The text selection in code points, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.map.to_codepoint(cursor.selectionStart()), self.map.to_codepoint(cursor.selectionEnd())

    def set_selection(self, start: int, end: int) -> None:
        """Select text by code point offsets (tests and keyboard-free callers use this)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.map.to_view(start))
        cursor.setPosition(self.map.to_view(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def spans_at(self, cp: int) -> list[Entity]:
        """Spans covering a code point, innermost (shortest) first."""
        k = bisect.bisect_right(self._starts, cp)
        found = [e for e in self._spans[:k] if e.start <= cp < e.end]
        return sorted(found, key=lambda e: (e.end - e.start, e.start))

    def cp_at(self, point: QPoint) -> int:
        """The character under a viewport point (Qt answers the nearest gap: right of a glyph's middle,
        that is the gap after it)."""
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        if position > 0 and point.x() < self.cursorRect(cursor).left() and not cursor.atBlockStart():
            position -= 1
        return self.map.to_codepoint(position)

    # -- selection ---------------------------------------------------------------------------------------------

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def select_entity(self, entity_id: int, *, scroll: bool = True) -> None:
        self.selected_entity_id = entity_id
        entity = self.selected_entity()
        if entity is not None and scroll:
            self.scroll_to(entity.start)
        self.viewport().update()
        self.entity_selected.emit(entity_id if entity else 0)

    def select_event(self, event_id: int, *, scroll: bool = True) -> None:
        self.selected_event_id = event_id
        event = next((ev for ev in self._events if ev.id == event_id), None)
        if event is not None and scroll:
            self.scroll_to(event.trigger_start)
        self.viewport().update()
        self.event_selected.emit(event_id if event else 0)

    def scroll_to(self, cp: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.map.to_view(cp))
        rect = self.cursorRect(cursor)
        bar = self.verticalScrollBar()
        if rect.top() < 0 or rect.bottom() > self.viewport().height():
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def cycle(self, step: int) -> None:
        """Tab / Shift+Tab: the next or previous span in text order."""
        if not self._spans:
            return
        ids = [e.id for e in self._spans]
        if self.selected_entity_id in ids:
            index = (ids.index(self.selected_entity_id) + step) % len(ids)
        else:
            cursor_cp = self.map.to_codepoint(self.textCursor().position())
            index = (
                bisect.bisect_left(self._starts, cursor_cp) % len(ids)
                if step > 0
                else (bisect.bisect_left(self._starts, cursor_cp) - 1) % len(ids)
            )
        self.clear_text_selection()
        self.select_entity(ids[index])

    # -- events ------------------------------------------------------------------------------------------------

    def focusNextPrevChild(self, _next: bool) -> bool:  # Tab moves between spans, not widgets
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Tab:
            self.cycle(1)
        elif event.key() == Qt.Key.Key_Backtab:
            self.cycle(-1)
        elif event.key() == Qt.Key.Key_Escape:
            self.clear_text_selection()
            self.select_entity(0)
            self.select_event(0)
        else:
            before = (self.textCursor().anchor(), self.textCursor().position())
            super().keyPressEvent(event)
            cursor = self.textCursor()
            if cursor.hasSelection() and (cursor.anchor(), cursor.position()) != before:
                # Shift+arrows grew a text selection: it, not the span, is what a label key now applies to.
                self.selected_entity_id = 0
                self.viewport().update()
                self.text_selected.emit()

    @staticmethod
    def _is_boundary_key(event: QEvent) -> bool:
        """Alt(+Shift)+Left/Right move a span's end (start); the text control would take them as selection."""
        if not isinstance(event, QKeyEvent):
            return False
        return bool(event.modifiers() & Qt.KeyboardModifier.AltModifier) and event.key() in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self.selected_entity_id = 0
            self.viewport().update()
            self.text_selected.emit()
            return
        cp = self.cp_at(event.position().toPoint())
        trigger = next((ev for ev in self._events if ev.trigger_start <= cp < ev.trigger_end), None)
        if trigger is not None:  # a trigger need not be inside any span: its event is selected either way
            self.select_event(trigger.id, scroll=False)
        under = self.spans_at(cp)
        if not under:
            self._last_click = None
            self.select_entity(0, scroll=False)
            return
        # Repeated clicks on the same spot cycle through nested and overlapping spans.
        index = (self._last_click[1] + 1) % len(under) if self._last_click and self._last_click[0] == cp else 0
        self._last_click = (cp, index)
        self.select_entity(under[index].id, scroll=False)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._is_boundary_key(event):
            event.ignore()  # not ours: let the window's move-boundary shortcuts have Alt+arrows
            return True
        if event.type() == QEvent.Type.ToolTip and self.view is not None:
            pos = event.pos()  # type: ignore[attr-defined]
            cp = self.cp_at(pos - QPoint(0, 0))
            lines = [self._describe(e) for e in self.spans_at(cp)]
            lines += [
                f"event {ev.type} (trigger “{ev.trigger_text}”, {ev.status})"
                for ev in self._events
                if ev.trigger_start <= cp < ev.trigger_end
            ]
            for name, layer in self.view.others.items():
                lines += [f"{name}: {e.label} “{e.text}” ({e.status})" for e in layer if e.start <= cp < e.end]
            if lines:
                QToolTip.showText(event.globalPos(), tip("\n".join(lines)), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _describe(self, entity: Entity) -> str:
        label = (
            self.schema.entity_types[entity.label].label
            if self.schema and entity.label in self.schema.entity_types
            else entity.label
        )
        text = f"{entity.label} ({label}) “{entity.text}” — {entity.status}, by {entity.origin}"
        if entity.normalized:
            normalized = entity.normalized
            shown = normalized.get("name") or normalized.get("value") or normalized
            text += f"\nnormalised: {shown}"
        return text

    # -- painting ----------------------------------------------------------------------------------------------

    def nesting_depth(self, entity_id: int) -> int:
        return self._depth.get(entity_id, 0)

    @property
    def drawn_events(self) -> list[Event]:
        return self._events

    def _visible_range(self) -> tuple[int, int]:
        top = self.map.to_codepoint(self.cursorForPosition(QPoint(0, 0)).position())
        bottom = self.map.to_codepoint(
            self.cursorForPosition(QPoint(self.viewport().width(), self.viewport().height())).position()
        )
        return top, bottom

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.schema is None or self.view is None:
            super().paintEvent(event)
            return
        first, last = self._visible_range()
        k = bisect.bisect_right(self._starts, last + 1)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.span_painter.paint_boxes(painter, [e for e in self._spans[:k] if e.end >= first])  # under the text
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.span_painter.paint_overlays(painter, first, last)
        painter.end()
