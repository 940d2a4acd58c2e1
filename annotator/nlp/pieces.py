"""Cuts texts longer than a spaCy pipeline should take at once into pieces at paragraph or sentence ends.

spaCy refuses texts over `nlp.max_length` (1,000,000 characters by default; error E088) and its parser
needs memory in proportion to the text, so a long text is run piece by piece and the offsets shifted back.
"""

from __future__ import annotations

#: The longest piece run at once: a book-length text costs no more memory than a long article.
PIECE_CHARS = 100_000
_CUTS = ("\n\n", "\n", ". ", " ")  # preferred places to cut, best first


def split_text(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces covering `text` in order, each at most `limit` characters; at least one piece.

    A piece ends after a blank line if one falls in its second half, else after a line break, a full stop
    or a space, and only as a last resort in the middle of a word.
    """
    limit = max(1, limit)
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = end
        for separator in _CUTS:
            at = text.rfind(separator, start + limit // 2, end)
            if at >= 0:
                cut = at + len(separator)
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


def clip(ranges: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The parts of `ranges` inside [start, end), relative to `start`."""
    return tuple((max(s, start) - start, min(e, end) - start) for s, e in ranges if s < end and e > start)
