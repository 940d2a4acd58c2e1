"""`annotator bench`: measures by stable id at each corpus size; the cheap measures run for real on small inputs."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from annotator.cli import _sizes
from annotator.services.bench import BenchReport, Measure, measure_export, measure_plain_import


def test_each_measure_has_its_id_at_each_size() -> None:
    report = BenchReport(sizes=[10_000, 100_000])
    report.measures += [
        Measure("plain_import_docs_per_s", "plain import", 4100.0, "/s", 3500, lower_is_better=False),
        Measure("search_ms_p95", "search", 12.5, "ms", 50, docs=10_000),
        Measure("search_ms_p95", "search", 61.0, "ms", 50, docs=100_000),
    ]
    data = report.to_json()
    assert [(m["id"], m["docs"], m["met"]) for m in data["measures"]] == [
        ("plain_import_docs_per_s", None, True),
        ("search_ms_p95", 10_000, True),
        ("search_ms_p95", 100_000, False),
    ]
    assert data["sizes"] == [10_000, 100_000] and data["all_met"] is False
    lines = report.format().splitlines()
    assert "10,000" in lines[0] and "100,000" in lines[0]
    search = next(line for line in lines if line.startswith("search_ms_p95"))
    assert search.split()[4:] == ["12.50", "ok", "61.00", "NO"]
    plain = next(line for line in lines if line.startswith("plain_import_docs_per_s"))
    assert plain.split()[4:] == ["4100.00", "ok"]  # measured once, whatever the corpus size


def test_plain_import_and_export_are_measured(tmp_path: Path) -> None:
    report = BenchReport(sizes=[1])
    measure_plain_import(tmp_path, 40, report)
    measure_export(tmp_path, 30, report)
    found = {m.id: m for m in report.measures}
    assert found["plain_import_docs_per_s"].value > 0 and not found["plain_import_docs_per_s"].lower_is_better
    assert found["export_jsonl_ratio"].value > 0
    assert "plain import: 40 text files" in report.notes[0]
    assert not (tmp_path / "plain-import").exists() and not (tmp_path / "export-bench").exists()


def test_sizes_option() -> None:
    assert _sizes("10000,100_000, 1000000") == [10_000, 100_000, 1_000_000]
    for bad in ("", "ten", "0", "100,-5"):
        with pytest.raises(argparse.ArgumentTypeError):
            _sizes(bad)
