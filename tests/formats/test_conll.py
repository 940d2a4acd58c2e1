"""CoNLL-2003 read back by NLTK's CoNLL reader and by `spacy convert`: four columns, well-formed BIO, every flat
mention, nested ones reported, one document per article, real parts of speech where a tagger gave them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nltk
import spacy
from nltk.corpus.reader import ConllCorpusReader
from spacy.tokens import DocBin

from annotator.core.schema import Schema
from annotator.formats.common import without_rejected
from annotator.formats.conll import DOCSTART, flat_entities
from annotator.nlp.segment import Segmenter
from annotator.store.database import Database
from tests.formats.corpus import Doc, corpus, export, store


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


def read_conll(path: Path) -> list[list[tuple[str, str, str, str]]]:
    """Sentences of (token, part of speech, chunk, entity tag) as NLTK reads CoNLL-2003: single-space columns,
    each line checked to have the four; its -DOCSTART- lines are dropped."""
    nltk.data.path.append(str(path.parent))  # NLTK reads only folders it was told to trust
    try:
        reader = ConllCorpusReader(str(path.parent), [path.name], ("words", "pos", "chunk", "ne"), separator=" ")
        grids = list(reader._grids())  # the rows as NLTK parsed them (its public views drop the chunk column)
    finally:
        nltk.data.path.remove(str(path.parent))
    assert all(len(row) == 4 for grid in grids for row in grid)
    return [[(row[0], row[1], row[2], row[3]) for row in grid] for grid in grids if grid]  # [] where a -DOCSTART- was


def test_nltk_reads_every_flat_mention(project: Database, schema: Schema, tmp_path: Path) -> None:
    result = export(project, schema, "conll", tmp_path / "out")
    path = tmp_path / "out" / "entities.conll"
    data = path.read_text(encoding="utf-8")
    assert data.startswith(DOCSTART + "\n\n")
    assert data.count(DOCSTART + "\n") == len(corpus())
    sentences = read_conll(path)
    tokens: list[tuple[str, str]] = []
    for sentence in sentences:
        forms = [(form, ner) for form, _pos, _chunk, ner in sentence]
        mentions(forms)  # asserts that each sentence is well-formed BIO on its own
        tokens += forms
    # the blank segmenter has no tagger: part of speech and chunk are unknown, never invented
    assert {(pos, chunk) for sentence in sentences for _, pos, chunk, _ in sentence} == {("_", "_")}
    records = [without_rejected(r) for r in corpus()]
    want = [(e.label, "".join(e.text.split())) for r in records for e in flat_entities(r)[0]]
    assert mentions(tokens) == want
    assert "".join(form for form, _ in tokens) == "".join("".join(r.text.split()) for r in records)
    assert [p for p in result.problems if "overlaps a longer mention" in p] == [
        "homs-old-city: GPE 'Homs' at 42-46 overlaps a longer mention; BIO holds one, left out",
        "homs-old-city: LOC 'Old City' at 48-56 overlaps a longer mention; BIO holds one, left out",
        "hard-offsets/crlf 🇸🇾: GPE 'Syria' at 70-75 overlaps a longer mention; BIO holds one, left out",
    ]


def test_the_part_of_speech_is_the_taggers(db: Database, schema: Schema, tmp_path: Path) -> None:
    """With the project's spaCy pipeline, the second column is its Penn Treebank tag; a token cut at a span edge
    (not the tagger's token) has none."""
    doc = Doc("d", "Syrian forces shelled Homs yesterday, activists said.")
    doc.ent("Homs", "GPE")
    doc.ent("Syria", "GPE")  # inside the token "Syrian": cut there
    store(db, [doc.record()])
    segmenter = Segmenter()
    export(db, schema, "conll", tmp_path / "out", segmenter=segmenter)
    [sentence] = read_conll(tmp_path / "out" / "entities.conll")
    tagger = segmenter._nlp  # the same pipeline, for the tags it gives these words
    tags = {t.text: t.tag_ for t in tagger(doc.text)}
    assert [(form, pos, ner) for form, pos, _, ner in sentence] == [
        ("Syria", "_", "B-GPE"),
        ("n", "_", "O"),
        ("forces", tags["forces"], "O"),
        ("shelled", tags["shelled"], "O"),
        ("Homs", tags["Homs"], "B-GPE"),
        ("yesterday", tags["yesterday"], "O"),
        (",", ",", "O"),
        ("activists", tags["activists"], "O"),
        ("said", tags["said"], "O"),
        (".", ".", "O"),
    ]
    assert (tags["shelled"], tags["said"], tags["yesterday"]) == ("VBD", "VBD", "NN")


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
        assert {t.tag_ for t in doc} == {"_"}  # spaCy takes the second of the four columns as the tag
