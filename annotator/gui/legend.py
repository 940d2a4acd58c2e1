"""The legend: every label with its colour and shortcut key, event colours, and how suggestions look."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QWidget

from annotator.core.schema import Schema
from annotator.core.settings import Settings
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.markup import html


def _chip(text: str, style: str, tip: str, parent: QWidget) -> QLabel:
    chip = QLabel(text, parent)
    chip.setTextFormat(Qt.TextFormat.RichText)
    chip.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 0px 4px; }}")
    chip.setToolTip(tip)
    return chip


class Legend(QWidget):
    """Collapsed to its first line by default (the entity labels and their keys come first): the article
    keeps the height. The arrow at its start shows everything, and the choice is remembered."""

    def __init__(self, schema: Schema, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.settings = settings
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)  # it wraps: any width will do
        self.setToolTip("Select text and press a label's key (or click it in the palette) to create a span")
        self.flow = FlowLayout(self)
        self.flow.setContentsMargins(8, 3, 8, 5)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("legend_toggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.toggle.setText("Legend")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.toggled.connect(self.expand)
        self.flow.addWidget(self.toggle)
        for t in schema.entity_types.values():
            edge = QColor(t.color).darker(160).name()
            self.flow.addWidget(
                _chip(
                    f"<b>{html(t.key)}</b>&nbsp;{html(t.name)}&nbsp;<small>{html(t.label)}</small>",
                    f"background: {t.color}; border: 1px solid {edge};",
                    f"{t.label}: select text and press {t.key}",
                    self,
                )
            )
        for ev in schema.event_types.values():
            style = f"border-bottom: 3px solid {ev.color}; font-weight: 600;"
            self.flow.addWidget(_chip(ev.label, style, f"event type {ev.name}", self))
        for text, style, tip in (
            ("accepted", "border: 1.5px solid #555;", "a reviewed span"),
            ("suggestion", "border: 1.5px dashed #555;", "a model suggestion: Enter accepts, Backspace rejects"),
            ("<u><b>trigger</b></u>", "", "an event trigger: bold, underlined in the event's colour"),
            ("<i>boilerplate</i>", "color: #9e9e9e;", "page boilerplate: kept, greyed, never pre-annotated"),
            ("other layer", "border-bottom: 4px solid #78909c;", "another annotator's span (Layers); hover for whose"),
        ):
            self.flow.addWidget(_chip(text, style, tip, self))
        expanded = bool(settings.get("legend_expanded"))
        self.toggle.setChecked(expanded)
        self.expand(expanded)

    def expand(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.toggle.setToolTip("Show the first line only" if expanded else "Show every label and event type")
        self.flow.set_max_lines(None if expanded else 1)
        if bool(self.settings.get("legend_expanded")) != expanded:
            self.settings.set("legend_expanded", expanded)
        self.updateGeometry()
