"""Opening a project: where its database is, the schema it keeps, and the export's default layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import GOLD, DocStatus, DocumentRecord
from annotator.core.paths import default_schema_path
from annotator.services import records
from annotator.services.project import open_project
from annotator.store import models as m
from tests.formats.corpus import GOLDEN


def test_a_new_project_lives_in_its_home_and_keeps_its_schema(tmp_path: Path) -> None:
    project = open_project(home=tmp_path / "home")
    assert project.db.url == f"sqlite:///{tmp_path / 'home' / 'annotator.sqlite3'}"
    assert project.is_empty() and project.home == tmp_path / "home"
    with project.db.reader() as session:
        kept = {row.key: row.value for row in session.query(m.ProjectInfo)}
    assert kept["schema_id"] == project.schema.id and kept["schema_sha256"] == project.schema.sha256
    assert kept["schema_yaml"] == default_schema_path().read_text(encoding="utf-8")
    with project.db.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="Shelling hit Homs."))
    assert not project.is_empty()
    project.db.dispose()


def test_the_schema_setting_and_a_changed_schema_are_recorded(tmp_path: Path) -> None:
    project = open_project(str(tmp_path / "p.sqlite3"), home=tmp_path)
    project.settings.set("schema_path", str(GOLDEN / "conflict-events.yaml"))
    project.db.dispose()
    again = open_project(str(tmp_path / "p.sqlite3"), home=tmp_path)
    with again.db.reader() as session:
        assert session.get_one(m.ProjectInfo, "schema_sha256").value == again.schema.sha256
        assert session.get_one(m.ProjectInfo, "schema_yaml").value == (GOLDEN / "conflict-events.yaml").read_text(
            encoding="utf-8"
        )
    again.db.dispose()


def test_export_defaults_to_gold_once_gold_has_a_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite3"))
    project = open_project(home=tmp_path)
    assert project.db.url.endswith("env.sqlite3")
    assert records.default_layer(project.db, "alice") == "alice"
    with project.db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="a", text="Shelling hit Homs."))
        records.annotator_id(session, GOLD)  # the gold annotator alone is not a gold layer
    assert records.default_layer(project.db, "alice") == "alice"
    with project.db.session() as session:
        gold = records.annotator_id(session, GOLD)
        session.add(m.DocumentState(document_id=doc, annotator_id=gold, status=DocStatus.ADJUDICATED))
    assert records.default_layer(project.db, "alice") == GOLD
    project.db.dispose()
