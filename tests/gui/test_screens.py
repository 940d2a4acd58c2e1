"""The real window on a laptop's 1366x768 and a 1024x700 screen: it fits, and the article keeps the room.

Qt takes its screen when the application starts, so each screen is a fresh process on the offscreen
platform, configured with that screen's size.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tests.gui.screens import LAPTOP, SMALL, offscreen_platform

MEASURE = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QRect
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from annotator.gui.app import build_window
    from annotator.services.project import open_project

    app = QApplication([])
    project = open_project(sys.argv[1], home=sys.argv[2])
    project.settings.set("annotator_name", "alice")
    project.settings.set("annotator_confirmed", True)
    window = build_window(project)
    window.show()
    window.open_document(1)
    attack = next(ev for ev in window.editor.current.events if ev.type == "Conflict.Attack")
    window.article.select_event(attack.id)
    QTest.qWait(300)

    def box(widget):
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        return [top_left.x(), top_left.y(), widget.width(), widget.height()]

    card = window.event_panel.card_scroll
    print(json.dumps({
        "screen": list(app.primaryScreen().availableGeometry().getRect()),
        "frame": list(window.frameGeometry().getRect()),
        "window": [window.width(), window.height()],
        "article": [window.article.viewport().width(), window.article.viewport().height()],
        "status_bar": box(window.statusBar()),
        "events": box(window.event_panel),
        "documents": box(window.documents),
        "card_scrolls_sideways": card.horizontalScrollBar().isVisible(),
        "title_column": window.documents.table.horizontalHeader().sectionSize(0),
        "document_list": window.documents.table.viewport().width(),
        "list_scrolls_sideways": window.documents.table.horizontalScrollBar().isVisible(),
    }))
    window.close()
""")


def measure(tmp_path: Path, size: tuple[int, int], db: Path, home: Path) -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_platform(tmp_path, size)}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(db), str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def inside(box: list[int], area: list[int]) -> bool:
    x, y, w, h = box
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def check_fits(shot: dict[str, Any]) -> None:
    screen, (width, height) = shot["screen"], shot["window"]
    assert inside(shot["frame"], screen), shot
    for part in ("status_bar", "events", "documents"):  # what was off screen on a laptop
        assert inside(shot[part], shot["frame"]), (part, shot)
    assert shot["article"][0] >= 0.40 * width and shot["article"][1] >= 0.45 * height, shot
    assert not shot["card_scrolls_sideways"], shot
    assert shot["title_column"] >= 0.45 * shot["document_list"], shot  # titles are readable, not one letter
    assert not shot["list_scrolls_sideways"], shot


def test_the_window_fits_a_laptop_then_a_smaller_screen(tmp_path: Path, seeded_template: Path) -> None:
    db = tmp_path / "project.sqlite3"
    shutil.copyfile(seeded_template, db)
    laptop = measure(tmp_path, LAPTOP, db, tmp_path / "home")
    assert laptop["screen"] == [0, 0, *LAPTOP]
    check_fits(laptop)
    # The geometry and docks saved on the laptop, restored on a smaller screen: clamped, the article kept.
    small = measure(tmp_path, SMALL, db, tmp_path / "home")
    assert small["screen"] == [0, 0, *SMALL]
    check_fits(small)


def test_a_first_window_on_a_small_screen(tmp_path: Path, seeded_template: Path) -> None:
    db = tmp_path / "project.sqlite3"
    shutil.copyfile(seeded_template, db)
    check_fits(measure(tmp_path, SMALL, db, tmp_path / "fresh-home"))
