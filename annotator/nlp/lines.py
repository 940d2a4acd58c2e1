"""Line breaks as sentence boundaries: headlines, captions and bylines are not glued to the next line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def mark_line_starts(doc: Doc) -> Doc:
    """Start a sentence after a line break unless the line runs on, before the parser sees the doc.

    A headline has no full stop, so the parser glues it to the photo caption or the byline on the next line
    and attaches words across them. A blank line always ends a sentence; a single line break does unless the
    next line starts in lower case or the line ends with a comma, a hyphen or a function word ("in the city
    of" / "Homs"), as in hard-wrapped text.
    """
    previous = None  # the last word before the line break
    for token in doc:
        if not token.is_space:
            if previous is not None and token.i > 0 and "\n" in doc[token.i - 1].text:
                blank = doc[token.i - 1].text.count("\n") > 1
                runs_on = (
                    token.text[:1].islower()
                    or previous.text in _RUN_ON
                    or (previous.is_stop and previous.text.islower())
                )
                if blank or not runs_on:
                    token.is_sent_start = True
            previous = token
    return doc


_RUN_ON = frozenset({",", ";", ":", "-", "–", "—", "(", "/", "&"})
