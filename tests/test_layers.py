"""The layers (CONTRIBUTING.md, Layers): only annotator/gui imports Qt; core imports nothing above it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from annotator.core.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "annotator"
QT = ("PySide6", "qtawesome", "shiboken6")
ORDER = ["core", "store", "formats", "nlp", "services", "gui"]  # imports only go down this list


def _modules(exclude_gui: bool = True) -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PROJECT_ROOT).with_suffix("")
        parts = rel.parts
        if exclude_gui and parts[1:2] == ("gui",):
            continue
        if "migrations" in parts or parts[-1] == "__main__":  # run by Alembic / by python -m, not imported
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_qt_outside_gui_in_a_fresh_interpreter() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"leaked = [m for m in sys.modules if m.split('.')[0] in {QT!r}]\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert result.stdout.strip() == "", f"Qt loaded by non-GUI modules: {result.stdout}"


def test_imports_only_go_down_the_layers() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).parts
        if len(rel) < 2 or rel[0] not in ORDER:
            continue
        layer = ORDER.index(rel[0])
        for name in _imports(path):
            if name.split(".")[0] in QT and rel[0] != "gui":
                wrong.append(f"{path}: imports {name}")
            parts = name.split(".")
            if parts[0] == "annotator" and len(parts) > 1 and parts[1] in ORDER and ORDER.index(parts[1]) > layer:
                # nlp sits beside formats: both may be used by services, neither by the other's callers below
                wrong.append(f"{path}: {rel[0]} imports {name}")
    assert not wrong, "\n".join(wrong)
