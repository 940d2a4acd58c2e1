"""Review state in exports: reviewed only by default, suggestions on request and marked in each format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.dto import MODEL, Argument, DocumentRecord, Entity, Event, Status
from annotator.core.review import unreviewed_count
from annotator.core.schema import Schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.store.database import Database
from tests.formats.corpus import export, store

TEXT = "Jets bombed Homs on Monday, activists said."


def suggested_record() -> DocumentRecord:
    """A person's layer: two spans they made or accepted, one suggestion, an event they accepted with a
    suggested role filler, and a suggested event nobody looked at."""
    return DocumentRecord(
        doc_id="d",
        text=TEXT,
        published="2017-02-07",  # ACLED rows need a date: the attack falls back to the article's
        status="done",
        entities=(
            Entity(1, 12, 16, "GPE", "Homs"),  # made by the person
            Entity(2, 0, 4, "VEH", "Jets", origin="model", status="accepted"),
            Entity(3, 20, 26, "TIME", "Monday", origin="model", status="suggested"),
            Entity(4, 28, 37, "PER", "activists", origin="model", status="rejected"),
        ),
        events=(
            Event(
                1,
                "Conflict.Attack",
                5,
                11,
                "bombed",
                arguments=(
                    Argument("Place", entity_id=1),
                    Argument("Instrument", entity_id=2, origin="model", status="suggested"),
                ),
                attrs={"attack_mode": "air_drone_strike"},
                origin="model",
                status="accepted",
            ),
            Event(2, "Life.Die", 5, 11, "bombed", origin="model", status="suggested"),
        ),
    )


@pytest.fixture
def layered(db: Database) -> Database:
    store(db, [suggested_record()])
    return db


def test_reviewed_only_by_default_and_suggestions_marked_on_request(
    layered: Database, schema: Schema, tmp_path: Path
) -> None:
    plain = export(layered, schema, "jsonl", tmp_path / "plain", include_suggestions=False)
    line = json.loads((tmp_path / "plain" / "documents.jsonl").read_text(encoding="utf-8"))
    # the rejection stays in jsonl (a person's decision), the unreviewed TIME span, Die event and filler go
    assert [(e["text"], e["status"]) for e in line["entity_mentions"]] == [
        ("Jets", "accepted"),
        ("Homs", "accepted"),
        ("activists", "rejected"),
    ]
    assert [ev["type"] for ev in line["event_mentions"]] == ["Conflict.Attack"]
    assert [a["role"] for a in line["event_mentions"][0]["arguments"]] == ["Place"]
    assert plain.unreviewed == 3
    card = (tmp_path / "plain" / "DATASET.md").read_text(encoding="utf-8")
    assert "3 suggestions nobody reviewed were left out" in card
    assert "Reviewed mentions and events in this export: 3 (1 made by a person, 2 accepted suggestions)" in card

    full = export(layered, schema, "jsonl", tmp_path / "full")
    line = json.loads((tmp_path / "full" / "documents.jsonl").read_text(encoding="utf-8"))
    assert full.entities == 4 and full.events == 2
    assert {(e["text"], e["status"]) for e in line["entity_mentions"]} >= {("Monday", "suggested")}
    card = (tmp_path / "full" / "DATASET.md").read_text(encoding="utf-8")
    assert 'included on request: each mention, event and role filler carries its "status"' in card


def test_each_format_marks_suggestions_or_says_it_cannot(layered: Database, schema: Schema, tmp_path: Path) -> None:
    export(layered, schema, "textee", tmp_path / "textee")
    window = json.loads((tmp_path / "textee" / "textee.jsonl").read_text(encoding="utf-8").splitlines()[0])
    marked = {m["text"]: m.get("suggested", False) for m in window["entity_mentions"]}
    assert marked == {"Jets": False, "Homs": False, "Monday": True}  # accepted suggestions are reviewed
    events = {ev["event_type"]: ev for ev in window["event_mentions"]}
    assert "suggested" not in events["Conflict:Attack"] and events["Life:Die"]["suggested"] is True
    assert {a["role"]: a.get("suggested", False) for a in events["Conflict:Attack"]["arguments"]} == {
        "Place": False,
        "Instrument": True,
    }
    export(layered, schema, "acled-csv", tmp_path / "acled")
    with (tmp_path / "acled" / "acled.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["tags"] for r in rows] == [""]  # the accepted Attack; Die is not an ACLED event type
    brat = tmp_path / "brat"
    export(layered, schema, "brat", brat)
    ann = (brat / "d.ann").read_text(encoding="utf-8")
    monday = next(line.split("\t")[0] for line in ann.splitlines() if line.endswith("\tMonday"))
    assert any(
        line.startswith("#") and f" {monday}\t" in line and '"status":"suggested"' in line for line in ann.splitlines()
    )
    for fmt in ("conll", "xmi"):
        result = export(layered, schema, fmt, tmp_path / fmt)
        assert any(
            f"3 suggestions nobody reviewed are written like reviewed annotations: {fmt}" in p for p in result.problems
        )
        card = (tmp_path / fmt / "DATASET.md").read_text(encoding="utf-8")
        assert f"{fmt} has no place to mark them" in card


def test_acled_rows_of_unreviewed_events_are_tagged(db: Database, schema: Schema, tmp_path: Path) -> None:
    homs = Entity(1, 12, 16, "GPE", "Homs")
    attack = Event(
        1, "Conflict.Attack", 5, 11, "bombed", arguments=(Argument("Place", entity_id=1),),
        attrs={"attack_mode": "air_drone_strike"}, origin="model", status="suggested",
    )  # fmt: skip
    record = DocumentRecord(
        doc_id="s", text=TEXT + " ", published="2017-02-07", entities=(homs,), events=(attack,), status="done"
    )
    store(db, [record], annotator="bob")
    export(db, schema, "acled-csv", tmp_path / "out", layer="bob")
    with (tmp_path / "out" / "acled.csv").open(encoding="utf-8", newline="") as handle:
        assert [r["tags"] for r in csv.DictReader(handle)] == ["unreviewed suggestion"]


def test_the_model_layer_exports_its_suggestions(
    capsys: pytest.CaptureFixture[str], layered: Database, schema: Schema, tmp_path: Path
) -> None:
    with layered.session() as session:
        records.store_layer(session, 1, records.annotator_id(session, MODEL), suggested_record())
    result = export(layered, schema, "jsonl", tmp_path / "model", layer=MODEL, include_suggestions=False)
    assert result.entities == 4 and result.events == 2
    assert "This is the model's layer" in (tmp_path / "model" / "DATASET.md").read_text(encoding="utf-8")
    url = str(layered.url)
    command = ["export", "--format", "jsonl", "--out", str(tmp_path / "cli"), "--db", url, "--layer", "alice"]
    code = main(command)
    assert code == 0 and "3 unreviewed suggestions were left out" in capsys.readouterr().err
    code = main([*command, "--include-suggestions", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["include_suggestions"] is True and data["entities"] == 4


def test_accept_all_and_reject_all_leave_nothing_unreviewed(layered: Database, schema: Schema) -> None:
    service = AnnotationService(layered, schema)
    doc = 1
    view = service.open_document(doc, "alice")
    assert unreviewed_count(view) == 3  # Monday, the Die event, the Attack's Instrument
    rejected = service.reject_all(doc, "alice")
    view = service.open_document(doc, "alice")
    assert unreviewed_count(view) == 0
    assert {e.text: e.status for e in view.entities}["Monday"] == Status.REJECTED
    attack = next(ev for ev in view.events if ev.type == "Conflict.Attack")
    assert attack.status == Status.ACCEPTED and [a.status for a in attack.arguments] == ["accepted", "rejected"]
    service.undo(rejected.history_id)  # type: ignore[arg-type]
    service.accept_all(doc, "alice")
    view = service.open_document(doc, "alice")
    assert unreviewed_count(view) == 0
    assert {ev.type: ev.status for ev in view.events} == {"Conflict.Attack": "accepted", "Life.Die": "accepted"}
    assert {e.text: e.status for e in view.entities}["activists"] == Status.REJECTED  # decisions stay
