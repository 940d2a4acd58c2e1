"""The Incidents view and the map, driven with keys and the mouse on the seeds' real suggestions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from annotator.gui.main_window import MainWindow


def _open(qtbot, window: MainWindow, which: str) -> None:  # type: ignore[no-untyped-def]
    docks = window.incident_docks
    with qtbot.waitSignal(docks.loaded, timeout=60_000):
        QTest.keyClick(window, Qt.Key.Key_M if which == "map" else Qt.Key.Key_I,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip


def _click_row(qtbot, table, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    rect = table.visualRect(table.model().index(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_confirm_with_enter_and_undo_with_ctrl_z(qtbot, window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, window, "incidents")
    panel = window.incident_docks.panel
    qtmodeltester.check(panel.model)
    suggested = next(n for n, i in enumerate(panel.model.rows) if i.status == "suggested")
    first = panel.model.rows[suggested]
    _click_row(qtbot, panel.table, suggested)
    assert panel.current() == first and panel.members.rowCount() == len(first.members)
    qtbot.waitUntil(lambda: all(m.sentence for m in panel.members.rows))  # the detail has the sentences
    qtmodeltester.check(panel.members)
    with qtbot.waitSignal(window.incident_docks.loaded, timeout=30_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Return)
    confirmed = next(i for i in panel.all if i.id == first.id)
    assert confirmed.status == "accepted" and confirmed.layer == "alice"
    assert [m.trigger for m in confirmed.members] == [m.trigger for m in first.members]
    assert panel.current() is not None and panel.current().id == first.id  # the selection stays on it
    with qtbot.waitSignal(window.incident_docks.loaded, timeout=30_000):
        QTest.keyClick(panel.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    again = next(i for i in panel.all if i.id == first.id)
    assert again.status == "suggested"


def test_merge_two_incidents_with_the_mouse_and_m(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, window, "incidents")
    panel = window.incident_docks.panel
    panel.filter_box.setCurrentIndex(panel.filter_box.findData("single"))
    a, b = panel.model.rows[0], panel.model.rows[1]
    _click_row(qtbot, panel.table, 0)
    _click_row(qtbot, panel.table, 1, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.selected_incidents()) == 2
    with qtbot.waitSignal(window.incident_docks.loaded, timeout=30_000):
        QTest.keyClick(panel.table, Qt.Key.Key_M)
    spots = {(m.doc_id, m.trigger_start) for m in (*a.members, *b.members)}  # alice's copies of the reports
    merged = [i for i in panel.all if spots <= {(m.doc_id, m.trigger_start) for m in i.members}]
    assert len(merged) == 1 and merged[0].status == "accepted"


def test_map_renders_markers_and_a_click_shows_the_incident(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _open(qtbot, window, "map")
    view = window.incident_docks.map
    qtbot.waitUntil(lambda: bool(view.markers))
    image = view.grab().toImage()
    assert image.width() > 300 and view.outlines.countries  # Natural Earth borders were read for the region
    view.resize(900, 300)  # a wide, low dock: the map's height decides its scale
    west, south, east, north = view.bbox
    assert view.point(west, north).y() >= 24 and view.point(east, south).y() <= view.height() - 22  # text clear
    center, _radius, incident = view.markers[-1]
    QTest.mouseClick(
        view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(center.x()), int(center.y()))
    )
    panel = window.incident_docks.panel
    assert view.selected == incident.id
    assert panel.current() is not None and panel.current().id == incident.id
    pixel = image.pixelColor(int(center.x()), int(center.y()))
    assert pixel.red() != pixel.blue() or pixel.green() != pixel.blue()  # a coloured marker, not the sea
