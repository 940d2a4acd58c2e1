"""Double annotation: team settings stored in the project, who gets which document next, blind mode."""

from __future__ import annotations

import hashlib

import pytest

from annotator.core.dto import GOLD, DocStatus
from annotator.core.errors import UserError
from annotator.core.schema import Schema
from annotator.services.annotate import AnnotationService
from annotator.services.assignment import TeamSettings, load_team_settings, next_document, save_team_settings
from annotator.services.importer import import_paths
from annotator.store import models as m
from annotator.store.database import Database
from tests.conftest import SEEDS


@pytest.fixture
def seeds(db: Database) -> list[int]:
    return import_paths(db, [SEEDS], annotator="alice", preannotator=None).added


def test_settings_live_in_the_project_and_are_checked(db: Database) -> None:
    assert load_team_settings(db) == TeamSettings()
    chosen = TeamSettings(annotators_per_document=2, double_share=0.2, seed=7, blind=False, min_agree=2)
    save_team_settings(db, chosen)
    assert load_team_settings(db) == chosen
    with pytest.raises(UserError, match="between 0% and 100%"):
        TeamSettings(double_share=1.5)
    with pytest.raises(UserError, match="annotators per document"):
        TeamSettings(annotators_per_document=0)
    with db.session() as session:  # written by hand or by another version
        session.merge(m.ProjectInfo(key="team_settings", value='{"annotators_per_document": "two", "x": 1}'))
    assert load_team_settings(db) == TeamSettings()
    with db.session() as session:
        session.merge(m.ProjectInfo(key="team_settings", value="[1, 2]"))
    assert load_team_settings(db) == TeamSettings()


def test_the_double_annotated_share_is_reproducible() -> None:
    shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(2000)]
    fifth = TeamSettings(annotators_per_document=2, double_share=0.2)
    chosen = [sha for sha in shas if fifth.needs(sha) == 2]
    assert 340 <= len(chosen) <= 460  # about a fifth of 2000
    assert chosen == [sha for sha in shas if TeamSettings(annotators_per_document=2, double_share=0.2).needs(sha) == 2]
    other_seed = [
        sha for sha in shas if TeamSettings(annotators_per_document=2, double_share=0.2, seed=1).needs(sha) == 2
    ]
    assert other_seed != chosen
    assert all(TeamSettings().needs(sha) == 1 for sha in shas[:50])
    assert all(TeamSettings(annotators_per_document=3).needs(sha) == 3 for sha in shas[:50])


def test_next_document_gives_each_annotator_what_still_needs_them(
    db: Database, seeds: list[int], schema: Schema
) -> None:
    service = AnnotationService(db, schema)
    first, second, third, fourth = seeds
    service.open_document(first, "alice")
    service.create_entity(first, "alice", 0, 4, "GPE")  # alice starts the first document
    # one annotator per document: Bob is given the documents nobody started
    assert next_document(db, "bob", 0) == second
    assert next_document(db, "alice", first) == second
    service.set_document_status(first, "alice", DocStatus.DONE)
    assert next_document(db, "alice", fourth) == second  # wraps round, skipping what alice finished
    # two annotators per document: the first still needs Bob
    save_team_settings(db, TeamSettings(annotators_per_document=2))
    assert next_document(db, "bob", 0) == first
    service.open_document(first, "bob")
    service.create_entity(first, "bob", 0, 4, "GPE")
    service.set_document_status(first, "bob", DocStatus.DONE)
    # a third person is not needed on it any more
    assert next_document(db, "carol", 0) == second
    # gold's next is the first document two people finished and nobody adjudicated
    assert next_document(db, GOLD, 0) == first
    assert next_document(db, GOLD, first) is None  # the only one is the one open
    save_team_settings(db, TeamSettings(annotators_per_document=2, double_share=0.0))
    assert next_document(db, "carol", 0) == second
    # someone's own document in progress is always theirs to finish
    service.create_entity(third, "carol", 0, 4, "GPE")
    service.create_entity(third, "dave", 0, 4, "GPE")
    assert next_document(db, "carol", third) in {second, fourth} and next_document(db, "dave", second) == third


def test_each_document_counts_only_the_people_who_started_it(db: Database, seeds: list[int], schema: Schema) -> None:
    """Two per document: alice skips only the one two others started, not those with one other."""
    service = AnnotationService(db, schema)
    first, second, third, fourth = seeds
    save_team_settings(db, TeamSettings(annotators_per_document=2))
    for doc, person in ((first, "bob"), (second, "bob"), (second, "carol"), (fourth, "dave")):
        service.create_entity(doc, person, 0, 4, "GPE")
    assert [next_document(db, "alice", after) for after in (0, first, third)] == [first, third, fourth]
    assert next_document(db, "alice", fourth) == first  # wraps round; the second stays skipped


def test_blind_mode_hides_other_layers_until_done(db: Database, seeds: list[int], schema: Schema) -> None:
    service = AnnotationService(db, schema)
    doc = seeds[0]
    service.create_entity(doc, "alice", 0, 4, "GPE")
    service.set_document_status(doc, "alice", DocStatus.DONE)
    view = service.open_document(doc, "bob", others=["alice"])
    assert not view.blind and "alice" in view.others  # one annotator per document: nothing to hide
    save_team_settings(db, TeamSettings(annotators_per_document=2))
    view = service.open_document(doc, "bob", others=["alice"])
    assert view.blind and view.others == {}
    service.set_document_status(doc, "bob", DocStatus.DONE)
    view = service.open_document(doc, "bob", others=["alice"])
    assert not view.blind and [e.text for e in view.others["alice"]] == [view.text[0:4]]
    save_team_settings(db, TeamSettings(annotators_per_document=2, blind=False))
    assert not service.open_document(doc, "carol", others=["alice"]).blind
