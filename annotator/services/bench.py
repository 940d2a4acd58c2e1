"""`annotator bench`: measures the README's speed and memory targets on this machine, as one run's figures.

The large corpus is synthetic (sentences of the seed articles recombined, with model suggestions) and
is kept in the work directory so later runs reuse it. GUI figures come from a fresh process
(`python -m annotator.gui.bench`), so its start-up time and memory are those a user would see.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from annotator.core.dto import MODEL
from annotator.core.paths import seeds_dir
from annotator.core.schema import load_schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.store import models as m
from annotator.store.database import Database

LABELS = ("PER", "ORG", "GPE", "LOC", "TIME", "NUM")


@dataclass
class Measure:
    name: str
    value: float
    unit: str
    target: float
    lower_is_better: bool = True

    @property
    def met(self) -> bool:
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


@dataclass
class BenchReport:
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(measure.met for measure in self.measures)

    def to_json(self) -> dict[str, Any]:
        return {
            "measures": [
                {"name": x.name, "value": round(x.value, 4), "unit": x.unit, "target": x.target, "met": x.met}
                for x in self.measures
            ],
            "notes": self.notes,
            "all_met": self.all_met,
        }

    def format(self) -> str:
        width = max(len(x.name) for x in self.measures) if self.measures else 10
        lines = [f"{'measure':<{width}}  {'value':>10}  {'target':>10}  met"]
        for x in self.measures:
            sign = "<=" if x.lower_is_better else ">="
            lines.append(
                f"{x.name:<{width}}  {x.value:>8.3f}{x.unit:>2}  {sign}{x.target:>7g}{x.unit:>2}  "
                f"{'yes' if x.met else 'NO'}"
            )
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


def _sentences() -> list[str]:
    found = []
    for path in sorted(seeds_dir().glob("*.txt")):
        for sentence in re.split(r"(?<=[.!?”])\s+", path.read_text(encoding="utf-8")):
            if len(sentence.split()) >= 6:
                found.append(sentence.strip())
    return found


def synthetic_articles(count: int, seed: int = 7, sentences_per_doc: int = 18) -> Iterator[str]:
    """Distinct article texts of about 3,000 characters made of real seed sentences."""
    rng = random.Random(seed)
    pool = _sentences()
    for i in range(count):
        body = " ".join(rng.choice(pool) for _ in range(sentences_per_doc))
        paragraphs = re.sub(r"(\. )", lambda mt: ".\n\n" if rng.random() < 0.25 else mt.group(1), body)
        yield f"Report {i}: {pool[i % len(pool)][:60]}\n\n{paragraphs}\n"


def _entity_rows(doc_id: int, model_id: int, body: str, rng: random.Random, per_doc: int) -> list[dict[str, Any]]:
    words = [(mt.start(), mt.end()) for mt in re.finditer(r"\w[\w-]+", body)]
    picks = sorted(rng.sample(words, min(per_doc, len(words))))
    return [
        {
            "document_id": doc_id,
            "annotator_id": model_id,
            "start": s,
            "end": e,
            "label": rng.choice(LABELS),
            "text": body[s:e],
            "origin": "model",
            "status": "suggested",
            "normalized": None,
            "attrs": {},
        }
        for s, e in picks
    ]


def build_corpus(db: Database, count: int, per_doc: int = 20, chunk: int = 2000) -> None:
    """Insert `count` synthetic documents with model suggestions, in large transactions."""
    rng = random.Random(11)
    with db.session() as session:
        model_id = records.annotator_id(session, MODEL)
    texts = synthetic_articles(count)
    done = 0
    while done < count:
        batch = [next(texts) for _ in range(min(chunk, count - done))]
        with db.session() as session:
            ids = session.scalars(
                insert(m.Document).returning(m.Document.id, sort_by_parameter_order=True),
                [
                    {
                        "external_id": f"synthetic-{done + i}",
                        "title": t.split("\n", 1)[0],
                        "source": "bench",
                        "url": "",
                        "published": f"2016-{1 + (done + i) % 12:02d}-{1 + (done + i) % 28:02d}",
                        "text": t,
                        "sha256": records.text_sha256(t),
                        "boilerplate": [],
                        "meta": {},
                    }
                    for i, t in enumerate(batch)
                ],
            ).all()
            rows = [
                row
                for doc_id, t in zip(ids, batch, strict=True)
                for row in _entity_rows(doc_id, model_id, t, rng, per_doc)
            ]
            session.execute(insert(m.EntityMention), rows)
        done += len(batch)


def add_long_article(db: Database, chars: int = 50_000, spans: int = 2000) -> int:
    """One 50,000-character article with 2,000 suggested spans (the article-open target)."""
    body = ""
    for article in synthetic_articles(40, seed=99, sentences_per_doc=40):
        body += article
        if len(body) >= chars:
            break
    body = body[:chars]
    with db.session() as session:
        model_id = records.annotator_id(session, MODEL)
        existing = records.find_duplicate(session, records.text_sha256(body))
        if existing is not None:
            return existing
        doc = m.Document(
            external_id="long-article",
            title="A 50,000-character article",
            source="bench",
            url="",
            text=body,
            sha256=records.text_sha256(body),
            boilerplate=[],
            meta={},
        )
        session.add(doc)
        session.flush()
        session.execute(insert(m.EntityMention), _entity_rows(doc.id, model_id, body, random.Random(3), spans))
        return doc.id


def _corpus_db(workdir: Path, docs: int) -> tuple[Database, int]:
    path = workdir / f"bench-{docs}.sqlite3"
    db = Database("sqlite:///" + str(path))
    with db.reader() as session:
        have = session.scalar(select(func.count()).select_from(m.Document).where(m.Document.source == "bench"))
    if (have or 0) < docs:
        db.dispose()
        path.unlink(missing_ok=True)
        db = Database("sqlite:///" + str(path))
        build_corpus(db, docs)
    long_id = add_long_article(db)
    with db.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        conn.execute(text("ANALYZE"))
    return db, long_id


def measure_import(workdir: Path, count: int, report: BenchReport) -> None:
    """Import with pre-annotation versus bare spaCy over the same texts, each timed after loading."""
    from annotator.nlp.preannotate import Preannotator
    from annotator.nlp.spacy_loader import load_spacy
    from annotator.services.importer import import_paths

    texts = list(synthetic_articles(count, seed=5))
    source = workdir / "import-bench.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"i{i}", "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
    )
    bare = load_spacy()
    if bare.nlp is None:
        report.notes.append("no spaCy pipeline installed: import ratio not measured")
        return
    preannotator = Preannotator(load_schema())
    list(bare.nlp.pipe(texts[:8]))  # warm both paths before timing
    list(preannotator.annotate([]))
    started = time.perf_counter()
    for _ in bare.nlp.pipe(texts, batch_size=32):
        pass
    bare_seconds = time.perf_counter() - started
    target = workdir / "import-bench.sqlite3"
    target.unlink(missing_ok=True)
    db = Database("sqlite:///" + str(target))
    started = time.perf_counter()
    result = import_paths(db, [source], annotator="bench", preannotator=preannotator, batch_size=32)
    import_seconds = time.perf_counter() - started
    db.dispose()
    report.measures.append(Measure("import / bare spaCy (ratio)", import_seconds / bare_seconds, "x", 1.15))
    report.notes.append(
        f"import of {len(result.added)} articles: {import_seconds:.2f} s with pre-annotation, "
        f"events and storage; bare {bare.name} pipe: {bare_seconds:.2f} s"
    )


def measure_edit_latency(db: Database, document_id: int, report: BenchReport, edits: int = 50) -> None:
    service = AnnotationService(db, load_schema())
    service.open_document(document_id, "bench")
    timings = []
    for i in range(edits):
        start = 100 + i * 20
        began = time.perf_counter()
        changes = service.create_entity(document_id, "bench", start, start + 5, "GPE")
        timings.append(time.perf_counter() - began)
        assert changes.history_id is not None
    report.measures.append(Measure("edit committed (median)", statistics.median(timings) * 1000, "ms", 10))
    report.notes.append(
        f"edit commit p90 {sorted(timings)[int(edits * 0.9)] * 1000:.1f} ms over {edits} edits "
        "(each a durable SQLite WAL commit with synchronous=FULL, history row included)"
    )


def measure_gui(db: Database, long_id: int, docs: int, report: BenchReport) -> None:
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "annotator.gui.bench", db.url, str(long_id), f"{started!r}"],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if result.returncode != 0:
        report.notes.append(f"GUI bench failed: {result.stderr.strip()[-800:]}")
        return
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    report.measures += [
        Measure(f"window usable, {docs} articles", figures["usable_s"], "s", 1.5),
        Measure("document list first page", figures["first_page_ms"], "ms", 100),
        Measure("full-text search", figures["search_ms"], "ms", 50),
        Measure("open 50k-char article, 2000 spans", figures["open_article_ms"], "ms", 50),
        Measure("memory (RSS) with the corpus open", figures["rss_mb"], "MB", 400),
    ]
    report.notes.append(
        f"article open: first {figures['open_article_first_ms']} ms, median of 3 "
        f"{figures['open_article_ms']} ms ({figures['article_spans']} spans drawn)"
    )
    report.notes.append(
        f"search: median of {len(figures['search_hits'])} queries, slowest {figures['search_max_ms']} ms; "
        "hits " + ", ".join(f"{q} {n}" for q, n in figures["search_hits"].items())
    )


def run_bench(docs: int = 100_000, import_docs: int = 200, workdir: Path | None = None) -> BenchReport:
    """Run every measure; a `workdir` keeps the generated corpus for the next run, a temporary one is removed."""
    report = BenchReport()
    work = workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        measure_import(work, import_docs, report)
        from annotator.services.learning_bench import measure_learning  # it builds on this module

        measure_learning(work, report)
        started = time.perf_counter()
        db, long_id = _corpus_db(work, docs)
        report.notes.append(f"corpus of {docs} synthetic articles ready in {time.perf_counter() - started:.1f} s")
        measure_edit_latency(db, long_id, report)
        measure_gui(db, long_id, docs, report)
        db.dispose()
    finally:
        if workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return report
