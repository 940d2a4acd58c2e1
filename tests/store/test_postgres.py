"""The same code on PostgreSQL, the team server: migrations, import, search, editing with undo, stats."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from annotator.core.dto import Status
from annotator.core.schema import Schema
from annotator.services.annotate import AnnotationService
from annotator.services.documents import DocumentQueries
from annotator.services.importer import import_paths
from annotator.services.stats import corpus_stats
from annotator.store.database import HEAD_REVISION, Database
from tests.conftest import SEEDS
from tests.store import postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres.available(), reason=postgres.MISSING),
]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres.postgres_server() as url:
        yield url


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url)
    yield database
    with database.engine.begin() as conn:  # each test starts from an empty schema
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    database.dispose()


def test_migrations_import_search_and_stats(pg: Database, preannotator) -> None:  # type: ignore[no-untyped-def]
    assert pg.revision() == HEAD_REVISION
    result = import_paths(pg, [SEEDS], annotator="alice", preannotator=preannotator)
    assert len(result.added) == 4 and result.entities > 50
    again = import_paths(pg, [SEEDS], annotator="alice", preannotator=None)
    assert again.added == [] and again.duplicates == 4
    queries = DocumentQueries(pg)
    assert len(queries.ids("alice", query="Khalidiya")) == 1
    assert len(queries.ids("alice", query="Palmyra coalition")) == 1
    stats = corpus_stats(pg)
    assert stats["documents"] == 4 and stats["entities"]["total"] == result.entities
    rows = queries.rows(queries.ids("alice"), "alice")
    assert all(r.entity_count > 0 for r in rows)


def test_editing_undo_and_propagation(pg: Database, schema: Schema, preannotator) -> None:  # type: ignore[no-untyped-def]
    import_paths(pg, [SEEDS], annotator="alice", preannotator=preannotator)
    service = AnnotationService(pg, schema)
    doc = DocumentQueries(pg).ids("alice")[0]
    view = service.open_document(doc, "alice")
    start = view.text.index("Siege Watch")
    created = service.create_entity(doc, "alice", start, start + 11, "ORG")
    rejected = service.set_status(doc, "alice", [view.entities[0].id], Status.REJECTED)
    propagated = service.propagate(doc, "alice", "Homs", "GPE", corpus=True)
    assert len(propagated.documents) >= 2
    for changes in (propagated, rejected, created):
        assert changes.history_id is not None
        service.undo(changes.history_id)
    restored = service.open_document(doc, "alice")
    assert [(e.start, e.end, e.label, e.status) for e in restored.entities] == [
        (e.start, e.end, e.label, e.status) for e in view.entities
    ]


def test_team_settings_agreement_and_adjudication(pg: Database, schema: Schema) -> None:
    """Double annotation on the team server: shared settings, blind mode, agreement, gold with undo."""
    from annotator.core.dto import GOLD, DocStatus, DocumentRecord, Entity
    from annotator.services.adjudication import AdjudicationService
    from annotator.services.agreement_report import agreement_report
    from annotator.services.assignment import TeamSettings, load_team_settings, next_document, save_team_settings
    from annotator.services.records import annotator_id, store_document, store_layer

    text = "Jets bombed Homs and Aleppo on Monday."
    layers = {
        "alice": (Entity(1, 0, 4, "VEH", "Jets"), Entity(2, 12, 16, "GPE", "Homs"), Entity(3, 21, 27, "GPE", "Aleppo")),
        "bob": (Entity(1, 0, 4, "VEH", "Jets"), Entity(2, 12, 16, "LOC", "Homs")),
    }
    with pg.session() as session:
        doc = store_document(session, DocumentRecord(doc_id="d", text=text))
        for name, entities in layers.items():
            record = DocumentRecord(doc_id="d", text=text, entities=entities)
            store_layer(session, doc, annotator_id(session, name), record, status=DocStatus.DONE)
    save_team_settings(pg, TeamSettings(annotators_per_document=2, min_agree=2))
    assert load_team_settings(pg).annotators_per_document == 2
    assert next_document(pg, "carol", 0) is None  # two people finished it: nobody else is needed
    assert next_document(pg, GOLD, 0) == doc
    pair = agreement_report(pg).pairs[0]
    assert (pair.exact.matched, pair.exact.first, pair.exact.second) == (1, 3, 2)
    service = AdjudicationService(pg, schema)
    changes, settled = service.auto(doc, 2)
    assert settled == 1  # Jets
    state = service.state(doc)
    assert [(r.kind, r.versions) for r in state.rows] == [
        ("label", ("GPE “Homs”", "LOC “Homs”")),
        ("span", ("GPE “Aleppo”", "—")),
    ]
    homs, aleppo = state.rows
    service.take(doc, homs.key, 1)
    last = service.take(doc, aleppo.key, 0)
    assert service.state(doc).gold_status == DocStatus.ADJUDICATED
    service.undo(last.history_id)  # type: ignore[arg-type]
    assert service.state(doc).gold_status == DocStatus.IN_PROGRESS
    assert changes.history_id is not None


def test_incident_tables_after_upgrading_a_0002_database(pg: Database) -> None:
    from alembic import command
    from alembic.config import Config

    from annotator.core.dto import DocumentRecord
    from annotator.services import records
    from annotator.store.database import MIGRATIONS
    from tests.store.test_database import check_incident_schema

    with pg.session() as session:
        records.store_document(session, DocumentRecord(doc_id="a", text="kept through the upgrade", title="t"))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with pg.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    old = Database(pg.url, migrate=False)
    assert old.revision() == "0002"
    old.dispose()
    upgraded = Database(pg.url)
    check_incident_schema(upgraded)
    upgraded.dispose()


def test_evaluation_and_suggesting_again(pg: Database, db: Database, preannotator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.services.evaluation import evaluate
    from annotator.services.resuggest import resuggest
    from tests.services.gold_set import build_project

    build_project(pg, tmp_path / "pg", 3, preannotator=preannotator)
    build_project(db, tmp_path / "sqlite", 3, preannotator=preannotator)
    assert evaluate(pg).to_json() == evaluate(db).to_json()  # the same figures on both databases
    new = import_paths(pg, [SEEDS], annotator="alice", preannotator=None).added
    result = resuggest(pg, preannotator, documents="unopened")
    assert result.documents == len(new) == 4 and result.opened == 3 and result.entities > 50
    again = resuggest(pg, preannotator, documents="all")
    assert again.documents == 7 and evaluate(pg).to_json() == evaluate(db).to_json()
