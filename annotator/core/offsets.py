"""Offsets: code points (storage) versus UTF-16 units (Qt), and token snapping helpers."""

from __future__ import annotations

import bisect
import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF_OR_ASTRAL = re.compile("\r\n|[\U00010000-\U0010ffff]")


class PositionMap:
    """Code point offsets <-> positions in a UTF-16 editor that folds CRLF into one separator (Qt's).

    Stored offsets count code points; QTextDocument counts UTF-16 units (an astral character is two)
    and turns each CRLF pair into a single paragraph separator. Both shifts are kept as sorted change
    points, so each conversion is one binary search; plain texts take an identity fast path.
    """

    __slots__ = ("_cps", "_cum", "_views", "length")

    def __init__(self, text: str, *, fold_crlf: bool = True) -> None:
        self._cps: list[int] = []  # boundaries after which the shift changes
        self._cum: list[int] = []  # the shift from that boundary on
        if not text.isascii() or (fold_crlf and "\r\n" in text):
            shift = 0
            for found in (_CRLF_OR_ASTRAL if fold_crlf else _ASTRAL).finditer(text):
                shift += 1 if found.group() != "\r\n" else -1
                self._cps.append(found.end())
                self._cum.append(shift)
        self._views = [cp + cum for cp, cum in zip(self._cps, self._cum, strict=True)]
        self.length = len(text)

    def to_view(self, cp: int) -> int:
        k = bisect.bisect_right(self._cps, cp) - 1
        return cp + (self._cum[k] if k >= 0 else 0)

    def to_codepoint(self, view: int) -> int:
        """A view position inside a surrogate pair or a folded CRLF maps to the boundary after it."""
        k = bisect.bisect_right(self._views, view) - 1
        return min(view - (self._cum[k] if k >= 0 else 0), self.length)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and surrounding punctuation from a selection (brat and INCEpTION do the same)."""
    strip = " \t\r\n\u00a0.,;:!?\"'“”‘’()[]«»"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a trimmed selection to whole tokens so a sloppy drag still labels the intended words."""
    start, end = trim_span(text, start, end)
    if start >= end:
        return start, end
    while start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while end < len(text) and _word_char(text[end]) and _word_char(text[end - 1]):
        end += 1
    return start, end


def _word_char(ch: str) -> bool:
    # Tokens as spaCy cuts them: "al-Waer" is al / - / Waer, so "Washington" in "Washington-based" stays put.
    return ch.isalnum() or ch == "_"
