"""The main window on the screen it opens on: it fits the available area, and the article keeps most of it.

A laptop's 1366x768 (or a 1024x700 projector) must show the whole window, status bar included, with the
article as the widest column: the side docks give way to it, when the window opens and when it shrinks.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

from annotator.core.settings import Settings

DEFAULT_SIZE = (1560, 940)  # on a large screen; smaller screens get their available area
ARTICLE_SHARE = 0.45  # of the window's width, at least, whenever the docks are laid out here
DOCK_SHARES = (0.24, 0.30)  # left (documents) and right (entities, events) of the window's width
DOCK_LIMITS = ((220, 480), (300, 420))  # px: (least, most) for each


def clamp_to(rect: QRect, area: QRect) -> QRect:
    """`rect` made no larger than `area` and moved inside it."""
    width, height = min(rect.width(), area.width()), min(rect.height(), area.height())
    left = min(max(rect.left(), area.left()), area.right() + 1 - width)
    top = min(max(rect.top(), area.top()), area.bottom() + 1 - height)
    return QRect(left, top, width, height)


class WindowFit(QObject):
    """Restores the saved geometry and state clamped to the screen, or sizes a first window to it; keeps the
    article's share of the width when the window is shown or made narrower."""

    def __init__(
        self, window: QMainWindow, settings: Settings, left: QDockWidget, right: QDockWidget, article: QWidget
    ) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.left, self.right, self.article = left, right, article
        self._first = True  # the first layout of a window without a saved state sets the docks' widths
        self._later = QTimer(self)  # after the window's own layout has followed the show or resize
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.make_room)
        window.installEventFilter(self)

    def available(self) -> QRect:
        screen = self.window.screen() or QApplication.primaryScreen()
        return screen.availableGeometry()

    def restore(self) -> None:
        window, area = self.window, self.available()
        geometry = str(self.settings.get("window_geometry"))
        if not geometry or not window.restoreGeometry(QByteArray.fromBase64(geometry.encode())):
            width, height = min(DEFAULT_SIZE[0], area.width()), min(DEFAULT_SIZE[1], area.height())
            window.resize(width, height)
            window.move(area.left() + (area.width() - width) // 2, area.top() + (area.height() - height) // 2)
        self.keep_on_screen()
        state = str(self.settings.get("window_state"))
        if state:
            window.restoreState(QByteArray.fromBase64(state.encode()))

    def keep_on_screen(self) -> None:
        """Saved on a larger monitor, restored on a laptop: the whole window, its frame included, on screen.
        The frame is known once the window is shown, so this runs again then."""
        window = self.window
        frame, inner = window.frameGeometry(), window.geometry()
        area = self.available().adjusted(
            inner.left() - frame.left(),
            inner.top() - frame.top(),
            inner.right() - frame.right(),
            inner.bottom() - frame.bottom(),
        )
        fitted = clamp_to(inner, area)
        if fitted != inner:
            window.setGeometry(fitted)

    def save(self) -> None:
        self.settings.set("window_geometry", bytes(self.window.saveGeometry().toBase64().data()).decode())
        self.settings.set("window_state", bytes(self.window.saveState().toBase64().data()).decode())

    def make_room(self) -> None:
        """Set the side docks' widths as shares of the window's (first start), or narrow them when the article
        has less than its share (a saved state from a wider screen, a window made narrower)."""
        if self._first:
            self.keep_on_screen()
        layout = self.window.layout()
        if layout is not None:
            layout.activate()  # dock widths set before the layout has run are lost
        width = self.window.width()
        first, self._first = self._first and not self.settings.get("window_state"), False
        if not first and self.article.width() >= ARTICLE_SHARE * width:
            return
        docks, sizes = [], []
        for dock, share, (least, most) in zip((self.left, self.right), DOCK_SHARES, DOCK_LIMITS, strict=True):
            if dock.isVisible() and not dock.isFloating():
                wanted = max(least, min(most, int(share * width)))
                docks.append(dock)
                sizes.append(wanted if first else min(dock.width(), wanted))
        if docks:
            self.window.resizeDocks(docks, sizes, Qt.Orientation.Horizontal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self._later.start()
        return super().eventFilter(watched, event)
