"""Native JSON Lines: the listed keys, a lossless reading, byte-identical re-export, malformed lines reported."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotator.core.dto import DocumentRecord, ReadProblem
from annotator.core.schema import Schema
from annotator.formats.brat import read_brat
from annotator.formats.jsonl import read_native
from annotator.store.database import Database
from tests.formats.corpus import FIXTURES, corpus, export, read_tree, store, without_ids

DOC_KEYS = {
    "doc_id",
    "title",
    "source",
    "url",
    "published",
    "text",
    "text_sha256",
    "boilerplate",
    "entity_mentions",
    "event_mentions",
}
ENTITY_KEYS = {"id", "type", "start", "end", "text", "origin", "status", "attrs", "normalized"}
EVENT_KEYS = {"id", "type", "trigger", "arguments", "attrs", "fatalities", "date"}
RELATION_KEYS = {"id", "type", "arg1", "arg2", "role1", "role2", "attrs"}


def read(path: Path, schema: Schema | None = None) -> tuple[list[DocumentRecord], list[ReadProblem]]:
    items = list(read_native(path, schema=schema))
    return [r for r in items if isinstance(r, DocumentRecord)], [p for p in items if isinstance(p, ReadProblem)]


def test_lines_carry_the_listed_fields_with_code_point_offsets(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    export(project, schema, "jsonl", tmp_path / "out")
    assert (tmp_path / "out" / "schema.yaml").read_text(encoding="utf-8") == schema.source_text
    lines = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for line in lines:
        doc = json.loads(line)
        assert set(doc) >= DOC_KEYS
        assert doc["text_sha256"] == hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()
        for mention in doc["entity_mentions"]:
            assert set(mention) >= ENTITY_KEYS
            assert doc["text"][mention["start"] : mention["end"]] == mention["text"]
        ids = {m["id"] for m in doc["entity_mentions"]}
        for event in doc["event_mentions"]:
            assert set(event) >= EVENT_KEYS
            trigger = event["trigger"]
            assert doc["text"][trigger["start"] : trigger["end"]] == trigger["text"]
            assert all(
                set(a) >= {"role", "entity_mention_id"} and a["entity_mention_id"] in ids for a in event["arguments"]
            )
    relations = [r for line in lines for r in json.loads(line)["relations"]]
    assert relations and all(set(r) == RELATION_KEYS for r in relations)
    hard = json.loads(lines[2])
    assert "\r\n" in hard["text"] and "🇸🇾" in hard["text"]  # kept exactly, escaped only by JSON


def test_reading_gives_back_every_annotation_status_and_field(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    export(project, schema, "jsonl", tmp_path / "out")
    records, problems = read(tmp_path / "out", schema)
    assert problems == []
    for got, want in zip(records, corpus(), strict=True):
        assert without_ids(got) == without_ids(want)  # rejected suggestions too, with their status


def test_import_then_export_gives_identical_bytes(project: Database, schema: Schema, tmp_path: Path) -> None:
    export(project, schema, "jsonl", tmp_path / "first")
    records, _ = read(tmp_path / "first" / "documents.jsonl")
    again = Database("sqlite:///" + str(tmp_path / "empty.sqlite3"))
    store(again, records)
    export(again, schema, "jsonl", tmp_path / "second")
    first, second = read_tree(tmp_path / "first"), read_tree(tmp_path / "second")
    assert first == second  # the card too: same documents, states, annotators and export time
    again.dispose()


def test_malformed_lines_are_reported_with_line_numbers_and_skipped_whole(schema: Schema, tmp_path: Path) -> None:
    text = "Rebels shelled Homs."
    good = {
        "doc_id": "ok",
        "text": text,
        "entity_mentions": [{"id": "E1", "type": "GPE", "start": 15, "end": 19, "text": "Homs"}],
        "event_mentions": [],
    }

    def variant(**changes: object) -> str:
        return json.dumps({**good, **changes})

    ent = good["entity_mentions"][0]  # type: ignore[index]
    lines = [
        variant(),
        variant(doc_id="past-end", entity_mentions=[{**ent, "start": 15, "end": 40}]),
        variant(doc_id="mismatch", entity_mentions=[{**ent, "text": "Idlib"}]),
        variant(doc_id="unknown", entity_mentions=[{**ent, "type": "CITY"}]),
        variant(doc_id="truncated")[:40],
        variant(
            doc_id="dangling",
            event_mentions=[
                {
                    "id": "EV1",
                    "type": "Conflict.Attack",
                    "trigger": {"start": 7, "end": 14, "text": "shelled"},
                    "arguments": [{"role": "Place", "entity_mention_id": "E9"}],
                }
            ],
        ),
        variant(doc_id="changed", text_sha256="0" * 64),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, problems = read(path, schema)
    assert [r.doc_id for r in records] == ["ok"]
    assert [(p.line, p.severity) for p in problems] == [(n, "error") for n in range(2, 8)]
    assert all(p.path == str(path) for p in problems)
    messages = [p.message for p in problems]
    assert "past the end of the text" in messages[0]
    assert "reads 'Homs' in the text, not 'Idlib'" in messages[1]
    assert "unknown label 'CITY'" in messages[2]
    assert "not valid JSON" in messages[3]
    assert "points at a missing mention 'E9'" in messages[4]
    assert "text_sha256 does not match" in messages[5]


def test_labels_outside_the_schema_are_declared_and_read_back(db: Database, schema: Schema, tmp_path: Path) -> None:
    tutorial = [r for r in read_brat(FIXTURES / "brat-news-tutorial") if isinstance(r, DocumentRecord)]
    store(db, tutorial)
    result = export(db, schema, "jsonl", tmp_path / "out")
    assert result.problems == [
        "labels outside schema conflict-events/0.1 (Merge-org, Organization, Person, Report) are declared in "
        "labels.json"
    ]
    records, problems = read(tmp_path / "out", schema)
    assert problems == []
    assert [without_ids(r).events for r in records] == [without_ids(r).events for r in tutorial]
    assert [without_ids(r).relations for r in records] == [without_ids(r).relations for r in tutorial]
    # A damaged labels.json is named, and its labels are then unknown ones.
    (tmp_path / "out" / "labels.json").write_text('["Person"]', encoding="utf-8")
    records, problems = read(tmp_path / "out", schema)
    assert problems[0].path == str(tmp_path / "out" / "labels.json") and problems[0].severity == "warning"
    assert problems[0].message == "not read: 'list' object has no attribute 'get'"
    assert "unknown label" in problems[1].message and len(records) < len(tutorial)


GOOD = {
    "doc_id": "d",
    "text": "Jets hit Homs.",
    "entity_mentions": [{"id": "T1", "start": 9, "end": 13, "text": "Homs", "type": "GPE"}],
    "event_mentions": [
        {
            "id": "EV1",
            "type": "Conflict.Attack",
            "trigger": {"start": 5, "end": 8, "text": "hit"},
            "arguments": [{"role": "Place", "entity_mention_id": "T1"}],
        }
    ],
}


def _with(path: tuple[str | int, ...], value: object) -> dict[str, object]:
    data = json.loads(json.dumps(GOOD))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        (_with(("text",), KeyError), "missing 'text'"),
        (_with(("text",), 3), "'text' has the wrong type (int)"),
        (_with(("doc_id",), [1]), "'doc_id' has the wrong type (list)"),
        (_with(("entity_mentions",), {}), "'entity_mentions' has the wrong type (dict)"),
        (_with(("entity_mentions", 0), "T1"), "entity 1: not an object"),
        (_with(("entity_mentions", 0, "start"), True), "entity T1: 'start' has the wrong type (bool)"),
        (_with(("entity_mentions", 0, "type"), KeyError), "entity T1: missing 'type'"),
        (_with(("event_mentions", 0), 5), "event 1: not an object"),
        (_with(("event_mentions", 0), {"trigger": {"start": 5, "end": 8, "text": "hit"}}), "event 1: missing 'type'"),
        (_with(("entity_mentions", 0), {"start": 9, "end": 13, "text": "Homs"}), "entity 1: missing 'type'"),
        (_with(("relations",), [{"arg1": "T1", "arg2": "T1"}]), "relation 1: missing 'type'"),
        (_with(("event_mentions", 0, "type"), "Attack"), "event EV1: unknown event type 'Attack' (not in the schema)"),
        (_with(("event_mentions", 0, "trigger"), [5, 8]), "event EV1: 'trigger' has the wrong type (list)"),
        (_with(("event_mentions", 0, "trigger", "end"), "8"), "event EV1: trigger 'end' has the wrong type (str)"),
        (_with(("event_mentions", 0, "trigger", "start"), KeyError), "event EV1: trigger missing 'start'"),
        (_with(("event_mentions", 0, "trigger", "text"), 8), "event EV1: trigger 'text' has the wrong type (int)"),
        (
            _with(("event_mentions", 0, "trigger", "text"), "hits"),
            "event EV1: trigger span 5-8 reads 'hit' in the text, not 'hits'",
        ),
        (_with(("event_mentions", 0, "arguments"), None), "event EV1: 'arguments' has the wrong type (NoneType)"),
        (
            _with(("event_mentions", 0, "arguments", 0, "role"), 1),
            "event EV1: argument 'role' has the wrong type (int)",
        ),
        (
            _with(("event_mentions", 0, "arguments", 0), {"role": "Place", "event_mention_id": "EV9"}),
            "event EV1: argument Place points at a missing mention 'EV9'",
        ),
        (
            _with(("relations",), [{"id": "R1", "type": "Located", "arg1": "T1", "arg2": "T7"}]),
            "relation R1: points at a missing entity mention ('T1', 'T7')",
        ),
        (
            _with(("relations",), [{"id": "R1", "arg1": "T1", "arg2": "T1"}]),
            "relation R1: missing 'type'",
        ),
        (_with(("boilerplate",), [[0, 1, 2]]), "malformed document: too many values to unpack (expected 2)"),
    ],
)
def test_each_malformed_value_is_named(
    schema: Schema, tmp_path: Path, changed: dict[str, object], message: str
) -> None:
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(changed) + "\n", encoding="utf-8")
    records, problems = read(path, schema)
    assert [r.doc_id for r in records] == ["d"]
    assert [(p.path, p.line, p.message, p.doc_id) for p in problems] == [
        (str(path), 2, message, str(changed["doc_id"]))
    ]


def test_values_left_out_take_their_defaults(tmp_path: Path) -> None:
    data = _with(("relations",), [{"id": "R1", "type": "Located", "arg1": "T1", "arg2": "T1"}])
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")
    [record], problems = read(path)
    assert problems == [] and (record.title, record.source, record.url, record.published, record.status) == (
        "",
        "",
        "",
        None,
        None,
    )
    entity, event, relation = record.entities[0], record.events[0], record.relations[0]
    assert (entity.origin, entity.status, entity.normalized, entity.attrs) == ("human", "accepted", None, {})
    assert (event.origin, event.status, event.attrs, event.fatalities, event.date, event.incident) == (
        "human",
        "accepted",
        {},
        None,
        None,
        None,
    )
    assert (event.arguments[0].status, event.arguments[0].origin, event.arguments[0].entity_id) == (
        "accepted",
        "human",
        1,
    )
    assert (relation.role1, relation.role2, relation.arg1, relation.arg2, relation.attrs) == ("Arg1", "Arg2", 1, 1, {})


def test_relation_roles_and_attributes_given_are_read(tmp_path: Path) -> None:
    relation = {"id": "R1", "type": "Located", "arg1": "T1", "arg2": "T1", "role1": "Inner", "role2": "Outer"}
    data = _with(("relations",), [{**relation, "attrs": {"negated": True}}])
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")
    [record], problems = read(path)
    [read_back] = record.relations
    assert problems == [] and (read_back.role1, read_back.role2, read_back.attrs) == (
        "Inner",
        "Outer",
        {"negated": True},
    )


def test_mentions_without_an_id_are_referred_to_by_their_place_in_the_list(tmp_path: Path) -> None:
    data = {
        "doc_id": "d",
        "text": "Jets hit Homs, killing two.",
        "entity_mentions": [{"start": 9, "end": 13, "text": "Homs", "type": "GPE"}],
        "event_mentions": [
            {"type": "Conflict.Attack", "trigger": {"start": 5, "end": 8, "text": "hit"}, "arguments": []},
            {
                "type": "Life.Die",
                "trigger": {"start": 15, "end": 22, "text": "killing"},
                "arguments": [{"role": "Place", "entity_mention_id": "1"}, {"role": "Cause", "event_mention_id": "1"}],
            },
        ],
    }
    path = tmp_path / "documents.jsonl"
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")
    [record], problems = read(path)
    assert problems == []
    attack, die = record.events
    assert [(a.role, a.entity_id, a.event_id) for a in die.arguments] == [
        ("Place", record.entities[0].id, None),
        ("Cause", None, attack.id),
    ]
