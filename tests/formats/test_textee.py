"""TextEE windows: every span recomputed from the tokens; what a window cannot hold is reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.core.schema import Schema
from annotator.formats.common import without_rejected
from annotator.store.database import Database
from tests.formats.corpus import corpus, export, store, worked_example


def token_offsets(window: dict[str, Any]) -> list[tuple[int, int]]:
    """Where each token sits in the window text, found left to right as a TextEE reader would align them."""
    offsets, at = [], 0
    for token in window["tokens"]:
        at = window["text"].index(token, at)
        offsets.append((at, at + len(token)))
        at += len(token)
    return offsets


def span_text(window: dict[str, Any], start: int, end: int) -> str:
    offsets = token_offsets(window)
    return str(window["text"][offsets[start][0] : offsets[end - 1][1]])


def windows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_span_is_recomputed_from_its_tokens(project: Database, schema: Schema, tmp_path: Path) -> None:
    result = export(project, schema, "textee", tmp_path / "out")
    windows = windows_of(tmp_path / "out" / "textee.jsonl")
    assert {w["doc_id"] for w in windows} == {r.doc_id for r in corpus()}
    for window in windows:
        assert window["wnd_id"].startswith(window["doc_id"] + "-")
        mentions = {m["id"]: m for m in window["entity_mentions"]}
        for m in mentions.values():
            assert m["id"].startswith(window["wnd_id"] + "-E")
            assert 0 <= m["start"] < m["end"] <= len(window["tokens"])
            # Texts are compared without whitespace: a mention across a line break shows it as in the text.
            assert span_text(window, m["start"], m["end"]).split() == m["text"].split()
        for event in window["event_mentions"]:
            trigger = event["trigger"]
            assert span_text(window, trigger["start"], trigger["end"]) == trigger["text"]
            for arg in event["arguments"]:
                target = mentions[arg["entity_id"]]  # TextEE's loader resolves arguments through entity_id
                assert (arg["start"], arg["end"], arg["text"]) == (target["start"], target["end"], target["text"])
    placed = sum(len(w["entity_mentions"]) for w in windows)
    assert placed == sum(len(without_rejected(r).entities) for r in corpus())  # nothing dropped
    events = [e for w in windows for e in w["event_mentions"]]
    assert {e["event_type"] for e in events} == {
        "Conflict:Attack",
        "Life:Die",
        "Life:Injure",
        "X:Conflict:Agreement",
        "X:Conflict:ChangeOfControl",
    }
    assert result.problems[0].startswith("4 events of types outside ACE 2005 kept with a derived name")
    assert "X.Conflict.Agreement (2), X.Conflict.ChangeOfControl (2)" in result.problems[0]


def test_token_cuts_and_cross_sentence_arguments_are_reported(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    result = export(project, schema, "textee", tmp_path / "out")
    problems = "\n".join(result.problems)
    assert "hard-offsets/crlf 🇸🇾: token 'Syrian' at 70-76 cut at 75 to fit a span edge" in problems
    assert "event Life.Die 'killing' at 697-704: argument Place is in another sentence; left out" in problems
    windows = windows_of(tmp_path / "out" / "textee.jsonl")
    hard = [w for w in windows if w["doc_id"].startswith("hard-offsets")]
    assert any(w["tokens"][:3] == ["Syria", "n", "Army"] for w in hard)
    killing = next(e for w in windows for e in w["event_mentions"] if e["trigger"]["text"] == "killing")
    assert [a["role"] for a in killing["arguments"]] == ["Agent", "Victim"]


def test_worked_example_matches_the_reference_line(db: Database, schema: Schema, tmp_path: Path) -> None:
    """The window worked out by hand from TextEE's data/README.md layout; spaCy splits 'al-Waer' at the hyphen."""
    store(db, [worked_example()])
    export(db, schema, "textee", tmp_path / "out")
    [window] = windows_of(tmp_path / "out" / "textee.jsonl")
    assert window["wnd_id"] == "D1-0"
    assert window["tokens"][:4] == ["Government", "airstrikes", "on", "the"]
    texts = {m["id"]: m["text"] for m in window["entity_mentions"]}
    assert [(m["entity_type"], m["text"]) for m in window["entity_mentions"]] == [
        ("ORG", "Government"),
        ("LOC", "al-Waer district"),
        ("GPE", "Homs"),
        ("PER", "nine civilians"),
        ("TIME", "Saturday"),
        ("PER", "activists"),
    ]
    attack, die = window["event_mentions"]
    assert (attack["event_type"], attack["trigger"]) == (
        "Conflict:Attack",
        {"text": "airstrikes", "start": 1, "end": 2},
    )
    assert [(a["role"], texts[a["entity_id"]]) for a in attack["arguments"]] == [
        ("Attacker", "Government"),
        ("Place", "al-Waer district"),
    ]
    assert die["event_type"] == "Life:Die"
    assert [(a["role"], texts[a["entity_id"]]) for a in die["arguments"]] == [
        ("Agent", "Government"),
        ("Victim", "nine civilians"),
        ("Place", "al-Waer district"),
    ]
