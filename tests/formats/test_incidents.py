"""Incidents in files: UCDP GED columns, and native JSONL and brat keeping linked incidents through a round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotator.core.schema import Schema
from annotator.services.importer import import_paths
from annotator.services.incidents import IncidentService
from annotator.store.database import Database
from tests.formats.corpus import export, read_tree
from tests.formats.test_acled import link_homs_reports

# The GED column names (UCDP GED codebook), in the codebook's order.
GED = (
    "id, year, type_of_violence, side_a, side_b, where_prec, where_description, adm_1, adm_2, latitude, longitude, "
    "country, region, event_clarity, date_prec, date_start, date_end, deaths_a, deaths_b, deaths_civilians, "
    "deaths_unknown, best, high, low, number_of_sources, source_article, source_office, source_date, source_headline, "
    "source_original"
)


def test_ucdp_ged_columns_and_one_sided_violence(project: Database, schema: Schema, tmp_path: Path) -> None:
    link_homs_reports(project, schema)
    result = export(project, schema, "ucdp-ged-csv", tmp_path / "out")
    with (tmp_path / "out" / "ucdp_ged.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert ", ".join(reader.fieldnames or []) == GED
    (row,) = [r for r in rows if r["id"].startswith("homs-airstrikes@")]
    assert (row["type_of_violence"], row["side_b"], row["deaths_civilians"], row["deaths_unknown"]) == (
        "3",
        "Civilians",
        "9",
        "0",
    )
    assert (row["best"], row["low"], row["high"]) == ("9", "9", "9")
    assert (row["date_prec"], row["date_start"], row["date_end"], row["year"]) == (
        "1",
        "2017-02-08",
        "2017-02-08",
        "2017",
    )
    assert (row["where_prec"], row["adm_1"], row["country"], row["region"]) == ("1", "Homs", "Syria", "Middle East")
    assert row["number_of_sources"] == "1" and row["source_office"] == "AP"
    assert all(r["best"] != "0" for r in rows)  # GED records events with at least one death
    assert any("no GED row" in p for p in result.problems)


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_linked_incidents_survive_export_and_import(
    fmt: str, project: Database, schema: Schema, tmp_path: Path
) -> None:
    link_homs_reports(project, schema)
    before = {i.id: sorted(m.trigger for m in i.members) for i in IncidentService(project, schema).incidents("alice")}
    export(project, schema, fmt, tmp_path / "first")
    again = Database("sqlite:///" + str(tmp_path / "again.sqlite3"))
    result = import_paths(again, [tmp_path / "first"], annotator="alice", preannotator=None, schema=schema)
    assert result.incidents == 1 and not [p for p in result.problems if p.severity == "error"]
    after = {i.id: sorted(m.trigger for m in i.members) for i in IncidentService(again, schema).incidents("alice")}
    assert after == before and ["airstrikes", "killed", "shelled"] in before.values()
    export(again, schema, fmt, tmp_path / "second")
    first, second = read_tree(tmp_path / "first"), read_tree(tmp_path / "second")
    if fmt == "jsonl":
        assert first["incidents.jsonl"] == second["incidents.jsonl"]  # the same bytes
        assert _incident_ids(first["documents.jsonl"]) == _incident_ids(second["documents.jsonl"])
        line = json.loads(first["incidents.jsonl"].splitlines()[0])
        assert set(line) >= {"id", "events", "type", "date", "location", "fatalities"}
    else:
        assert {k: v for k, v in first.items() if k.endswith(".ann")} == {
            k: v for k, v in second.items() if k.endswith(".ann")
        }
    again.dispose()


def test_linked_incidents_import_onto_texts_already_in_the_project(
    project: Database, schema: Schema, tmp_path: Path
) -> None:
    """The annotated export of articles a project already holds as plain texts: layers added, links kept."""
    link_homs_reports(project, schema)
    before = {i.id: sorted(m.trigger for m in i.members) for i in IncidentService(project, schema).incidents("alice")}
    export(project, schema, "jsonl", tmp_path / "export")
    plain = tmp_path / "plain"
    plain.mkdir()
    lines = (tmp_path / "export" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines):
        (plain / f"{k}.txt").write_text(json.loads(line)["text"], encoding="utf-8", newline="")
    again = Database("sqlite:///" + str(tmp_path / "again.sqlite3"))
    assert len(import_paths(again, [plain], annotator="alice", preannotator=None).added) == len(lines)
    result = import_paths(again, [tmp_path / "export"], annotator="alice", preannotator=None, schema=schema)
    assert (result.added, result.layers_added, result.incidents) == ([], len(lines), 1)
    after = {i.id: sorted(m.trigger for m in i.members) for i in IncidentService(again, schema).incidents("alice")}
    assert sorted(after.values()) == sorted(before.values())  # ids name documents, here named after the files
    again.dispose()


def _incident_ids(data: bytes) -> list[tuple[str, str, str | None]]:
    lines = [json.loads(line) for line in data.splitlines()]
    return [(doc["doc_id"], ev["id"], ev["incident_id"]) for doc in lines for ev in doc["event_mentions"]]
