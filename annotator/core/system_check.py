"""Before the first window on Linux: the system libraries Qt's xcb plugin needs, and the command installing them.

PySide6's wheels bring Qt but not the X libraries its xcb platform plugin links against. On a fresh
Debian or Ubuntu `libxcb-cursor0`, `libxcb-icccm4` and `libxcb-keysyms1` are typically missing, and Qt's
own message names only the first. `make run` runs this module first: it asks the dynamic loader (`ldd`)
which libraries of the plugin cannot be found and prints the one command that installs all of them.
PySide6 is located without importing it (nothing outside the GUI loads Qt).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Shared objects the xcb plugin and Qt's GUI libraries load, and the Debian / Ubuntu package of each.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the installed PySide6, found without importing it."""
    spec = importlib.util.find_spec("PySide6")
    roots = (spec.submodule_search_locations or []) if spec is not None else []
    for root in roots:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(binary: Path) -> list[str]:
    """Shared objects `binary` needs, directly or through its dependencies, that the loader cannot find."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    listing = subprocess.run([ldd, str(binary)], capture_output=True, text=True, check=False).stdout
    return parse_ldd(listing)


def parse_ldd(listing: str) -> list[str]:
    """The `name => not found` lines of ldd's output, each name once, in order."""
    found = [m.group(1) for m in map(_NOT_FOUND.match, listing.splitlines()) if m]
    return list(dict.fromkeys(found))


def install_advice(missing: list[str]) -> str:
    """What to tell the user: the missing libraries and one command that installs them."""
    packages = [DEBIAN_PACKAGES[name] for name in missing if name in DEBIAN_PACKAGES]
    unknown = [name for name in missing if name not in DEBIAN_PACKAGES]
    lines = [
        "annotator: Qt cannot open a window on X11 here: its xcb platform plugin needs system libraries "
        "that are not installed:",
        *(
            f"  {name}" + (f"  (package {DEBIAN_PACKAGES[name]})" if name in DEBIAN_PACKAGES else "")
            for name in missing
        ),
    ]
    if packages and shutil.which("apt-get"):
        lines += ["Install them with:", f"  sudo apt-get install -y {' '.join(packages)}"]
    elif packages:
        lines += [
            f"On Debian or Ubuntu these are the packages {' '.join(packages)}; install your system's equivalents."
        ]
    if unknown:
        lines.append(f"Install the packages that provide {', '.join(unknown)}.")
    return "\n".join(lines)


def main() -> int:
    """Exit 1 with advice when the window could not open on X11; 0 otherwise (Wayland, offscreen, not Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin is not None else []
    if not missing:
        return 0
    print(install_advice(missing), file=sys.stderr)
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    uses_xcb = platform.startswith("xcb") or (not platform and not os.environ.get("WAYLAND_DISPLAY"))
    return 1 if uses_xcb else 0


if __name__ == "__main__":
    raise SystemExit(main())
