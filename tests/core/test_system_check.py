"""The check `make run` makes before the first window: libraries of Qt's xcb plugin the loader cannot find."""

from __future__ import annotations

import os
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
    already = set(missing_libraries(plugin))  # a machine without an X server may lack some; they stay missing
    # A copy of the real plugin beside the real Qt libraries, whose cursor library is one no system has.
    qt = plugin.parents[2]
    copy = tmp_path / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    copy.parent.mkdir(parents=True)
    (tmp_path / "Qt" / "lib").symlink_to(qt / "lib")
    data = plugin.read_bytes()
    assert data.count(b"libxcb-cursor.so.0\0") == 1
    copy.write_bytes(data.replace(b"libxcb-cursor.so.0\0", b"libxcb-cursor.so.7\0"))
    assert set(missing_libraries(copy)) == (already - {"libxcb-cursor.so.0"}) | {"libxcb-cursor.so.7"}

    advice = install_advice(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libfoo.so.2"])
    assert "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in advice
    assert "libfoo.so.2" in advice


def test_make_run_passes_where_the_libraries_are_installed_and_names_the_command_where_not() -> None:
    plugin = xcb_plugin()
    assert plugin is not None
    missing = missing_libraries(plugin)
    done = subprocess.run(
        [sys.executable, "-m", "annotator.core.system_check"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "xcb"},  # the window `make run` opens
    )
    if not missing:
        assert done.returncode == 0 and done.stderr == ""
    else:  # a fresh machine (CI's, say): the check fails and prints the command that installs what is missing
        assert done.returncode != 0
        assert install_advice(missing).strip() in done.stderr
