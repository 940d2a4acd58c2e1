"""Article and user text on Qt's rich-text surfaces, shown exactly as typed.

Qt renders a label's text, a tooltip or a message box as HTML whenever it "might be rich text", so an
article saying `<b>x</b><img src=x>` would come out bold, with a broken image. Everything that
comes from an article, a file or a person goes through `html` when embedded in markup, and through
`tip` (a tooltip) or `plain` (a label) when shown on its own.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def html(text: object) -> str:
    """Text to embed in rich text: <, > and & as entities."""
    return escape(str(text), quote=True)


def tip(text: str) -> str:
    """A tooltip that shows `text` as typed (line breaks kept); an empty text gives no tooltip."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + escape(text, quote=False) + "</p>"


def plain(label: QLabel) -> QLabel:
    """Make a label show its text as typed, never as HTML."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def rich(label: QLabel) -> QLabel:
    """Make a label always read its text as HTML. Qt guesses from the first line only, so escaped text
    spanning a line break ("AT&amp;T<newline>...") would otherwise show its entities."""
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    parent: QWidget | None = None,
) -> QMessageBox:
    """A message box whose text (file names, labels, quoted article text) is shown as typed."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A modal warning, shown as typed."""
    message_box(QMessageBox.Icon.Warning, title, text, parent=parent).exec()
