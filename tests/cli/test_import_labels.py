"""The command line checks the labels of annotated files against the project schema and maps them (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.schema import Schema
from annotator.services import records
from annotator.store.database import Database

CONF = """[entities]
Person
Organization
GPE
Weird
[relations]
[events]
Conflict_Attack\tAttacker?:Person|Organization, Place?:GPE
[attributes]
"""
TEXT = "Rebels of the Free Army shelled Homs.\n"
ANN = (
    "T1\tOrganization 10 23\tthe Free Army\n"
    "T2\tConflict_Attack 24 31\tshelled\n"
    "T3\tGPE 32 36\tHoms\n"
    "T4\tWeird 0 6\tRebels\n"
    "E1\tConflict_Attack:T2 Attacker:T1 Place:T3\n"
)


def test_resolve_label_rules(schema: Schema) -> None:
    assert schema.resolve_label("Conflict_Attack") == "Conflict.Attack"
    assert schema.resolve_label("Conflict:Attack") == "Conflict.Attack"  # ACE name
    assert schema.resolve_label("Life_Die") == "Life.Die"
    assert schema.resolve_label("Person") == "PER"  # the entity type's label
    assert schema.resolve_label("PERSON") == "PER"  # OntoNotes
    assert schema.resolve_label("organization") == "ORG"  # an alias, any case
    assert schema.resolve_label("gpe") == "GPE"
    assert schema.resolve_label("Weird") is None


def test_cli_import_maps_brat_labels_and_reports_unknown_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, schema: Schema
) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "annotation.conf").write_text(CONF, encoding="utf-8")
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "doc.ann").write_text(ANN, encoding="utf-8")
    db_path = tmp_path / "p.sqlite3"
    code = main(["import", str(folder), "--db", str(db_path), "--annotator", "ann", "--no-suggest", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["added"] == 1 and not result["errors"]
    [warning] = result["warnings"]
    assert warning.startswith(f"{folder / 'doc.ann'}, line 4:") and "'Weird' is not in the project schema" in warning
    db = Database("sqlite:///" + str(db_path))
    with db.reader() as session:
        [record] = [records.load_record(session, 1, records.annotator_id(session, "ann"))]
    db.dispose()
    assert sorted(e.label for e in record.entities) == ["GPE", "ORG", "Weird"]
    [event] = record.events
    assert event.type == "Conflict.Attack" and sorted(a.role for a in event.arguments) == ["Attacker", "Place"]


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    """`annotator stats | head -1`: the reader leaves early."""
    import os
    import subprocess
    import sys

    db = tmp_path / "p.sqlite3"
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home")}
    subprocess.run(
        [sys.executable, "-m", "annotator", "stats", "--db", str(db)], env=env, check=True, capture_output=True
    )
    read, write = os.pipe()
    os.close(read)  # nobody reads
    run = subprocess.run(
        [sys.executable, "-m", "annotator", "stats", "--db", str(db), "--json"],
        env=env,
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    os.close(write)
    assert "Traceback" not in run.stderr and run.returncode == 0
