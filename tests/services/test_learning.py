"""The learning loop on a real SQLite project: learn, suggest with what was learned, roll back, re-suggest."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.cli import main
from annotator.core.dto import MODEL, DocumentRecord, Event
from annotator.core.errors import Cancelled
from annotator.core.paths import models_dir
from annotator.core.schema import Schema
from annotator.nlp.learning.versions import ModelStore
from annotator.nlp.preannotate import AnnotationInput, Preannotator
from annotator.services import records
from annotator.services.agreement import EventScores, Score
from annotator.services.annotate import AnnotationService
from annotator.services.evaluation import Evaluation, evaluate, suggested_now
from annotator.services.importer import import_paths
from annotator.services.learning import Learner, LearnResult, _joined, choose
from annotator.services.project import open_project
from annotator.services.resuggest import resuggest
from annotator.store import models as m
from annotator.store.database import Database
from tests.conftest import SEEDS
from tests.services.gold_set import build_project, documents
from tests.services.test_export import RecordingProgress

DOCS = 6


@dataclass
class Learned:
    db: Database
    path: Path
    store: ModelStore
    before: Evaluation
    result: LearnResult
    progress: RecordingProgress


def _learner(db: Database, schema: Schema, store: ModelStore) -> Learner:
    # Few epochs and folds keep the test quick; the defaults learn better.
    return Learner(db, schema, "en_core_web_sm", store, epochs=1, max_folds=3)


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory, schema: Schema, preannotator: Preannotator) -> Learned:
    root = tmp_path_factory.mktemp("learning")
    path = root / "project.sqlite3"
    db = Database("sqlite:///" + str(path))
    build_project(db, root / "src", DOCS, preannotator=preannotator)
    store = ModelStore(models_dir(db.url))
    before = evaluate(db)
    progress = RecordingProgress()
    return Learned(db, path, store, before, _learner(db, schema, store).learn(progress=progress), progress)


@pytest.fixture(scope="module")
def now(learned: Learned, schema: Schema) -> Preannotator:
    """The suggester learned from the gold set."""
    return Preannotator(schema, learned=learned.store.active_folder())


def _events(preannotator: Preannotator, text: str) -> list[Event]:
    return list(next(preannotator.annotate([AnnotationInput(text)])).events)


def test_learn_compares_keeps_the_better_and_reports(learned: Learned) -> None:
    result = learned.result
    golds = list(documents(DOCS))
    assert (result.documents, result.entities, result.events) == (
        DOCS,
        sum(len(e) for _t, e, _v in golds),
        sum(len(v) for _t, _e, v in golds),
    )
    assert result.folds == 3 and result.compared == DOCS
    assert result.created == "v1" and result.model == "v1" and learned.store.active() == "v1"
    assert result.before is not None and result.after is not None
    # The stored suggestions are what the base suggester gave: its cross-validated "before" is the same figure.
    assert result.before.events.trigger_cls == learned.before.events.trigger_cls
    assert result.components["triggers"] == "learned"
    # Each fold's suggestions come from the spans it learned too, not the base pipeline's alone.
    assert result.after.entities.exact != result.before.entities.exact, result.after.entities.exact
    assert result.after.events.trigger_cls.f1 > result.before.events.trigger_cls.f1
    for name, state in result.components.items():
        better = result.after.headline()[name] > result.before.headline()[name]
        assert state == ("learned" if better else "not learned"), name
    data = result.to_json()
    assert {"documents", "entities", "events", "before", "after", "model"} <= set(data)
    assert data["model"] == "v1" and data["before"]["triggers"]["classification"]["second"] == result.events
    # The progress bar fills exactly: every step announced is taken (here 3 folds, 1 epoch, DOCS documents).
    assert (
        learned.progress.calls[0] == ("start", 3 * DOCS + 3 * (1 + 2) + 1 + 1) and learned.progress.label == "Learning"
    )
    assert learned.progress.done == learned.progress.calls[0][1] and learned.progress.calls[-1] == ("finish", None)
    steps = ("entities", "classifiers trained")  # each fold learns, then says which it was; the last run learns all
    folds = [step for k in (1, 2, 3) for step in (*steps, f"fold {k} of 3")]
    assert [detail for kind, detail in learned.progress.calls if kind == "advance"] == [
        "documents read",
        *["parsed"] * DOCS,
        "current suggester",
        *folds,
        *steps,
    ]
    meta = learned.store.meta("v1")
    assert meta["documents"] == DOCS and len(meta["trained_on"]) == DOCS and meta["base_pipeline"]


def test_learning_again_compares_with_the_version_in_use_and_copies_what_it_keeps(
    learned: Learned, schema: Schema, tmp_path: Path
) -> None:
    """The "before" of a second run is what the version in use suggests now, on every document it learned from;
    a component that is not learned again is the version in use's, file for file."""
    path = tmp_path / "project.sqlite3"
    with sqlite3.connect(learned.path) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    db = Database("sqlite:///" + str(path))
    store = ModelStore(models_dir(db.url))
    shutil.copytree(learned.store.root, store.root)
    in_use = store.active_folder()
    assert in_use is not None
    now = evaluate(db, suggest=suggested_now(Preannotator(schema, learned=in_use)))
    result = _learner(db, schema, store).learn()
    assert result.before is not None and result.before.to_json() == now.to_json()
    assert result.before.to_json() != learned.result.before.to_json()  # not the base pipeline's figure
    # v1 learned its trigger words from every one of these documents: no fold can beat it there, so it stays.
    assert result.components["triggers"] == "kept" and result.created == store.active() == "v2"
    kept = sorted(p.name for p in in_use.glob("triggers*.*"))
    assert kept and sorted(p.name for p in (store.root / "v2").glob("triggers*.*")) == kept
    assert all((store.root / "v2" / name).read_bytes() == (in_use / name).read_bytes() for name in kept)


def test_learned_trigger_words_are_suggested_on_new_text(now: Preannotator, preannotator: Preannotator) -> None:
    assert now.message.startswith("learned suggester v1")
    text = "Iranian jets strafed a hospital in Manbij on Friday."
    assert not any(e.trigger_text == "strafed" for e in _events(preannotator, text))  # not in the lexicon
    attack = next(e for e in _events(now, text) if e.trigger_text == "strafed")
    assert attack.type == "Conflict.Attack"
    torched = _events(now, "Gunmen torched a clinic in Azaz, residents said.")
    assert [(e.type, e.trigger_text) for e in torched] == [("X.Artifact.DamageDestroy", "torched")]
    rounded = _events(now, "Security forces rounded up ten students in Hama on Sunday.")
    assert [(e.type, e.trigger_text) for e in rounded] == [("Justice.Arrest-Jail", "rounded up")]  # a learned phrase


def test_lexicon_word_rejected_in_every_document_is_no_longer_suggested(
    now: Preannotator, preannotator: Preannotator
) -> None:
    text = "Two banks in Homs began a bitter battle for customers on Monday."
    assert [e.trigger_text for e in _events(preannotator, text)] == ["battle"]
    assert _events(now, text) == []


#: Lexicon words the gold set never marks, or rejects only in another context ("a bitter battle for customers"),
#: are still events in other contexts.
STILL_EVENTS = [
    ("Fierce battles between the army and rebels raged in Idlib.", [("Conflict.Attack", "battles")]),
    ("The battle for Aleppo killed hundreds.", [("Conflict.Attack", "battle"), ("Life.Die", "killed")]),
    ("Iraqi troops shelled the village.", [("Conflict.Attack", "shelled")]),
    ("Israeli strikes on Gaza killed 12.", [("Conflict.Attack", "strikes"), ("Life.Die", "killed")]),
    ("A car bomb blast killed nine.", [("Conflict.Attack", "blast"), ("Life.Die", "killed")]),
    ("Gunmen attacked a checkpoint.", [("Conflict.Attack", "attacked")]),
]


@pytest.mark.parametrize(("text", "expected"), STILL_EVENTS)
def test_learning_keeps_lexicon_words_in_contexts_the_gold_did_not_reject(
    now: Preannotator, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [(e.type, e.trigger_text) for e in _events(now, text)] == expected


def test_new_imports_use_the_learned_suggester(learned: Learned, tmp_path: Path) -> None:
    project = open_project(str(learned.path))
    assert project.models.root == learned.store.root
    source = tmp_path / "new.txt"
    source.write_text("Russian jets strafed a bakery in Daraa on Monday, activists said.\n", encoding="utf-8")
    result = import_paths(learned.db, [source], annotator="alice", preannotator=project.preannotator())
    assert result.pipeline.startswith("learned suggester v1")
    with learned.db.reader() as session:
        triggers = set(session.scalars(select(m.Event.trigger_text).where(m.Event.document_id == result.added[0])))
    assert "strafed" in triggers


def test_rollback_to_the_previous_version_and_back(learned: Learned, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(learned.path)
    try:
        assert main(["models", "--db", db, "--use", "previous", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert listed["active"] == "base" and [v["name"] for v in listed["versions"]] == ["v1"]
        [v1] = listed["versions"]
        assert (v1["documents"], v1["source"], v1["active"], v1["components"]) == (
            DOCS,
            "done",
            False,
            learned.result.components,
        )
        assert v1["created"] == learned.store.meta("v1")["created"] and v1["created"].startswith("20")
        assert main(["models", "--db", db]) == 0
        table = capsys.readouterr().out.splitlines()
        assert table[1] == "* base  the installed pipeline, the lexicon and the rules"
        assert table[2].startswith(f"  v1    {v1['created']}  from {DOCS} documents (done); entities ")
        assert learned.store.active_folder() is None
        assert open_project(db).preannotator().message.startswith("spaCy pipeline")  # the base suggester again
        assert main(["models", "--db", db, "--use", "previous"]) == 2
        assert "no earlier version" in capsys.readouterr().err
        assert main(["models", "--db", db, "--use", "v7"]) == 2
        assert "no model version 'v7'" in capsys.readouterr().err
    finally:
        assert main(["models", "--db", db, "--use", "v1"]) == 0
    assert learned.store.active() == "v1"


def test_suggest_never_touches_what_a_person_opened(
    learned: Learned, now: Preannotator, preannotator: Preannotator, schema: Schema, tmp_path: Path
) -> None:
    for n, text in enumerate(["Turkish jets strafed a farm in Azaz.", "Iraqi jets strafed a bridge in Raqqa."]):
        (tmp_path / f"n{n}.txt").write_text(text + "\n", encoding="utf-8")
    opened, unopened = import_paths(
        learned.db, sorted(tmp_path.glob("n*.txt")), annotator="x", preannotator=preannotator
    ).added
    service = AnnotationService(learned.db, schema)
    view = service.open_document(opened, "carol")  # carol's layer: a copy of the base suggestions
    before_model = _layer(learned.db, opened, MODEL)

    result = resuggest(learned.db, now, documents="unopened")
    assert result.documents >= 1 and result.opened >= DOCS + 1
    assert result.entities > 0 and result.events > 0 and result.pipeline
    assert result.to_json() == {
        "documents": result.documents,
        "opened": result.opened,
        "entities": result.entities,
        "events": result.events,
        "pipeline": result.pipeline,
        "cancelled": False,
    }
    assert _layer(learned.db, opened, MODEL) == before_model
    assert "strafed" in {ev.trigger_text for ev in service.open_document(unopened, "dave").events}

    resuggest(learned.db, now, documents="all")
    assert _layer(learned.db, opened, MODEL) != before_model  # the model layer is refreshed...
    again = service.open_document(opened, "carol")
    assert (again.entities, again.events) == (view.entities, view.events)  # ...carol's layer is not


def _layer(db: Database, document_id: int, layer: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    with db.reader() as session:
        record = records.load_record(session, document_id, records.annotator_id(session, layer))
    return tuple(e.text for e in record.entities), tuple(f"{e.type}:{e.trigger_text}" for e in record.events)


def test_learning_from_zero_finished_documents_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "p.sqlite3")
    assert main(["import", str(SEEDS), "--db", db, "--no-suggest", "--json"]) == 0
    capsys.readouterr()
    assert main(["learn", "--db", db, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 0 and data["model"] is None and data["created"] is None
    assert data["message"] == (
        "no finished document (marked done by anyone): at least two are needed to compare the new suggester with "
        "the current one by cross-validation; nothing was learned and nothing changed"
    )
    assert not models_dir(open_project(db).db.url).exists()


def test_too_few_documents_leave_the_version_in_use_and_say_so(learned: Learned, schema: Schema) -> None:
    with learned.db.session() as session:
        records.annotator_id(session, "erin")  # a person who has finished nothing yet
    result = _learner(learned.db, schema, learned.store).learn(source="erin")
    assert (result.documents, result.created, result.model) == (0, None, "v1")
    assert result.to_json()["model"] == "v1" and learned.store.active() == "v1"
    assert result.message.startswith("no finished document (layer erin): ")


def test_cancelled_learning_leaves_nothing_behind(learned: Learned, schema: Schema, tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    with pytest.raises(Cancelled):
        _learner(learned.db, schema, store).learn(progress=RecordingProgress(cancel_after=DOCS + 2))
    assert store.versions() == [] and store.active() is None
    assert not store.root.exists() or list(store.root.iterdir()) == []


def _scores(triggers: tuple[int, int, int], arguments: tuple[int, int, int]) -> Evaluation:
    return Evaluation(
        events=EventScores(Score(*triggers), Score(*triggers), Score(*arguments), Score(*arguments)),
    )


def test_new_roles_are_judged_with_the_triggers_that_stay_in_use() -> None:
    before = _scores((8, 10, 10), (4, 10, 10))  # triggers F1 0.8, roles 0.4
    # The new triggers are worse (0.6), so the old ones stay; the new roles look better on the new triggers
    # (0.7) but are worse on the old ones (0.3), where they would be used: nothing is learned.
    after, chosen = choose(before, _scores((6, 10, 10), (7, 10, 10)), _scores((8, 10, 10), (3, 10, 10)))
    assert chosen == {"entities": False, "triggers": False, "arguments": False}
    assert after.events.arg_cls == Score(3, 10, 10) and after.events.trigger_cls == Score(6, 10, 10)
    # Better roles on the old triggers are learned without the triggers.
    after, chosen = choose(before, _scores((6, 10, 10), (3, 10, 10)), _scores((8, 10, 10), (6, 10, 10)))
    assert chosen["arguments"] and not chosen["triggers"] and after.events.arg_cls == Score(6, 10, 10)
    # When the new triggers win, the new roles are judged on them.
    after, chosen = choose(before, _scores((9, 10, 10), (7, 10, 10)), _scores((8, 10, 10), (3, 10, 10)))
    assert chosen["triggers"] and chosen["arguments"] and after.events.arg_cls == Score(7, 10, 10)


def test_one_parse_serves_the_new_triggers_and_the_ones_in_use(learned: Learned, preannotator: Preannotator) -> None:
    from annotator.nlp.learning.model import LearnedModel

    model = LearnedModel.load(learned.store.root / "v1")
    text = "Iranian jets strafed a hospital in Manbij on Friday."
    doc, item = next(preannotator.parse([AnnotationInput(text)]))
    suggesters = [preannotator.event_suggester(t, model.arguments) for t in (model.triggers, None)]
    learned_triggers, lexicon = preannotator.suggest_each(doc, item, suggesters, keep=True)
    assert learned_triggers.entities == lexicon.entities
    assert [e.trigger_text for e in learned_triggers.events] == ["strafed"] and lexicon.events == ()


def test_one_finished_document_is_too_few_to_compare(db: Database, schema: Schema, tmp_path: Path) -> None:
    with db.session() as session:
        doc = records.store_document(session, DocumentRecord(doc_id="a", text="Jets struck Homs."))
        assert doc is not None
        records.store_layer(
            session, doc, records.annotator_id(session, "alice"), DocumentRecord("a", ""), status="done"
        )
    result = _learner(db, schema, ModelStore(tmp_path / "models")).learn(source="alice")
    assert (result.documents, result.created, result.model) == (1, None, None)
    assert result.message == (
        "only one finished document (layer alice): at least two are needed to compare the new suggester with the "
        "current one by cross-validation; nothing was learned and nothing changed"
    )


def test_components_are_named_as_a_sentence_says_them() -> None:
    assert [_joined(words) for words in ([], ["entities"], ["entities", "triggers"])] == [
        "",
        "entities",
        "entities and triggers",
    ]
    assert _joined(iter(["entities", "triggers", "arguments"])) == "entities, triggers and arguments"
