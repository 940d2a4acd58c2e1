"""Editing events (issue 4) through the real window, checking the database after every step; the event table."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableView, QWidget

from annotator.core.dto import MODEL, Argument, DocumentRecord, Entity, Event, EventDate
from annotator.gui.event_card import EventCard
from annotator.gui.main_window import MainWindow
from annotator.services import records
from annotator.services.project import Project, open_project
from annotator.store import models as m
from tests.gui.conftest import make_window

Key = Qt.Key


def stored(project: Project, event_id: int) -> Event | None:
    with project.db.reader() as session:
        row = session.get(m.Event, event_id)
        if row is None:
            return None
        [event] = records.layer_events(session, row.document_id, row.annotator_id, only=[event_id])
        return event


def entity_text(project: Project, entity_id: int | None) -> tuple[str, str]:
    with project.db.reader() as session:
        row = session.get_one(m.EntityMention, entity_id)
        return row.text, row.label


def key(qtbot, widget: QWidget, k: Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClick(widget, k, mod)


def select_with_keys(qtbot, window: MainWindow, start: int, length: int) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor before a word and select it with Shift+Right, as a user would."""
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.map.to_view(start))
    window.article.setTextCursor(cursor)
    for _ in range(length):
        key(qtbot, window.article, Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def click_span(qtbot, window: MainWindow, start: int) -> None:  # type: ignore[no-untyped-def]
    article = window.article
    article.scroll_to(start)
    cursor = QTextCursor(article.document())
    cursor.setPosition(article.map.to_view(start + 1))
    qtbot.mouseClick(article.viewport(), Qt.MouseButton.LeftButton, pos=article.cursorRect(cursor).center())


def create_with_keys(qtbot, window: MainWindow, trigger: str, typed: str) -> int:  # type: ignore[no-untyped-def]
    assert window.editor.current is not None
    start = window.editor.current.text.index(trigger)
    select_with_keys(qtbot, window, start, len(trigger))
    key(qtbot, window.article, Key.Key_E)
    chooser = window.event_panel.chooser
    assert chooser.isVisible() and QApplication.focusWidget() is chooser.filter
    qtbot.keyClicks(chooser.filter, typed)
    qtbot.keyClick(chooser.filter, Key.Key_Return)
    assert not chooser.isVisible()
    return window.event_panel.filler.event_id


def test_create_an_event_with_the_keyboard_fill_two_roles_set_an_attribute_and_undo(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    text = window.editor.current.text  # type: ignore[union-attr]
    event_id = create_with_keys(qtbot, window, "wounding", "injur")
    event = stored(project, event_id)
    assert event is not None and (event.type, event.trigger_text, event.status) == (
        "Life.Injure",
        "wounding",
        "accepted",
    )
    card = window.findChild(EventCard, "event_card")
    assert card is not None and card.isVisible() and window.event_panel.filler.active
    assert window.findChild(QLabel, "event_fill_mode").isVisible()  # the mode is visible
    assert window.article.selected_event_id == event_id

    key(qtbot, window.article, Key.Key_2)  # Victim (PER): Tab to the nearest person, Enter takes it
    assert window.event_panel.filler.armed is not None and window.event_panel.filler.armed.name == "Victim"
    key(qtbot, window.article, Key.Key_Tab)
    assert window.article.selected_entity() is not None and window.article.selected_entity().text == "one volunteer"
    key(qtbot, window.article, Key.Key_Return)
    event = stored(project, event_id)
    assert event is not None and [(a.role, entity_text(project, a.entity_id)) for a in event.arguments] == [
        ("Victim", ("one volunteer", "PER"))
    ]

    select_with_keys(qtbot, window, text.index("centers"), len("centers"))  # a new span straight into Place
    key(qtbot, window.article, Key.Key_4)
    chooser = window.event_panel.chooser
    assert chooser.isVisible()  # Place takes GPE, LOC or FAC: which one is asked
    qtbot.keyClicks(chooser.filter, "FAC")
    qtbot.keyClick(chooser.filter, Key.Key_Return)
    event = stored(project, event_id)
    assert event is not None and [(a.role, entity_text(project, a.entity_id)) for a in event.arguments] == [
        ("Victim", ("one volunteer", "PER")),
        ("Place", ("centers", "FAC")),
    ]

    tense = card.attr_boxes["tense"]
    tense.setFocus()
    qtbot.keyClicks(tense, "P")  # type-ahead in the combo: Past
    event = stored(project, event_id)
    assert event is not None and event.attrs == {"tense": "Past"}

    key(qtbot, window.article, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    event = stored(project, event_id)
    assert event is not None and event.attrs == {}
    key(qtbot, window.article, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the new span and its role: one step
    event = stored(project, event_id)
    assert event is not None and [a.role for a in event.arguments] == ["Victim"]
    assert all(e.text != "centers" for e in window.article.spans)
    assert card.role_marks["Victim"].text() == "✓"


def shown_box(window: MainWindow) -> QMessageBox | None:
    return next((b for b in window.findChildren(QMessageBox, "invalid_events_box") if b.isVisible()), None)


def test_validation_marks_a_missing_required_role_and_done_asks_first(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    doc = window.editor.current
    assert doc is not None
    event_id = create_with_keys(qtbot, window, "raids", "Life.Die")  # no Victim yet
    card = window.event_panel.card
    assert card.role_marks["Victim"].text() == "⚠" and "Victim is required" in card.role_marks["Victim"].toolTip()
    assert card.problems.isVisible()
    row = window.event_panel.model.row_of(event_id)
    assert row is not None and window.event_panel.model.index(row, 0).data() == "⚠"

    key(qtbot, window.article, Key.Key_Escape)  # leave fill mode: Ctrl+Enter is the window's
    window.editor.reject_all()  # the seed's suggestions are decided: done only asks about the invalid event
    key(qtbot, window.article, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    box = shown_box(window)
    assert box is not None and "Victim is required" in box.text()
    window.article.select_event(0)
    box.button(QMessageBox.StandardButton.No).click()
    assert window.editor.current is not None and window.editor.current.id == doc.id  # not done, still here
    assert window.article.selected_event_id == event_id  # the invalid event is shown
    window.registry["done"].trigger()
    box = shown_box(window)
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    with project.db.reader() as session:
        alice = records.annotator_id(session, "alice")
        assert session.get_one(m.DocumentState, (doc.id, alice)).status == "done"


def test_accept_and_reject_suggested_events_whole_and_role_by_role(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    panel = window.event_panel
    suggested = [ev for ev in window.editor.current.events if ev.arguments and ev.status == "suggested"]  # type: ignore[union-attr]
    first, second, third = suggested[:3]
    panel.list.selectRow(panel.model.row_of(first.id))  # type: ignore[arg-type]
    assert window.article.selected_event_id == first.id and panel.filler.event_id == first.id
    qtbot.mouseClick(panel.card.findChild(QWidget, "arg_accept_0"), Qt.MouseButton.LeftButton)
    event = stored(project, first.id)
    assert event is not None and event.status == "accepted" and event.arguments[0].status == "accepted"
    assert all(a.status == "suggested" for a in event.arguments[1:])
    qtbot.mouseClick(panel.card.findChild(QWidget, "arg_reject_1"), Qt.MouseButton.LeftButton)
    assert stored(project, first.id).arguments[1].status == "rejected"  # type: ignore[union-attr]

    index = panel.model.index(panel.model.row_of(second.id), 1)  # type: ignore[arg-type]
    panel.list.scrollTo(index)
    rect = panel.list.visualRect(index)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt 6: press first
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.filler.active and QApplication.focusWidget() is window.article  # double-click: fill mode
    key(qtbot, window.article, Key.Key_Return)  # Enter accepts the whole event and its suggested fillers
    event = stored(project, second.id)
    assert event is not None and event.status == "accepted" and {a.status for a in event.arguments} == {"accepted"}
    key(qtbot, window.article, Key.Key_Backspace)  # Backspace rejects it
    assert stored(project, second.id).status == "rejected"  # type: ignore[union-attr]
    key(qtbot, window.article, Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(project, second.id).status == "accepted"  # type: ignore[union-attr]

    window.article.select_event(third.id)  # role by role from the keyboard: arm a role, Enter accepts its fillers
    panel.filler.start(third.id)
    role = third.arguments[0].role
    number = [r.name for r in panel.filler.roles()].index(role) + 1
    key(qtbot, window.article, getattr(Key, f"Key_{number}"))
    key(qtbot, window.article, Key.Key_Return)
    event = stored(project, third.id)
    assert event is not None and event.status == "accepted"
    assert {a.status for a in event.arguments if a.role == role} == {"accepted"}
    assert {a.status for a in event.arguments if a.role != role} <= {"suggested"}


def test_a_click_fills_the_armed_role_and_the_card_keys_arm_roles(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, project: Project
) -> None:
    text = window.editor.current.text  # type: ignore[union-attr]
    event_id = create_with_keys(qtbot, window, "wounding", "Injure")
    key(qtbot, window.article, Key.Key_Escape)
    assert not window.event_panel.filler.active
    key(qtbot, window.event_panel.card, Key.Key_1)  # the card has the focus: its number arms the role
    filler = window.event_panel.filler
    assert filler.active and filler.armed is not None and filler.armed.name == "Agent"
    defense = next(e for e in window.article.spans if e.text == "Civil Defense")
    click_span(qtbot, window, defense.start)
    event = stored(project, event_id)
    assert event is not None and [(a.role, a.entity_id) for a in event.arguments] == [("Agent", defense.id)]
    assert filler.armed is None and filler.active  # filled: still in fill mode, ready for the next role
    key(qtbot, window.article, Key.Key_1)
    key(qtbot, window.article, Key.Key_Backspace)  # with Agent armed: removes its last filler
    assert stored(project, event_id).arguments == ()  # type: ignore[union-attr]
    key(qtbot, window.article, Key.Key_Escape)
    key(qtbot, window.article, Key.Key_Escape)
    assert not filler.active
    start = text.index("Syria,")
    window.article.set_selection(start, start + 5)
    key(qtbot, window.article, Key.Key_3)  # outside fill mode the digits label spans again
    assert any(e.text == "Syria" and e.label == "GPE" and e.status == "accepted" for e in window.article.spans)


def test_type_change_from_the_trigger_and_values_on_the_card(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    text = window.editor.current.text  # type: ignore[union-attr]
    event_id = create_with_keys(qtbot, window, "raids", "attack")
    assert stored(project, event_id).type == "Conflict.Attack"  # type: ignore[union-attr]
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.map.to_view(text.index("raids") + 2))
    window.article.setTextCursor(cursor)
    key(qtbot, window.article, Key.Key_E)  # E on the trigger of the event being filled: change its type
    chooser = window.event_panel.chooser
    qtbot.keyClicks(chooser.filter, "die")
    qtbot.keyClick(chooser.filter, Key.Key_Return)
    assert stored(project, event_id).type == "Life.Die"  # type: ignore[union-attr]

    values = window.event_panel.card.values

    def type_into(field: QWidget, text: str) -> None:
        """Click into the field, select what is there, type over it and press Enter, as a person does."""
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=field.rect().center())
        qtbot.keyClick(field, Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Key.Key_Return)

    def fatality_edits() -> int:
        history = window.editor.service.history(window.editor.current.id, "alice")  # type: ignore[union-attr]
        return sum(h.operation == "set_fatalities" for h in history)

    type_into(values.spins["value"], "9")
    before = fatality_edits()
    type_into(values.spins["low"], "12")
    assert fatality_edits() == before + 1  # one edit when the typing is done, not "1" and then "12"
    type_into(values.date_value, "2017-02")
    event = stored(project, event_id)
    assert event is not None and event.fatalities is not None
    assert (event.fatalities.value, event.fatalities.low) == (9, 12)
    assert event.date == EventDate("2017-02", "month")
    assert "2017-02 (month)" in values.date_note.text() and "9" in values.fatalities_note.text()
    type_into(values.date_value, "Feb 2017")  # refused with a message, nothing stored
    assert stored(project, event_id).date == EventDate("2017-02", "month")  # type: ignore[union-attr]


# -- the corpus event table, on hand-built documents ----------------------------------------------------------


def _record(doc_id: str, text: str, when: str | None, kind: str, trigger: str, actor: str) -> DocumentRecord:
    t, a = text.index(trigger), text.index(actor)
    return DocumentRecord(
        doc_id=doc_id,
        text=text,
        title=f"{doc_id}: {text[:20]}",
        entities=(Entity(1, a, a + len(actor), "ORG", actor, "model", "suggested"),),
        events=(
            Event(
                1,
                kind,
                t,
                t + len(trigger),
                trigger,
                (Argument("Agent", 1, status="suggested"),),
                date=EventDate(when, "day") if when else None,
                origin="model",
                status="suggested",
            ),
        ),
    )


@pytest.fixture
def built(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    project = open_project(str(tmp_path / "built.sqlite3"))
    project.settings.set("annotator_name", "alice")
    with project.db.session() as session:
        model = records.annotator_id(session, MODEL)
        for i in range(30):
            kind = ("Life.Die", "X.Conflict.ChangeOfControl")[i % 2]
            record = _record(
                f"d{i:02}",
                f"Rebels{i} took the town; many died.",
                f"2017-02-{i % 28 + 1:02}" if i % 5 else None,
                kind,
                "died" if kind == "Life.Die" else "took",
                f"Rebels{i}",
            )
            records.store_layer(session, records.store_document(session, record), model, record)
    window = make_window(qtbot, project)
    yield window
    window.close()
    project.db.dispose()


def test_event_table_model_filters_timeline_and_jump(qtbot, qtmodeltester, built: MainWindow) -> None:  # type: ignore[no-untyped-def]
    built.registry["event_table"].trigger()
    panel = built.event_table
    table = built.findChild(QTableView, "event_table")
    assert table is not None and table.isVisible()
    model = panel.model
    qtmodeltester.check(model)
    assert model.total == 30 and panel.count.text() == "30 event(s)"
    assert [p.type for p in panel.timeline.points] and panel.timeline.undated == 6

    panel.type_box.setCurrentIndex(panel.type_box.findData("X.Conflict.ChangeOfControl"))
    assert model.total == 15 and {p.type for p in panel.timeline.points} == {"X.Conflict.ChangeOfControl"}
    panel.text.setText("Rebels7")
    qtbot.waitUntil(lambda: model.total == 1)
    assert sum(p.count for p in panel.timeline.points) == 1
    assert model.index(0, 4).data() == "Rebels7"  # actors
    panel.text.setText("")
    panel.type_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: model.total == 30)
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # date, newest first, undated last
    dates = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert dates[:24] == sorted(dates[:24], reverse=True) and dates[24:] == [""] * 6
    qtmodeltester.check(model)

    row = model.row(3)
    assert row is not None
    qtbot.waitUntil(lambda: table.viewport().height() > 5 * table.rowHeight(0))
    rect = table.visualRect(model.index(3, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt 6 wants the press first
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    current = built.editor.current
    assert current is not None and current.id == row.document_id
    # The row was the model's suggestion; opening gave alice her copy of it, which is the one selected.
    shown = next(ev for ev in current.events if ev.id == built.article.selected_event_id)
    assert (shown.type, shown.trigger_text) == (row.type, row.trigger) and built.event_panel.filler.event_id == shown.id

    built.event_panel.card.accept.click()  # the table follows edits
    qtbot.waitUntil(lambda: model.total == 30 and model.row(3) is not None and model.row(3).status == "accepted")  # type: ignore[union-attr]


def test_event_list_model(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.event_panel.model)
    assert window.event_panel.model.rowCount() == len(window.editor.current.events)  # type: ignore[union-attr]


def test_role_numbers_do_not_leak_out_of_fill_mode(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    event = next(ev for ev in window.editor.current.events if ev.type == "Conflict.Attack")  # type: ignore[union-attr]
    window.article.select_event(event.id)
    assert not window.event_panel.filler.active
    window.article.setFocus()
    qtbot.keyClick(window.article, Key.Key_1)  # no selection, no fill mode: a label key with nothing to label
    assert window.event_panel.filler.armed is None


def test_clicking_a_header_sorts_by_its_column(qtbot, built: MainWindow) -> None:  # type: ignore[no-untyped-def]
    built.registry["event_table"].trigger()
    table = built.findChild(QTableView, "event_table")
    assert table is not None
    model, header = built.event_table.model, table.horizontalHeader()

    def click_header(column: int) -> list[str]:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
        return [model.index(r, column).data() for r in range(model.rowCount())]

    documents = click_header(7)
    assert documents == sorted(documents) and documents[0].startswith("d00")
    assert click_header(7) == sorted(documents, reverse=True)  # a second click turns the order round
    types = click_header(0)
    assert types == ["Die"] * 15 + ["Change of control"] * 15  # by type name: Life.Die before X.Conflict.…
