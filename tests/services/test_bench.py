"""The benchmark's parts that are not timings: its report, the synthetic corpus and the long article.

The figures themselves are measured by running `annotator bench`; tests never assert a duration.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from annotator.core.dto import MODEL
from annotator.services import bench, records
from annotator.store import models as m
from annotator.store.database import Database


def test_a_measure_is_met_on_its_side_of_the_target() -> None:
    assert bench.Measure("edit", 10.0, "ms", 10).met
    assert not bench.Measure("edit", 10.5, "ms", 10).met
    assert bench.Measure("speed-up", 2.0, "x", 2.0, lower_is_better=False).met
    assert not bench.Measure("speed-up", 1.9, "x", 2.0, lower_is_better=False).met


def test_the_report_as_text_and_as_json() -> None:
    report = bench.BenchReport(
        [bench.Measure("edit committed (median)", 2.81449, "ms", 10), bench.Measure("ratio", 1.2, "x", 1.15)],
        ["one run"],
    )
    assert report.format().splitlines() == [
        "measure                       value      target  met",
        "edit committed (median)     2.814ms  <=     10ms  yes",
        "ratio                       1.200 x  <=   1.15 x  NO",
        "note: one run",
    ]
    assert report.to_json() == {
        "measures": [
            {"name": "edit committed (median)", "value": 2.8145, "unit": "ms", "target": 10, "met": True},
            {"name": "ratio", "value": 1.2, "unit": "x", "target": 1.15, "met": False},
        ],
        "notes": ["one run"],
        "all_met": False,
    }
    assert bench.BenchReport().all_met and bench.BenchReport().format() == "measure          value      target  met"


def test_synthetic_articles_are_distinct_repeatable_and_made_of_seed_sentences() -> None:
    first = list(bench.synthetic_articles(5))
    assert first == list(bench.synthetic_articles(5)) and len(set(first)) == 5
    assert first != list(bench.synthetic_articles(5, seed=8))
    sentences = bench._sentences()
    assert sentences and all(len(s.split()) >= 6 for s in sentences)
    for i, article in enumerate(first):
        title, _body = article.split("\n\n", 1)
        assert title == f"Report {i}: {sentences[i][:60]}" and article.endswith("\n")
        assert 1500 < len(article) < 6000  # about 3,000 characters: 18 sentences of news
    assert all(article.count(".\n\n") >= 1 for article in first)  # sentences broken into paragraphs
    short = next(bench.synthetic_articles(1, sentences_per_doc=2))
    assert short.count(".") < first[0].count(".")


def test_the_corpus_and_the_long_article(db: Database) -> None:
    bench.build_corpus(db, 5, per_doc=3, chunk=2)
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
        assert {e.label for e in mentions} <= set(bench.LABELS)

    long_id = bench.add_long_article(db, chars=5000, spans=40)
    assert bench.add_long_article(db, chars=5000, spans=40) == long_id  # already there: not added twice
    with db.reader() as session:
        long = session.get_one(m.Document, long_id)
        assert len(long.text) == 5000 and long.external_id == "long-article"
        count = select(func.count()).select_from(m.EntityMention).where(m.EntityMention.document_id == long_id)
        assert session.scalar(count) == 40


def test_the_corpus_database_is_built_once_and_reused(tmp_path: Path) -> None:
    db, long_id = bench._corpus_db(tmp_path, 3)
    db.dispose()
    again, same = bench._corpus_db(tmp_path, 3)
    with again.reader() as session:
        assert session.scalar(select(func.count()).select_from(m.Document)) == 4  # three articles and the long one
    assert same == long_id
    again.dispose()
