"""The event card: the selected event's roles (numbered, with allowed types and cardinality), fillers,
validation marks, attributes and normalised values, with accept / reject for the event and each filler."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.dto import Argument, Changes, Entity, Event, Status
from annotator.gui.editor import Editor
from annotator.gui.event_values import EventValues
from annotator.gui.flow_layout import FlowLayout
from annotator.gui.icons import icon
from annotator.gui.markup import html, plain, rich, tip
from annotator.gui.role_filler import RoleFiller
from annotator.gui.wheel_guard import guard_wheel
from annotator.services.validation import Problem, validate_event

CHIP_CHARS = 28  # longer filler texts are cut on the card (whole in the tooltip)
CARDINALITY = {"": "exactly one", "?": "optional, at most one", "*": "any number", "+": "at least one"}
BANNER = (
    "<b>Fill mode</b> — press a role's number, then click a span or Tab / Enter; with text selected the number "
    "labels it and fills the role. Enter accepts, Backspace rejects the event. Esc leaves."
)


def _button(text: str, name: str, tip: str, parent: QWidget, icon_name: str | None = None) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(tip)
    if icon_name:
        button.setIcon(icon(icon_name))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the text
    return button


def _clear(layout: QGridLayout | QFormLayout | FlowLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()  # not at once: the button being clicked may be among them


class EventCard(QFrame):
    def __init__(self, editor: Editor, filler: RoleFiller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("event_card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so its role numbers work when it has the focus
        self.editor, self.filler, self.schema = editor, filler, editor.schema
        self._built_for: str | None = None
        self.title = rich(QLabel(self))
        self.title.setObjectName("event_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        buttons = FlowLayout()  # wraps in a narrow dock instead of widening the card
        buttons.setContentsMargins(0, 0, 0, 0)
        self.accept = _button("Accept", "event_accept", "Accept the event and its suggested fillers", self, "accept")
        self.reject = _button(
            "Reject", "event_reject", "Reject the event (kept as a rejected suggestion)", self, "reject"
        )
        self.retype = _button(
            "Type…", "event_retype", "Change the event type (E on its trigger in fill mode)", self, "event"
        )
        self.delete = _button("Delete", "event_delete", "Delete the event", self, "delete")
        self.fill = _button("Fill roles", "event_fill", "Fill mode: role numbers pick roles", self)
        self.fill.setCheckable(True)
        for button in (self.accept, self.reject, self.retype, self.delete, self.fill):
            buttons.addWidget(button)
        self.banner = QLabel(BANNER, self)
        self.banner.setObjectName("event_fill_mode")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; border: 1px solid #e0b252; border-radius: 3px; padding: 4px;")
        self.roles_box = QGridLayout()
        self.roles_box.setColumnStretch(1, 1)
        self.roles_box.setHorizontalSpacing(6)
        self.roles_box.setVerticalSpacing(2)
        self.stray = QWidget(self)  # fillers of roles the event's type lacks (after a type change)
        self.stray.setObjectName("event_stray_roles")
        self.stray_fillers = FlowLayout(self.stray)
        self.stray_fillers.setContentsMargins(0, 0, 0, 0)
        self.stray_heading = self._heading("Not in this type — remove, or change the type back")
        self.stray_heading.setStyleSheet(self.stray_heading.styleSheet() + " color: #b71c1c;")
        self.problems = plain(QLabel(self))
        self.problems.setObjectName("event_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b71c1c;")
        self.attrs_box = QFormLayout()
        self.other_attrs = plain(QLabel(self))
        self.other_attrs.setObjectName("event_other_attributes")
        self.other_attrs.setWordWrap(True)
        self.other_attrs.setStyleSheet("color: #455a64;")
        self.values = EventValues(self)
        self.placeholder = QLabel(
            "No event selected. Click a bold trigger, or select a word (or put the cursor in it) and press E.", self
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #607d8b;")
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addLayout(buttons)
        body.addWidget(self.banner)
        body.addWidget(self._heading("Roles — press the number to fill"))
        body.addLayout(self.roles_box)
        body.addWidget(self.stray_heading)
        body.addWidget(self.stray)
        body.addWidget(self.problems)
        body.addWidget(self._heading("Attributes"))
        body.addLayout(self.attrs_box)
        body.addWidget(self.other_attrs)
        body.addWidget(self._heading("Normalised values"))
        body.addWidget(self.values)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.role_buttons: dict[str, QToolButton] = {}
        self.role_fillers: dict[str, FlowLayout] = {}
        self.role_marks: dict[str, QLabel] = {}
        self.attr_boxes: dict[str, QComboBox] = {}
        service = editor.service
        self.accept.clicked.connect(lambda: self._edit_whole("Accept event", service.set_event_status, Status.ACCEPTED))
        self.reject.clicked.connect(lambda: self._edit_whole("Reject event", service.set_event_status, Status.REJECTED))
        self.delete.clicked.connect(lambda: self._edit_whole("Delete event", service.delete_event))
        self.retype.clicked.connect(self.choose_type)
        self.fill.clicked.connect(self._toggle_fill)
        self.values.fatalities_edited.connect(lambda f: self._edit("Set fatalities", service.set_fatalities, f))
        self.values.date_edited.connect(lambda d: self._edit("Set event date", service.set_date, d))
        self.filler.changed.connect(self.refresh)
        guard_wheel(self)
        self.refresh()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setStyleSheet("font-weight: 600; color: #37474f; margin-top: 6px;")
        return label

    # -- editing -----------------------------------------------------------------------------------------------

    def _edit(self, description: str, call: Callable[..., Changes], *args: object) -> None:
        """An EventService edit of the card's event: `call(document, annotator, event_id, *args)`."""
        self.editor.event_edit(description, call, self.filler.event_id, *args)

    def _edit_whole(self, description: str, call: Callable[..., Changes], *args: object) -> None:
        """The calls that take a list of events (accept, reject, delete), with the card's event."""
        self.editor.event_edit(description, call, [self.filler.event_id], *args)

    def _toggle_fill(self, checked: bool) -> None:
        if checked:
            self.filler.start(self.filler.event_id)
        else:
            self.filler.stop()
        self.editor.view.setFocus()

    def choose_type(self) -> None:
        event = self.filler.current_event()
        if event is None:
            return
        article = self.editor.view
        cursor = QTextCursor(article.document())
        cursor.setPosition(article.map.to_view(event.trigger_start))
        self.filler.chooser.open(
            f"Change “{event.trigger_text}” to",
            [(t.name, f"{t.label}  ({t.name})", t.color) for t in self.schema.event_types.values()],
            article.cursorRect(cursor).bottomLeft() + QPoint(0, 6),
            lambda name: self._edit(f"Make it {name}", self.editor.service.set_type, name),
            preselect=event.type,
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.filler.action_for(event, from_card=True)
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    # -- display -----------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        event, view = self.filler.current_event(), self.editor.current
        self.placeholder.setVisible(event is None)
        self.body.setVisible(event is not None)
        if event is None or view is None:
            return
        entities = {e.id: e for e in view.entities}
        if self._built_for != event.type:
            self._build(event.type)
        color = self.schema.color(event.type)
        event_type = self.schema.event_types.get(event.type)
        suggested = " · <i>suggested by the model</i>" if event.status == Status.SUGGESTED else ""
        self.title.setText(
            f"<span style='background:{color}; color:white; padding:2px 6px;'>&nbsp;"
            f"{html(event_type.label if event_type else event.type)}&nbsp;</span> "
            f"<b>“{html(event.trigger_text)}”</b> &nbsp;<span style='color:#607d8b'>{html(event.type)} · {event.status}"
            f"{suggested}</span>"
        )
        self._show_accept(event)
        self.reject.setEnabled(event.status != Status.REJECTED)
        self.banner.setVisible(self.filler.active)
        self.fill.setChecked(self.filler.active)
        problems = validate_event(event, entities, self.schema)
        self._show_roles(event, entities, problems)
        for name, box in self.attr_boxes.items():
            box.setCurrentText(str(event.attrs.get(name, "")))
        # Values outside the schema's closed lists (the suggester's attribution) are shown, not edited here.
        others = {k: v for k, v in event.attrs.items() if k not in self.attr_boxes and not k.startswith("_")}
        self.other_attrs.setText("; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in others.items()))
        self.other_attrs.setVisible(bool(others))
        self.values.show_event(event)

    def _show_accept(self, event: Event) -> None:
        """Accept stays available while dashed fillers wait, and says that it accepts them too."""
        waiting = sum(1 for a in event.arguments if a.status == Status.SUGGESTED)
        self.accept.setEnabled(event.status != Status.ACCEPTED or waiting > 0)
        self.accept.setText(f"Accept (+{waiting} filler{'s' if waiting > 1 else ''})" if waiting else "Accept")
        self.accept.setToolTip(
            f"Accept the event and its {waiting} suggested (dashed) filler(s)" if waiting else "Accept the event"
        )

    def _build(self, event_type: str) -> None:
        """Role rows and attribute boxes depend on the type only: built once per type, then filled."""
        for layout in (self.roles_box, self.attrs_box):
            _clear(layout)
        self.role_buttons, self.role_fillers, self.role_marks, self.attr_boxes = {}, {}, {}, {}
        spec = self.schema.event_types.get(event_type)
        for row, role in enumerate(spec.roles if spec else ()):
            button = _button(
                f"{row + 1}  {role.name}{role.cardinality}",
                f"role_{role.name}",
                f"{role.name}: {CARDINALITY[role.cardinality]}; press {row + 1} to fill",
                self,
            )
            button.clicked.connect(partial(self.filler.arm, row))
            types = QLabel(" ".join(role.types), self)
            types.setStyleSheet("color: #607d8b; font-size: 90%;")
            types.setWordWrap(True)
            mark = QLabel(self)
            mark.setObjectName(f"mark_{role.name}")
            # The fillers on a line of their own under the role, as wide as the card: a narrow dock keeps them.
            fillers = QWidget(self)
            self.roles_box.addWidget(button, 2 * row, 0)
            self.roles_box.addWidget(types, 2 * row, 1)
            self.roles_box.addWidget(mark, 2 * row, 2)
            self.roles_box.addWidget(fillers, 2 * row + 1, 0, 1, 3)
            self.role_buttons[role.name], self.role_marks[role.name] = button, mark
            self.role_fillers[role.name] = FlowLayout(fillers)
            self.role_fillers[role.name].setContentsMargins(18, 0, 0, 0)
        for name, values in self.schema.attributes_for(event_type).items():
            box = QComboBox(self)
            box.setObjectName(f"attr_{name}")
            box.addItems(["", *values])
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)  # long values (shelling_artillery_missile) must not widen the card
            box.activated.connect(
                lambda _i, n=name, b=box: self._edit(
                    f"Set {n}", self.editor.service.set_attribute, n, b.currentText() or None
                )
            )
            self.attrs_box.addRow(name.replace("_", " "), box)
            self.attr_boxes[name] = box
        guard_wheel(self)
        self._built_for = event_type

    def _show_roles(self, event: Event, entities: dict[int, Entity], problems: list[Problem]) -> None:
        _clear(self.stray_fillers)
        for role_name, layout in self.role_fillers.items():
            _clear(layout)
            armed = self.filler.armed is not None and self.filler.armed.name == role_name
            self.role_buttons[role_name].setStyleSheet(
                "QToolButton { background: #ffe082; font-weight: 700; border: 1px solid #e0a800; }" if armed else ""
            )
        stray = 0
        for index, argument in enumerate(event.arguments):
            if argument.status == Status.REJECTED:
                continue
            if argument.role in self.role_fillers:
                layout = self.role_fillers[argument.role]
            else:  # a role of the old type: shown with its name, so it can be removed
                layout, stray = self.stray_fillers, stray + 1
            parent = layout.parentWidget()
            assert parent is not None
            layout.addWidget(self._chip(index, argument, entities, parent))
        self.stray_heading.setVisible(bool(stray))
        self.stray.setVisible(bool(stray))
        for role_name, mark in self.role_marks.items():
            mine = [p for p in problems if p.role == role_name]
            mark.setText("⚠" if mine else "✓" if any(a.role == role_name for a in event.arguments) else "")
            mark.setStyleSheet(f"color: {'#c62828' if mine else '#2e7d32'}; font-weight: 700;")
            mark.setToolTip(tip("\n".join(p.message for p in mine)))
        self.problems.setText("\n".join(f"⚠ {p.message}" for p in problems))
        self.problems.setVisible(bool(problems))

    def _chip(self, index: int, argument: Argument, entities: dict[int, Entity], parent: QWidget) -> QFrame:
        """A filler: its text and label, dashed while suggested, with accept and remove buttons."""
        chip = QFrame(parent)
        chip.setObjectName(f"filler_{index}")
        entity = entities.get(argument.entity_id or -1)
        label = entity.label if entity else "event" if argument.event_id else "?"
        suggested = argument.status == Status.SUGGESTED
        border = "dashed" if suggested else "solid"
        chip.setStyleSheet(
            f"#filler_{index} {{ background: {self.schema.color(label)}; border: 1px {border} #546e7a;"
            " border-radius: 3px; }"
        )
        row = QHBoxLayout(chip)
        row.setContentsMargins(4, 0, 0, 0)
        row.setSpacing(1)
        role = "" if argument.role in self.role_fillers else f"<b>{html(argument.role)}</b>: "
        shown = entity.text if entity else "(missing span)"
        if len(shown) > CHIP_CHARS:  # a long span must not widen the card past its dock
            shown = shown[: CHIP_CHARS - 1] + "…"
        text = rich(QLabel(f"{role}{html(shown)} <small>{html(label)}</small>", chip))
        whole = f"{entity.text} — " if entity else ""
        text.setToolTip(tip(f"{argument.role}: {whole}{argument.status}, by {argument.origin}"))
        text.setContentsMargins(0, 0, 3, 0)  # the small label's last letter clear of the buttons
        row.addWidget(text)
        if suggested:
            accept = _button("✓", f"arg_accept_{index}", "Accept this filler", chip)
            accept.clicked.connect(
                lambda: self._edit(
                    "Accept role filler", self.editor.service.set_argument_status, [index], Status.ACCEPTED
                )
            )
            row.addWidget(accept)
        remove = _button("✗", f"arg_reject_{index}", "Reject (a suggestion) or remove this filler", chip)
        remove.clicked.connect(lambda: self._edit("Remove role filler", self.editor.service.remove_argument, index))
        row.addWidget(remove)
        return chip
