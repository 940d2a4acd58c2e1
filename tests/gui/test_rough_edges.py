"""The window as an annotator uses it: each rough edge of a first day, driven with real keys and mouse."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QToolButton,
    QToolTip,
    QWidget,
)

from annotator.core.dto import Event
from annotator.gui.export_dialog import ExportDialog
from annotator.gui.main_window import MainWindow
from annotator.gui.roles import EVENT_ID_ROLE
from annotator.gui.span_painter import Tag, place_tags
from annotator.services.project import Project, open_project
from annotator.store import models as m
from tests.gui.conftest import make_window
from tests.gui.helpers import LEFT, click_text, drag, point_of, wheel
from tests.gui.test_editing import layer
from tests.gui.test_events import create_with_keys, key, stored

Key = Qt.Key


def first_event(window: MainWindow, kind: str, *, with_fillers: bool = False) -> Event:
    view = window.editor.current
    assert view is not None
    return next(ev for ev in view.events if ev.type == kind and (ev.arguments or not with_fillers))


def test_the_wheel_over_the_event_card_changes_nothing(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    attack = first_event(window, "Conflict.Attack", with_fillers=True)
    click_text(window.article, attack.trigger_start)
    card = window.event_panel.card
    assert card.isVisible() and window.event_panel.filler.event_id == attack.id
    card.values.spins["value"].setValue(9)  # a toll as the user typed it
    card.values.spins["value"].editingFinished.emit()
    window.article.setFocus()
    before = stored(project, attack.id)
    boxes: list[QWidget] = [*card.findChildren(QComboBox), *card.findChildren(QAbstractSpinBox)]
    assert len(boxes) >= 8  # attributes, qualifier, precision, three counts
    shown = {box.objectName(): box.currentText() if isinstance(box, QComboBox) else box.text() for box in boxes}
    for box in boxes:
        assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives them no focus either
        for ticks in (1, -1, -1, 2):
            assert not wheel(box, ticks)  # ignored: the scroll area around the card takes it
    assert {b.objectName(): b.currentText() if isinstance(b, QComboBox) else b.text() for b in boxes} == shown
    window.article.setFocus()  # a spin box edited by the wheel would save when it loses the focus
    assert stored(project, attack.id) == before
    spin = card.values.spins["value"]
    spin.setFocus()
    assert wheel(spin, 1) and spin.value() == 10  # with the focus, the wheel is the user's choice


def test_the_label_palette_closes_on_escape_a_click_outside_and_use(
    qtbot, window: MainWindow, project: Project
) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    palette, article = window.label_palette, window.article
    start = doc.text.index("Idlib Civil Defense")
    drag(article, start, start + 5)
    assert article.selection_span() == (start, start + 5) and palette.isVisible()
    key(qtbot, article, Key.Key_Escape)
    assert not palette.isVisible()
    drag(article, start, start + 5)
    assert palette.isVisible()
    qtbot.mouseClick(window.header, Qt.MouseButton.LeftButton)  # anywhere outside it
    assert not palette.isVisible()
    click_text(article, start - 3)  # a press inside the old selection would drag it, not select anew
    drag(article, start, start + 5)
    key(qtbot, article, Key.Key_3)  # used through its key: GPE
    assert (start, start + 5, "GPE", "accepted") in layer(project, doc.id) and not palette.isVisible()
    other = doc.text.index("Civil Defense said")
    drag(article, other, other + len("Civil Defense"))
    button = palette.findChild(QToolButton, "palette_ORG")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert (other, other + 13, "ORG", "accepted") in layer(project, doc.id) and not palette.isVisible()


def test_a_click_on_a_bold_trigger_selects_its_event(window: MainWindow) -> None:
    article = window.article
    spans = article.spans
    loose = [
        ev
        for ev in article.drawn_events
        if not any(e.start <= ev.trigger_start < e.end for e in spans)  # no span to select there instead
    ]
    assert loose
    for event in loose[:3]:
        click_text(article, event.trigger_start + 1)
        assert article.selected_event_id == event.id and window.event_panel.filler.event_id == event.id
        assert window.event_panel.card.body.isVisible()
    # Drawn bold, as the legend says: the laid-out trigger is as wide as its text in the bold font.
    event = loose[0]
    bold = QFont(article.font())
    bold.setBold(True)

    def width(start: int, end: int) -> float:
        left, right = QTextCursor(article.document()), QTextCursor(article.document())
        left.setPosition(article.map.to_view(start))
        right.setPosition(article.map.to_view(end))
        return float(article.cursorRect(right).x() - article.cursorRect(left).x())

    assert (
        abs(width(event.trigger_start, event.trigger_end) - QFontMetricsF(bold).horizontalAdvance(event.trigger_text))
        <= 2
    )
    plain = QFontMetricsF(article.font())
    assert abs(width(event.trigger_start, event.trigger_end) - plain.horizontalAdvance(event.trigger_text)) > 2


def tags(window: MainWindow) -> set[tuple[str, int]]:
    return {(tag.text, tag.start) for tag in window.article.span_painter.tags()}


def test_a_rejected_filler_loses_its_role_tag_also_after_a_restart(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    attack = first_event(window, "Conflict.Attack", with_fillers=True)
    click_text(window.article, attack.trigger_start)
    spans = {e.id: e for e in window.article.spans}
    argument = attack.arguments[0]
    filler = spans[argument.entity_id]  # type: ignore[index]
    assert (argument.role, filler.start) in tags(window)
    qtbot.mouseClick(window.event_panel.card.findChild(QWidget, "arg_reject_0"), Qt.MouseButton.LeftButton)
    assert stored(project, attack.id).arguments[0].status == "rejected"  # type: ignore[union-attr]
    assert (argument.role, filler.start) not in tags(window)
    assert {t for t, _ in tags(window)} >= {attack.type.rsplit(".", 1)[-1]}  # the event itself still tagged
    window.close()
    again = make_window(qtbot, open_project(project.db.url))
    again.open_document(window.editor.current.id)  # type: ignore[union-attr]
    click_text(again.article, attack.trigger_start)
    assert again.article.selected_event_id == attack.id
    assert (argument.role, filler.start) not in tags(again)


def stray_chips(window: MainWindow) -> list[QFrame]:
    found = window.event_panel.card.stray.findChildren(QFrame)
    return [c for c in found if c.objectName().startswith("filler_") and c.isVisible()]


def test_fillers_of_a_role_the_new_type_lacks_are_shown_and_removable(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    attack = first_event(window, "Conflict.Attack", with_fillers=True)
    attackers = [i for i, a in enumerate(attack.arguments) if a.role == "Attacker"]
    assert attackers
    click_text(window.article, attack.trigger_start)
    card = window.event_panel.card
    assert not card.stray.isVisible()
    qtbot.mouseClick(card.retype, Qt.MouseButton.LeftButton)
    chooser = window.event_panel.chooser
    qtbot.keyClicks(chooser.filter, "Life.Die")
    qtbot.keyClick(chooser.filter, Key.Key_Return)
    assert stored(project, attack.id).type == "Life.Die"  # type: ignore[union-attr]
    assert card.stray.isVisible() and card.stray_heading.isVisible()  # Die has no Attacker
    qtbot.waitUntil(lambda: len(stray_chips(window)) == len(attackers))
    chips = stray_chips(window)
    assert sorted(c.objectName() for c in chips) == sorted(f"filler_{i}" for i in attackers)
    assert all("Attacker" in c.findChild(QLabel).text() for c in chips)
    qtbot.mouseClick(card.stray.findChild(QWidget, f"arg_reject_{attackers[0]}"), Qt.MouseButton.LeftButton)
    event = stored(project, attack.id)
    assert event is not None and event.arguments[attackers[0]].status == "rejected"
    qtbot.waitUntil(lambda: len(stray_chips(window)) == len(attackers) - 1)  # new chips show once laid out


def test_enter_and_backspace_in_the_event_list_accept_and_reject(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    panel = window.event_panel
    table, model = panel.list, panel.model
    first = model.index(0, 1)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(first).center())
    ids = [model.index(row, 0).data(EVENT_ID_ROLE) for row in range(3)]
    assert panel.filler.event_id == ids[0] and stored(project, ids[0]).status == "suggested"  # type: ignore[union-attr]
    qtbot.keyClick(table, Key.Key_Return)
    assert stored(project, ids[0]).status == "accepted"  # type: ignore[union-attr]
    assert table.currentIndex().row() == 1 and panel.filler.event_id == ids[1]  # on to the next
    qtbot.keyClick(table, Key.Key_Backspace)
    assert stored(project, ids[1]).status == "rejected"  # type: ignore[union-attr]
    assert table.currentIndex().row() == 2 and QApplication.focusWidget() is table
    qtbot.keyClick(table, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(project, ids[1]).status == "suggested"  # type: ignore[union-attr]


def test_accept_stays_offered_while_fillers_wait_and_says_so(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    view = window.editor.current
    assert view is not None
    attack = next(ev for ev in view.events if ev.status == "suggested" and len(ev.arguments) >= 3)
    click_text(window.article, attack.trigger_start)
    card = window.event_panel.card
    qtbot.mouseClick(card.findChild(QWidget, "arg_accept_0"), Qt.MouseButton.LeftButton)  # one role edited
    event = stored(project, attack.id)
    assert event is not None and event.status == "accepted"
    waiting = sum(1 for a in event.arguments if a.status == "suggested")
    assert waiting >= 2 and card.accept.isEnabled() and f"+{waiting} fillers" in card.accept.text()
    qtbot.mouseClick(card.accept, Qt.MouseButton.LeftButton)
    assert {a.status for a in stored(project, attack.id).arguments} == {"accepted"}  # type: ignore[union-attr]
    assert not card.accept.isEnabled() and card.accept.text() == "Accept"


def test_the_card_and_the_event_list_start_at_the_top(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = window.event_panel
    events = [ev for ev in window.article.drawn_events if ev.arguments]
    click_text(window.article, events[0].trigger_start)
    card_bar = panel.card_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: card_bar.maximum() > 0)  # the card is laid out, taller than its dock
    for _ in range(5):
        wheel(panel.card_scroll.viewport(), -1)  # the user scrolls the card down to its values
    assert card_bar.value() > 0
    click_text(window.article, events[1].trigger_start)
    assert panel.filler.event_id == events[1].id and card_bar.value() == 0  # title, Accept and Reject in view
    list_bar = panel.list.verticalScrollBar()
    for _ in range(5):
        wheel(panel.list.viewport(), -1)
    assert list_bar.value() > 0
    key(qtbot, window.article, Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # the next document
    assert window.editor.current is not None and window.editor.current.id == 2
    assert list_bar.value() == 0


def test_role_tags_neither_overlap_nor_leave_the_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Every event of the seeds, stepped through with Down in the event list, in a narrow article."""
    table, width = window.event_panel.list, window.article.viewport().width()
    checked = 0
    for _document in range(4):
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(0, 1)).center()
        )
        for _row in range(table.model().rowCount()):
            boxes = [tag.box for tag in window.article.span_painter.tags()]
            assert all(box.left() >= 0 and box.right() <= width for box in boxes), boxes
            assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), boxes
            checked += len(boxes) > 2
            qtbot.keyClick(table, Key.Key_Down)
        key(qtbot, window.article, Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert checked > 10  # events with fillers were among them


def test_tags_on_one_line_are_placed_side_by_side_inside_the_view(qapp) -> None:  # type: ignore[no-untyped-def]
    metrics = QFontMetricsF(QFont())

    def tag(text: str, x: float) -> Tag:
        return Tag(text, QColor("#d62828"), QRectF(x, 100, metrics.horizontalAdvance(text) + 8, 14), 0)

    placed = place_tags([tag("Attacker", 10), tag("Attacker", 14), tag("DamageDestroyArtifact", 150)], 220, metrics)
    boxes = [t.box for t in placed]
    assert all(b.left() >= 0 and b.right() <= 220 for b in boxes)
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert [t.text for t in placed] == ["Attacker", "Attacker", "DamageDestroyArtifact"]  # all of it shown
    crowded = place_tags([tag("Place", x) for x in (0, 4, 8, 12, 16, 20)], 60, metrics)
    boxes = [t.box for t in crowded]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert min(b.top() for b in boxes) < 100 and all(b.left() >= 0 and b.right() <= 60 for b in boxes)


def test_search_reaches_its_results_highlights_the_words_and_finds_in_the_article(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow
) -> None:
    documents, article, bar = window.documents, window.article, window.find_bar
    key(qtbot, article, Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is documents.search
    qtbot.keyClicks(documents.search, "Khalidiya")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 1)
    qtbot.keyClick(documents.search, Key.Key_Down)  # down from the box into its results: the document opens
    assert QApplication.focusWidget() is documents.table
    view = window.editor.current
    assert view is not None and "Khalidiya" in view.text
    found = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in article.extraSelections()]
    expected = view.text.count("Khalidiya")
    assert len(found) == expected and all(article.document().toPlainText()[a:b] == "Khalidiya" for a, b in found)

    key(qtbot, article, Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F in the text: find in it
    assert bar.isVisible() and QApplication.focusWidget() is bar.field
    qtbot.keyClicks(bar.field, "homs")
    homs = [i for i in range(len(view.text)) if view.text.startswith("Homs", i)]
    assert len(homs) > 2 and bar.count.text() == f"1 of {len(homs)}"
    assert article.selection_span() == (homs[0], homs[0] + 4)
    qtbot.keyClick(bar.field, Key.Key_F3)
    assert article.selection_span() == (homs[1], homs[1] + 4) and bar.count.text() == f"2 of {len(homs)}"
    qtbot.keyClick(bar.field, Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(bar.field, Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)  # round to the last
    assert article.selection_span() == (homs[-1], homs[-1] + 4)
    qtbot.keyClick(bar.field, Key.Key_Escape)
    assert not bar.isVisible() and not article.extraSelections() and QApplication.focusWidget() is article
    assert documents.table.horizontalHeader().sectionSize(0) >= 0.4 * documents.table.viewport().width()


def test_another_layer_is_drawn_plainly_and_named(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    start = doc.text.index("Siege Watch")
    drag(window.article, start, start + 11)
    key(qtbot, window.article, Key.Key_2)  # alice: ORG
    window.editor.service.open_document(doc.id, "bob")
    window.refresh_annotators()
    window.annotator_box.setFocus()
    qtbot.keyClick(window.annotator_box, Key.Key_Down)  # alice -> bob, nothing half done: no question
    assert window.editor.annotator == "bob"
    project.settings.set("show_layers", ["alice"])  # what Layers > alice sets
    window.editor.reload()
    article = window.article
    article.setFocus()
    point = point_of(article, start + 3)
    QApplication.sendEvent(article, QHelpEvent(QEvent.Type.ToolTip, point, article.viewport().mapToGlobal(point)))
    assert "alice" in QToolTip.text() and "Siege Watch" in QToolTip.text()
    rect = article.span_painter.fragments(start, start + 11)[0]
    image = article.viewport().grab().toImage()
    colour = QColor(project.schema.color("ORG")).darker(125)

    def near(c: QColor) -> bool:
        return abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < 60

    x = int(rect.center().x())
    bar = [dy for dy in range(1, 14) if near(image.pixelColor(x, int(rect.bottom()) + dy))]
    assert len(bar) >= 4, bar  # a bar under the text in ORG's colour, not a hairline


def test_switching_annotator_in_fill_mode_asks_first(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.editor.service.open_document(1, "bob")  # bob has a layer: he is in the switcher
    window.refresh_annotators()
    event_id = create_with_keys(qtbot, window, "wounding", "injur")  # fill mode
    key(qtbot, window.article, Key.Key_2)  # Victim armed
    box = window.annotator_box
    box.setFocus()
    qtbot.keyClick(box, Key.Key_Down)  # alice -> bob
    question = next(b for b in window.findChildren(QMessageBox, "switch_annotator_box") if b.isVisible())
    assert "Victim" in question.text()
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert window.editor.annotator == "alice" and box.currentText() == "alice" and window.event_panel.filler.active
    box.setFocus()
    qtbot.keyClick(box, Key.Key_Down)
    question = next(b for b in window.findChildren(QMessageBox, "switch_annotator_box") if b.isVisible())
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert window.editor.annotator == "bob" and not window.event_panel.filler.active
    assert all(ev.id != event_id for ev in window.editor.current.events)  # type: ignore[union-attr]


def test_the_export_dialog_offers_the_last_choices_again(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "brat-out"
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dialog = next(d for d in window.findChildren(ExportDialog) if d.isVisible())
        dialog.format.setFocus()
        qtbot.keyClicks(dialog.format, "b")  # brat standoff
        dialog.layer.setFocus()
        qtbot.keyClicks(dialog.layer, "m")  # the model's layer
        dialog.folder.setFocus()
        dialog.folder.selectAll()
        qtbot.keyClicks(dialog.folder, str(out))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), LEFT)

    def look() -> None:
        dialog = next(d for d in window.findChildren(ExportDialog) if d.isVisible())
        seen.update(dialog.choices())
        qtbot.keyClick(dialog, Key.Key_Escape)

    QTimer.singleShot(100, fill_in)
    key(qtbot, window.article, Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: (out / "annotation.conf").exists() and window.tasks.wait(0), timeout=30000)
    for report in window.findChildren(QMessageBox, "transfer_report"):  # notes on what brat cannot hold
        report.close()
    window.activateWindow()  # as the window manager does once the dialog is gone
    qtbot.waitUntil(window.isActiveWindow)
    QTimer.singleShot(100, look)
    key(qtbot, window.article, Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen == {
        "format": "brat",
        "layer": "model",
        "status": None,
        "suggestions": False,
        "window": 1,
        "folder": str(out),
    }


def origin_of(project: Project, entity_id: int) -> tuple[str, str]:
    return row_of(project, entity_id)[2:]


def row_of(project: Project, entity_id: int) -> tuple[int, int, str, str]:
    with project.db.reader() as session:
        row = session.get_one(m.EntityMention, entity_id)
        return row.start, row.end, row.origin, row.status


def test_reviewing_spans_goes_on_and_moved_boundaries_are_the_annotators(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    key(qtbot, window.article, Key.Key_Tab)
    first = window.article.selected_entity()
    assert first is not None and first.origin == "model"
    key(qtbot, window.article, Key.Key_Return)
    assert origin_of(project, first.id) == ("model", "accepted")
    second = window.article.selected_entity()  # Enter moved on, as Backspace does
    assert second is not None and second.id != first.id and second.start >= first.start
    key(qtbot, window.article, Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # its end one token on
    assert origin_of(project, second.id) == ("human", "accepted")
    key(qtbot, window.article, Key.Key_Delete)  # the model's proposal is still recorded as rejected
    assert row_of(project, second.id) == (second.start, second.end, "model", "rejected")
    key(qtbot, window.article, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window.article, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert row_of(project, second.id) == (second.start, second.end, "model", "suggested")


def test_labelling_page_boilerplate_asks_first(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    key(qtbot, window.article, Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    doc = window.editor.current
    assert doc is not None and doc.boilerplate and doc.text.startswith("Advertisement")
    start, end = doc.boilerplate[0]
    assert (start, end) == (0, len("Advertisement"))

    def answer(button: QMessageBox.StandardButton) -> None:
        box = next(b for b in window.findChildren(QMessageBox, "boilerplate_box") if b.isVisible())
        assert "boilerplate" in box.text()
        qtbot.mouseClick(box.button(button), LEFT)

    drag(window.article, start, end)
    key(qtbot, window.article, Key.Key_2)
    answer(QMessageBox.StandardButton.No)
    assert not [row for row in layer(project, doc.id) if row[:2] == (start, end)]
    key(qtbot, window.article, Key.Key_2)
    answer(QMessageBox.StandardButton.Yes)
    assert (start, end, "ORG", "accepted") in layer(project, doc.id)
