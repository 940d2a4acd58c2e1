"""`annotator bench`: how long learning from 20 finished news documents takes (target: under two minutes)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

from annotator.core.dto import MODEL, DocStatus, Status
from annotator.core.schema import load_schema
from annotator.nlp.learning.versions import ModelStore
from annotator.services import records
from annotator.services.bench import BenchReport, Measure
from annotator.services.bench_corpus import synthetic_articles
from annotator.services.importer import import_paths
from annotator.services.learning import Learner
from annotator.store.database import Database


def finished_corpus(db: Database, folder: Path, documents: int, reviewer: str = "bench") -> None:
    """`documents` news-like articles (seed sentences, about 3,000 characters) with suggestions, reviewed and done.

    The reviewer accepts most suggestions and rejects about one span in twelve and one event in ten, so there
    is something to learn from and the timing is that of a real review.
    """
    from annotator.nlp.preannotate import Preannotator

    source = folder / "learn-bench.jsonl"
    texts = synthetic_articles(documents, seed=5)
    source.write_text("".join(json.dumps({"id": f"l{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    added = import_paths(db, [source], annotator=reviewer, preannotator=Preannotator(load_schema())).added
    rng = random.Random(1)
    with db.session() as session:
        person, model = records.annotator_id(session, reviewer), records.annotator_id(session, MODEL)
        for document_id in added:
            record = records.load_record(session, document_id, model)

            def review() -> str:
                return Status.REJECTED if rng.random() < 0.08 else Status.ACCEPTED

            entities = tuple(replace(e, status=review()) for e in record.entities)
            events = tuple(
                replace(ev, status=review(), arguments=tuple(replace(a, status=Status.ACCEPTED) for a in ev.arguments))
                for ev in record.events
            )
            reviewed = replace(record, entities=entities, events=events, relations=())
            records.store_layer(session, document_id, person, reviewed, status=DocStatus.DONE)


def measure_learning(workdir: Path, report: BenchReport, documents: int = 20) -> None:
    path = workdir / "learn-bench.sqlite3"
    path.unlink(missing_ok=True)
    db = Database("sqlite:///" + str(path))
    finished_corpus(db, workdir, documents)
    result = Learner(db, load_schema(), "en_core_web_sm", ModelStore(workdir / "learn-bench-models")).learn()
    db.dispose()
    report.measures.append(Measure("learn_s", f"learn from {documents} finished documents", result.seconds, "s", 120))
    old, new = (r.headline() if r else {} for r in (result.before, result.after))
    report.notes.append(
        f"learning: {result.folds}-fold cross-validation and the final training, {result.message}; "
        + ", ".join(f"{k} F1 {old[k]:.3f} -> {new[k]:.3f}" for k in old)
    )
