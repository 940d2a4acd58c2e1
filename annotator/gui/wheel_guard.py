"""Combo and spin boxes take the mouse wheel only with keyboard focus: scrolling a form must not edit it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """Ignores wheel events on a box without focus, so Qt hands them to the scroll area around it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored and filtered: the box never sees it, its parents get it
            return True
        return super().eventFilter(watched, event)


def guard_wheel(root: QWidget) -> None:
    """Guard every combo and spin box under `root` (again after rows are rebuilt; installing twice is harmless).

    Their default focus policy, WheelFocus, would let the wheel give them focus first: StrongFocus (Tab and
    click) keeps a box that merely sits under the pointer of someone scrolling the form from changing.
    """
    guard = root.findChild(WheelGuard, "wheel_guard")
    if guard is None:
        guard = WheelGuard(root)
        guard.setObjectName("wheel_guard")
    boxes: list[QWidget] = [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
    for box in boxes:
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        box.removeEventFilter(guard)  # never twice: each filter would see the event
        box.installEventFilter(guard)
