"""CoNLL-2003 BIO for entity mentions: one token a line (token, part of speech, chunk, entity), sentences and
documents apart."""

from __future__ import annotations

from pathlib import Path

from annotator.core.dto import DocumentRecord, Entity, Segmentation
from annotator.core.schema import Schema
from annotator.formats.align import window_of, windows
from annotator.formats.common import describe_entity

DATA_FILE = "entities.conll"
#: The document line of CoNLL-2003, exactly as its tools and spaCy's converter look for it (columns: token,
#: part of speech, chunk, entity); any other form is read as a word of the text.
DOCSTART = "-DOCSTART- -X- O O"
#: A column whose value is not known: the part of speech without a tagger (or of a token cut at a span edge),
#: and the chunk, which nothing here computes.
UNKNOWN = "_"


def flat_entities(record: DocumentRecord) -> tuple[list[Entity], list[Entity]]:
    """Entities one BIO layer can hold (longest first, then leftmost), and the nested or overlapping rest."""
    kept: list[Entity] = []
    dropped: list[Entity] = []
    for e in sorted(record.entities, key=lambda e: (e.start - e.end, e.start, e.label)):
        if any(e.start < k.end and k.start < e.end for k in kept):
            dropped.append(e)
        else:
            kept.append(e)
    return sorted(kept, key=lambda e: e.start), sorted(dropped, key=lambda e: e.start)


class ConllWriter:
    """Writes entities.conll: space-separated token, Penn Treebank tag (`_` unknown), chunk (`_`) and BIO tag, as
    CoNLL-2003's four columns; a `-DOCSTART- -X- O O` line before each document."""

    name = "conll"
    needs_segmentation = True

    def __init__(self, directory: Path, schema: Schema) -> None:
        self._path = directory / DATA_FILE
        self._handle = self._path.open("w", encoding="utf-8", newline="\n")

    def write(self, record: DocumentRecord, segmentation: Segmentation | None) -> list[str]:
        if segmentation is None:
            raise ValueError("CoNLL needs tokens and sentences")
        kept, dropped = flat_entities(record)
        problems = [f"{describe_entity(record, e)} overlaps a longer mention; BIO holds one, left out" for e in dropped]
        wins, cut = windows(record, segmentation)
        problems += cut
        tags = [["O"] * len(w.tokens) for w in wins]
        for e in kept:
            k = window_of(wins, e.start, e.end)
            span = wins[k].token_span(e.start, e.end) if k is not None else None
            if k is None or span is None:
                problems.append(f"{describe_entity(record, e)} is not on tokens of one sentence; left out")
                continue
            label = e.label.replace(" ", "_")
            tags[k][span[0] : span[1]] = [f"B-{label}"] + [f"I-{label}"] * (span[1] - span[0] - 1)
        # A token cut at a span edge is not the tagger's token: its pieces' part of speech is unknown.
        pos = dict(zip(segmentation.tokens, segmentation.tags, strict=True)) if segmentation.tags else {}
        self._handle.write(f"{DOCSTART}\n\n")
        for window, window_tags in zip(wins, tags, strict=True):
            for (start, end), tag in zip(window.tokens, window_tags, strict=True):
                # Readers split columns at any whitespace; spaCy makes every run of it a token of its own, which
                # the segmenter leaves out, so no token holds one.
                form = record.text[start:end]
                self._handle.write(f"{form} {pos.get((start, end)) or UNKNOWN} {UNKNOWN} {tag}\n")
            if window.tokens:
                self._handle.write("\n")
        return problems

    def close(self) -> tuple[list[Path], list[str]]:
        self._handle.close()
        return [self._path], []
