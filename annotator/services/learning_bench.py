"""`annotator bench`: how long learning from 20 finished news documents takes (target: under two minutes)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

from annotator.core.dto import MODEL, DocStatus, Entity, Status
from annotator.core.schema import load_schema
from annotator.nlp.learning.versions import ModelStore
from annotator.services import records
from annotator.services.bench import BenchReport, Measure
from annotator.services.bench_corpus import synthetic_articles
from annotator.services.importer import import_paths
from annotator.services.learning import Learner, LearnResult
from annotator.store.database import Database

#: A nationality adjective on its own ("Syrian troops"): no mention under the bench reviewer's guidelines.
_NATIONALITY = re.compile(r"[A-Z][a-z]+(?:ian|ish|ese|i)")
#: Event types the bench reviewer's project does not code (talks and cease-fires).
_NOT_CODED = frozenset({"X.Conflict.Agreement"})


def _guideline(entity: Entity) -> bool:
    return entity.label == "GPE" and _NATIONALITY.fullmatch(entity.text) is not None


def finished_corpus(db: Database, folder: Path, documents: int, reviewer: str = "bench") -> None:
    """`documents` news-like articles (seed sentences, about 3,000 characters) with suggestions, reviewed and done.

    The reviewer follows guidelines the suggester does not know, the same way in every document, as real ones
    do: nationality adjectives are no mentions and agreements are not coded. So learning has something to
    learn and wins, and the timing includes the final training and the writing of a version.
    """
    from annotator.nlp.preannotate import Preannotator

    source = folder / "learn-bench.jsonl"
    texts = synthetic_articles(documents, seed=5)
    source.write_text("".join(json.dumps({"id": f"l{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    added = import_paths(db, [source], annotator=reviewer, preannotator=Preannotator(load_schema())).added
    with db.session() as session:
        person, model = records.annotator_id(session, reviewer), records.annotator_id(session, MODEL)
        for document_id in added:
            record = records.load_record(session, document_id, model)

            def review(against_guidelines: bool) -> str:
                return Status.REJECTED if against_guidelines else Status.ACCEPTED

            entities = tuple(replace(e, status=review(_guideline(e))) for e in record.entities)
            events = tuple(
                replace(
                    ev,
                    status=review(ev.type in _NOT_CODED),
                    arguments=tuple(replace(a, status=Status.ACCEPTED) for a in ev.arguments),
                )
                for ev in record.events
            )
            reviewed = replace(record, entities=entities, events=events, relations=())
            records.store_layer(session, document_id, person, reviewed, status=DocStatus.DONE)


def measure_learning(
    workdir: Path, report: BenchReport, documents: int = 20, *, epochs: int = 5, folds: int = 4
) -> LearnResult:
    """Learn from `documents` finished documents with the default training (`epochs`, `folds`), timed whole."""
    path = workdir / "learn-bench.sqlite3"
    path.unlink(missing_ok=True)
    models = workdir / "learn-bench-models"
    shutil.rmtree(models, ignore_errors=True)  # a kept workdir's earlier version would be the one to beat
    db = Database("sqlite:///" + str(path))
    finished_corpus(db, workdir, documents)
    learner = Learner(db, load_schema(), "en_core_web_sm", ModelStore(models), epochs=epochs, max_folds=folds)
    result = learner.learn()
    db.dispose()
    report.measures.append(Measure("learn_s", f"learn from {documents} finished documents", result.seconds, "s", 120))
    old, new = (r.headline() if r else {} for r in (result.before, result.after))
    report.notes.append(
        f"learning: {result.folds}-fold cross-validation and the final training, {result.message}; "
        + ", ".join(f"{k} F1 {old[k]:.3f} -> {new[k]:.3f}" for k in old)
    )
    return result
