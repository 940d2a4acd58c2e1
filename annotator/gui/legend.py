"""The legend: every label with its colour and shortcut key, event colours, and how suggestions look."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from annotator.core.schema import Schema
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.markup import html


def _chip(text: str, style: str, tip: str, parent: QWidget) -> QLabel:
    chip = QLabel(text, parent)
    chip.setTextFormat(Qt.TextFormat.RichText)
    chip.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 0px 4px; }}")
    chip.setToolTip(tip)
    return chip


class Legend(QWidget):
    def __init__(self, schema: Schema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setToolTip("Select text and press a label's key (or click it in the palette) to create a span")
        layout = FlowLayout(self)
        layout.setContentsMargins(8, 3, 8, 5)
        for t in schema.entity_types.values():
            edge = QColor(t.color).darker(160).name()
            layout.addWidget(
                _chip(
                    f"<b>{html(t.key)}</b>&nbsp;{html(t.name)}&nbsp;<small>{html(t.label)}</small>",
                    f"background: {t.color}; border: 1px solid {edge};",
                    f"{t.label}: select text and press {t.key}",
                    self,
                )
            )
        for ev in schema.event_types.values():
            style = f"border-bottom: 3px solid {ev.color}; font-weight: 600;"
            layout.addWidget(_chip(ev.label, style, f"event type {ev.name}", self))
        for text, style, tip in (
            ("accepted", "border: 1.5px solid #555;", "a reviewed span"),
            ("suggestion", "border: 1.5px dashed #555;", "a model suggestion: Enter accepts, Backspace rejects"),
            ("<u><b>trigger</b></u>", "", "an event trigger: bold, underlined in the event's colour"),
            ("<i>boilerplate</i>", "color: #9e9e9e;", "page boilerplate: kept, greyed, never pre-annotated"),
        ):
            layout.addWidget(_chip(text, style, tip, self))
