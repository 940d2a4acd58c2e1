"""The check `make run` makes before the first window: libraries of Qt's xcb plugin the loader cannot find."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.system_check import install_advice, missing_libraries, xcb_plugin

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="Linux only")


def test_a_library_the_loader_cannot_find_is_named_with_its_package(tmp_path: Path) -> None:
    plugin = xcb_plugin()
    assert plugin is not None
    assert missing_libraries(plugin) == []  # this machine runs the GUI tests: nothing is missing
    # A copy of the real plugin beside the real Qt libraries, whose cursor library is one no system has.
    qt = plugin.parents[2]
    copy = tmp_path / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    copy.parent.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").symlink_to(qt / "lib")
    data = plugin.read_bytes()
    assert data.count(b"libxcb-cursor.so.0\0") == 1
    copy.write_bytes(data.replace(b"libxcb-cursor.so.0\0", b"libxcb-cursor.so.7\0"))
    assert missing_libraries(copy) == ["libxcb-cursor.so.7"]

    advice = install_advice(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.2"])
    assert "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in advice
    assert "libfoo.so.2" in advice


def test_make_run_passes_where_the_libraries_are_installed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "annotator.core.system_check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stderr == ""
