"""Item-model roles and column constants shared by the views."""

from __future__ import annotations

from PySide6.QtCore import Qt

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 2
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 3
