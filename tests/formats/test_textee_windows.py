"""TextEE details a reader depends on: ids per window, relations, review marks, multi-sentence windows, reports."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.core.dto import Argument, EventDate, Fatalities, Segmentation
from annotator.core.schema import Schema
from annotator.formats.textee import TextEEWriter, ace_type
from annotator.store.database import Database
from tests.formats.corpus import Doc, export, store

TEXT = "Rebels shelled Idlib on Monday. Nine people died in Idlib. The army denied it."


def _doc() -> Doc:
    d = Doc("idlib", TEXT)
    rebels = d.ent("Rebels", "ORG")
    idlib = d.ent("Idlib", "GPE")
    monday = d.ent("Monday", "TIME", origin="model", status="suggested")
    people = d.ent("Nine people", "PER")
    idlib2 = d.ent("Idlib", "GPE", nth=1)
    army = d.ent("army", "ORG")
    d.rel("Located", people, idlib2)
    d.rel("Located", rebels, idlib2)  # its arguments lie in two windows: no relation mention
    attack = d.event("shelled", "Conflict.Attack", [("Attacker", rebels), ("Place", idlib), ("Time", monday)])
    d.event(
        "died",
        "Life.Die",
        [("Victim", people), ("Place", idlib2), ("Agent", rebels)],
        origin="model",
        status="suggested",
        fatalities=Fatalities(value=9, qualifier="exact", text="Nine people"),
        date=EventDate(text="Monday"),
    )
    nested = Argument(role="Target", event_id=attack)  # an event filling a role
    d.events[-1] = replace(d.events[-1], arguments=(*d.events[-1].arguments, nested))
    d.event("denied", "X.Conflict.Agreement", [("Participant", army)], attrs={"certainty": "low"})
    return d


def _windows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_sentence_windows_number_their_mentions(db: Database, schema: Schema, tmp_path: Path) -> None:
    store(db, [_doc().record()])
    result = export(db, schema, "textee", tmp_path / "out")
    first, second, third = _windows(tmp_path / "out" / "textee.jsonl")
    assert [w["wnd_id"] for w in (first, second, third)] == ["idlib-0", "idlib-1", "idlib-2"]
    assert [w["text"] for w in (first, second, third)] == [
        "Rebels shelled Idlib on Monday.",
        "Nine people died in Idlib.",
        "The army denied it.",
    ]
    assert {w["lang"] for w in (first, second, third)} == {"en"}
    assert first["entity_mentions"] == [
        {"id": "idlib-0-E0", "entity_type": "ORG", "text": "Rebels", "start": 0, "end": 1},
        {"id": "idlib-0-E1", "entity_type": "GPE", "text": "Idlib", "start": 2, "end": 3},
        {"id": "idlib-0-E2", "entity_type": "TIME", "text": "Monday", "start": 4, "end": 5, "suggested": True},
    ]
    [attack] = first["event_mentions"]
    assert attack["id"] == "idlib-0-EV0" and "suggested" not in attack
    assert [(a["entity_id"], a["role"], a["start"], a["end"]) for a in attack["arguments"]] == [
        ("idlib-0-E0", "Attacker", 0, 1),
        ("idlib-0-E1", "Place", 2, 3),
        ("idlib-0-E2", "Time", 4, 5),
    ]
    assert first["relation_mentions"] == []
    [die] = second["event_mentions"]
    assert (die["id"], die["event_type"], die["trigger"], die["suggested"]) == (
        "idlib-1-EV0",
        "Life:Die",
        {"text": "died", "start": 2, "end": 3},
        True,
    )
    assert [(a["entity_id"], a["role"]) for a in die["arguments"]] == [
        ("idlib-1-E0", "Victim"),
        ("idlib-1-E1", "Place"),
    ]
    assert second["relation_mentions"] == [
        {
            "id": "idlib-1-R0",
            "relation_type": "Located",
            "arguments": [
                {"entity_id": "idlib-1-E0", "role": "Arg-1", "text": "Nine people", "start": 0, "end": 2},
                {"entity_id": "idlib-1-E1", "role": "Arg-2", "text": "Idlib", "start": 4, "end": 5},
            ],
        }
    ]
    [agreement] = third["event_mentions"]
    assert agreement["event_type"] == "X:Conflict:Agreement"
    assert "idlib: event Life.Die 'died' at 44-48: argument Agent is in another sentence; left out" in result.problems
    assert (
        "idlib: event Life.Die 'died' at 44-48: argument Target is an event (TextEE has no nested events); left out"
        in (result.problems)
    )
    assert result.problems[:2] == [
        "1 events of types outside ACE 2005 kept with a derived name "
        "(X.Conflict.Agreement -> X:Conflict:Agreement): X.Conflict.Agreement (1)",
        "TextEE has no place for event attributes, fatalities or dates "
        "(attrs on 1 events, date on 1 events, fatalities on 1 events); the jsonl export keeps them",
    ]


def test_a_window_of_two_sentences_holds_what_spans_them(db: Database, schema: Schema, tmp_path: Path) -> None:
    store(db, [_doc().record()])
    export(db, schema, "textee", tmp_path / "out", window=2)
    first, second = _windows(tmp_path / "out" / "textee.jsonl")
    assert first["text"] == "Rebels shelled Idlib on Monday. Nine people died in Idlib."
    assert second["text"] == "The army denied it." and second["wnd_id"] == "idlib-1"
    assert [m["id"] for m in first["entity_mentions"]] == [f"idlib-0-E{k}" for k in range(5)]
    assert [r["id"] for r in first["relation_mentions"]] == ["idlib-0-R0", "idlib-0-R1"]
    die = first["event_mentions"][1]
    assert die["id"] == "idlib-0-EV1" and die["trigger"] == {"text": "died", "start": 8, "end": 9}
    assert [(a["role"], a["text"]) for a in die["arguments"]] == [
        ("Victim", "Nine people"),
        ("Place", "Idlib"),
        ("Agent", "Rebels"),
    ]


def test_the_ace_name_comes_from_the_schema(schema: Schema) -> None:
    assert ace_type(schema, "Conflict.Attack") == "Conflict:Attack"
    assert ace_type(schema, "X.Conflict.Agreement") is None
    assert ace_type(schema, "No.Such.Type") is None


def test_a_span_off_the_token_bounds_is_reported_and_left_out(schema: Schema, tmp_path: Path) -> None:
    """Tokens are cut at span edges, but an edge in the blank between tokens has no token to start or end on."""
    d = Doc("blank", "Rebels shelled Idlib.")
    d.ent("Rebels", "ORG")
    d.ent(" Idlib", "GPE")  # begins on the space
    d.event("shelled ", "Conflict.Attack", [])  # ends after the space
    tokens = ((0, 6), (7, 14), (15, 20), (20, 21))
    writer = TextEEWriter(tmp_path, schema)
    problems = writer.write(d.record(), Segmentation(tokens=tokens, sentences=((0, 21),)))
    writer.close()
    [window] = _windows(tmp_path / "textee.jsonl")
    assert [m["text"] for m in window["entity_mentions"]] == ["Rebels"]
    assert window["event_mentions"] == []
    assert problems == [
        "blank: GPE ' Idlib' at 14-20 does not start and end on tokens; left out",
        "blank: event Conflict.Attack 'shelled ' at 7-15: trigger does not start and end on tokens; left out",
    ]
