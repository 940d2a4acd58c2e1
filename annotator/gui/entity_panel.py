"""The entity panel: the layer's spans grouped by label, and the non-modal propagation offer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import Entity, Status
from annotator.core.schema import Schema
from annotator.gui.icons import icon
from annotator.gui.markup import html, rich
from annotator.gui.roles import ENTITY_ID_ROLE
from annotator.gui.row_diff import update_rows
from annotator.services.annotate import PropagationPreview

Index = QModelIndex | QPersistentModelIndex
EXPAND_LIMIT = 400
STATUS_MARK = {Status.ACCEPTED: "✓", Status.SUGGESTED: "?", Status.REJECTED: "✗"}


class EntityTreeModel(QAbstractItemModel):
    """Two levels: a label (with its count), then its spans in text order. A span's internal id names its label
    by a number that stays the label's while the model lives (0 is a label row), so indexes held by the view
    stay right when groups come and go."""

    COLUMNS = ("Span", "Status", "Offset")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._schema: Schema | None = None
        self._labels: list[str] = []
        self._groups: dict[str, list[Entity]] = {}
        self._entity_pos: dict[int, tuple[int, int]] = {}
        self._label_ids: dict[str, int] = {}  # label -> internal id of its spans (from 1)
        self._id_labels: dict[int, str] = {}

    def set_entities(self, schema: Schema, entities: Sequence[Entity], *, same_document: bool = False) -> list[str]:
        """The layer's spans; for the same document only the rows that changed are told. Returns the labels
        whose group was added (the panel expands them)."""
        groups: dict[str, list[Entity]] = {}
        for entity in sorted(entities, key=lambda e: (e.start, e.end, e.id)):
            groups.setdefault(entity.label, []).append(entity)
        order = list(schema.entity_types)
        labels = sorted(groups, key=lambda lab: (order.index(lab) if lab in order else len(order), lab))
        for label in labels:
            if label not in self._label_ids:
                self._label_ids[label] = len(self._label_ids) + 1
                self._id_labels[self._label_ids[label]] = label
        if not same_document or schema is not self._schema:
            self.beginResetModel()
            self._schema, self._groups, self._labels = schema, groups, labels
            self._index_entities()
            self.endResetModel()
            return labels
        shown = {label: len(self._groups[label]) for label in self._labels}  # the counts the label rows show
        for row, label in enumerate(self._labels):  # the spans of groups that stay, under their current rows
            if label in groups:
                update_rows(self, self._groups[label], groups[label], key=lambda e: e.id, parent=self.index(row, 0))
        added = [label for label in labels if label not in self._groups]
        for label in added:
            self._groups[label] = groups[label]  # read while its row is inserted
        counts = {label: len(groups[label]) for label in labels}
        # A label row shows its count: it changes when the group's size does.
        update_rows(self, self._labels, labels, key=lambda lab: lab, changed=lambda old, _: shown[old] != counts[old])
        self._groups = {label: self._groups[label] for label in labels}
        self._index_entities()
        return added

    def labels(self) -> list[str]:
        return list(self._labels)

    def _index_entities(self) -> None:
        self._entity_pos = {e.id: (g, r) for g, lab in enumerate(self._labels) for r, e in enumerate(self._groups[lab])}

    def index_of(self, entity_id: int) -> QModelIndex:
        pos = self._entity_pos.get(entity_id)
        return self.index(pos[1], 0, self.index(pos[0], 0)) if pos else QModelIndex()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, self._label_ids[self._labels[parent.row()]])

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        label = self._id_labels.get(child.internalId())
        if label is None or label not in self._groups:
            return QModelIndex()
        return self.createIndex(self._labels.index(label), 0, 0)

    def _group_of(self, index: Index) -> list[Entity]:
        return self._groups[self._id_labels[index.internalId()]]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._labels)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[self._labels[parent.row()]])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            label = self._labels[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{label}  ({len(self._groups[label])})"
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and self._schema:
                return QColor(self._schema.color(label))
            return None
        entity = self._group_of(index)[index.row()]
        if role == ENTITY_ID_ROLE:
            return entity.id
        if role == Qt.ItemDataRole.DisplayRole:
            return (entity.text, f"{STATUS_MARK.get(Status(entity.status), '')} {entity.status}", entity.start)[
                index.column()
            ]
        if role == Qt.ItemDataRole.ForegroundRole and entity.status == Status.REJECTED:
            return QColor("#9e9e9e")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class PropagationOffer(QFrame):
    """“al-Waer” → GPE: n more here, m in k other documents — apply here / everywhere / dismiss."""

    apply_requested = Signal(bool)  # True: whole corpus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propagation_offer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#propagation_offer { background: #fff8e1; border: 1px solid #ffcc80; }")
        self.text = rich(QLabel(self))
        self.text.setWordWrap(True)
        self.here = QPushButton(icon("propagate"), "Apply in document", self)
        self.here.setObjectName("propagate_document")
        self.corpus = QPushButton(icon("propagate"), "Apply in corpus", self)
        self.corpus.setObjectName("propagate_corpus")
        dismiss = QPushButton("Dismiss", self)
        buttons = QHBoxLayout()
        for button in (self.here, self.corpus, dismiss):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.here.clicked.connect(lambda: self.apply_requested.emit(False))
        self.corpus.clicked.connect(lambda: self.apply_requested.emit(True))
        dismiss.clicked.connect(self.hide)
        self.preview: PropagationPreview | None = None
        self.hide()

    def offer(self, preview: PropagationPreview) -> None:
        self.preview = preview
        if preview.in_document == 0 and preview.in_corpus == 0:
            self.hide()
            return
        self.text.setText(
            f"Label the other unreviewed “{html(preview.text)}” as <b>{html(preview.label)}</b>? "
            f"{preview.in_document} more in this document, {preview.in_corpus} in {preview.documents} other "
            "document(s). Reviewed spans are left as they are."
        )
        self.here.setEnabled(preview.in_document > 0)
        self.corpus.setEnabled(preview.in_document + preview.in_corpus > 0)
        self.show()


class EntityPanel(QWidget):
    entity_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entity_panel")
        self.model = EntityTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("entity_tree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, once: ResizeToContents would measure every row after each edit.
        metrics = self.tree.fontMetrics()
        for column, widest in ((1, "✓ suggested"), (2, "0000000")):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.tree.header().resizeSection(column, metrics.horizontalAdvance(widest) + 24)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.offer = PropagationOffer(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.offer)
        layout.addWidget(self.tree)
        self._syncing = False

    def set_entities(
        self, schema: Schema, entities: Sequence[Entity], selected: int = 0, *, same_document: bool = False
    ) -> None:
        self._syncing = True
        added = self.model.set_entities(schema, entities, same_document=same_document)
        if len(entities) <= EXPAND_LIMIT:  # expanding thousands of rows costs more than opening the article
            for label in added:
                self.tree.expand(self.model.index(self.model.labels().index(label), 0))
        self._syncing = False
        self.show_selected(selected)

    def show_selected(self, entity_id: int) -> None:
        """Follow the article view's selection without echoing it back."""
        index = self.model.index_of(entity_id)
        self._syncing = True
        if index.isValid():
            self.tree.expand(index.parent())
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()
        self._syncing = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entity_id = current.data(ENTITY_ID_ROLE)
        if entity_id and not self._syncing:
            self.entity_activated.emit(int(entity_id))
