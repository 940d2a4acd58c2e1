"""Fill mode for the selected event: role numbers arm a role; a click, Tab + Enter or a selection fills it.

Outside fill mode the digit keys label spans (the article view's label actions). In fill mode, entered
by creating an event or pressing E on a trigger, this filter takes the keys first (it accepts their
ShortcutOverride, so the label actions stay silent) and the card shows a banner saying so:

    1..9        arm that role; with a text selection, label the selection and fill the role at once
    click       fill the armed role with the span under the mouse (a drag: a new span from it)
    Tab/S-Tab   cycle the armed role's candidates: spans of allowed types, nearest in the sentence first
    Enter       take the candidate; with none, accept the armed role's suggested fillers, or the event
    Backspace   remove the armed role's last filler; with no role armed, reject the event
    Escape      disarm the role, then leave fill mode
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent

from annotator.core.dto import Changes, Entity, Event, Status
from annotator.core.schema import Role
from annotator.gui.article_view import ArticleView
from annotator.gui.editor import Editor
from annotator.gui.event_type_chooser import TypeChooser

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n+")
_DIGITS = {getattr(Qt.Key, f"Key_{d}"): d - 1 for d in range(1, 10)}


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: from after the last sentence end before it to the next one after it."""
    begin = 0
    for match in _SENTENCE_END.finditer(text, max(0, start - 2000), start):
        begin = match.end()
    after = _SENTENCE_END.search(text, end)
    return begin, (after.start() + 1 if after else len(text))


class RoleFiller(QObject):
    changed = Signal()  # mode, armed role or candidate changed
    message = Signal(str)  # a hint or a refusal, for the status bar

    def __init__(self, editor: Editor, article: ArticleView, chooser: TypeChooser, parent: QObject | None = None):
        super().__init__(parent)
        self.editor = editor
        self.article = article
        self.chooser = chooser
        self.event_id = 0
        self.active = False
        self.armed: Role | None = None
        self.candidates: list[Entity] = []
        self.candidate = -1
        self.viewport = article.viewport()  # kept: asking a view being destroyed for it would fail
        article.installEventFilter(self)
        self.viewport.installEventFilter(self)

    # -- state -------------------------------------------------------------------------------------------------

    def current_event(self) -> Event | None:
        view = self.editor.current
        return next((ev for ev in view.events if ev.id == self.event_id), None) if view else None

    def roles(self) -> tuple[Role, ...]:
        event = self.current_event()
        event_type = self.editor.schema.event_types.get(event.type) if event else None
        return event_type.roles if event_type else ()

    def start(self, event_id: int) -> None:
        self.event_id, self.active = event_id, True
        self._disarm()
        self.message.emit("Fill mode: press a role's number; Escape leaves")

    def stop(self) -> None:
        self.active = False
        self._disarm()

    def _disarm(self) -> None:
        self.armed, self.candidates, self.candidate = None, [], -1
        self.viewport.setCursor(Qt.CursorShape.IBeamCursor)
        self.changed.emit()

    def arm(self, index: int) -> None:
        roles = self.roles()
        if not 0 <= index < len(roles):
            return
        self.active = True
        role = roles[index]
        span = self.editor.target_span()
        if span is not None:
            self._create_and_fill(role, span)
            return
        self.armed = role
        self.candidates, self.candidate = self._candidates(role), -1
        self.viewport.setCursor(Qt.CursorShape.CrossCursor)
        self.changed.emit()
        self.message.emit(f"{role.name}: click a span, or Tab through {len(self.candidates)} candidate(s) and Enter")

    def _candidates(self, role: Role) -> list[Entity]:
        event, view = self.current_event(), self.editor.current
        if event is None or view is None:
            return []
        begin, end = sentence_bounds(view.text, event.trigger_start, event.trigger_end)
        taken = {a.entity_id for a in event.arguments if a.role == role.name and a.status != Status.REJECTED}
        allowed = [e for e in self.article.spans if e.label in role.types and e.id not in taken]
        near = [e for e in allowed if e.start >= begin and e.end <= end] or allowed

        def distance(e: Entity) -> int:
            return max(e.start - event.trigger_end, event.trigger_start - e.end, 0)

        return sorted(near, key=lambda e: (distance(e), e.start))

    # -- filling -----------------------------------------------------------------------------------------------

    def cycle(self, step: int) -> None:
        if not self.candidates:
            self.message.emit("No span of an allowed type here: select text and press the role's number")
            return
        self.candidate = (
            (self.candidate + step) % len(self.candidates)
            if self.candidate >= 0
            else (0 if step > 0 else len(self.candidates) - 1)
        )
        self.article.select_entity(self.candidates[self.candidate].id)
        self.changed.emit()

    def fill(self, entity_id: int) -> None:
        role = self.armed
        if role is None:
            return
        self.editor.event_edit(
            f"Fill {role.name}", self.editor.service.add_argument, self.event_id, role.name, entity_id
        )
        self._after_fill()

    def _create_and_fill(self, role: Role, span: tuple[int, int]) -> None:
        """Label the selection with the role's type; when the role allows several, ask, guessing from spans there."""

        def create(label: str) -> None:
            self.editor.event_edit(
                f"Label as {label} and fill {role.name}",
                self.editor.service.create_entity_and_fill,
                self.event_id,
                role.name,
                span[0],
                span[1],
                label,
            )
            self._after_fill()

        if len(role.types) == 1:
            self.editor.unless_boilerplate(span, lambda: create(role.types[0]))
            return
        overlapping = [e for e in self.article.spans if e.start < span[1] and e.end > span[0] and e.label in role.types]
        guess = (
            min(overlapping, key=lambda e: abs(e.start - span[0]) + abs(e.end - span[1])).label if overlapping else None
        )
        schema = self.editor.schema
        self.chooser.open(
            f"{role.name}: label the selection as",
            [(t, f"{t}  {schema.entity_types[t].label}", schema.color(t)) for t in role.types],
            self.article.cursorRect().bottomLeft() + QPoint(0, 6),
            lambda label: self.editor.unless_boilerplate(span, lambda: create(label)),
            preselect=guess,
        )

    def _after_fill(self) -> None:
        cursor = self.article.textCursor()
        cursor.clearSelection()
        self.article.setTextCursor(cursor)
        self.article.select_event(self.event_id, scroll=False)
        self._disarm()

    def _settle(self, description: str, call: Callable[..., Changes], *args: object) -> None:
        self.editor.event_edit(description, call, self.event_id, *args)
        self._disarm()

    def _enter(self) -> None:
        service, event = self.editor.service, self.current_event()
        if self.armed is not None and self.candidate >= 0:
            self.fill(self.candidates[self.candidate].id)
        elif self.armed is not None and event is not None:
            role = self.armed.name
            refs = [i for i, a in enumerate(event.arguments) if a.role == role and a.status == Status.SUGGESTED]
            if refs:
                self._settle(f"Accept {role}", service.set_argument_status, refs, Status.ACCEPTED)
            else:
                self.message.emit(f"{role} has no suggested filler to accept: Tab to a candidate first")
        else:
            self.editor.event_edit("Accept event", service.set_event_status, [self.event_id], Status.ACCEPTED)

    def _backspace(self) -> None:
        service, event = self.editor.service, self.current_event()
        if event is None:
            return
        if self.armed is None:
            self.editor.event_edit("Reject event", service.set_event_status, [self.event_id], Status.REJECTED)
            self.stop()
            return
        refs = [i for i, a in enumerate(event.arguments) if a.role == self.armed.name and a.status != Status.REJECTED]
        if refs:
            self._settle(f"Remove {self.armed.name} filler", service.remove_argument, refs[-1])

    # -- keys and clicks ---------------------------------------------------------------------------------------

    def action_for(self, event: QKeyEvent, *, from_card: bool = False) -> Callable[[], None] | None:
        """What a key does in fill mode (None: not ours). From the card, a role number also starts the mode."""
        if not (self.active or from_card) or self.current_event() is None:
            return None
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier & ~Qt.KeyboardModifier.ShiftModifier
        if mods != Qt.KeyboardModifier.NoModifier:
            return None
        key = event.key()
        if key in _DIGITS and _DIGITS[key] < len(self.roles()):
            return partial(self.arm, _DIGITS[key])
        if not self.active:
            return None
        if key == Qt.Key.Key_Escape:
            return self._disarm if self.armed else self.stop
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return self._enter
        if key == Qt.Key.Key_Backspace:
            return self._backspace
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.armed is not None:
            return partial(self.cycle, -1 if key == Qt.Key.Key_Backtab else 1)
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.article and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            action = self.action_for(event)
            if action is None:
                return False
            event.accept()  # an accepted override keeps the label and accept actions from firing
            if kind == QEvent.Type.KeyPress:
                action()
            return True
        if (
            watched is self.viewport
            and kind == QEvent.Type.MouseButtonRelease
            and self.armed is not None
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self._clicked(event.position().toPoint())
            return True
        return super().eventFilter(watched, event)

    def _clicked(self, point: QPoint) -> None:
        assert self.armed is not None
        span = self.editor.target_span()
        if span is not None:  # a drag while armed: a new span from it
            self._create_and_fill(self.armed, span)
            return
        under = self.article.spans_at(self.article.cp_at(point))
        if not under:
            self.message.emit(f"No span there: click a span, or select text and press {self.armed.name}'s number")
            return
        allowed = [e for e in under if e.label in self.armed.types]
        self.fill((allowed or under)[0].id)
