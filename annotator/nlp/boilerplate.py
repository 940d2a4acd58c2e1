"""Finds page boilerplate in article text (ads, share buttons, comment forms, appeals) as whole-line ranges."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from annotator.core import paths
from annotator.core.errors import UserError

_LINE = re.compile(r"[^\r\n]+")


@lru_cache(maxsize=4)
def _patterns(path: Path) -> re.Pattern[str]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lines = [str(p) for p in data.get("lines") or []]
        return re.compile("|".join(f"(?:{p})" for p in lines) or r"(?!)", re.IGNORECASE)
    except (OSError, yaml.YAMLError, AttributeError, re.error) as exc:
        raise UserError(f"cannot read boilerplate patterns: {exc}", path=path) from exc


def find_boilerplate(text: str) -> tuple[tuple[int, int], ...]:
    """Code point ranges (end exclusive) of whole lines, newline excluded, matching resources/boilerplate.yaml.

    Only complete lines are matched, so an article sentence is never cut; nothing is removed, the
    ranges only mark what pre-annotation skips.
    """
    pattern = _patterns(paths.resources_dir() / "boilerplate.yaml")
    return tuple((m.start(), m.end()) for m in _LINE.finditer(text) if pattern.fullmatch(m.group().strip()))
