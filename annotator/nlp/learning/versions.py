"""Versions of the learned suggester in the project folder (v1, v2...), which one is in use, and the way back."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core.errors import UserError

META = "meta.json"  # what a version was learned from, when, and its scores
BASE = "base"  # the installed pipeline with the lexicon and the rules: no learned version in use
_ACTIVE = "active"
_VERSION = re.compile(r"^v(\d+)$")


class ModelStore:
    """A folder beside the project database; a version is written whole under a temporary name, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def versions(self) -> list[str]:
        """Complete versions, oldest first."""
        if not self.root.is_dir():
            return []
        found = [p for p in self.root.iterdir() if _VERSION.match(p.name) and (p / META).is_file()]
        return [p.name for p in sorted(found, key=lambda p: int(p.name[1:]))]

    def active(self) -> str | None:
        """The version in use, or None for the base suggester (also when the pointer names a missing version)."""
        try:
            name = (self.root / _ACTIVE).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name if name in self.versions() else None

    def folder(self, name: str) -> Path:
        if name not in self.versions():
            known = ", ".join([BASE, *self.versions()])
            raise UserError(f"there is no model version {name!r} (known: {known})", path=self.root)
        return self.root / name

    def active_folder(self) -> Path | None:
        name = self.active()
        return self.root / name if name else None

    def meta(self, name: str) -> dict[str, Any]:
        data = json.loads((self.folder(name) / META).read_text(encoding="utf-8"))
        return dict(data)

    def activate(self, name: str | None) -> None:
        """Use version `name` from now on; None or "base" goes back to the base suggester."""
        value = BASE if name in (None, BASE) else self.folder(str(name)).name
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{_ACTIVE}.tmp"
        tmp.write_text(value + "\n", encoding="utf-8")
        os.replace(tmp, self.root / _ACTIVE)

    def previous(self) -> str | None:
        """The version before the one in use (None: the base suggester); an error when the base is in use."""
        active = self.active()
        if active is None:
            raise UserError("the base suggester is in use already; there is no earlier version")
        versions = self.versions()
        position = versions.index(active)
        return versions[position - 1] if position > 0 else None

    def create(self, write: Callable[[Path], None], meta: dict[str, Any]) -> str:
        """Write a new version with `write(folder)` and its meta; a failure or cancel leaves nothing behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=self.root))
        try:
            write(tmp)
            numbers = [int(v[1:]) for v in self.versions()]
            name = f"v{max(numbers, default=0) + 1}"
            (tmp / META).write_text(json.dumps({**meta, "name": name}, indent=2, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.root / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return name
