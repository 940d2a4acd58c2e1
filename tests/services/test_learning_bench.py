"""The bench's learning case is one where learning wins, so `learn_s` times the final training and writing too."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from annotator.core.paths import PROJECT_ROOT
from annotator.services.bench import BenchReport
from annotator.services.learning_bench import measure_learning


def test_the_bench_reviewer_teaches_something_learning_keeps(tmp_path: Path) -> None:
    report = BenchReport(sizes=[])
    # Few documents, one epoch and two folds keep the test quick; the bench learns from 20 with the defaults.
    result = measure_learning(tmp_path, report, documents=6, epochs=1, folds=2)
    assert result.created == "v1" and result.components["triggers"] == "learned"
    assert (tmp_path / "learn-bench-models" / "v1" / "triggers.json").exists()
    assert result.before is not None and result.after is not None
    # The reviewer codes no agreements: the learned suggester drops talks and cease-fires the lexicon offers.
    before = result.before.events.trigger_cls_by_type["X.Conflict.Agreement"]
    after = result.after.events.trigger_cls_by_type.get("X.Conflict.Agreement")
    assert before.first > 0 and (after is None or after.first < before.first)
    [measure] = report.measures
    assert measure.id == "learn_s" and measure.value == result.seconds
    assert (measure.name, measure.unit, measure.target, measure.lower_is_better) == (
        "learn from 6 finished documents",
        "s",
        120,
        True,
    )
    [note] = report.notes
    assert note.startswith("learning: 2-fold cross-validation and the final training, learned ")
    assert "version v1 in use" in note
    headline = re.findall(r"(\w+) F1 (\d\.\d{3}) -> (\d\.\d{3})", note)
    assert [name for name, _, _ in headline] == ["entities", "triggers", "arguments"]
    old, new = result.before.headline(), result.after.headline()
    assert [(float(a), float(b)) for _, a, b in headline] == [
        (pytest.approx(old[k], abs=5e-4), pytest.approx(new[k], abs=5e-4))
        for k in ("entities", "triggers", "arguments")
    ]


def test_the_bench_reviewer_follows_two_guidelines_in_every_document(tmp_path: Path) -> None:
    """Nationality adjectives are no mentions and agreements are not coded; everything else is accepted as
    suggested, every role filler too, and each document is marked done."""
    from annotator.core.dto import MODEL
    from annotator.services import records
    from annotator.services.learning_bench import finished_corpus
    from annotator.store.database import Database

    db = Database("sqlite:///" + str(tmp_path / "l.sqlite3"))
    finished_corpus(db, tmp_path, 4)
    with db.reader() as session:
        person, model = records.annotator_id(session, "bench"), records.annotator_id(session, MODEL)
        layers = [records.load_record(session, d, person) for d in range(1, 5)]
        suggested = [records.load_record(session, d, model) for d in range(1, 5)]
    db.dispose()
    assert [r.status for r in layers] == ["done"] * 4
    assert [len(r.entities) for r in layers] == [len(r.entities) for r in suggested]  # a decision on each
    decisions = {(e.text, e.label, e.status) for r in layers for e in r.entities}
    assert ("Syrian", "GPE", "rejected") in decisions and ("Homs", "GPE", "accepted") in decisions
    assert {e.status for r in layers for e in r.entities if e.label != "GPE"} == {"accepted"}
    events = [ev for r in layers for ev in r.events]
    assert {ev.status for ev in events if ev.type == "X.Conflict.Agreement"} == {"rejected"}
    assert {ev.status for ev in events if ev.type != "X.Conflict.Agreement"} == {"accepted"}
    assert {a.status for ev in events for a in ev.arguments} == {"accepted"}


def test_the_bench_learns_from_as_many_documents_as_the_readme_says() -> None:
    """`annotator bench` calls measure_learning with its default size; the README's table states it."""
    row = next(
        line for line in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines() if "`learn_s`" in line
    )
    stated = re.search(r"from (\d+) finished documents", row)
    assert stated is not None, row
    assert inspect.signature(measure_learning).parameters["documents"].default == int(stated.group(1))
