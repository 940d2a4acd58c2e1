"""Test set-up shared by every test: offscreen Qt, a private user data directory, the real schema."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.paths import PROJECT_ROOT
from annotator.core.schema import Schema, load_schema
from annotator.store.database import Database

SEEDS = PROJECT_ROOT / "seeds"
T = TypeVar("T")


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


_PROCESS_CACHE: dict[str, Any] = {}


def once_per_process(key: str, build: Callable[[], T]) -> T:
    """A heavy read-only resource (a spaCy pipeline) built once per process rather than once per pytest run.

    The same for `make test`; `make mutate` runs pytest again for every mutant, in a fork of a process that has
    built it already, and loading spaCy each time would cost more than most mutants' tests.
    """
    if key not in _PROCESS_CACHE:
        _PROCESS_CACHE[key] = build()
    built: T = _PROCESS_CACHE[key]
    return built


@pytest.fixture(scope="session")
def preannotator(schema: Schema):  # type: ignore[no-untyped-def]
    """The real pre-annotation pipeline (spaCy + gazetteer + event suggester), loaded once per run."""
    from annotator.nlp.preannotate import Preannotator

    return once_per_process("preannotator", lambda: Preannotator(schema))
