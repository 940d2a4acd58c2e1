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
def _patterns(path: Path) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns to match whole lines, and those of the form `.*X.*` as X to search for.

    A line holds no line break, so `.*X.*` matches the whole line exactly when X is found in it, and a
    search finds it without the backtracking of a leading `.*` on every line of every article.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        lines = [str(p) for p in data.get("lines") or []]
        inner = [p[2:-2] for p in lines if _contains_form(p)]
        whole = [p for p in lines if not _contains_form(p)]
        compiled = [
            re.compile("|".join(f"(?:{p})" for p in group) or r"(?!)", re.IGNORECASE) for group in (whole, inner)
        ]
        return compiled[0], compiled[1]
    except (OSError, yaml.YAMLError, AttributeError, re.error) as exc:
        raise UserError(f"cannot read boilerplate patterns: {exc}", path=path) from exc


def _contains_form(pattern: str) -> bool:
    """Whether a pattern is `.*X.*` with X a single branch (no `|` outside groups) that stands alone."""
    inner = pattern[2:-2]
    if not (pattern.startswith(".*") and pattern.endswith(".*")) or not inner or inner[0] in "?*+{":
        return False
    depth, escaped, in_class = 0, False, False
    for ch in inner:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
    return not escaped and depth == 0


def find_boilerplate(text: str) -> tuple[tuple[int, int], ...]:
    """Code point ranges (end exclusive) of whole lines, newline excluded, matching resources/boilerplate.yaml.

    Only complete lines are matched, so an article sentence is never cut; nothing is removed, the
    ranges only mark what pre-annotation skips.
    """
    whole, inner = _patterns(paths.resources_dir() / "boilerplate.yaml")
    found = []
    for match in _LINE.finditer(text):
        line = match.group().strip()
        if whole.fullmatch(line) or inner.search(line):
            found.append((match.start(), match.end()))
    return tuple(found)
