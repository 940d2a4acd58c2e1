"""Renders the README's screenshots from the real seeds and pipeline: `make screenshots`."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.core.paths import seeds_dir
from annotator.gui.app import build_window
from annotator.services.importer import import_paths
from annotator.services.project import open_project

DOCS = Path(__file__).resolve().parent

SCREEN = (1366, 768)  # a laptop's screen: what most readers of the README will open the window on


def _laptop_screen() -> str:
    """The offscreen platform with one screen of SCREEN's size (its default is 800x800)."""
    config = Path(tempfile.mkdtemp(prefix="annotator-screen-")) / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1], "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [{**screen, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def main() -> int:
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # the platform is read by QApplication
        os.environ["QT_QPA_PLATFORM"] = _laptop_screen()
    app = QApplication(sys.argv[:1])
    project = open_project(home=tempfile.mkdtemp(prefix="annotator-shots-"))
    project.settings.set("annotator_name", "alice")
    project.settings.set("annotator_confirmed", True)
    import_paths(
        project.db, [seeds_dir()], annotator="alice", preannotator=project.preannotator(), schema=project.schema
    )
    window = build_window(project)  # the first window on a laptop: it takes the screen's available area
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
    window.table_dock.resize(SCREEN[0] - 40, 560)
    QTest.qWait(300)
    window.event_table.grab().save(str(DOCS / "event_table.png"))
    window.table_dock.setFloating(False)
    shoot_incidents(window)
    window.close()
    review_shots()
    app.quit()
    return 0


def shoot_incidents(window) -> None:  # type: ignore[no-untyped-def]
    """The map of the seeds' incidents, and the Incidents view with the al-Waer strikes selected."""
    docks = window.incident_docks
    docks.show_view("map")
    for _ in range(600):  # reading the incidents links the seeds' reports first: a few seconds
        if docks.incidents:
            break
        QTest.qWait(100)
    docks.map_dock.setFloating(True)
    docks.map_dock.resize(1000, 640)
    QTest.qWait(300)
    docks.map.grab().save(str(DOCS / "map.png"))
    docks.map_dock.setFloating(False)
    docks.show_view("incidents")
    docks.dock.setFloating(True)
    docks.dock.resize(1400, 560)
    waer = next(i for i in docks.incidents if "Al Waer" in i.location.value and len(i.members) > 1)
    docks.panel.select(waer.id)
    QTest.qWait(500)
    docks.panel.grab().save(str(DOCS / "incidents.png"))


def review_shots() -> None:
    """The Agreement and adjudication windows on the seeds, annotated twice through the editing services.

    Alice accepts every suggestion; Bob accepts them too, then rejects some spans, relabels some places
    and drops some role fillers, as a second annotator with other habits would. Both mark every document done.
    """
    from annotator.core.dto import DocStatus, Status
    from annotator.services.events import EventService

    project = open_project(home=tempfile.mkdtemp(prefix="annotator-shots-"))
    project.settings.set("annotator_name", "carol")
    project.settings.set("annotator_confirmed", True)
    import_paths(project.db, [seeds_dir()], annotator="alice", preannotator=project.preannotator())
    service = EventService(project.db, project.schema)
    for doc in range(1, 5):
        for name in ("alice", "bob"):
            service.open_document(doc, name)
            service.accept_all(doc, name)
        view = service.open_document(doc, "bob")
        for k, entity in enumerate(view.entities):
            if k % 5 == 2:
                service.set_status(doc, "bob", [entity.id], Status.REJECTED)
            elif k % 6 == 1 and entity.label == "GPE":
                service.relabel(doc, "bob", [entity.id], "LOC")
        for event in service.open_document(doc, "bob").events[1::3]:
            if event.arguments:
                service.remove_argument(doc, "bob", event.id, 0)
        for name in ("alice", "bob"):
            service.set_document_status(doc, name, DocStatus.DONE)
    window = build_window(project)
    window.resize(1366, 768)
    window.show()
    window.open_document(1)
    review = window.review
    review.show_agreement()
    window.tasks.wait()
    QTest.qWait(300)
    agreement = review.agreement
    agreement.resize(1280, 560)
    agreement.tabs.setCurrentIndex(1)
    QTest.qWait(200)
    agreement.grab().save(str(DOCS / "agreement.png"))
    agreement.tabs.setCurrentIndex(3)
    agreement.resize(1280, 780)  # the whole matrix, the "no span" row included
    QTest.qWait(200)
    agreement.grab().save(str(DOCS / "agreement_confusion.png"))
    review.adjudicate(1)
    adjudication = review.adjudication
    adjudication.resize(1280, 700)
    QTest.qWait(300)
    adjudication.grab().save(str(DOCS / "adjudication.png"))
    review.close()
    window.close()


if __name__ == "__main__":
    raise SystemExit(main())
