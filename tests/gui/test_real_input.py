"""What people reach with the mouse and by typing, driven by real input events: the document list, the File
menu and its dialogs, the annotator box, the event table's headers, and undo across a restart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from annotator.gui.main_window import MainWindow
from annotator.services.project import Project, open_project
from tests.gui.conftest import make_window, modals
from tests.gui.test_editing import layer, press

LEFT = Qt.MouseButton.LeftButton


def click(widget: QWidget, pos: QPoint) -> None:
    QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)


def click_row(table: QTableView, row: int) -> None:
    click(table.viewport(), table.visualRect(table.model().index(row, 0)).center())


def choose_from_menu(window: MainWindow, menu_title: str, item: str) -> None:
    """Click the menu's title in the menu bar, then the item in the menu that opens."""
    bar = window.menuBar()
    title = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    click(bar, bar.actionGeometry(title).center())
    menu = title.menu()
    assert isinstance(menu, QMenu) and menu.isVisible(), f"the {menu_title} menu did not open"
    action = next(a for a in menu.actions() if a.text().replace("&", "").startswith(item))
    click(menu, menu.actionGeometry(action).center())


def choose_path(path: Path):  # type: ignore[no-untyped-def]
    """Answer a file dialog: the path goes into its name field (as pasted: Qt's completion list, which pops up
    while typing, is Qt's to test), then a click on its accept button."""

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog), type(dialog)
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))
        # Never accept anything else: an import of a wrong folder would walk it whole.
        assert dialog.selectedFiles() == [str(path)], dialog.selectedFiles()
        buttons = dialog.findChild(QDialogButtonBox)
        accept = next(b for b in buttons.buttons() if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
        click(accept, accept.rect().center())

    return answer


def test_a_click_or_the_arrow_keys_in_the_list_open_documents(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.documents.table
    model = window.list_model
    click_row(table, 2)
    assert window.editor.current is not None and window.editor.current.id == model.document_id(2)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert window.editor.current.id == model.document_id(1)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.editor.current.id == model.document_id(3)
    QTest.keyClicks(window.documents.search, "Khalidiya")  # typed search, then a click on the one result
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    click_row(table, 0)
    assert window.editor.current.id == model.document_id(0) and "Khalidiya" in window.editor.current.text


def test_file_menu_imports_a_folder_chosen_in_the_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "palmyra.txt").write_text("Airstrikes hit Palmyra on Monday, the coalition said.\n", encoding="utf-8")
    with modals(choose_path(folder)) as shown:
        choose_from_menu(window, "File", "Import folder")
    assert len(shown) == 1
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 5, timeout=60000)
    assert "Imported 1 documents" in window.statusBar().currentMessage()


def test_file_menu_exports_through_the_dialog(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "brat-out"

    def answer(dialog: QDialog) -> None:
        assert dialog.objectName() == "export_dialog"
        fmt = dialog.findChild(QComboBox, "export_format")
        fmt.setFocus()
        while fmt.currentData() != "brat":  # down the list with the keyboard, as far as brat
            QTest.keyClick(fmt, Qt.Key.Key_Down)
        layer_box = dialog.findChild(QComboBox, "export_layer")
        layer_box.setFocus()
        while layer_box.currentText() != "model":
            QTest.keyClick(layer_box, Qt.Key.Key_Down)
        folder = dialog.findChild(QLineEdit, "export_folder")
        click(folder, folder.rect().center())
        QTest.keyClick(folder, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClicks(folder, str(out))
        export = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert export.text() == "Export"
        click(export, export.rect().center())

    with modals(answer) as shown:
        choose_from_menu(window, "File", "Export dataset")
    assert len(shown) == 1
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=60000)
    assert (out / "annotation.conf").exists() and len(list(out.glob("*.ann"))) == 4


def test_the_annotator_box_switches_layers_and_asks_a_new_name(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    box = window.annotator_box

    def pick(text: str) -> None:
        click(box, box.rect().center())  # opens the list
        view = box.view()
        qtbot.waitUntil(view.isVisible)
        spot = view.visualRect(view.model().index(box.findText(text), 0)).center()
        # The list ignores a release that comes sooner than a double click after it opened (the opening click's
        # own release): a person's second click always comes later than that.
        qtbot.wait(QApplication.doubleClickInterval() + 50)
        QTest.mouseMove(view.viewport(), spot)
        click(view.viewport(), spot)

    def name_carol(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        QTest.keyClicks(field, "carol")
        QTest.keyClick(field, Qt.Key.Key_Return)

    with modals(name_carol) as shown:
        pick("New annotator…")
    assert len(shown) == 1
    assert window.editor.annotator == "carol" and box.currentText() == "carol"
    assert window.editor.current is not None and window.editor.current.annotator == "carol"
    with modals() as shown:
        pick("alice")
    assert shown == [] and window.editor.annotator == "alice"
    assert window.project.settings.get("annotator_name") == "alice"


def test_undo_then_a_new_edit_then_a_restart_undoes_the_new_edit(qtbot, window: MainWindow, project: Project) -> None:  # type: ignore[no-untyped-def]
    doc = window.editor.current
    assert doc is not None

    def label(needle: str, key: Qt.Key) -> tuple[int, int]:
        start = doc.text.index(needle)
        window.article.set_selection(start, start + len(needle))
        press(qtbot, window, key)
        return start, start + len(needle)

    undo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    siege = label("Siege Watch", Qt.Key.Key_2)  # ORG
    idlib = label("Idlib", Qt.Key.Key_3)  # GPE
    press(qtbot, window, *undo)  # takes Idlib back: it is on the redo side now
    civil = label("Civil Defense", Qt.Key.Key_2)  # a new edit ends that redo branch
    assert (*idlib, "GPE", "accepted") not in layer(project, doc.id)
    window.close()
    project.db.dispose()

    reopened = open_project(project.db.url)
    again = make_window(qtbot, reopened)
    again.open_document(doc.id)
    assert again.undo_action.isEnabled() and not again.redo_action.isEnabled()
    press(qtbot, again, *undo)  # the rebuilt stack stands on the newest edit
    now = layer(reopened, doc.id)
    assert (*civil, "ORG", "accepted") not in now and (*siege, "ORG", "accepted") in now
    press(qtbot, again, *undo)
    assert (*siege, "ORG", "accepted") not in layer(reopened, doc.id)
    assert not again.undo_action.isEnabled()
    press(qtbot, again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert (*siege, "ORG", "accepted") in layer(reopened, doc.id)
    assert (*idlib, "GPE", "accepted") not in layer(reopened, doc.id)  # the abandoned branch never comes back

    again.close()  # and once more, now with an undone edit on the redo side
    reopened.db.dispose()
    third = open_project(project.db.url)
    last = make_window(qtbot, third)
    last.open_document(doc.id)
    assert last.undo_action.isEnabled() and last.redo_action.isEnabled()
    press(qtbot, last, *undo)
    assert (*siege, "ORG", "accepted") not in layer(third, doc.id)
    redo = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, last, *redo)
    press(qtbot, last, *redo)
    now = layer(third, doc.id)
    assert (*siege, "ORG", "accepted") in now and (*civil, "ORG", "accepted") in now
    third.db.dispose()
