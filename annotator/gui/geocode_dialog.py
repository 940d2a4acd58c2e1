"""A small form to geocode a place by hand: ACLED location name, coordinates, country and admin levels."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLineEdit, QWidget

from annotator.gui.wheel_guard import guard_wheel

PLACE_TYPES = ("town", "city", "district", "site", "region", "governorate")


class GeocodeDialog(QDialog):
    def __init__(self, text: str, value: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("geocode_dialog")
        self.setWindowTitle(f"Geocode “{text}”")
        form = QFormLayout(self)
        self.name = QLineEdit(str(value.get("acled_location") or value.get("name") or text), self)
        self.name.setObjectName("geocode_name")
        self.name.setPlaceholderText("ACLED location, e.g. Homs - Al Waer")
        self.lat, self.lon = QDoubleSpinBox(self), QDoubleSpinBox(self)
        for box, limit, key in ((self.lat, 90.0, "lat"), (self.lon, 180.0, "lon")):
            box.setObjectName(f"geocode_{key}")
            box.setRange(-limit, limit)
            box.setDecimals(5)
            box.setValue(float(value.get(key) or 0.0))
        self.country = QLineEdit(str(value.get("country_code") or ""), self)
        self.country.setObjectName("geocode_country")
        self.country.setPlaceholderText("ISO code, e.g. SY")
        self.country.setMaxLength(2)
        self.admin1 = QLineEdit(str(value.get("admin1") or ""), self)
        self.admin2 = QLineEdit(str(value.get("admin2") or ""), self)
        self.kind = QComboBox(self)
        self.kind.addItems(PLACE_TYPES)
        self.kind.setCurrentText(str(value.get("place_type") or "town"))
        form.addRow("Location", self.name)
        form.addRow("Latitude", self.lat)
        form.addRow("Longitude", self.lon)
        form.addRow("Country", self.country)
        form.addRow("Admin 1", self.admin1)
        form.addRow("Admin 2", self.admin2)
        form.addRow("Kind", self.kind)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        guard_wheel(self)

    def value(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "lat": self.lat.value(),
            "lon": self.lon.value(),
            "country_code": self.country.text().strip().upper(),
            "admin1": self.admin1.text().strip(),
            "admin2": self.admin2.text().strip(),
            "place_type": self.kind.currentText(),
        }
