"""Shared set-up of the corpus-scale tables: plain rows of fixed height, column widths kept across resets."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QTableView


def plain_rows(table: QTableView) -> None:
    """One selectable row per item, no grid, no wrapping, and fixed row heights: Qt never measures 100,000
    rows, so a large corpus opens at once."""
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


class ColumnWidths(QObject):
    """Column widths that survive model resets: Qt's header forgets them on every reset (every new search)."""

    """Applies starting widths, remembers the user's changes before a reset and puts them back after it.

    Widths are fixed numbers on purpose: measuring contents would read every row of a large corpus.
    """

    def __init__(self, table: QTableView, widths: dict[int, int], stretch: int | None = None) -> None:
        super().__init__(table)
        self.table = table
        self.widths = dict(widths)
        self.stretch = stretch
        model = table.model()
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self.apply)
        self.apply()

    def _remember(self) -> None:
        header = self.table.horizontalHeader()
        if header.count() == self.table.model().columnCount():
            # A hidden column (a narrow pane) keeps the width it had when shown.
            self.widths = {c: w if header.isSectionHidden(c) else header.sectionSize(c) for c, w in self.widths.items()}

    def apply(self) -> None:
        header = self.table.horizontalHeader()
        for column, width in self.widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        if self.stretch is not None:
            header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
