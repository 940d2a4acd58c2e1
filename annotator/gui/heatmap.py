"""A confusion heat map: one annotator's labels down, the other's across, each cell shaded by its share of the row."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from annotator.gui.markup import tip

CELL = 46
MARGIN = 96  # room for the row labels and the column labels above


class HeatMap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusion_heatmap")
        self.labels: list[str] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.first = self.second = ""
        self.setMouseTracking(True)

    def set_matrix(self, first: str, second: str, counts: dict[tuple[str, str], int]) -> None:
        self.first, self.second, self.counts = first, second, dict(counts)
        self.labels = sorted({a for a, _ in counts} | {b for _, b in counts}, key=lambda x: (x == "∅", x))
        self.resize(self.sizeHint())  # it sits in a scroll area that does not resize it
        self.update()

    def sizeHint(self) -> QSize:
        side = MARGIN + CELL * max(len(self.labels), 1) + 16
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell(self, row: int, column: int) -> QRect:
        return QRect(MARGIN + column * CELL, MARGIN + row * CELL, CELL, CELL)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.labels:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No spans to compare")
            return
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRect(MARGIN, 4, CELL * len(self.labels), 20), Qt.AlignmentFlag.AlignCenter, self.second)
        painter.save()
        painter.translate(12, MARGIN + CELL * len(self.labels))
        painter.rotate(-90)
        painter.drawText(QRect(0, 0, CELL * len(self.labels), 20), Qt.AlignmentFlag.AlignCenter, self.first)
        painter.restore()
        painter.setFont(self.font())
        for k, label in enumerate(self.labels):
            painter.drawText(QRect(MARGIN + k * CELL, 28, CELL, MARGIN - 32), Qt.AlignmentFlag.AlignCenter, label)
            painter.drawText(
                QRect(30, MARGIN + k * CELL, MARGIN - 36, CELL),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        for r, a in enumerate(self.labels):
            total = sum(n for (x, _), n in self.counts.items() if x == a) or 1
            for c, b in enumerate(self.labels):
                n = self.counts.get((a, b), 0)
                share = n / total
                # agreement in green, confusion in red; the deeper the colour, the larger the share of the row
                base = (46, 125, 50) if a == b else (198, 40, 40)
                color = QColor(*(round(255 - (255 - v) * share) for v in base))
                rect = self.cell(r, c)
                painter.fillRect(rect, color if n else QColor("#fafafa"))
                painter.setPen(QColor("#e0e0e0"))
                painter.drawRect(rect)
                if n:
                    painter.setPen(QColor("white") if share > 0.55 else QColor("#212121"))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(n))
        painter.end()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            found = self._at(event.pos())
            if found is not None:
                a, b = found
                QToolTip.showText(
                    event.globalPos(),
                    tip(f"{self.first}: {a}, {self.second}: {b} — {self.counts.get((a, b), 0)} span(s)"),
                    self,
                )
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    def _at(self, pos: QPoint) -> tuple[str, str] | None:
        column, row = (pos.x() - MARGIN) // CELL, (pos.y() - MARGIN) // CELL
        if pos.x() < MARGIN or pos.y() < MARGIN or not (0 <= row < len(self.labels) and 0 <= column < len(self.labels)):
            return None
        return self.labels[row], self.labels[column]
