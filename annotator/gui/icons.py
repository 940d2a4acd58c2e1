"""Semantic icon names mapped to qtawesome glyphs, in one place so the look changes in one place."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QIcon

GLYPHS = {
    "import": "fa5s.file-import",
    "export": "fa5s.file-export",
    "previous": "fa5s.chevron-left",
    "next": "fa5s.chevron-right",
    "undo": "fa5s.undo",
    "redo": "fa5s.redo",
    "accept": "fa5s.check",
    "reject": "fa5s.times",
    "accept_all": "fa5s.check-double",
    "done": "fa5s.flag-checkered",
    "delete": "fa5s.trash-alt",
    "annotator": "fa5s.user-edit",
    "search": "fa5s.search",
    "saved": "fa5s.check-circle",
    "event": "fa5s.bolt",
    "learn": "fa5s.graduation-cap",
    "snap": "fa5s.magnet",
    "layers": "fa5s.layer-group",
    "propagate": "fa5s.share-square",
    "quit": "fa5s.sign-out-alt",
    "incidents": "fa5s.project-diagram",
    "map": "fa5s.map-marked-alt",
    "date": "fa5s.calendar-alt",
    "agreement": "fa5s.chart-bar",
    "adjudicate": "fa5s.gavel",
    "team": "fa5s.users-cog",
    "status_new": "fa5s.circle",
    "status_in_progress": "fa5s.adjust",
    "status_done": "fa5s.check-circle",
    "status_adjudicated": "fa5s.balance-scale",
}
STATUS_COLORS = {"new": "#9e9e9e", "in_progress": "#e6a100", "done": "#2e7d32", "adjudicated": "#1565c0"}


@cache
def icon(name: str, color: str = "#37474f") -> QIcon:
    return qta.icon(GLYPHS[name], color=color)


def status_icon(status: str) -> QIcon:
    return icon(f"status_{status}", STATUS_COLORS.get(status, "#9e9e9e"))
