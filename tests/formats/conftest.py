"""Format test fixtures: a project database holding the hand-built corpus in annotator alice's layer."""

from __future__ import annotations

import pytest

from annotator.store.database import Database
from tests.formats.corpus import corpus, store


@pytest.fixture
def project(db: Database) -> Database:
    store(db, corpus())
    return db
