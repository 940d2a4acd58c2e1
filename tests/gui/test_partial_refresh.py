"""An edit updates only the rows it touched: no model reset of the entity tree or the event list, and after every
edit, undo and redo both show exactly what the database holds."""

from __future__ import annotations

import random
from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from annotator.core.dto import Status
from annotator.gui.entity_panel import EntityTreeModel
from annotator.gui.event_list import EventListModel
from annotator.gui.main_window import MainWindow
from annotator.gui.roles import ENTITY_ID_ROLE, EVENT_ID_ROLE
from annotator.services import records
from annotator.services.project import Project
from tests.gui.test_editing import press


def stored_layer(project: Project, doc: int) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
    """The spans' ids by label in text order, and the events' ids and statuses in text order, as stored."""
    with project.db.reader() as session:
        aid = records.annotator_id(session, "alice")
        entities = records.layer_entities(session, doc, aid)
        events = records.layer_events(session, doc, aid)
    by_label: dict[str, list[int]] = {}
    for e in sorted(entities, key=lambda e: (e.start, e.end, e.id)):
        by_label.setdefault(e.label, []).append(e.id)
    ordered = sorted(events, key=lambda ev: (ev.trigger_start, ev.trigger_end, ev.id))
    return by_label, [(ev.id, ev.status) for ev in ordered]


def shown_layer(window: MainWindow) -> tuple[dict[str, list[int]], list[tuple[int, str]]]:
    tree: EntityTreeModel = window.entities.model
    by_label: dict[str, list[int]] = {}
    for row in range(tree.rowCount()):
        group = tree.index(row, 0)
        label, count = str(group.data()).split("  (")
        ids = [tree.index(r, 0, group).data(ENTITY_ID_ROLE) for r in range(tree.rowCount(group))]
        assert count == f"{len(ids)})", f"{label} shows {count} for {len(ids)} spans"
        assert all(tree.parent(tree.index(r, 0, group)) == group for r in range(len(ids)))
        by_label[label] = ids
    events: EventListModel = window.event_panel.model
    rows = [(events.index(r, 0).data(EVENT_ID_ROLE), events.index(r, 4).data()) for r in range(events.rowCount())]
    return by_label, [(event_id, status.split()[-1]) for event_id, status in rows]


def test_edits_undo_and_redo_update_rows_without_a_reset(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None and doc.events
    resets: list[str] = []
    window.entities.model.modelReset.connect(lambda: resets.append("entities"))
    window.event_panel.model.modelReset.connect(lambda: resets.append("events"))
    assert shown_layer(window) == stored_layer(project, doc.id)
    first_group = QPersistentModelIndex(window.entities.model.index(0, 0))
    first_label = first_group.data()

    # A new span by the keyboard, of a label the article may not hold yet (LOC), then a relabel and an undo.
    start = doc.text.index("Washington-based")
    cursor = window.article.textCursor()
    cursor.setPosition(window.article.map.to_view(start))
    window.article.setTextCursor(cursor)
    for _ in range(10):
        press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    tree = window.entities.model
    told: list[str] = []  # labels whose rows were told to repaint: their counts changed

    def label_rows(top: QModelIndex, bottom: QModelIndex) -> None:
        if not top.parent().isValid():  # read when told: rows move as later changes come in
            told.extend(str(tree.index(r, 0).data()).split("  (")[0] for r in range(top.row(), bottom.row() + 1))

    tree.dataChanged.connect(label_rows)

    def counts() -> dict[str, int]:
        return {label: len(ids) for label, ids in stored_layer(project, doc.id)[0].items()}

    before = counts()
    press(qtbot, window, Qt.Key.Key_3)  # GPE
    assert shown_layer(window) == stored_layer(project, doc.id)
    grown = {label for label, n in counts().items() if before.get(label) not in (None, n)}
    assert grown <= set(told)
    before, told[:] = counts(), []
    press(qtbot, window, Qt.Key.Key_4)  # relabel it LOC: it leaves one group for another
    assert shown_layer(window) == stored_layer(project, doc.id)
    moved = {label for label, n in counts().items() if before.get(label) not in (None, n)}
    assert "GPE" in moved and moved <= set(told)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_layer(window) == stored_layer(project, doc.id)

    # Reject the first event from the event list with Backspace, as the README says; then undo and redo.
    window.event_panel.list.setFocus()
    window.event_panel.list.selectRow(0)
    qtbot.keyClick(window.event_panel.list, Qt.Key.Key_Backspace)
    assert shown_layer(window)[1][0][1] == Status.REJECTED
    assert shown_layer(window) == stored_layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown_layer(window) == stored_layer(project, doc.id)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    assert shown_layer(window) == stored_layer(project, doc.id)

    assert resets == []  # every view kept its rows, selection and scroll
    assert first_group.isValid() and first_group.data() == first_label

    window.open_document(window.documents.neighbour(doc.id, 1))  # another document starts afresh
    assert resets == ["entities", "events"]
    current = window.editor.current
    assert current is not None and shown_layer(window) == stored_layer(project, current.id)


def test_random_changes_reach_the_event_list_row_by_row(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    view = window.editor.current
    assert view is not None and len(view.events) >= 4
    model: EventListModel = window.event_panel.model
    qtmodeltester.check(model)
    rng = random.Random(5)
    told: list[int] = []  # events whose rows the views were told to repaint, read when told (rows move)
    model.dataChanged.connect(
        lambda top, bottom: told.extend(
            model.index(r, 0).data(EVENT_ID_ROLE) for r in range(top.row(), bottom.row() + 1)
        )
    )
    events = list(view.events)
    for _ in range(30):
        changed = list(events)
        for _ in range(rng.randint(1, 3)):
            what = rng.choice(("drop", "status", "back"))
            if what == "drop" and len(changed) > 2:
                changed.pop(rng.randrange(len(changed)))
            elif what == "status":
                i = rng.randrange(len(changed))
                flipped = Status.REJECTED if changed[i].status != Status.REJECTED else Status.ACCEPTED
                changed[i] = replace(changed[i], status=flipped)
            else:
                changed.append(rng.choice(view.events))
        changed = list({ev.id: ev for ev in changed}.values())
        kept = next(ev for ev in changed if ev in events)  # an event no change touches keeps its row's identity
        held = QPersistentModelIndex(model.index(model.row_of(kept.id) or 0, 0))
        told.clear()
        model.set_events(changed, {}, same_document=True)
        before = {ev.id: ev for ev in events}
        for row in range(model.rowCount()):
            event_id = model.index(row, 0).data(EVENT_ID_ROLE)
            if event_id in before and before[event_id].status != model._events[row].status:
                assert event_id in told, f"event {event_id} changed status but the view was not told"
        expected = sorted(changed, key=lambda ev: (ev.trigger_start, ev.trigger_end, ev.id))
        assert [model.index(r, 0).data(EVENT_ID_ROLE) for r in range(model.rowCount())] == [e.id for e in expected]
        statuses = [str(model.index(r, 4).data()).split()[-1] for r in range(model.rowCount())]
        assert statuses == [e.status for e in expected]
        assert held.isValid() and held.data(EVENT_ID_ROLE) == kept.id
        events = changed
    assert model.index(0, 0, QModelIndex()).isValid()
