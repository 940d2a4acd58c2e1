"""What a user expects across sessions: their name asked once, geometry and last document, annotator layers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit

from annotator.gui.app import ask_annotator_name, open_initial_document
from annotator.gui.main_window import MainWindow
from annotator.services.project import Project, open_project
from tests.gui.conftest import make_window, modals


def test_first_start_asks_the_annotator_name_once(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    project.settings.set("annotator_confirmed", False)
    offered: list[str] = []

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog), type(dialog)
        offered.append(dialog.textValue())  # the default offered
        field = dialog.findChild(QLineEdit)
        field.selectAll()
        QTest.keyClicks(field, "Dana")  # typed over the default, then Enter, as a person does
        QTest.keyClick(field, Qt.Key.Key_Return)

    with modals(answer) as shown:
        ask_annotator_name(project)
    assert len(shown) == 1 and offered == ["alice"]
    assert project.settings.get("annotator_name") == "Dana" and project.settings.get("annotator_confirmed")

    with modals() as shown:
        ask_annotator_name(project)
    assert shown == [], "the name was asked again"
    assert project.settings.get("annotator_name") == "Dana"


def test_geometry_and_last_document_are_remembered(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    window.resize(700, 520)  # within the offscreen screen, which restoreGeometry clamps to
    third = window.documents.neighbour(None, 1)
    third = window.documents.neighbour(window.documents.neighbour(third, 1), 1)
    window.open_document(third)
    window.close()
    reopened = open_project(project.db.url)
    again = make_window(qtbot, reopened)
    open_initial_document(again)
    assert again.editor.current is not None and again.editor.current.id == third
    assert (again.width(), again.height()) == (700, 520)


def test_annotators_have_their_own_layers_and_see_others_read_only(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None
    start = doc.text.index("Siege Watch")
    window.article.set_selection(start, start + 11)
    window.editor.label("ORG")
    window.switch_annotator("bob")
    assert window.editor.annotator == "bob"
    bob = window.editor.current
    assert bob is not None and bob.annotator == "bob" and bob.status == "new"
    assert all(e.status == "suggested" for e in bob.entities)  # bob's layer starts from the model's suggestions
    window.project.settings.set("show_layers", ["alice"])
    window.editor.reload()
    shown = window.editor.current
    assert shown is not None and any(e.text == "Siege Watch" and e.status == "accepted" for e in shown.others["alice"])
    assert window.annotator_box.findText("alice") >= 0 and window.annotator_box.findText("bob") >= 0


def test_start_up_is_put_out_of_the_garbage_collectors_reach(window: MainWindow) -> None:
    """What the window was built from is never walked again by a full collection (a first open paid for it)."""
    import gc

    from annotator.gui.app import freeze_start_up

    before = gc.get_freeze_count()
    try:
        freeze_start_up()
        assert gc.get_freeze_count() > before
        assert not any(o is window.editor for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()  # the other tests' windows are collected as usual
