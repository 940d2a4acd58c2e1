"""Article and user text that looks like HTML is shown as typed on every surface (issue 8)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from annotator.core.dto import DocumentRecord
from annotator.gui.main_window import MainWindow
from annotator.services import records
from annotator.services.annotate import AnnotationService, PropagationPreview
from annotator.services.events import EventService
from annotator.services.project import Project

HOSTILE = "<b>x</b><img src=x>"
TEXT = f"Rebels of {HOSTILE} attacked Homs on Monday. Government forces shelled {HOSTILE} the next day.\n"


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a person sees: Qt renders text that might be rich text as HTML."""
    if text_format == Qt.TextFormat.PlainText or (
        text_format == Qt.TextFormat.AutoText and not Qt.mightBeRichText(text)
    ):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label: QLabel) -> str:
    return shown(label.text(), label.textFormat())


def _hostile_document(project: Project) -> tuple[int, int]:
    """A document titled, spanned and triggered with markup; the window's annotator is alice."""
    with project.db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="hostile", text=TEXT, title=HOSTILE))
    assert doc is not None
    first = TEXT.index(HOSTILE)
    second = TEXT.index(HOSTILE, first + 1)
    annotate = AnnotationService(project.db, project.schema)
    [span] = annotate.create_entity(doc, "alice", first, first + len(HOSTILE), "ORG").entities
    events = EventService(project.db, project.schema)
    [event] = events.create_event(doc, "alice", second, second + len(HOSTILE), "Conflict.Attack").events
    events.add_argument(doc, "alice", event, "Attacker", span)
    return doc, event


def test_markup_in_articles_is_shown_as_typed_everywhere(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    doc, event = _hostile_document(window.project)
    window.list_model.reload()
    window.open_document(doc)
    view = window.editor.current
    assert view is not None and view.id == doc

    # the article header and the document list's tooltip show the title as typed
    assert HOSTILE in label_shows(window.header)
    row = window.list_model.row_of(doc)
    assert row is not None
    title_tip = window.list_model.data(window.list_model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
    assert shown(title_tip) == HOSTILE

    # the event card: trigger in the title, the span in its role chip
    window.show_event(doc, event)
    card = window.event_panel.card
    assert f"“{HOSTILE}”" in label_shows(card.title)
    chips = [w for w in card.findChildren(QLabel) if HOSTILE in label_shows(w) and w is not card.title]
    assert chips, "the Attacker chip shows the span's text"
    assert not any("<img" not in label_shows(w) and label_shows(w).split()[0] == "x" for w in chips)

    # the event list's problems tooltip and the event table
    window.registry["event_table"].trigger()
    table = window.event_table.model
    tips = [
        table.data(table.index(r, c), Qt.ItemDataRole.ToolTipRole)
        for r in range(table.rowCount())
        for c in range(table.columnCount())
    ]
    assert any(HOSTILE in shown(t) for t in tips if t)

    # hovering the span in the text
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(window.article.map.to_view(TEXT.index(HOSTILE) + 2))
    point = window.article.cursorRect(cursor).center()
    QApplication.sendEvent(window.article, QHelpEvent(QEvent.Type.ToolTip, point, window.article.mapToGlobal(point)))
    assert HOSTILE in shown(QToolTip.text())

    # the propagation offer for the string, and for one with an ampersand across a line break
    offer = window.entities.offer
    offer.offer(PropagationPreview(text=HOSTILE, label="ORG", in_document=1, in_corpus=2, documents=1))
    assert f"“{HOSTILE}”" in label_shows(offer.text)
    offer.offer(PropagationPreview(text="AT&T\nWireless", label="ORG", in_document=1, in_corpus=0, documents=0))
    assert "AT&T" in label_shows(offer.text) and "&amp;" not in label_shows(offer.text)

    # E on the span opens the event type chooser, which names the selected article text
    first = TEXT.index(HOSTILE)
    window.article.set_selection(first, first + len(HOSTILE))
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_E)
    chooser = window.event_panel.chooser
    assert chooser.isVisible() and HOSTILE in label_shows(chooser.title)


def test_error_messages_are_shown_as_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.markup import message_box, tip

    box = message_box(QMessageBox.Icon.Warning, "t", f"{HOSTILE}: unknown label")
    qtbot.addWidget(box)
    assert shown(box.text(), box.textFormat()) == f"{HOSTILE}: unknown label"
    assert shown(tip(f"a\n{HOSTILE}")) == f"a\n{HOSTILE}"
    assert shown(tip("")) == ""
