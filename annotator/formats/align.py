"""Token windows for token-based formats (TextEE, CoNLL): tokens cut at span edges, sentences no span crosses."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.dto import DocumentRecord, Segmentation

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Window:
    """A run of whole sentences and its tokens, as code point spans of the document text."""

    start: int
    end: int
    tokens: tuple[Span, ...]

    def token_span(self, start: int, end: int) -> Span | None:
        """Token indices (end exclusive) covering exactly start..end, or None when the span is not on token edges."""
        starts = [s for s, _ in self.tokens]
        i = bisect.bisect_left(starts, start)
        if i == len(self.tokens) or self.tokens[i][0] != start:
            return None
        j = i
        while j < len(self.tokens) and self.tokens[j][1] < end:
            j += 1
        if j == len(self.tokens) or self.tokens[j][1] != end:
            return None
        return i, j + 1


def record_spans(record: DocumentRecord) -> list[Span]:
    """Every span a token format has to represent: entity mentions and event triggers."""
    spans = [(e.start, e.end) for e in record.entities]
    spans += [(ev.trigger_start, ev.trigger_end) for ev in record.events]
    return spans


def split_tokens(record: DocumentRecord, tokens: Sequence[Span], spans: Iterable[Span]) -> tuple[list[Span], list[str]]:
    """Cut tokens at every span edge inside them (as OneIE's tokenizer does), so no span has to be dropped.

    Returns the tokens and one problem line per token that was cut, since the tokens then differ from
    the tokenizer's.
    """
    cuts = sorted({edge for span in spans for edge in span})
    out: list[Span] = []
    problems: list[str] = []
    for s, e in tokens:
        inner = cuts[bisect.bisect_right(cuts, s) : bisect.bisect_left(cuts, e)]
        if not inner:
            out.append((s, e))
            continue
        edges = [s, *inner, e]
        out.extend(itertools.pairwise(edges))
        where = ", ".join(str(c) for c in inner)
        problems.append(f"{record.doc_id}: token {record.text[s:e]!r} at {s}-{e} cut at {where} to fit a span edge")
    return out, problems


def _blocks(sentences: Sequence[Span], spans: Iterable[Span]) -> list[Span]:
    """Sentences joined wherever a span crosses a sentence end (a sentence splitter error, never a real span)."""
    if not sentences:
        return []
    starts = [s for s, _ in sentences]
    joined = [False] * len(sentences)  # joined[i]: sentence i continues into sentence i + 1
    for start, end in spans:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        last = max(bisect.bisect_right(starts, max(end - 1, start)) - 1, 0)
        for i in range(first, last):
            joined[i] = True
    blocks: list[Span] = []
    block_start = sentences[0][0]
    for i, (_, end) in enumerate(sentences):
        if not joined[i]:
            blocks.append((block_start, end))
            if i + 1 < len(sentences):
                block_start = sentences[i + 1][0]
    return blocks


def windows(record: DocumentRecord, segmentation: Segmentation, size: int = 1) -> tuple[list[Window], list[str]]:
    """The document as windows of `size` sentences, boilerplate-only sentences left out.

    Boilerplate (greyed "Advertisement" lines, subscription blurbs) was never annotated, so it is not
    negative training data either; a boilerplate sentence that does carry an annotation is kept.
    """
    spans = record_spans(record)
    tokens, problems = split_tokens(record, segmentation.tokens, spans)
    blocks = [
        b
        for b in _blocks(segmentation.sentences, spans)
        if not _inside_boilerplate(b, record.boilerplate) or any(b[0] <= s and e <= b[1] for s, e in spans)
    ]
    token_starts = [s for s, _ in tokens]
    result: list[Window] = []
    for k in range(0, len(blocks), max(size, 1)):
        group = blocks[k : k + max(size, 1)]
        start, end = group[0][0], group[-1][1]
        lo = bisect.bisect_left(token_starts, start)
        hi = bisect.bisect_left(token_starts, end)
        window_tokens = tuple(t for t in tokens[lo:hi] if t[1] <= end)
        if window_tokens:  # the window is its tokens' extent: no leading newline in TextEE's `text`
            start, end = window_tokens[0][0], window_tokens[-1][1]
        result.append(Window(start, end, window_tokens))
    return result, problems


def _inside_boilerplate(block: Span, boilerplate: Sequence[Span]) -> bool:
    return any(s <= block[0] and block[1] <= e for s, e in boilerplate)


def window_of(windows_: Sequence[Window], start: int, end: int) -> int | None:
    """Index of the window holding start..end whole, or None (the span crosses windows or lies outside them)."""
    starts = [w.start for w in windows_]
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and windows_[i].start <= start and end <= windows_[i].end:
        return i
    return None
