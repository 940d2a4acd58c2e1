"""Test set-up shared by every test: offscreen Qt, a private user data directory, the real schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.paths import PROJECT_ROOT
from annotator.core.schema import Schema, load_schema
from annotator.store.database import Database

SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Tests never touch the real user data directory or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    yield home


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database("sqlite:///" + str(tmp_path / "project.sqlite3"))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def preannotator(schema: Schema):  # type: ignore[no-untyped-def]
    """The real pre-annotation pipeline (spaCy + gazetteer + event suggester), loaded once per run."""
    from annotator.nlp.preannotate import Preannotator

    return Preannotator(schema)
