"""The export use case: determinism, the dataset card, progress and cancelling, replacing earlier exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import Cancelled, UserError
from annotator.core.schema import Schema
from annotator.services.export import EXPORT_FORMATS, export_dataset
from annotator.store.database import Database
from tests.formats.corpus import corpus, export, read_tree, store


@pytest.fixture
def project(db: Database) -> Database:
    store(db, corpus())
    return db


class RecordingProgress:
    """A progress sink that remembers every call and can cancel after a number of documents."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls: list[tuple[str, object]] = []
        self.cancel_after = cancel_after
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.calls.append(("start", total))
        self.label = label

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        self.calls.append(("advance", detail))

    def finish(self) -> None:
        self.calls.append(("finish", None))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.done >= self.cancel_after


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_same_database_gives_the_same_bytes(fmt: str, project: Database, schema: Schema, tmp_path: Path) -> None:
    first = export(project, schema, fmt, tmp_path / "one")
    export(project, schema, fmt, tmp_path / "two")
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")
    assert first.files[-1] == tmp_path / "one" / "DATASET.md"
    assert all(f.exists() for f in first.files)


def test_progress_is_reported_per_document(project: Database, schema: Schema, tmp_path: Path) -> None:
    progress = RecordingProgress()
    export(project, schema, "jsonl", tmp_path / "out", progress=progress)
    assert progress.calls == [
        ("start", 3),
        ("advance", "homs-airstrikes"),
        ("advance", "homs-old-city"),
        ("advance", "hard-offsets/crlf 🇸🇾"),
        ("finish", None),
    ]
    assert progress.label == "Exporting 3 documents as jsonl" and progress.done == 3


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_cancelling_leaves_nothing_behind(fmt: str, project: Database, schema: Schema, tmp_path: Path) -> None:
    progress = RecordingProgress(cancel_after=1)
    with pytest.raises(Cancelled):
        export(project, schema, fmt, tmp_path / "out", progress=progress)
    assert not (tmp_path / "out").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging folder left
    assert progress.calls[-1] == ("finish", None)


def test_cancelling_keeps_an_earlier_export(project: Database, schema: Schema, tmp_path: Path) -> None:
    export(project, schema, "jsonl", tmp_path / "out")
    before = read_tree(tmp_path / "out")
    with pytest.raises(Cancelled):
        export(project, schema, "brat", tmp_path / "out", progress=RecordingProgress(cancel_after=2))
    assert read_tree(tmp_path / "out") == before


def test_an_earlier_export_is_replaced_and_other_folders_are_refused(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    export(project, schema, "brat", tmp_path / "out")
    export(project, schema, "jsonl", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "DATASET.md",
        "documents.jsonl",
        "incidents.jsonl",
        "schema.yaml",
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # the replaced one is gone
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("keep me", encoding="utf-8")
    with pytest.raises(UserError, match="not an earlier export"):
        export(project, schema, "jsonl", tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(UserError, match="exports are folders"):
        export(project, schema, "jsonl", tmp_path / "mine" / "thesis.tex")


def test_status_filter_unknown_format_and_empty_layer(project: Database, schema: Schema, tmp_path: Path) -> None:
    done = export(project, schema, "jsonl", tmp_path / "done", status="done")
    assert done.documents == 2
    card = (tmp_path / "done" / "DATASET.md").read_text(encoding="utf-8")
    assert "- Layer: alice, documents with status done" in card
    assert "| alice | 2 | 2 | 28 |" in card  # her layer on the exported (done) documents only
    export(project, schema, "jsonl", tmp_path / "model", layer="model")
    card = (tmp_path / "model" / "DATASET.md").read_text(encoding="utf-8")
    assert "| alice | 3 | 2 | 38 |" in card  # the model's layer covers every document: all of hers count
    refusals = []
    for fmt, layer, status in (("pdf", "alice", None), ("jsonl", "gold", None), ("jsonl", "alice", "adjudicated")):
        with pytest.raises(UserError) as refused:
            export(project, schema, fmt, tmp_path / "refused", layer=layer, status=status)
        refusals.append(str(refused.value))
    assert refusals == [
        "unknown export format 'pdf'; choose one of jsonl, brat, textee, conll, xmi, acled-csv, ucdp-ged-csv",
        "nothing to export: layer 'gold' has no documents",
        "nothing to export: layer 'alice' has no documents with status adjudicated",
    ]
    assert not (tmp_path / "refused").exists()


def test_by_default_only_what_a_person_reviewed_goes_and_the_text_is_segmented_by_spacy(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    """What `annotator export` does with no options: no suggestion nobody reviewed, the installed pipeline's
    sentences and tokens, and a folder made with its parents."""
    out = tmp_path / "exports" / "2024" / "textee"
    result = export_dataset(project, schema, "textee", out, layer="alice")
    assert (result.include_suggestions, result.unreviewed, result.entities) == (False, 2, 27)
    lines = [json.loads(line) for line in (out / "textee.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["tokens"] for line in lines)
    with pytest.raises(UserError) as refused:  # a file where the parent folder should be
        export_dataset(project, schema, "jsonl", out / "textee.jsonl" / "x", layer="alice")
    assert refused.value.path == str(out / "textee.jsonl" / "x") and "cannot write the export" in str(refused.value)


def test_suggestions_a_format_cannot_mark_are_reported_and_problems_are_capped(
    project: Database, schema: Schema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.services import export as exporting

    full = export(project, schema, "conll", tmp_path / "full")
    assert full.problems[0] == (
        "2 suggestions nobody reviewed are written like reviewed annotations: conll has no place to mark them "
        "(jsonl, brat, textee and acled-csv mark them)"
    )
    assert full.problem_total == len(full.problems) == 5
    monkeypatch.setattr(exporting, "MAX_PROBLEMS", 2)
    capped = export(project, schema, "conll", tmp_path / "capped")
    assert capped.problems == [*full.problems[:2], "... and 3 more (5 in all)"] and capped.problem_total == 5


def test_rejected_suggestions_stay_out_of_datasets_but_in_the_native_export(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    native = export(project, schema, "jsonl", tmp_path / "native")
    brat = export(project, schema, "brat", tmp_path / "brat")
    assert native.entities == brat.entities + 1
    assert "rejected" in (tmp_path / "native" / "documents.jsonl").read_text(encoding="utf-8")
    assert "Washington-based" not in (tmp_path / "brat" / "homs-airstrikes.ann").read_text(encoding="utf-8")


def test_dataset_card_and_json_result(project: Database, schema: Schema, tmp_path: Path) -> None:
    result = export(project, schema, "textee", tmp_path / "out", include_suggestions=False)
    card = (tmp_path / "out" / "DATASET.md").read_text(encoding="utf-8")
    assert "- Documents: 3 (" in card
    assert "- Layer: alice, all documents" in card
    assert "| alice | 3 | 2 | 38 |" in card  # documents with a layer, done, reviewed mentions and events
    assert f"sha256 {schema.sha256}" in card
    # the suggested "one volunteer" (PER) and its suggested Injure event nobody reviewed are left out
    assert "| Conflict.Attack | 4 |" in card and "| PER | 6 |" in card
    assert "2 suggestions nobody reviewed were left out" in card
    assert "there are no inter-annotator agreement figures" in card
    assert "2024-05-01T12:00:00+00:00" in card
    assert f"{result.problem_total} reported" in card
    data = json.loads(json.dumps(result.to_json()))
    assert data["format"] == "textee" and data["layer"] == "alice" and data["documents"] == 3
    assert data["entities"] == result.entities == 27 and data["events"] == result.events == 11
    assert data["unreviewed"] == 2 and data["include_suggestions"] is False
    assert data["files"] == [str(tmp_path / "out" / "textee.jsonl"), str(tmp_path / "out" / "DATASET.md")]
    assert data["problems"] == result.problems and data["counts"]["events"]["Life.Die"] == 3
    assert data["out"] == str(tmp_path / "out") and data["status"] is None and data["relations"] == result.relations
    assert data["exported_at"] == "2024-05-01T12:00:00+00:00" and data["problem_total"] == result.problem_total
    assert set(data) == {
        "format", "layer", "status", "out", "files", "documents", "entities", "events", "relations", "problems",
        "problem_total", "exported_at", "counts", "include_suggestions", "unreviewed",
    }  # fmt: skip


def test_the_card_takes_its_time_from_source_date_epoch_when_given(
    project: Database, schema: Schema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reproducible-builds convention: a fixed clock in $SOURCE_DATE_EPOCH, ignored unless it is a number."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    fixed = export(project, schema, "jsonl", tmp_path / "fixed", exported_at=None)
    assert fixed.exported_at == "2023-11-14T22:13:20+00:00"
    assert "2023-11-14T22:13:20+00:00" in (tmp_path / "fixed" / "DATASET.md").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    now = export(project, schema, "jsonl", tmp_path / "now", exported_at=None)
    assert now.exported_at[:4] >= "2025" and now.exported_at.endswith("+00:00") and "." not in now.exported_at


def test_incidents_go_with_the_exported_reports_only(project: Database, schema: Schema, tmp_path: Path) -> None:
    def reported(out: Path) -> tuple[int, set[str]]:
        lines = [json.loads(line) for line in (out / "incidents.jsonl").read_text(encoding="utf-8").splitlines()]
        return len(lines), {e["doc_id"] for line in lines for e in line["events"]}

    every = reported(export(project, schema, "jsonl", tmp_path / "all").out)
    assert every == (12, {"homs-airstrikes", "homs-old-city", "hard-offsets/crlf 🇸🇾"})
    assert reported(export(project, schema, "jsonl", tmp_path / "done", status="done").out) == (
        10,
        {"homs-airstrikes", "homs-old-city"},  # the document still in progress is not exported, nor its incidents
    )
    reviewed = export(project, schema, "jsonl", tmp_path / "reviewed", include_suggestions=False)
    assert reported(reviewed.out)[0] == 11  # the report nobody reviewed is left out with its event

    def acled_rows(out: Path) -> int:
        return len((out / "acled.csv").read_text(encoding="utf-8").splitlines()) - 1  # after the header

    assert acled_rows(export(project, schema, "acled-csv", tmp_path / "acled").out) == 3
    assert acled_rows(export(project, schema, "acled-csv", tmp_path / "acled-done", status="done").out) == 2
