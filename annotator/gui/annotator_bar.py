"""The toolbar's annotator switcher and Layers menu: whose layer is edited, whose are shown read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMenu, QMessageBox, QToolBar, QToolButton

from annotator.core.dto import MODEL
from annotator.gui.icons import icon
from annotator.gui.markup import message_box

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class AnnotatorBar(QObject):
    def __init__(self, window: MainWindow, bar: QToolBar) -> None:
        super().__init__(window)
        self.window = window
        bar.addWidget(QLabel(" Annotator ", window))
        self.box = QComboBox(window)
        self.box.setObjectName("annotator_switcher")
        self.box.setMinimumContentsLength(10)
        bar.addWidget(self.box)
        self.layers_button = QToolButton(window)
        self.layers_button.setObjectName("layers_button")
        self.layers_button.setIcon(icon("layers"))
        self.layers_button.setText("Layers")
        self.layers_button.setToolTip("Show other annotators' layers read-only")
        self.layers_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.layers_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.layers_menu = QMenu(window)
        self.layers_menu.aboutToShow.connect(self._fill_layers_menu)
        self.layers_button.setMenu(self.layers_menu)
        bar.addWidget(self.layers_button)
        self.box.activated.connect(self._chosen)
        self.refresh()

    def refresh(self) -> None:
        window = self.window
        names = sorted({*window.queries.annotators(), window.editor.annotator} - {MODEL})
        self.box.clear()
        self.box.addItems(names)
        self.box.addItem("New annotator…")
        self.box.setCurrentText(window.editor.annotator)

    def _chosen(self, index: int) -> None:
        name = self.box.itemText(index)
        if index == self.box.count() - 1:
            name, ok = QInputDialog.getText(self.window, "New annotator", "Name of the annotator:")
            if not ok or not name.strip():
                self.box.setCurrentText(self.window.editor.annotator)
                return
        name = name.strip()
        if name == self.window.editor.annotator:
            return
        pending = self.window.event_panel.pending_work()
        if not pending:
            self.switch(name)
            return
        box = message_box(
            QMessageBox.Icon.Question,
            "Switch annotator?",
            f"{pending}\n\nSwitch to {name} anyway? What is filled so far is saved; the rest is dropped.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setObjectName("switch_annotator_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: (
                self.switch(name)
                if result == QMessageBox.StandardButton.Yes
                else self.box.setCurrentText(self.window.editor.annotator)
            )
        )
        box.open()

    def switch(self, name: str) -> None:
        window = self.window
        window.event_panel.filler.stop()
        window.project.settings.set("annotator_name", name)
        self.refresh()
        window.list_model.reload(annotator=name)
        window.event_table.set_annotator(name)
        window.open_document(window.editor.current.id if window.editor.current else None)

    def _fill_layers_menu(self) -> None:
        window = self.window
        self.layers_menu.clear()
        shown = set(window.project.settings.get("show_layers"))
        for name in sorted(set(window.queries.annotators()) - {window.editor.annotator}):
            action = self.layers_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in shown)
            action.toggled.connect(lambda checked, n=name: self._toggle_layer(n, checked))

    def _toggle_layer(self, name: str, checked: bool) -> None:
        window = self.window
        settings = window.project.settings
        settings.set("show_layers", [n for n in settings.get("show_layers") if n != name] + ([name] if checked else []))
        if window.editor.current is not None:
            window.editor.reload()
            window.article.set_document(window.editor.current, window.project.schema)
