"""A small type-ahead chooser over the text: event types for E, filler labels when a role allows several."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from annotator.gui.markup import plain

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class TypeChooser(QFrame):
    """Typing filters the list (name or label, anywhere in it); Up/Down move, Enter picks, Escape cancels.

    Lives inside the article view's viewport, like the label palette, and gives the focus back to the
    text when it closes.
    """

    def __init__(self, parent: QWidget, focus_back: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("type_chooser")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#type_chooser { background: white; border: 1px solid #607d8b; border-radius: 4px; }")
        self._focus_back = focus_back
        self._on_chosen: Callable[[str], None] | None = None
        self.title = plain(QLabel(self))  # "New event on “<selected article text>”"
        self.title.setStyleSheet("font-weight: 600; color: #37474f;")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("type_chooser_filter")
        self.filter.setPlaceholderText("Type to filter, Enter to choose")
        self.filter.installEventFilter(self)
        self.items = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.items)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)  # the tooltip holds name and label together
        self.list = QListView(self)
        self.list.setObjectName("type_chooser_list")
        self.list.setModel(self.proxy)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the filter line
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.clicked.connect(lambda _index: self._choose())
        self.filter.textChanged.connect(self._filtered)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.hide()

    def open(
        self,
        title: str,
        choices: Sequence[tuple[str, str, str]],
        at: QPoint,
        on_chosen: Callable[[str], None],
        preselect: str | None = None,
    ) -> None:
        """Offer (value, text, colour) choices at a viewport point; `on_chosen` gets the value picked."""
        self.title.setText(title)
        self.items.clear()
        for value, text, color in choices:
            item = QStandardItem(text)
            item.setData(value, VALUE_ROLE)
            item.setData(f"{value} {text}", Qt.ItemDataRole.ToolTipRole)
            item.setData(QColor(color), Qt.ItemDataRole.DecorationRole)
            self.items.appendRow(item)
        self._on_chosen = on_chosen
        self.filter.clear()
        rows = [self.items.item(r).data(VALUE_ROLE) for r in range(self.items.rowCount())]
        self.list.setCurrentIndex(self.proxy.index(rows.index(preselect) if preselect in rows else 0, 0))
        height = min(len(choices), 12) * (self.list.sizeHintForRow(0) + 1) + 4
        self.list.setFixedHeight(max(height, 24))
        self.setFixedWidth(max(260, self.list.sizeHintForColumn(0) + 40))
        self.adjustSize()
        parent = self.parentWidget()
        assert parent is not None
        x = max(0, min(at.x(), parent.width() - self.width() - 4))
        y = at.y() if at.y() + self.height() < parent.height() else max(0, at.y() - self.height() - 28)
        self.move(x, y)
        self.show()
        self.raise_()
        self.filter.setFocus()

    @property
    def current_value(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(VALUE_ROLE) if index.isValid() else None

    def _filtered(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def _move(self, step: int) -> None:
        count = self.proxy.rowCount()
        if count:
            row = (self.list.currentIndex().row() + step) % count
            self.list.setCurrentIndex(self.proxy.index(row, 0))

    def _choose(self) -> None:
        value, callback = self.current_value, self._on_chosen
        self.close_chooser()
        if value is not None and callback is not None:
            callback(value)

    def close_chooser(self) -> None:
        self._on_chosen = None
        self.hide()
        self._focus_back.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_chooser()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move(1 if key == Qt.Key.Key_Down else -1)
                return True
        # Clicking in the text (anywhere but the list) dismisses the chooser, like a popup.
        if (
            watched is self.filter
            and event.type() == QEvent.Type.FocusOut
            and self.isVisible()
            and not self.list.underMouse()
        ):
            self._on_chosen = None
            self.hide()
        return super().eventFilter(watched, event)
