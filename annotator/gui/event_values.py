"""The event card's normalised values: the death toll (value, low, high, qualifier) and the event date."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from annotator.core.dto import Event, EventDate, Fatalities
from annotator.gui.markup import plain
from annotator.services.events import DATE_PATTERNS, QUALIFIERS

NONE = -1  # a spin box at its minimum shows "–": no number
QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "at_most": "at most ", "about": "about ", "vague": "vaguely "}


def describe_fatalities(f: Fatalities | None) -> str:
    """“at least nine civilians” → at least 9 (ACLED 9): the phrase, the reading, what ACLED would code."""
    if f is None or (f.value is None and f.low is None):
        return "no death toll"
    reading = f"{QUALIFIER_WORDS.get(f.qualifier or 'exact', '')}{f.value if f.value is not None else f.low}"
    if f.low is not None and f.high is not None and f.low != f.high:
        reading += f", between {f.low} and {f.high}"
    acled = f.low if f.low is not None else f.value  # ACLED codes the lowest reported figure
    source = f"“{f.text}” → " if f.text else ""
    return f"{source}{reading} (ACLED {acled})"


def describe_date(d: EventDate | None) -> str:
    if d is None or d.value is None:
        return f"“{d.text}” → not resolved" if d and d.text else "no date"
    source = f"“{d.text}” → " if d.text else ""
    return f"{source}{d.value} ({d.precision or 'precision unknown'})"


class EventValues(QWidget):
    fatalities_edited = Signal(object)  # Fatalities | None
    date_edited = Signal(object)  # EventDate | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fatalities: Fatalities | None = None
        self._date: EventDate | None = None
        self.spins: dict[str, QSpinBox] = {}
        counts = QGridLayout()  # small headings above the fields keep the row narrow enough for the dock
        for column, name in enumerate(("value", "low", "high")):
            spin = QSpinBox(self)
            spin.setObjectName(f"fatalities_{name}")
            spin.setRange(NONE, 10_000_000)
            spin.setSpecialValueText("–")
            spin.setMinimumWidth(56)  # below its size hint (eight digits): the card must not scroll sideways
            spin.setToolTip({"value": "best figure", "low": "lowest reported", "high": "highest reported"}[name])
            spin.editingFinished.connect(self._fatalities_changed)
            counts.addWidget(self._small(name), 0, column)
            counts.addWidget(spin, 1, column)
            self.spins[name] = spin
        self.qualifier = QComboBox(self)
        self.qualifier.setObjectName("fatalities_qualifier")
        self.qualifier.addItems(["", *QUALIFIERS])
        self.qualifier.setToolTip("how the source states the number: exact, at least, at most, about, vague")
        self.qualifier.activated.connect(lambda _i: self._fatalities_changed())
        counts.addWidget(self._small("qualifier"), 0, 3)
        counts.addWidget(self.qualifier, 1, 3)
        self.fatalities_note = plain(QLabel(self))
        self.fatalities_note.setObjectName("fatalities_normalised")
        self.fatalities_note.setWordWrap(True)
        self.date_value = QLineEdit(self)
        self.date_value.setObjectName("date_value")
        self.date_value.setPlaceholderText("YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY")
        self.date_value.editingFinished.connect(lambda: self._date_changed(precision_chosen=False))
        self.precision = QComboBox(self)
        self.precision.setObjectName("date_precision")
        self.precision.addItems(["", *DATE_PATTERNS])
        self.precision.activated.connect(lambda _i: self._date_changed(precision_chosen=True))
        dates = QHBoxLayout()
        dates.addWidget(self.date_value, 1)
        dates.addWidget(self.precision)
        self.date_note = plain(QLabel(self))
        self.date_note.setObjectName("date_normalised")
        self.date_note.setWordWrap(True)
        for note in (self.fatalities_note, self.date_note):
            note.setStyleSheet("color: #455a64;")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # the fields need the card's full width
        form.addRow("Fatalities", counts)
        form.addRow(self.fatalities_note)
        form.addRow("Date", dates)
        form.addRow(self.date_note)

    def _small(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setStyleSheet("color: #607d8b; font-size: 85%;")
        return label

    def show_event(self, event: Event) -> None:
        """Show the stored values; nothing is emitted while the fields follow the database."""
        self._fatalities, self._date = event.fatalities, event.date
        f = event.fatalities or Fatalities()
        for name, spin in self.spins.items():
            spin.blockSignals(True)
            number = getattr(f, name)
            spin.setValue(NONE if number is None else number)
            spin.blockSignals(False)
        self.qualifier.setCurrentText(f.qualifier or "")
        self.fatalities_note.setText(describe_fatalities(event.fatalities))
        if not self.date_value.hasFocus():
            self.date_value.setText(event.date.value or "" if event.date else "")
        self.precision.setCurrentText(event.date.precision or "" if event.date else "")
        self.date_note.setText(describe_date(event.date))

    def _fatalities_changed(self) -> None:
        numbers = {name: (None if spin.value() == NONE else spin.value()) for name, spin in self.spins.items()}
        text = self._fatalities.text if self._fatalities else None
        edited: Fatalities | None = Fatalities(**numbers, qualifier=self.qualifier.currentText() or None, text=text)
        if edited == Fatalities():
            edited = None
        if edited != self._fatalities:
            self.fatalities_edited.emit(edited)

    def _date_changed(self, *, precision_chosen: bool) -> None:
        """A typed value brings its own precision (2017-02 is a month); a chosen precision is checked against it."""
        text = self._date.text if self._date else None
        value = self.date_value.text().strip() or None
        if not precision_chosen and value == (self._date.value if self._date else None):
            return  # focus left the field without a change
        precision = (self.precision.currentText() or None) if precision_chosen else None
        edited = EventDate(value, precision, text) if value or text else None
        if edited != self._date:
            self.date_edited.emit(edited)
