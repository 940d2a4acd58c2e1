"""Where things live: the user data directory, the database URL from a path or the environment, resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core import paths


def test_home_is_the_override_then_the_environment_then_the_platform_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = paths.home_dir(tmp_path / "given" / "deep")
    assert chosen == tmp_path / "given" / "deep" and chosen.is_dir()  # created, parents too
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "env"))
    assert paths.home_dir() == tmp_path / "env" and (tmp_path / "env").is_dir()
    assert paths.home_dir(tmp_path / "given" / "deep") == tmp_path / "given" / "deep"
    monkeypatch.delenv("ANNOTATOR_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.home_dir() == tmp_path / "xdg" / "annotator"


def test_database_url_from_a_path_a_url_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.to_database_url("postgresql+psycopg://alice@db/annotator") == "postgresql+psycopg://alice@db/annotator"
    assert paths.to_database_url(tmp_path / "p.sqlite3") == f"sqlite:///{tmp_path / 'p.sqlite3'}"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.to_database_url("~/p.sqlite3") == f"sqlite:///{tmp_path / 'p.sqlite3'}"

    assert paths.default_database_url(tmp_path) == f"sqlite:///{tmp_path / 'annotator.sqlite3'}"
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    assert paths.default_database_url() == f"sqlite:///{tmp_path / 'home' / 'annotator.sqlite3'}"
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "team.sqlite3"))
    assert paths.default_database_url(tmp_path) == f"sqlite:///{tmp_path / 'team.sqlite3'}"
    monkeypatch.setenv("ANNOTATOR_DB", "postgresql+psycopg://bob@db/annotator")
    assert paths.default_database_url() == "postgresql+psycopg://bob@db/annotator"


def test_bundled_resources_and_seeds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths.default_schema_path() == paths.PROJECT_ROOT / "resources" / "schemas" / "conflict-events.yaml"
    assert paths.default_schema_path().is_file()
    assert paths.gazetteer_dir() == paths.PROJECT_ROOT / "resources" / "gazetteers"
    assert len(list(paths.seeds_dir().glob("*.txt"))) == 4
    monkeypatch.setenv("ANNOTATOR_RESOURCES", str(tmp_path))
    assert paths.default_schema_path() == tmp_path / "schemas" / "conflict-events.yaml"
    assert paths.gazetteer_dir() == tmp_path / "gazetteers"


def test_models_live_beside_a_sqlite_file_or_in_the_home_for_a_server(tmp_path: Path) -> None:
    assert paths.models_dir(f"sqlite:///{tmp_path / 'team.sqlite3'}") == tmp_path / "team-models"
    assert paths.models_dir("sqlite:///:memory:", tmp_path) == tmp_path / "models" / "sqlite_memory"
    assert paths.models_dir(
        "postgresql+psycopg://alice:secret@db.example:5432/annotator?sslmode=require", tmp_path
    ) == (
        tmp_path / "models" / "postgresql_psycopg_db.example_5432_annotator"  # no user, no password, no options
    )
