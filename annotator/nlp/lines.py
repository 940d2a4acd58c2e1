"""Line breaks as sentence boundaries: headlines, captions and bylines are not glued to the next line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def mark_line_starts(doc: Doc) -> Doc:
    """Start a sentence after a line break unless the line runs on, before the parser sees the doc.

    A headline has no full stop, so the parser glues it to the photo caption or the byline on the next line
    and attaches words across them. A blank line always ends a sentence; a single line break does unless the
    line runs on, as in hard-wrapped text: the next line starts in lower case, the line ends with a comma, a
    hyphen, a function word ("in the city of" / "Homs") or a title ("loyal to President" / "Bashar
    al-Assad"), or the text is wrapped at a width and this line, near that width, ends without a full stop.
    The second word of a line that starts a sentence is kept in it, so the parser does not make the first
    word ("Government" / "warplanes bombed...") a sentence of its own.
    """
    width = _wrap_width(doc.text)
    previous = None  # the last word before the line break
    for token in doc:
        if not token.is_space:
            if previous is not None and token.i > 0 and "\n" in doc[token.i - 1].text:
                blank = doc[token.i - 1].text.count("\n") > 1
                if blank or not _runs_on(previous, token, width):
                    token.is_sent_start = True
                    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
                    if following is not None and not following.is_space and token.is_alpha and following.is_alpha:
                        following.is_sent_start = False
            previous = token
    return doc


def _runs_on(last: Token, first: Token, width: int | None) -> bool:
    """Whether the line ending in `last` goes on in the line starting with `first`."""
    if first.text[:1].islower() or last.text in _RUN_ON or (last.is_stop and last.text.islower()):
        return True
    if last.lower_.rstrip(".") in _TITLES and last.text[:1].isupper():
        return True
    if width is None or last.text in _FINAL:
        return False
    line_start = last.doc.text.rfind("\n", 0, last.idx) + 1
    return last.idx + len(last.text) - line_start >= _NEAR_WIDTH * width


def _wrap_width(text: str) -> int | None:
    """The width the text is hard-wrapped at (most lines end close to it), or None if it is not wrapped."""
    lengths = sorted(len(line.rstrip()) for line in text.splitlines() if line.strip())
    if len(lengths) < _MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= _NEAR_WIDTH * width)
    return width if width <= _MAX_WIDTH and near * 2 >= len(lengths) else None


_RUN_ON = frozenset({",", ";", ":", "-", "–", "—", "(", "/", "&"})
_FINAL = frozenset({".", "!", "?", '"', "\u201d", "'", "\u2019", ")", "..."})  # a sentence may end here
# Titles that stand before a name; the schema's person_titles are not at hand here (exports split without it).
_TITLES = frozenset(
    {"mr", "mrs", "ms", "dr", "president", "minister", "gen", "general", "col", "colonel", "lt", "maj", "capt",
     "sgt", "sheikh", "king", "queen", "prince", "emir", "pope", "chancellor", "premier", "secretary",
     "ambassador", "envoy", "spokesman", "spokeswoman", "commander", "governor", "mayor", "imam", "senator"}
)  # fmt: skip
_MIN_LINES = 4  # fewer lines say nothing about a wrap width
_MAX_WIDTH = 120  # longer lines are paragraphs, not a wrap
_NEAR_WIDTH = 0.75  # a line this close to the width was wrapped, not ended
