"""CoNLL BIO read back with the conllu parser: well-formed tags, every flat mention, nested ones reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import conllu
import spacy
from spacy.tokens import DocBin

from annotator.core.schema import Schema
from annotator.formats.common import without_rejected
from annotator.formats.conll import DOCSTART, flat_entities
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
    assert data.startswith(DOCSTART + "\n\n")
    documents: list[list[tuple[str, str]]] = []
    for part in data.split(DOCSTART + "\n")[1:]:
        documents.append([])
        for sentence in conllu.parse(part, fields=("form", "ner")):
            forms = [(token["form"], token["ner"]) for token in sentence]
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


def test_spacy_convert_makes_one_document_per_article(project: Database, schema: Schema, tmp_path: Path) -> None:
    """spaCy's own converter, as a user runs it, splits the file into the exported articles with their entities."""
    export(project, schema, "conll", tmp_path / "out")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "convert",
            str(tmp_path / "out" / "entities.conll"),
            str(tmp_path),
            "-c",
            "ner",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    docs = list(DocBin().from_disk(tmp_path / "entities.spacy").get_docs(spacy.blank("xx").vocab))
    records = [without_rejected(r) for r in corpus()]
    assert len(docs) == len(records)
    for doc, record in zip(docs, records, strict=True):
        kept, _ = flat_entities(record)
        assert [(e.label_, "".join(e.text.split())) for e in doc.ents] == [
            (e.label, "".join(e.text.split())) for e in kept
        ]
        assert "".join(t.text for t in doc) == "".join(record.text.split())
