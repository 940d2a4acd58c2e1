"""Renders the README's screenshots from the real seeds and pipeline: `make screenshots`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.core.paths import seeds_dir
from annotator.gui.app import build_window
from annotator.services.importer import import_paths
from annotator.services.project import open_project

DOCS = Path(__file__).resolve().parent


def main() -> int:
    app = QApplication(sys.argv[:1])
    project = open_project(home=tempfile.mkdtemp(prefix="annotator-shots-"))
    project.settings.set("annotator_name", "alice")
    project.settings.set("annotator_confirmed", True)
    import_paths(
        project.db, [seeds_dir()], annotator="alice", preannotator=project.preannotator(), schema=project.schema
    )
    window = build_window(project)
    window.resize(1560, 940)
    window.show()
    window.open_document(window.documents.neighbour(None, 1))
    view = window.editor.current
    assert view is not None
    attack = next(ev for ev in view.events if ev.trigger_text.lower().startswith("airstrike"))
    window.article.select_event(attack.id)
    window.event_panel.show_event(attack.id)
    QTest.qWait(300)
    window.grab().save(str(DOCS / "screenshot.png"))
    window.event_panel.card.grab().save(str(DOCS / "event_card.png"))
    window.registry["event_table"].trigger()
    window.table_dock.setFloating(True)
    window.table_dock.resize(1500, 560)
    QTest.qWait(300)
    window.event_table.grab().save(str(DOCS / "event_table.png"))
    window.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
