"""The header above the article: title, source, date, link, document id and this layer's status."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QWidget

from annotator.core.dto import DocumentView

PUBLISHED_LINK = "#published"  # the date is a link: clicking it sets or corrects the publication date


class ArticleHeader(QLabel):
    published_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article_header")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._link)
        self.setContentsMargins(10, 8, 10, 4)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.show_document(None)

    def show_document(self, view: DocumentView | None) -> None:
        if view is None:
            self.setText("<span style='color:#777'>No document open. Import articles with File &gt; Import.</span>")
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
        self.setText(
            f"<div style='font-size:15pt; font-weight:600'>{escape(view.title or '(untitled)')}</div>"
            f"<div style='color:#555'>{' · '.join(f for f in facts if f)}</div>"
        )

    def _link(self, href: str) -> None:
        if href == PUBLISHED_LINK:
            self.published_clicked.emit()
        else:
            QDesktopServices.openUrl(QUrl(href))
