"""Which mentions one BIO layer keeps: the longest, then the leftmost; the rest are reported, never silently lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import DocumentRecord, Entity
from annotator.core.schema import Schema
from annotator.formats.conll import ConllWriter, flat_entities

TEXT = "The al-Waer district of Homs was shelled."


def _entity(ident: int, needle: str, label: str, nth: int = 0) -> Entity:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Entity(ident, start, start + len(needle), label, needle)


def test_the_longest_mention_wins_then_the_leftmost() -> None:
    district = _entity(1, "al-Waer district", "LOC")
    waer = _entity(2, "al-Waer", "GPE")
    homs = _entity(3, "Homs", "GPE")
    of_homs = _entity(4, " of Homs", "LOC")
    shelled = _entity(5, "Homs was", "LOC")  # as long as " of Homs" but to its right
    record = DocumentRecord(doc_id="d", text=TEXT, entities=(homs, shelled, waer, of_homs, district))
    kept, dropped = flat_entities(record)
    assert kept == [district, of_homs]  # in text order
    assert dropped == [waer, shelled, homs]  # by start; at one start, in the order they were dropped
    touching = (_entity(1, "al-Waer", "GPE"), _entity(2, " district", "LOC"))  # end meets start: no overlap
    assert flat_entities(DocumentRecord(doc_id="d", text=TEXT, entities=touching)) == (list(touching), [])
    same = (_entity(1, "Homs", "LOC"), _entity(2, "Homs", "GPE"))  # the same offsets: the label decides
    assert flat_entities(DocumentRecord(doc_id="d", text=TEXT, entities=same)) == ([same[1]], [same[0]])


def test_the_writer_needs_tokens(tmp_path: Path, schema: Schema) -> None:
    writer = ConllWriter(tmp_path, schema)
    with pytest.raises(ValueError, match=r"^CoNLL needs tokens and sentences$"):
        writer.write(DocumentRecord(doc_id="d", text=TEXT), None)
    assert writer.close() == ([tmp_path / "entities.conll"], [])
