"""`annotator incidents`: the incidents of a layer, as lines or as JSON, linked on first use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.dto import MODEL
from annotator.store.database import Database
from tests.cli.test_cli import run
from tests.formats.corpus import store
from tests.services.test_incidents import reports, two_in_one_article


@pytest.fixture
def project(tmp_path: Path) -> str:
    url = "sqlite:///" + str(tmp_path / "incidents.sqlite3")
    db = Database(url)
    store(db, [*reports(), two_in_one_article()], annotator=MODEL)
    db.dispose()
    return url


def test_incidents_as_json(capsys: pytest.CaptureFixture[str], project: str) -> None:
    code, out, _ = run(capsys, "incidents", "--db", project, "--layer", MODEL, "--json")
    assert code == 0
    found = json.loads(out)
    assert found["layer"] == MODEL
    incidents = {i["id"]: i for i in found["incidents"]}
    assert len(incidents) == 5  # the model's events are linked on first use
    linked = incidents["a@9"]  # the first report's document and trigger offset, as exports number it
    assert sorted(e["doc_id"] for e in linked["events"]) == ["a", "b"]
    assert linked["fatalities"] == {"best": 9, "low": 9, "high": 10}
    assert (linked["type"], linked["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (linked["date"], linked["precision"], linked["status"]) == ("2017-02-07", "day", "suggested")
    assert "same day: 2017-02-07" in linked["reasons"] and linked["score"] >= 0.5
    assert sum(len(i["events"]) for i in incidents.values()) == 6  # every event in exactly one incident


def test_incidents_as_lines(capsys: pytest.CaptureFixture[str], project: str) -> None:
    code, out, err = run(capsys, "incidents", "--db", project, "--layer", MODEL)
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    assert len(lines) == 5
    first = next(line for line in lines if line[0] == "a@9")
    assert first[1:] == ["suggested", "2017-02-07", "Air/drone strike", "Homs - Al Waer", "9 dead", "2 report(s)"]
    assert "5 incidents in layer model, 1 of them linking several reports" in err
    # A person who opened nothing yet: their layer is the model's suggestions, as an export of it would be.
    code, out, err = run(capsys, "incidents", "--db", project, "--layer", "newcomer")
    assert code == 0 and len(out.splitlines()) == 5
    assert "5 incidents in layer newcomer, 1 of them linking several reports" in err
