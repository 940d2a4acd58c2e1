"""The command line: import and stats on the seeds, exit codes and messages on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.cli import main
from annotator.services.project import open_project
from annotator.store import models as m
from tests.conftest import SEEDS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_seeds_then_stats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite3")
    code, out, err = run(capsys, "import", str(SEEDS), "--db", db, "--json")
    assert code == 0, err
    assert json.loads(out)["added"] == 4
    assert "spaCy pipeline" in err  # the CLI says which pipeline pre-annotated

    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    stats = json.loads(out)
    assert stats["documents"] == 4
    assert set(stats) >= {"documents", "annotators", "entities", "events"}
    assert set(stats["entities"]) >= {"total", "by_label", "by_origin", "by_status"}
    labels = set(stats["entities"]["by_label"])
    assert {"PER", "ORG", "GPE", "TIME", "NUM"} <= labels and labels & {"LOC", "FAC"}
    assert stats["entities"]["by_origin"] == {"model": stats["entities"]["total"]}
    assert stats["entities"]["by_status"] == {"suggested": stats["entities"]["total"]}
    assert "model" in stats["annotators"]

    with open_project(db).db.reader() as session:

        def labels_of(text: str) -> set[str]:
            return set(session.scalars(select(m.EntityMention.label).where(m.EntityMention.text == text)))

        for place in ("al-Waer", "Khalidiya", "Palmyra"):
            assert labels_of(place) and labels_of(place) <= {"GPE", "LOC", "FAC"}, place
        assert labels_of("Syrian Observatory for Human Rights") == {"ORG"}
        assert labels_of("White Helmets") == {"ORG"}

    code, out, _ = run(capsys, "import", str(SEEDS), "--db", db, "--json")
    again = json.loads(out)
    assert code == 0 and again["added"] == 0 and again["duplicates"] == 4
    code, out, _ = run(capsys, "stats", "--db", db, "--json")
    assert json.loads(out) == stats


def test_import_reports_bad_files_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text("Airstrikes hit Palmyra on Monday.\n", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    code, out, err = run(capsys, "import", str(tmp_path / "in"), "--db", str(tmp_path / "p.sqlite3"), "--no-suggest")
    assert code == 1
    assert "imported 1 documents" in out
    assert "empty.txt: the file is empty" in err


def test_text_output_of_stats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite3")
    run(capsys, "import", str(SEEDS / "000_25aaf0369f5fd338.txt"), "--db", db, "--no-suggest")
    code, out, _ = run(capsys, "stats", "--db", db)
    assert code == 0 and out.startswith("documents   1")


def test_unknown_database_url_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "stats", "--db", "nosuchdriver://x/y")
    assert code == 2 and "cannot open database" in err


def test_entry_point_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("annotator ")


def test_export_formats_match_the_service() -> None:
    from annotator.cli import EXPORT_FORMATS
    from annotator.services import export

    assert EXPORT_FORMATS == export.EXPORT_FORMATS


def test_export_every_format_and_round_trip_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite3")
    assert run(capsys, "import", str(SEEDS), "--db", db, "--json")[0] == 0
    for fmt in ("jsonl", "brat", "textee", "conll", "xmi", "acled-csv", "ucdp-ged-csv"):
        code, out, err = run(
            capsys, "export", "--format", fmt, "--out", str(tmp_path / fmt), "--db", db, "--layer", "model", "--json"
        )
        assert code == 0, err
        result = json.loads(out)
        assert result["documents"] == 4 and (tmp_path / fmt / "DATASET.md").exists()
    exported = tmp_path / "jsonl" / "documents.jsonl"
    copy = str(tmp_path / "copy.sqlite3")
    code, out, err = run(
        capsys, "import", str(exported), "--db", copy, "--annotator", "model", "--no-suggest", "--json"
    )
    assert code == 0, err
    assert (
        run(capsys, "export", "--format", "jsonl", "--out", str(tmp_path / "again"), "--db", copy, "--layer", "model")[
            0
        ]
        == 0
    )
    assert (tmp_path / "again" / "documents.jsonl").read_bytes() == exported.read_bytes()
    # The model's suggested incidents come back as they were: same ids, same reports, same fields.
    incidents = (tmp_path / "jsonl" / "incidents.jsonl").read_bytes()
    assert b'"status":"suggested"' in incidents
    assert (tmp_path / "again" / "incidents.jsonl").read_bytes() == incidents


def test_import_brat_tutorial_and_doccano(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures"
    db = str(tmp_path / "p.sqlite3")
    _code, out, err = run(
        capsys,
        "import",
        str(fixtures / "brat-news-tutorial"),
        "--db",
        db,
        "--annotator",
        "tutor",
        "--no-suggest",
        "--json",
    )
    result = json.loads(out)
    assert result["added"] == 5 and result["events"] > 10 and not result["errors"], err
    _code, out, _ = run(
        capsys,
        "import",
        str(fixtures / "doccano" / "sequence_labeling_export_example.jsonl"),
        "--db",
        db,
        "--annotator",
        "tutor",
        "--no-suggest",
        "--json",
    )
    assert json.loads(out)["added"] == 3
    _code, out, _ = run(capsys, "stats", "--db", db, "--json")
    stats = json.loads(out)
    assert stats["entities"]["by_annotator"]["tutor"] == stats["entities"]["total"]
    assert {"Merge-org", "Report"} <= set(stats["events"]["by_type"])
