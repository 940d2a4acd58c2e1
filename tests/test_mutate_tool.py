"""tools/mutate.py's arithmetic: the score of a sample and its interval, and a sample that is drawn again the same."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutate_tool", ROOT / "tools" / "mutate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutate_tool"] = module
    spec.loader.exec_module(module)
    return module


mutate = _tool()


def test_score_counts_every_checked_mutant_but_not_the_unchecked() -> None:
    counts = Counter({"killed": 8, "survived": 1, "no tests": 1, "not checked": 50})
    assert mutate.checked_count(counts) == 10
    assert mutate.score(counts) == 80.0
    assert mutate.score(counts + Counter({"survived": 2, "explained": 2})) == 80.0  # equivalent: left out
    assert mutate.score(Counter({"not checked": 3})) == 0.0


def test_the_wilson_interval_of_a_sample() -> None:
    low, high = mutate.wilson(85, 100)
    assert low == pytest.approx(76.7, abs=0.1) and high == pytest.approx(90.7, abs=0.1)
    low, high = mutate.wilson(100, 100)
    assert high == pytest.approx(100.0) and low == pytest.approx(96.3, abs=0.1)  # never above 100%
    assert mutate.wilson(0, 0) == (0.0, 100.0)


def test_a_sample_is_drawn_again_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = {f"annotator.core.x.f__mutmut_{i}": None for i in range(40)}
    monkeypatch.setattr(mutate, "exit_codes", lambda path: names)
    monkeypatch.setattr(mutate, "SAMPLE", tmp_path / "sample.txt")
    first = mutate.draw_sample([Path("annotator/core/x.py")], 10)
    assert len(set(first)) == 10 and set(first) <= set(names)
    assert mutate.draw_sample([Path("annotator/core/x.py")], 10) == first
    assert (tmp_path / "sample.txt").read_text().split() == sorted(first)
    assert len(mutate.draw_sample([Path("annotator/core/x.py")], 100)) == 40
