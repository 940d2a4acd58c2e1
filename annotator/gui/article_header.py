"""The header above the article: title, source, date, link, document id and this layer's status."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from annotator.core.dto import DocumentView
from annotator.gui.markup import tip

PUBLISHED_LINK = "#published"  # the date is a link: clicking it sets or corrects the publication date
TITLE_POINTS = 13


class ArticleHeader(QLabel):
    """Two lines at most, on any screen: the title on one line (elided, whole in the tooltip), then the facts."""

    published_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article_header")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._link)
        self.setContentsMargins(10, 6, 10, 4)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        # Its text follows its width (the title is elided to it), so its width must not follow its text.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title_font = QFont(self.font())
        self.title_font.setPointSize(TITLE_POINTS)
        self.title_font.setWeight(QFont.Weight.DemiBold)
        self.view: DocumentView | None = None
        self.show_document(None)

    def show_document(self, view: DocumentView | None) -> None:
        self.view = view
        if view is None:
            self.setToolTip("")
            self.setText("<span style='color:#777'>No document open. Import articles with File &gt; Import.</span>")
            return
        self.setToolTip(tip(view.title or ""))
        self._render()

    def _render(self) -> None:
        view = self.view
        if view is None:
            return
        facts = [
            escape(view.source) if view.source else "",
            f"<a href='{PUBLISHED_LINK}' title='Set the publication date (Ctrl+Shift+D)'>"
            f"{escape(view.published or 'date unknown')}</a>",
            f"id {escape(view.doc_id)}",
            f"layer <b>{escape(view.annotator)}</b>: {view.status.replace('_', ' ')}",
        ]
        if view.blind:
            facts.append("<span style='color:#6a1b9a'>blind: other layers hidden until you mark it done</span>")
        if view.url:
            facts.append(f"<a href='{escape(view.url, quote=True)}'>source link</a>")
        margins = self.contentsMargins()
        room = max(self.width() - margins.left() - margins.right() - 4, 40)
        title = QFontMetrics(self.title_font).elidedText(view.title or "(untitled)", Qt.TextElideMode.ElideRight, room)
        self.setText(
            f"<div style='font-size:{TITLE_POINTS}pt; font-weight:600; white-space:pre'>{escape(title)}</div>"
            f"<div style='color:#555'>{' · '.join(f for f in facts if f)}</div>"
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._render()  # the title is elided to the new width

    def _link(self, href: str) -> None:
        if href == PUBLISHED_LINK:
            self.published_clicked.emit()
        else:
            QDesktopServices.openUrl(QUrl(href))
