"""The check `make run` makes before the first window: libraries of Qt's xcb plugin the loader cannot find."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import system_check
from annotator.core.system_check import install_advice, missing_libraries, xcb_plugin

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("ldd"), reason="Linux only")


def _plugin_missing_a_library(folder: Path) -> Path:
    """A copy of the real plugin beside the real Qt libraries, whose cursor library is one no system has."""
    plugin = xcb_plugin()
    assert plugin is not None
    copy = folder / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    copy.parent.mkdir(parents=True)
    (folder / "Qt" / "lib").symlink_to(plugin.parents[2] / "lib")
    data = plugin.read_bytes()
    assert data.count(b"libxcb-cursor.so.0\0") == 1
    copy.write_bytes(data.replace(b"libxcb-cursor.so.0\0", b"libxcb-cursor.so.7\0"))
    return copy


def test_a_library_the_loader_cannot_find_is_named_with_its_package(tmp_path: Path) -> None:
    plugin = xcb_plugin()
    assert plugin is not None
    already = set(missing_libraries(plugin))  # a machine without an X server may lack some; they stay missing
    copy = _plugin_missing_a_library(tmp_path)
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


@pytest.mark.parametrize(
    ("platform", "wayland", "code"),
    [("xcb", "", 1), ("xcb:nograb", "wayland-0", 1), ("", "", 1), ("", "wayland-0", 0), ("offscreen", "", 0)],
)
def test_the_check_fails_only_where_the_window_would_open_on_x11(
    platform: str,
    wayland: str,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = _plugin_missing_a_library(tmp_path)
    monkeypatch.setattr(system_check, "xcb_plugin", lambda: copy)
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    monkeypatch.setenv("WAYLAND_DISPLAY", wayland)
    assert system_check.main() == code
    advice = capsys.readouterr().err
    assert "libxcb-cursor.so.7" in advice and advice.startswith(
        "annotator: Qt cannot open a window on X11"
    )  # told always


def test_nothing_is_checked_without_the_plugin_or_off_linux(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _plugin_missing_a_library(tmp_path)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(system_check, "xcb_plugin", lambda: None)
    assert system_check.main() == 0
    monkeypatch.setattr(system_check, "xcb_plugin", lambda: copy)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert system_check.main() == 0
    assert capsys.readouterr().err == ""


def test_the_advice_gives_the_apt_command_or_else_the_debian_package_names(monkeypatch: pytest.MonkeyPatch) -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-shm.so.0"]
    monkeypatch.setattr(system_check.shutil, "which", lambda name: "/usr/bin/apt-get" if name == "apt-get" else None)
    assert install_advice(missing).splitlines()[-2:] == [
        "Install them with:",
        "  sudo apt-get install -y libxcb-cursor0 libxcb-shm0",
    ]
    monkeypatch.setattr(system_check.shutil, "which", lambda name: None)
    assert install_advice(missing).splitlines()[-1] == (
        "On Debian or Ubuntu these are the packages libxcb-cursor0 libxcb-shm0; install your system's equivalents."
    )
