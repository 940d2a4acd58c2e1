"""Finds page boilerplate in article text (ads, share buttons, comment forms, appeals) as whole-line ranges."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from annotator.core import paths
from annotator.core.errors import UserError

_LINE = re.compile(r"[^\r\n]+")
_QUANTIFIERS = "?*+{"
# The only characters that match an ASCII letter when case is ignored (K: Kelvin sign, ſ: long s, İ, ı).
_CASE_TWINS = ("\u0130", "\u0131", "\u017f", "\u212a")


class _Patterns(NamedTuple):
    whole: re.Pattern[str]  # patterns a line must match whole
    inner: re.Pattern[str]  # X of the patterns `.*X.*`, searched for in a line
    needles: tuple[bytes, ...] | None  # a lower-case ASCII run of plain characters each X holds; None if one has none


@lru_cache(maxsize=4)
def _patterns(path: Path) -> _Patterns:
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
        needles = tuple((_needle(p) or "").encode("ascii") for p in inner)
        return _Patterns(compiled[0], compiled[1], None if b"" in needles else needles)
    except (OSError, yaml.YAMLError, AttributeError, re.error) as exc:
        raise UserError(f"cannot read boilerplate patterns: {exc}", path=path) from exc


def _needle(pattern: str) -> str | None:
    """The longest run of ASCII letters, digits and spaces that every match of `pattern` holds, lower-cased.

    Only characters outside groups, classes, escapes and repeat counts count, and none a quantifier
    follows: with no `|` outside groups, such a run is part of every match. Inline flags could make spaces
    insignificant, so a pattern with any is given no needle. Runs shorter than four are not worth it.
    """
    if "(?" in pattern:
        return None
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if depth == 0 and ch.isascii() and (ch.isalnum() or ch == " "):
            if pattern[i + 1 : i + 2] and pattern[i + 1] in _QUANTIFIERS:
                runs.append(run + ch if pattern[i + 1] == "+" else run)
                run = ""
            else:
                run += ch
            i += 1
            continue
        runs.append(run)
        run = ""
        if ch == "|" and depth == 0:
            return None
        i = _skip(pattern, i)
        depth += (ch == "(") - (ch == ")")
    best = max([*runs, run], key=len)
    return best.lower() if len(best) >= 4 else None


def _skip(pattern: str, i: int) -> int:
    """The index after the pattern element at `i` that is not a plain character: an escape (with whatever
    letters and digits may belong to it: \\x41, \\12), a character class, a repeat count, or one character."""
    ch = pattern[i]
    if ch == "\\":
        i += 2
        if pattern[i - 1 : i].isdigit() or pattern[i - 1 : i] in ("x", "u", "U", "N"):
            while i < len(pattern) and (pattern[i].isalnum() or pattern[i] in "{}"):
                i += 1
        return i
    if ch == "{":
        close = pattern.find("}", i)
        return close + 1 if close >= 0 else i + 1
    if ch == "[":
        return _class_end(pattern, i)
    return i + 1


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at `start` (a `]` first in it is a member)."""
    i = start + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


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
    whole, inner, needles = _patterns(paths.resources_dir() / "boilerplate.yaml")
    # A case-blind search runs character by character, the slowest part of an import without suggestions.
    # A contained phrase ignoring case can only match a line holding its needle once lower-cased: in UTF-8,
    # lower-casing ASCII alone is enough (and fast) when no character matching an ASCII letter is present.
    sift = needles is not None and not any(twin in text for twin in _CASE_TWINS)
    if sift and not _holds_any(text, needles or ()):
        needles = ()  # most texts: no line can hold a contained phrase
    found = []
    for start, end in _line_spans(text):
        line = text[start:end].strip()
        if whole.fullmatch(line) or (
            needles != () and (not sift or _holds_any(line, needles or ())) and inner.search(line)
        ):
            found.append((start, end))
    return tuple(found)


def _holds_any(text: str, needles: tuple[bytes, ...]) -> bool:
    folded = text.encode("utf-8", "surrogatepass").lower()
    return any(needle in folded for needle in needles)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line; lines end at CR or LF."""
    if "\r" in text:
        return [match.span() for match in _LINE.finditer(text)]
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line:
            spans.append((start, end))
        start = end + 1
    return spans
