"""`annotator bench`: measures by stable id at each corpus size, the synthetic corpus and the long article.

The cheap measures run for real on small inputs; tests never assert a duration.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.cli import _sizes
from annotator.core.dto import MODEL
from annotator.services import bench, bench_corpus, records
from annotator.services.bench import BenchReport, Measure, measure_export, measure_plain_import
from annotator.store import models as m
from annotator.store.database import Database


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


def test_a_measure_is_met_on_its_side_of_the_target() -> None:
    assert Measure("edit_ms", "edit", 10.0, "ms", 10).met
    assert not Measure("edit_ms", "edit", 10.5, "ms", 10).met
    assert Measure("speed_up", "speed-up", 2.0, "x", 2.0, lower_is_better=False).met
    assert not Measure("speed_up", "speed-up", 1.9, "x", 2.0, lower_is_better=False).met


def test_synthetic_articles_are_distinct_repeatable_and_made_of_seed_sentences() -> None:
    first = list(bench_corpus.synthetic_articles(5))
    assert first == list(bench_corpus.synthetic_articles(5)) and len(set(first)) == 5
    assert first != list(bench_corpus.synthetic_articles(5, seed=8))
    sentences = bench_corpus._sentences()
    assert sentences and all(len(s.split()) >= 6 for s in sentences)
    for i, article in enumerate(first):
        title, _body = article.split("\n\n", 1)
        assert title == f"Report {i}: {sentences[i][:60]}" and article.endswith("\n")
        assert 1500 < len(article) < 6000  # about 3,000 characters: 18 sentences of news
    assert all(article.count(".\n\n") >= 1 for article in first)  # sentences broken into paragraphs
    short = next(bench_corpus.synthetic_articles(1, sentences_per_doc=2))
    assert short.count(".") < first[0].count(".")


def test_the_corpus_and_the_long_article(db: Database) -> None:
    bench_corpus.build_corpus(db, 3, per_doc=3, chunk=2)
    bench_corpus.build_corpus(db, 5, per_doc=3, chunk=2, start=3)  # a stopped build goes on where it stopped
    with db.reader() as session:
        docs = session.scalars(select(m.Document).order_by(m.Document.id)).all()
        assert [d.external_id for d in docs] == [f"synthetic-{i}" for i in range(5)]
        assert [d.published for d in docs[:2]] == ["2016-01-01", "2016-02-02"]
        assert {d.source for d in docs} == {"bench"} and docs[0].title == docs[0].text.split("\n", 1)[0]
        assert all(d.sha256 == records.text_sha256(d.text) for d in docs)
        mentions = session.scalars(select(m.EntityMention)).all()
        model = records.annotator_id(session, MODEL)
        assert len(mentions) == 15 and {e.annotator_id for e in mentions} == {model}
        by_doc = {d.id: d.text for d in docs}
        assert all(by_doc[e.document_id][e.start : e.end] == e.text for e in mentions)
        assert {(e.origin, e.status) for e in mentions} == {("model", "suggested")}
        assert {e.label for e in mentions} <= set(bench_corpus.LABELS)

    long_id = bench_corpus.add_long_article(db, chars=5000, spans=40)
    assert bench_corpus.add_long_article(db, chars=5000, spans=40) == long_id  # already there: not added twice
    with db.reader() as session:
        long = session.get_one(m.Document, long_id)
        assert len(long.text) == 5000 and long.external_id == "long-article"
        count = select(func.count()).select_from(m.EntityMention).where(m.EntityMention.document_id == long_id)
        assert session.scalar(count) == 40


def test_the_corpus_database_is_built_once_and_reused(tmp_path: Path) -> None:
    db, long_id, event_ids = bench._corpus_db(tmp_path, 3, event_articles=2)
    db.dispose()
    again, same_long, same_events = bench._corpus_db(tmp_path, 3, event_articles=2)
    with again.reader() as session:
        # three articles, the long one and the event-heavy ones, each its own text for a first open
        assert session.scalar(select(func.count()).select_from(m.Document)) == 6
        texts = session.scalars(select(m.Document.text).where(m.Document.id.in_(event_ids))).all()
        assert len(set(texts)) == 2 and all(len(t) == 50_000 for t in texts)
    assert (same_long, same_events) == (long_id, event_ids)
    again.dispose()


def test_a_measure_reports_its_value_rounded_to_four_places() -> None:
    """The JSON value is the measured one, rounded, not the rounding digits."""
    assert Measure("x", "x", 12.345678, "ms", 10).to_json()["value"] == 12.3457


def test_p95_of_two_timings_lies_near_the_slower_one() -> None:
    """Two timings already make a p95; it is not the first timing."""
    assert bench._p95([1.0, 3.0]) == pytest.approx(2.9)
    assert bench._p95([5.0]) == 5.0
