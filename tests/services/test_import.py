"""Importing articles: readers, bad files reported by name, duplicates, boilerplate, cancel, offsets."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from sqlalchemy import func, select

from annotator.core.dto import MODEL
from annotator.core.progress import NullProgress
from annotator.core.schema import Schema
from annotator.nlp.preannotate import Preannotator
from annotator.nlp.spacy_loader import LoadedPipeline
from annotator.services import records
from annotator.services.importer import import_paths
from annotator.store import models as m
from annotator.store.database import Database
from tests.conftest import SEEDS
from tests.services.test_export import RecordingProgress


def _docs(db: Database) -> list[m.Document]:
    with db.reader() as session:
        docs = list(session.scalars(select(m.Document).order_by(m.Document.id)))
        session.expunge_all()  # keep the loaded rows readable after the session ends
        return docs


def test_crlf_and_astral_text_is_stored_exactly(db: Database, tmp_path: Path, preannotator) -> None:  # type: ignore[no-untyped-def]
    raw = (
        "\ufeffActivists 🇸🇾 said the Syrian Observatory for Human Rights counted nine dead in Homs.\r\n"
        "Second paragraph 𠀋 about al-Waer.\r\n"
    )
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    result = import_paths(db, [path], annotator="alice", preannotator=preannotator)
    assert len(result.added) == 1 and not result.problems
    (doc,) = _docs(db)
    assert doc.text == raw[1:]  # BOM stripped once, CRLF kept
    with db.reader() as session:
        mentions = session.scalars(select(m.EntityMention).where(m.EntityMention.document_id == doc.id)).all()
        session.expunge_all()
    assert mentions, "pre-annotation found nothing"
    for mention in mentions:
        assert doc.text[mention.start : mention.end] == mention.text
    assert any(mm.text == "al-Waer" for mm in mentions)


def test_plain_ascii_crlf_text_is_stored_exactly(db: Database, tmp_path: Path, preannotator) -> None:  # type: ignore[no-untyped-def]
    raw = "Government forces shelled the al-Waer district of Homs.\r\nThe Syrian Army said nine died.\r\n"
    assert raw.isascii()  # CRLF alone: no character outside ASCII takes the text down the other path
    path = tmp_path / "ascii-crlf.txt"
    path.write_bytes(raw.encode("ascii"))
    result = import_paths(db, [path], annotator="alice", preannotator=preannotator)
    assert len(result.added) == 1 and not result.problems
    (doc,) = _docs(db)
    assert doc.text == raw
    with db.reader() as session:
        mentions = session.scalars(select(m.EntityMention).where(m.EntityMention.document_id == doc.id)).all()
        found = {(mm.start, mm.end, mm.text) for mm in mentions}
    for start, end, text in found:
        assert raw[start:end] == text
    homs = raw.index("Homs")
    assert (homs, homs + 4, "Homs") in found


def test_bad_files_are_reported_and_the_rest_imports(db: Database, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Government forces shelled the al-Waer district of Homs on Monday.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.write(b"Homs. " * (20_000_000 // 6 + 1))
    os.symlink(tmp_path / "missing-target.txt", tmp_path / "dangling.txt")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    result = import_paths(db, [tmp_path], annotator="alice", preannotator=None, max_bytes=10_000_000)
    assert len(result.added) == 1
    problems = {Path(p.path).name: p.message for p in result.problems}
    # the project database sits in the imported folder: named once, never opened (that drops SQLite's locks)
    assert set(problems) == {
        "empty.txt",
        "blank.txt",
        "image.txt",
        "huge.txt",
        "dangling.txt",
        "project.sqlite3",
        "scan.pdf",
    }
    assert problems["scan.pdf"] == (
        "not imported: .pdf files are not a format annotator reads "
        "(text, HTML, JSON Lines, brat, native JSONL, doccano)"
    )
    assert "own database" in problems["project.sqlite3"]
    assert "empty" in problems["empty.txt"]
    assert "binary" in problems["image.txt"]
    assert "20.0 MB" in problems["huge.txt"] and "limit" in problems["huge.txt"]
    assert "broken symbolic link" in problems["dangling.txt"]
    assert [d.external_id for d in _docs(db)] == ["good"]


def test_encodings_html_and_jsonl(db: Database, tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(
        "Les forces syriennes ont repris le quartier de Khalidiya à Homs, a déclaré l'armée.\n".encode("latin-1")
    )
    (tmp_path / "page.html").write_text(
        "<html><head><title>Army takes Homs district</title>"
        "<meta property='article:published_time' content='2013-07-30T08:55:00Z'>"
        "<meta property='og:site_name' content='The Independent'></head><body><nav>Home | World</nav>"
        "<article><h1>Army takes Homs district</h1><p>Syrian troops drove insurgents from &lt;central&gt; Homs"
        " &amp;amp; Khalidiya.</p><script>track()</script><p>Second  paragraph\nwraps.</p></article>"
        "<footer>Comments</footer></body></html>",
        encoding="utf-8",
    )
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "Airstrikes hit Palmyra.",
                "title": "Palmyra",
                "source": "ARA News",
                "published": "2017-02-07",
            }
        ),
        "{not json",
        json.dumps({"id": "a2", "title": "no text here"}),
        json.dumps({"text": "Talks broke down in Homs."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_paths(db, [tmp_path], annotator="alice", preannotator=None)
    assert len(result.added) == 4
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.line, "JSON" in p.message or "text" in p.message) for p in errors] == [(2, True), (3, True)]
    by_id = {d.external_id: d for d in _docs(db)}
    assert "quartier de Khalidiya à Homs" in by_id["latin1"].text
    page = by_id["page"]
    assert page.title == "Army takes Homs district" and page.published == "2013-07-30"
    assert page.source == "The Independent"
    assert "<central> Homs &amp; Khalidiya." in page.text  # entities decoded once, not twice
    assert "track()" not in page.text and "Home | World" not in page.text
    assert "Second paragraph wraps." in page.text
    assert by_id["a1"].source == "ARA News" and by_id["a1"].published == "2017-02-07"
    assert by_id["feed-4"].title == "Talks broke down in Homs."


@pytest.mark.parametrize("batch_size", [32, 1], ids=["same batch", "batch after batch"])
def test_two_identical_files_in_one_import_store_one_document(db: Database, tmp_path: Path, batch_size: int) -> None:
    text = "Government forces shelled the al-Waer district of Homs on Monday.\n"
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "copy of a.txt"):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text("Talks broke down in Homs.\n", encoding="utf-8")
    result = import_paths(db, [folder], annotator="alice", preannotator=None, batch_size=batch_size)
    assert (len(result.added), result.duplicates, result.problems) == (2, 1, [])
    assert sorted(d.text for d in _docs(db)) == sorted([text, "Talks broke down in Homs.\n"])


def test_reimport_adds_nothing_and_boilerplate_is_marked(db: Database) -> None:
    first = import_paths(db, [SEEDS], annotator="alice", preannotator=None)
    assert len(first.added) == 4
    second = import_paths(db, [SEEDS], annotator="alice", preannotator=None)
    assert second.added == [] and second.duplicates == 4
    by_id = {d.external_id: d for d in _docs(db)}
    doc = by_id["001_83af4b913a3cc833"]
    marked = [doc.text[s:e] for s, e in doc.boilerplate]
    assert "Advertisement" in marked and "Share" in marked
    assert doc.title == "Syria presses offensive in Homs’ Old City after talks break down"
    independent = by_id["002_de2fd52c9ef55d45"]
    assert independent.title == "Setback for Syrian rebels as army takes Homs district"
    assert independent.published == "2013-07-30"  # from the dateline under the byline


class CancelAfterFirstBatch(NullProgress):
    def __init__(self) -> None:
        self.advanced = 0

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.advanced += n

    def cancelled(self) -> bool:
        return self.advanced > 0


def test_cancel_keeps_what_was_committed(db: Database) -> None:
    result = import_paths(
        db, [SEEDS], annotator="alice", preannotator=None, batch_size=2, progress=CancelAfterFirstBatch()
    )
    assert result.cancelled
    assert len(result.added) == 2
    assert len(_docs(db)) == 2


def test_seeds_are_pre_annotated_under_the_model(db: Database, preannotator) -> None:  # type: ignore[no-untyped-def]
    result = import_paths(db, [SEEDS], annotator="alice", preannotator=preannotator)
    assert len(result.added) == 4 and result.entities > 50
    with db.reader() as session:
        model = session.scalar(select(m.Annotator.id).where(m.Annotator.name == MODEL))
        statuses = set(session.scalars(select(m.EntityMention.status).where(m.EntityMention.annotator_id == model)))
        count = session.scalar(select(func.count()).select_from(m.EntityMention))
        in_boilerplate = 0
        for doc in session.scalars(select(m.Document)):
            for mention in session.scalars(select(m.EntityMention).where(m.EntityMention.document_id == doc.id)):
                in_boilerplate += any(s <= mention.start < e for s, e in doc.boilerplate)
    assert statuses == {"suggested"}
    assert count == result.entities
    assert in_boilerplate == 0, "pre-annotation must skip boilerplate"


def test_an_annotated_copy_of_a_text_new_in_the_same_import_adds_its_layer(db: Database, tmp_path: Path) -> None:
    """The plain text and the annotated file of one article, imported together: one document, and the
    annotations as a layer of it, whether the two fall in one batch or in batches stored one after the other."""
    text = "Rebels shelled Homs, Reuters said."
    for size, folder in ((10, tmp_path / "together"), (1, tmp_path / "apart")):
        folder.mkdir()
        (folder / "a.txt").write_text(text + f" ({size})\n", encoding="utf-8")
        line = {"text": text + f" ({size})\n", "label": [[15, 19, "GPE"], [21, 28, "ORG"]]}
        (folder / "b.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
        result = import_paths(db, [folder], annotator="alice", preannotator=None, batch_size=size)
        assert (len(result.added), result.layers_added, result.duplicates, result.entities) == (1, 1, 0, 2), size
        with db.reader() as session:
            labels = session.scalars(
                select(m.EntityMention.label)
                .join(m.Annotator)
                .where(m.EntityMention.document_id == result.added[0], m.Annotator.name == "alice")
                .order_by(m.EntityMention.start)
            ).all()
        assert labels == ["GPE", "ORG"]


def test_entities_of_every_annotated_document_and_added_layer_are_counted(db: Database, tmp_path: Path) -> None:
    texts = ("Rebels shelled Homs, Reuters said.\n", "Troops entered Aleppo, AFP said.\n")
    spans = ([[15, 19, "GPE"], [21, 28, "ORG"]], [[15, 21, "GPE"]])
    for i, (text, label) in enumerate(zip(texts, spans, strict=True)):
        (tmp_path / f"a{i}.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"b{i}.jsonl").write_text(json.dumps({"text": text, "label": label}) + "\n", encoding="utf-8")
    for i, place in enumerate(("Idlib", "Hama")):  # annotated texts new to the project
        line = {"text": f"Shelling hit {place}.\n", "label": [[13, 13 + len(place), "GPE"]]}
        (tmp_path / f"c{i}.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = import_paths(db, [tmp_path], annotator="alice", preannotator=None, batch_size=10)
    assert (len(result.added), result.layers_added, result.entities) == (4, 2, 5)


def test_a_layer_already_there_is_skipped_and_the_rest_of_the_batch_still_adds_theirs(
    db: Database, tmp_path: Path
) -> None:
    texts = ("Rebels shelled Homs, Reuters said.\n", "Troops entered Aleppo, AFP said.\n")
    (tmp_path / "first").mkdir()
    first = {"text": texts[0], "label": [[15, 19, "GPE"]]}
    (tmp_path / "first" / "a.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    (tmp_path / "first" / "b.txt").write_text(texts[1], encoding="utf-8")
    assert len(import_paths(db, [tmp_path / "first"], annotator="alice", preannotator=None).added) == 2
    # Both texts again, annotated, in one file: the first already has alice's layer, the second not yet.
    lines = [first, {"text": texts[1], "label": [[15, 21, "GPE"]]}]
    again = tmp_path / "again.jsonl"
    again.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = import_paths(db, [again], annotator="alice", preannotator=None, batch_size=10)
    assert result.to_json() == {
        "added": 0,
        "document_ids": [],
        "layers_added": 1,
        "duplicates": 1,
        "entities": 1,
        "events": 0,
        "incidents": 0,
        "errors": [],
        "warnings": ["again:1: document again:1 is already in the project with a layer for alice; skipped"],
        "pipeline": "no pre-annotation (--no-suggest)",
        "cancelled": False,
    }
    with db.reader() as session:
        alice = records.annotator_id(session, "alice")
        layers = [records.load_record(session, d.id, alice) for d in _docs(db)]
    assert [[(e.start, e.end) for e in layer.entities] for layer in layers] == [[(15, 19)], [(15, 21)]]


@Language.component("fails_on_palmyra")
def _fails_on_palmyra(doc: Doc) -> Doc:
    """A custom pipeline component with a bug that one text triggers, as a user's own pipeline may have."""
    if "Palmyra" in doc.text:
        raise ValueError("component broke on this text")
    return doc


def test_a_text_the_pipeline_fails_on_is_imported_without_suggestions_and_named(
    db: Database, tmp_path: Path, schema: Schema
) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("fails_on_palmyra")
    preannotator = Preannotator(schema, loaded=LoadedPipeline(nlp, "blank_en_buggy", "a buggy pipeline"))
    texts = ["Shelling hit Homs on Monday.", "Clashes near Palmyra went on.", "An airstrike hit Aleppo."]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    result = import_paths(db, [feed], annotator="alice", preannotator=preannotator, batch_size=10)
    assert len(result.added) == 3  # the whole batch failed once; each text was then tried alone
    [problem] = result.problems
    assert (problem.path, problem.line, problem.doc_id, problem.severity) == (str(feed), 2, "n1", "warning")
    assert problem.message == (
        "imported without suggestions: the pipeline failed on this text (component broke on this text)"
    )
    with db.reader() as session:
        model = records.annotator_id(session, MODEL)
        suggested = dict(
            session.execute(
                select(m.Document.external_id, func.count(m.EntityMention.id))
                .outerjoin(
                    m.EntityMention,
                    (m.EntityMention.document_id == m.Document.id) & (m.EntityMention.annotator_id == model),
                )
                .group_by(m.Document.external_id)
            ).all()
        )
    assert suggested["n1"] == 0 and suggested["n0"] > 0 and suggested["n2"] > 0  # the gazetteer's places


def test_the_progress_bar_counts_files_and_json_lines_and_fills_exactly(db: Database, tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Shelling hit Homs ({name}).\n", encoding="utf-8")
    lines = [json.dumps({"text": f"Rebels shelled Idlib ({i}).\n"}) for i in range(3)]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")  # a blank line is no document
    progress = RecordingProgress()
    result = import_paths(db, [tmp_path], annotator="alice", preannotator=None, progress=progress)
    assert len(result.added) == 5
    assert progress.calls[0] == ("start", 5) and progress.label == "Importing" and progress.done == 5
