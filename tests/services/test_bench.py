"""`annotator bench`: measures by stable id at each corpus size, the synthetic corpus and the long article.

The cheap measures run for real on small inputs; tests never assert a duration.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from annotator.cli import _sizes
from annotator.core.dto import MODEL
from annotator.nlp.parallel import default_workers
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
    (tmp_path / "plain-import").mkdir()  # left by a run that was stopped: cleared, not imported
    (tmp_path / "plain-import" / "article-999999.txt").write_text("A leftover article.", encoding="utf-8")
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


#: Every measure the bench reports: (id, name, unit, target, lower is better). Scripts compare runs by id and
#: read name, unit and target from the JSON; the README's table documents the ids and targets.
MEASURES = {
    "import_ratio": ("import with pre-annotation / bare spaCy", "x", 0.65, True),
    "plain_import_docs_per_s": ("import without suggestions", "/s", 3500, False),
    "export_jsonl_ratio": ("JSONL export / plain json.dumps", "x", 2, True),
    "learn_s": ("learn from 20 finished documents", "s", 120, True),
    "edit_commit_ms_p95": ("edit committed, p95", "ms", 10, True),
    "window_usable_s": ("window usable", "s", 1.5, True),
    "first_page_ms": ("document list first page", "ms", 100, True),
    "filter_ms": ("document list filtered by status", "ms", 100, True),
    "search_ms_p95": ("full-text search, p95", "ms", 50, True),
    "open_article_ms": ("open 50k-char article, 2,000 suggestions", "ms", 50, True),
    "open_event_article_ms": ("open 50k-char article, 2,000 spans, 300 events", "ms", 50, True),
    "edit_refresh_ms_p95": ("an edit or undo on that article, every view updated, p95", "ms", 50, True),
    "rss_mb": ("memory (RSS) with the corpus open", "MB", 400, True),
}


def _described(measure: Measure) -> tuple[str, str, float, bool]:
    return measure.name, measure.unit, measure.target, measure.lower_is_better


def test_the_readme_documents_each_measure_with_its_target() -> None:
    """The README's performance table is the user's view of the targets: the same ids, limits and directions."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented: dict[str, tuple[str, float]] = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[2][:1] in "≤≥":
            sign, limit = cells[2][0], float(cells[2][1:].split()[0].replace(",", ""))
            for measure_id in cells[0].replace("`", "").split(","):
                documented[measure_id.strip()] = (sign, limit)
    expected = {k: ("≤" if lower else "≥", target) for k, (_, _, target, lower) in MEASURES.items()}
    assert documented == expected


def test_a_measure_serialises_every_field() -> None:
    measure = Measure("plain_import_docs_per_s", "import", 3499.99999, "/s", 3500, lower_is_better=False, docs=7)
    assert measure.to_json() == {
        "id": "plain_import_docs_per_s",
        "name": "import",
        "value": 3500.0,
        "unit": "/s",
        "target": 3500,
        "lower_is_better": False,
        "met": False,  # met on the measured value, not on the rounded one
        "docs": 7,
    }


def test_the_table_lines_up_long_ids_and_blank_sizes_not_measured() -> None:
    report = BenchReport(sizes=[10, 20])
    report.measures += [
        Measure("a_much_longer_measure_id", "x", 1.0, "ms", 5, docs=10),
        Measure("short", "y", 2.0, "ms", 5, docs=20),
    ]
    report.notes.append("a note")
    lines = report.format().splitlines()
    assert lines[0] == f"{'measure':<24}  {'target':>12}  {'10':>14}  {'20':>14}"
    assert lines[1] == f"a_much_longer_measure_id  <=      5 ms         1.00  ok  {'':>14}"
    assert lines[2] == f"{'short':<24}  <=      5 ms   {'':>14}        2.00  ok"
    assert lines[3] == "note: a note"
    narrow = BenchReport(sizes=[1], measures=[Measure("id", "x", 1.0, "ms", 5)]).format().splitlines()
    assert narrow[0].startswith(f"{'measure':<10}  {'target':>12}") and narrow[1].startswith(f"{'id':<10}  <=")


def test_edit_latency_is_timed_over_real_committed_edits(tmp_path: Path) -> None:
    db, long_id, _ = bench._corpus_db(tmp_path, 2, event_articles=0)
    report = BenchReport(sizes=[2])
    bench.measure_edit_latency(db, long_id, 2, report, edits=4)
    [measure] = report.measures
    # A duration, not a clock reading: positive, and (very generously, on any machine) under a minute an edit.
    assert (measure.id, measure.docs) == ("edit_commit_ms_p95", 2) and 0 < measure.value < 60_000
    assert _described(measure) == MEASURES[measure.id]
    with db.reader() as session:
        person = records.annotator_id(session, bench.BENCH_ANNOTATOR)
        made = session.execute(
            select(m.EntityMention.start, m.EntityMention.end, m.EntityMention.label)
            .where(m.EntityMention.document_id == long_id, m.EntityMention.annotator_id == person)
            .order_by(m.EntityMention.id.desc())
            .limit(4)  # the newest rows: opening the article also copied its suggestions into the layer
        ).all()
        undoable = select(func.count()).select_from(m.History).where(m.History.annotator_id == person)
        assert session.scalar(undoable) == 4  # each timed edit went through the history, as a user's does
    assert sorted(tuple(r) for r in made) == [(s, s + 5, "GPE") for s in (100, 120, 140, 160)]
    db.dispose()


def test_the_gui_figures_of_a_fresh_process_become_measures(tmp_path: Path) -> None:
    db, long_id, event_ids = bench._corpus_db(tmp_path, 3, event_articles=1)
    report = BenchReport(sizes=[3])
    bench.measure_gui(db, long_id, event_ids, 3, report)
    db.dispose()
    assert [x.id for x in report.measures] == [
        "window_usable_s",
        "first_page_ms",
        "filter_ms",
        "search_ms_p95",
        "open_article_ms",
        "open_event_article_ms",
        "edit_refresh_ms_p95",
        "rss_mb",
    ], report.notes
    for measure in report.measures:
        assert measure.docs == 3 and measure.value > 0 and _described(measure) == MEASURES[measure.id]
    rss = next(x for x in report.measures if x.id == "rss_mb")
    assert 50 < rss.value < 2000  # megabytes of a real Qt process, not bytes or kilobytes
    [note] = report.notes
    assert note.startswith("3 articles: search over 24 queries, median ") and " ms, slowest " in note
    assert "event article 2000 spans, 300 events" in note and "an edit or undo with every view updated" in note


def test_a_failing_gui_process_is_reported_not_measured(tmp_path: Path) -> None:
    db, _, _ = bench._corpus_db(tmp_path, 2, event_articles=0)
    report = BenchReport(sizes=[2])
    bench.measure_gui(db, 999_999, [], 2, report)  # no such article: the GUI bench stops with an error
    db.dispose()
    assert report.measures == []
    [note] = report.notes
    assert note.startswith("GUI bench failed at 2 articles: ") and "Traceback" not in note[:40]
    assert len(note) <= len("GUI bench failed at 2 articles: ") + 800 and len(note) > 40


def test_import_is_measured_against_bare_spacy_over_the_same_texts(tmp_path: Path) -> None:
    report = BenchReport(sizes=[1])
    bench.measure_import(tmp_path, 6, report)
    [measure] = report.measures
    assert measure.id == "import_ratio" and measure.docs is None and _described(measure) == MEASURES[measure.id]
    [note] = report.notes
    found = re.fullmatch(
        r"import of 6 articles on (\d+) processes: ([\d.]+) s with pre-annotation, events and storage; "
        r"bare (\S+) pipe on one process: ([\d.]+) s",
        note,
    )
    assert found, note
    processes, with_suggestions, bare = int(found[1]), float(found[2]), float(found[4])
    assert processes == default_workers() + 1
    assert 0 < bare < 600 and 0 < with_suggestions < 600
    assert measure.value == pytest.approx(with_suggestions / bare, rel=0.2, abs=0.05)  # the note's seconds, rounded
    imported = Database("sqlite:///" + str(tmp_path / "import-bench.sqlite3"))
    with imported.reader() as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == 6
        assert session.scalar(select(func.count()).select_from(m.EntityMention)) > 6  # suggested as it imported
    imported.dispose()
