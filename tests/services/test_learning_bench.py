"""The bench's learning case is one where learning wins, so `learn_s` times the final training and writing too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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
