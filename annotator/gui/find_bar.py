"""Find in the article: a bar under the text (Ctrl+F), every match highlighted, F3 / Shift+F3 to step.

Opening a document from a search of the document list highlights the searched words in it the same way,
so F3 steps through them without opening the bar. Matching is on the code points of the stored text,
case-insensitive; a match is selected when stepped to, so a label key labels it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.gui.article_view import ArticleView
from annotator.gui.icons import icon

_WORD = re.compile(r"\w+", re.UNICODE)


def words_pattern(query: str) -> re.Pattern[str] | None:
    """The words of a document search as the full-text index matches them: whole words, the last a prefix."""
    words = _WORD.findall(query)
    if not words:
        return None
    parts = [rf"\b{re.escape(w)}\b" for w in words[:-1]] + [rf"\b{re.escape(words[-1])}"]
    return re.compile("|".join(parts), re.IGNORECASE)


class FindBar(QWidget):
    def __init__(self, article: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.article = article
        self.field = QLineEdit(self)
        self.field.setObjectName("find_text")
        self.field.setPlaceholderText("Find in the article…")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.count = QLabel(self)
        self.count.setObjectName("find_count")
        self.count.setMinimumWidth(90)
        previous = self._button("previous", "Previous match (Shift+F3, Shift+Enter)", lambda: self.step(-1))
        following = self._button("next", "Next match (F3, Enter)", lambda: self.step(1))
        close = self._button("reject", "Close (Escape)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find", self))
        layout.addWidget(self.field, 1)
        for widget in (self.count, previous, following, close):
            layout.addWidget(widget)
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.field.textChanged.connect(lambda text: self.search(re.compile(re.escape(text), re.IGNORECASE)))
        self.hide()

    def _button(self, icon_name: str, tip: str, handler: object) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(handler)
        return button

    # -- what is found -----------------------------------------------------------------------------------------

    def search(self, pattern: re.Pattern[str] | None, *, select: bool = True) -> None:
        """Find every match in the open article, highlight them all and go to the first (selected if `select`)."""
        view = self.article.view
        text = view.text if view is not None else ""
        empty = pattern is None or not pattern.pattern
        self.matches = [] if empty else [m.span() for m in pattern.finditer(text) if m.end() > m.start()]  # type: ignore[union-attr]
        self.current = -1
        if self.matches:
            self._go(0, select=select)
        else:
            self.article.set_highlights([])
            self._show_count(empty)

    def show_search_terms(self, query: str) -> None:
        """A document opened from a search of the list: its words highlighted (the bar's own term wins)."""
        if self.isVisible() and self.field.text():
            self.search(re.compile(re.escape(self.field.text()), re.IGNORECASE))
        else:
            self.search(words_pattern(query), select=False)

    def step(self, direction: int) -> None:
        """F3 / Shift+F3: the next or previous match, round the end of the text."""
        if not self.matches:
            self.open_bar()
            return
        self._go((self.current + direction) % len(self.matches), select=True)

    def _go(self, index: int, *, select: bool) -> None:
        self.current = index
        start, end = self.matches[index]
        if select:
            self.article.set_selection(start, end)
        self.article.scroll_to(start)
        self.article.set_highlights(self.matches, index)
        self._show_count(False)

    def _show_count(self, empty: bool) -> None:
        found = len(self.matches)
        self.count.setText("" if empty else f"{self.current + 1} of {found}" if found else "no match")
        self.count.setStyleSheet("" if found or empty else "color: #b71c1c;")

    # -- opening and closing -----------------------------------------------------------------------------------

    def open_bar(self) -> None:
        """Ctrl+F in the article: the bar, filled with the selected text when there is some."""
        selected = self.article.textCursor().selectedText()
        self.show()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.matches, self.current = [], -1
        self.article.set_highlights([])
        self.article.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                if self.matches:
                    self._go((self.current + (-1 if back else 1)) % len(self.matches), select=True)
                return True
        return super().eventFilter(watched, event)
