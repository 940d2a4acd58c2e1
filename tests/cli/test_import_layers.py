"""Which layers an import creates: the model's suggestions always, a person's only for files with annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.paths import PROJECT_ROOT
from tests.conftest import SEEDS

BRAT = PROJECT_ROOT / "tests" / "fixtures" / "brat-news-tutorial"


def annotators(capsys: pytest.CaptureFixture[str], db: str) -> list[str]:
    assert main(["stats", "--db", db, "--json"]) == 0
    return sorted(json.loads(capsys.readouterr().out)["annotators"])


def test_an_import_before_the_first_start_adds_no_person(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite3")  # nobody has said their name yet: the settings hold the OS user's
    assert main(["import", str(SEEDS), "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 4
    assert annotators(capsys, db) == ["model"]
    assert main(["import", str(BRAT), "--db", db, "--annotator", "carol", "--json"]) == 0
    capsys.readouterr()
    assert annotators(capsys, db) == ["carol", "model"]  # annotated files bring their layer
