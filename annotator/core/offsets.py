"""Offsets: code points (storage) versus UTF-16 units (Qt), and token snapping helpers."""

from __future__ import annotations

import bisect


class Utf16Map:
    """Converts between code point offsets and UTF-16 unit offsets for one text.

    Texts without astral characters (the usual case) take an identity fast path; otherwise the
    positions of astral characters are kept sorted so each conversion is a binary search.
    """

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
        # UTF-16 position of each astral character: its code point index plus the astrals before it.
        self._astral16 = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = self.length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        if not self._astral:
            return cp
        return cp + bisect.bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int) -> int:
        """UTF-16 offset to code point; an offset inside a surrogate pair maps to the pair's start."""
        if not self._astral:
            return u16
        k = bisect.bisect_right(self._astral16, u16 - 1)  # astral characters starting before u16
        cp = u16 - k
        if k and self._astral16[k - 1] == u16 - 1:  # u16 points at the low surrogate
            return self._astral[k - 1]
        return cp


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and surrounding punctuation from a selection (brat and INCEpTION do the same)."""
    strip = " \t\r\n\u00a0.,;:!?\"'“”‘’()[]«»"
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a trimmed selection to whole words so a sloppy drag still labels the intended token."""
    start, end = trim_span(text, start, end)
    if start >= end:
        return start, end
    while start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while end < len(text) and _word_char(text[end]) and _word_char(text[end - 1]):
        end += 1
    return start, end


def _word_char(ch: str) -> bool:
    # Hyphens join "al-Waer"; apostrophes do not, so "Homs’" snaps to "Homs".
    return ch.isalnum() or ch in "-_"
