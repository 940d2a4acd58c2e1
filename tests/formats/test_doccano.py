"""doccano JSONL imports: the real current, relation and legacy exports, and malformed lines."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.schema import Schema
from annotator.formats.doccano import read_doccano
from annotator.store.database import Database
from tests.formats.corpus import FIXTURES, export, store

DOCCANO = FIXTURES / "doccano"


def read(
    path: Path, schema: Schema | None = None, label_names: dict[int, str] | None = None
) -> tuple[list[DocumentRecord], list[ReadProblem]]:
    items = list(read_doccano(path, schema=schema, label_names=label_names))
    return [r for r in items if isinstance(r, DocumentRecord)], [p for p in items if isinstance(p, ReadProblem)]


def spans(record: DocumentRecord) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in record.entities]


def test_current_span_export_keeps_every_label() -> None:
    records, problems = read(DOCCANO / "sequence_labeling_export_example.jsonl")
    assert problems == []
    assert [r.doc_id for r in records] == [f"sequence_labeling_export_example:{n}" for n in (1, 2, 3)]
    assert [spans(r) for r in records] == [
        [("ORG", "EU"), ("MISC", "German")],
        [("PERSON", "Peter Blackburn")],
        [("PERSON", "Obama")],
    ]


def test_relation_export_keeps_entities_and_relations() -> None:
    [record], problems = read(DOCCANO / "relation_extraction_example.jsonl")
    assert problems == []
    assert spans(record) == [
        ("ORG", "Google"),
        ("DATE", "September 4, 1998"),
        ("PERSON", "Larry Page"),
        ("PERSON", "Sergey Brin"),
    ]
    names = {e.id: e.text for e in record.entities}
    assert [(r.type, names[r.arg1], names[r.arg2]) for r in record.relations] == [
        ("foundedAt", "Google", "September 4, 1998"),
        ("foundedBy", "Google", "Larry Page"),
        ("foundedBy", "Google", "Sergey Brin"),
    ]


def test_legacy_export_names_its_numbered_labels_or_says_it_cannot() -> None:
    path = DOCCANO / "legacy_download_example.jsonl"
    records, problems = read(path)
    assert [r.doc_id for r in records] == ["1", "2", "3"]
    assert [spans(r) for r in records] == [[("2", "EU")], [("1", "Peter Blackburn")], [("1", "Obama")]]
    assert [(p.line, p.severity) for p in problems] == [(1, "warning"), (2, "warning")]
    assert "label id 2 has no name" in problems[0].message and "label id 1 has no name" in problems[1].message
    named, problems = read(path, label_names={1: "PER", 2: "ORG"})
    assert problems == []
    assert [spans(r) for r in named] == [[("ORG", "EU")], [("PER", "Peter Blackburn")], [("PER", "Obama")]]


def test_malformed_lines_are_reported_and_skipped(schema: Schema, tmp_path: Path) -> None:
    text = "Rebels shelled Homs."
    lines = [
        json.dumps({"text": text, "label": [[15, 19, "GPE"]]}),
        json.dumps({"text": text, "label": [[15, 40, "GPE"]]}),
        json.dumps({"text": text, "label": [[15, 19, "CITY"]]}),
        json.dumps({"text": text, "label": [[15, 19, "GPE"]]})[:25],
        json.dumps(
            {
                "text": text,
                "entities": [{"id": 1, "start_offset": 0, "end_offset": 6, "label": "ORG"}],
                "relations": [{"from_id": 1, "to_id": 7, "type": "attacked"}],
            }
        ),
        json.dumps({"text": text, "label": [[15, 19]]}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, problems = read(path, schema=schema)
    assert [r.doc_id for r in records] == ["in:1", "in:3"]  # an unknown label is kept, and reported
    assert [(p.line, p.severity, p.path) for p in problems] == [
        (2, "error", str(path)),
        (3, "warning", str(path)),
        *[(n, "error", str(path)) for n in range(4, 7)],
    ]
    messages = [p.message for p in problems]
    assert "past the end of the text" in messages[0]
    assert "label 'CITY' is not in the project schema" in messages[1]
    assert records[1].entities[0].label == "CITY"
    assert "truncated line?" in messages[2]
    assert "points at a missing entity" in messages[3]
    assert "is not [start, end, label]" in messages[4]


def test_labels_of_other_tools_are_mapped_onto_the_schema(schema: Schema, tmp_path: Path) -> None:
    text = "Rebels shelled Homs, Reuters said."
    spans = [[0, 6, "Organization"], [15, 19, "gpe"], [21, 28, "ORG"], [7, 14, "Conflict_Attack"]]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": text, "label": spans}) + "\n", encoding="utf-8")
    records, problems = read(path, schema=schema)
    assert problems == []
    assert [e.label for e in records[0].entities] == ["ORG", "GPE", "ORG", "Conflict.Attack"]


def test_every_doccano_span_lands_in_the_project(db: Database, schema: Schema, tmp_path: Path) -> None:
    records = [r for f in sorted(DOCCANO.glob("*.jsonl")) for r in read(f)[0]]
    unique = list({r.text: r for r in reversed(records)}.values())  # two texts are in two files: a project has one
    store(db, unique)
    result = export(db, schema, "jsonl", tmp_path / "out")
    assert (result.documents, result.entities, result.relations) == (5, 9, 3)


def test_a_line_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps({"text": "Homs", "label": [[0, 4, "GPE"]]}, ensure_ascii=False).encode("utf-8")
    path.write_bytes(good + b"\n" + '{"text": "Hom\xe7", "label": []}'.encode("latin-1") + b"\n" + good + b"\n")
    records, problems = read(path)
    assert [r.doc_id for r in records] == ["latin1:1", "latin1:3"]
    [problem] = problems
    assert (problem.line, problem.severity) == (2, "error") and problem.message.startswith("not UTF-8")


def test_a_label_the_schema_does_not_know_is_kept_and_reported_with_its_line(schema: Schema, tmp_path: Path) -> None:
    path = tmp_path / "team.jsonl"
    lines = [
        {"text": "Rebels shelled Homs.", "label": [[15, 19, "GPE"]]},
        {"text": "A Kornet missile hit a tank.", "label": [[2, 16, "WEAPONRY"], [23, 27, "TANK_MODEL"]]},
        {"text": "Another Kornet was fired.", "label": [[8, 14, "WEAPONRY"]]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    records, problems = read(path, schema=schema)
    assert [[e.label for e in r.entities] for r in records] == [["GPE"], ["WEAPONRY", "TANK_MODEL"], ["WEAPONRY"]]
    reported = [(p.path, p.line, p.severity) for p in problems]
    assert reported == [
        (str(path), 2, "warning"),
        (str(path), 2, "warning"),
    ]  # each unknown label once, where first seen
    assert "'WEAPONRY' is not in the project schema" in problems[0].message
    assert "'TANK_MODEL' is not in the project schema" in problems[1].message
