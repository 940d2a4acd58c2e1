"""CoNLL BIO read back with the conllu parser: well-formed tags, every flat mention, nested ones reported."""

from __future__ import annotations

from pathlib import Path

import conllu

from annotator.core.schema import Schema
from annotator.formats.common import without_rejected
from annotator.formats.conll import flat_entities
from annotator.store.database import Database
from tests.formats.corpus import corpus, export


def mentions(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, tokens joined without spaces) for each B-/I- run, checking that every I- continues its B-."""
    found: list[tuple[str, str]] = []
    previous = "O"
    for form, tag in tokens:
        if tag.startswith("B-"):
            found.append((tag[2:], form))
        elif tag.startswith("I-"):
            assert previous[2:] == tag[2:] and previous != "O", f"{tag} after {previous}"
            found[-1] = (found[-1][0], found[-1][1] + form)
        else:
            assert tag == "O"
        previous = tag
    return found


def test_conllu_reads_every_flat_mention(project: Database, schema: Schema, tmp_path: Path) -> None:
    result = export(project, schema, "conll", tmp_path / "out")
    data = (tmp_path / "out" / "entities.conll").read_text(encoding="utf-8")
    sentences = conllu.parse(data, fields=("form", "ner"))
    documents: list[list[tuple[str, str]]] = []
    for sentence in sentences:
        forms = [(token["form"], token["ner"]) for token in sentence]
        if forms == [("-DOCSTART-", "O")]:
            documents.append([])
        else:
            mentions(forms)  # asserts that each sentence is well-formed BIO on its own
            documents[-1] += forms
    records = [without_rejected(r) for r in corpus()]
    assert len(documents) == len(records)
    for tokens, record in zip(documents, records, strict=True):
        kept, _ = flat_entities(record)
        assert mentions(tokens) == [(e.label, "".join(e.text.split())) for e in kept]
    assert [p for p in result.problems if "overlaps a longer mention" in p] == [
        "homs-old-city: GPE 'Homs' at 42-46 overlaps a longer mention; BIO holds one, left out",
        "homs-old-city: LOC 'Old City' at 48-56 overlaps a longer mention; BIO holds one, left out",
        "hard-offsets/crlf 🇸🇾: GPE 'Syria' at 70-75 overlaps a longer mention; BIO holds one, left out",
    ]
