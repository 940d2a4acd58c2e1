"""Real input for GUI tests: mouse drags and clicks on the article's text, wheel ticks, the widget under a key."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from annotator.gui.article_view import ArticleView

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def point_of(article: ArticleView, cp: int) -> QPoint:
    """The viewport point of the gap before code point `cp` (scrolled into view first)."""
    article.scroll_to(cp)
    cursor = QTextCursor(article.document())
    cursor.setPosition(article.map.to_view(cp))
    return article.cursorRect(cursor).center()


def drag(article: ArticleView, start: int, end: int) -> None:
    """Select text from `start` to `end` with the mouse: press, move with the button held, release."""
    viewport = article.viewport()
    begin, finish = point_of(article, start), point_of(article, end)
    QTest.mousePress(viewport, LEFT, NO_MODIFIER, begin)
    QTest.mouseMove(viewport, finish)
    QTest.mouseRelease(viewport, LEFT, NO_MODIFIER, finish)


def click_text(article: ArticleView, cp: int) -> None:
    """Click on the middle of the character at `cp`."""
    left, right = point_of(article, cp), point_of(article, cp + 1)
    QTest.mouseClick(article.viewport(), LEFT, NO_MODIFIER, QPoint((left.x() + right.x()) // 2, left.y()))


def wheel(widget: QWidget, ticks: int) -> bool:
    """Turn the mouse wheel over the middle of `widget` (positive: away from the user); True if it was taken."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120 * ticks),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    return QApplication.sendEvent(widget, event) and event.isAccepted()
