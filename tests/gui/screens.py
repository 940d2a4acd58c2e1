"""Screens for the offscreen platform: the window tested as it opens on a laptop or a small projector."""

from __future__ import annotations

import json
from pathlib import Path

LAPTOP = (1366, 768)
SMALL = (1024, 700)


def offscreen_platform(tmp_path: Path, size: tuple[int, int]) -> str:
    """A QT_QPA_PLATFORM value whose one screen has this size (the offscreen default is 800x800)."""
    config = tmp_path / f"screen-{size[0]}x{size[1]}.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": size[0], "height": size[1], "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [{**screen, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"
