"""`annotator bench`: measures the speed and memory targets on this machine, at one or more corpus sizes.

Every measure has a stable id (scripts compare runs by it), a name, a value, a unit, a target and whether
it was met. Corpora are synthetic (`bench_corpus`) and kept in the work directory so later runs reuse them.
GUI figures come from a fresh process (`python -m annotator.gui.bench`), so its start-up time and memory
are those a user would see.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Text, func, select, text, type_coerce

from annotator.core.dto import MODEL
from annotator.core.schema import load_schema
from annotator.services import records
from annotator.services.annotate import AnnotationService
from annotator.services.bench_corpus import add_event_articles, add_long_article, build_corpus, synthetic_articles
from annotator.store import models as m
from annotator.store.database import Database

BENCH_ANNOTATOR = "bench"


@dataclass
class Measure:
    id: str  # stable across versions: scripts and BENCHMARKS.md compare runs by it
    name: str
    value: float
    unit: str
    target: float
    lower_is_better: bool = True
    docs: int | None = None  # the corpus size it was measured at; None when it does not depend on one

    @property
    def met(self) -> bool:
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "value": round(self.value, 4),
            "unit": self.unit,
            "target": self.target,
            "lower_is_better": self.lower_is_better,
            "met": self.met,
            "docs": self.docs,
        }


@dataclass
class BenchReport:
    measures: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(measure.met for measure in self.measures)

    def to_json(self) -> dict[str, Any]:
        return {
            "sizes": self.sizes,
            "measures": [x.to_json() for x in self.measures],
            "notes": self.notes,
            "all_met": self.all_met,
        }

    def format(self) -> str:
        """One line per measure id, one column per corpus size, so growth with the corpus is visible."""
        ids = list(dict.fromkeys(x.id for x in self.measures))
        columns = [f"{n:,}" for n in self.sizes]
        width = max([len(i) for i in ids] + [10])
        lines = [f"{'measure':<{width}}  {'target':>12}  " + "  ".join(f"{c:>14}" for c in columns)]
        for measure_id in ids:
            found = [x for x in self.measures if x.id == measure_id]
            first = found[0]
            sign = "<=" if first.lower_is_better else ">="
            cells = []
            for size in self.sizes:
                at = next((x for x in found if x.docs in (size, None)), None)
                cells.append(f"{at.value:>10.2f} {'ok' if at.met else 'NO':>3}" if at else f"{'':>14}")
                if at is not None and at.docs is None:
                    cells += [f"{'':>14}"] * (len(self.sizes) - 1)
                    break
            lines.append(f"{measure_id:<{width}}  {sign}{first.target:>7g} {first.unit:<3}  " + "  ".join(cells))
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


def _corpus_db(workdir: Path, docs: int, event_articles: int = 5) -> tuple[Database, int, list[int]]:
    """The corpus of `docs` articles, the long suggested article and the event-heavy ones (built once, reused)."""
    path = workdir / f"bench-{docs}.sqlite3"
    db = Database("sqlite:///" + str(path))
    with db.reader() as session:
        have = session.scalar(
            select(func.count()).select_from(m.Document).where(m.Document.external_id.startswith("synthetic-"))
        )
    if (have or 0) < docs:
        build_corpus(db, docs, start=have or 0)
    long_id = add_long_article(db)
    event_ids = add_event_articles(db, load_schema(), BENCH_ANNOTATOR, count=event_articles)
    with db.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        conn.execute(text("ANALYZE"))
    return db, long_id, event_ids


def _fresh_db(path: Path) -> Database:
    """An empty project database at `path`, replacing the one an earlier run left."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return Database("sqlite:///" + str(path))


def measure_import(workdir: Path, count: int, report: BenchReport) -> None:
    """Import with pre-annotation on every core versus bare spaCy on one process, over the same texts."""
    from annotator.nlp.parallel import ParallelPreannotator
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
    preannotator = ParallelPreannotator(load_schema(), bare.name)
    list(bare.nlp.pipe(texts[:8]))  # both paths loaded and warm before timing
    preannotator.warm()
    started = time.perf_counter()
    for _ in bare.nlp.pipe(texts, batch_size=32):
        pass
    bare_seconds = time.perf_counter() - started
    db = _fresh_db(workdir / "import-bench.sqlite3")
    started = time.perf_counter()
    result = import_paths(db, [source], annotator=BENCH_ANNOTATOR, preannotator=preannotator)
    import_seconds = time.perf_counter() - started
    preannotator_processes = preannotator.workers + 1
    preannotator.close()
    db.dispose()
    report.measures.append(
        Measure("import_ratio", "import with pre-annotation / bare spaCy", import_seconds / bare_seconds, "x", 0.65)
    )
    report.notes.append(
        f"import of {len(result.added)} articles on {preannotator_processes} processes: {import_seconds:.2f} s with "
        f"pre-annotation, events and storage; bare {bare.name} pipe on one process: {bare_seconds:.2f} s"
    )


def measure_plain_import(workdir: Path, count: int, report: BenchReport) -> None:
    """Import without suggestions of a folder of plain-text articles of 2-4 kB, as a user drops it in."""
    from annotator.services.importer import import_paths

    folder = workdir / "plain-import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, body in enumerate(synthetic_articles(count, seed=17, sentences_per_doc=19)):
        (folder / f"article-{i:06d}.txt").write_text(body[:4000], encoding="utf-8")
    db = _fresh_db(workdir / "plain-import.sqlite3")
    started = time.perf_counter()
    result = import_paths(db, [folder], annotator=BENCH_ANNOTATOR, preannotator=None)
    seconds = time.perf_counter() - started
    db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    report.measures.append(
        Measure(
            "plain_import_docs_per_s",
            "import without suggestions",
            len(result.added) / seconds,
            "/s",
            3500,
            lower_is_better=False,
        )
    )
    report.notes.append(f"plain import: {len(result.added)} text files in {seconds:.2f} s")


def measure_export(workdir: Path, count: int, report: BenchReport) -> None:
    """Native JSONL export of a layer against the floor: the same rows read back and written with json.dumps."""
    from annotator.services.export import export_dataset

    path = workdir / f"export-bench-{count}.sqlite3"
    db = _fresh_db(path)
    build_corpus(db, count)
    out = workdir / "export-bench"
    ids = records.layer_document_ids(db, MODEL)
    started = time.perf_counter()
    floor = workdir / "export-floor.jsonl"
    with db.reader() as session, floor.open("w", encoding="utf-8") as handle:
        model = records.annotator_id(session, MODEL)
        e = m.EntityMention
        for doc_id in ids:
            doc = session.execute(
                select(m.Document.external_id, m.Document.title, m.Document.text).where(m.Document.id == doc_id)
            ).one()
            spans = session.execute(
                select(e.id, e.start, e.end, e.label, e.text, e.origin, e.status, type_coerce(e.attrs, Text))
                .where(e.document_id == doc_id, e.annotator_id == model)
                .order_by(e.start, e.end, e.id)
            ).all()
            handle.write(json.dumps({"doc": list(doc), "entities": [list(s) for s in spans]}) + "\n")
    floor_seconds = time.perf_counter() - started
    started = time.perf_counter()
    export_dataset(db, load_schema(), "jsonl", out, layer=MODEL)
    export_seconds = time.perf_counter() - started
    db.dispose()
    shutil.rmtree(out, ignore_errors=True)
    floor.unlink(missing_ok=True)
    path.unlink(missing_ok=True)
    report.measures.append(
        Measure("export_jsonl_ratio", "JSONL export / plain json.dumps", export_seconds / floor_seconds, "x", 2)
    )
    report.notes.append(
        f"export of {count} articles with suggestions: jsonl {export_seconds:.2f} s, "
        f"json.dumps of the same rows {floor_seconds:.2f} s"
    )


def measure_edit_latency(db: Database, document_id: int, docs: int, report: BenchReport, edits: int = 60) -> None:
    service = AnnotationService(db, load_schema())
    service.open_document(document_id, BENCH_ANNOTATOR)
    timings = []
    for i in range(edits):
        start = 100 + i * 20
        began = time.perf_counter()
        changes = service.create_entity(document_id, BENCH_ANNOTATOR, start, start + 5, "GPE")
        timings.append(time.perf_counter() - began)
        assert changes.history_id is not None
    report.measures.append(
        Measure("edit_commit_ms_p95", "edit committed, p95", _p95(timings) * 1000, "ms", 10, docs=docs)
    )


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def measure_gui(db: Database, long_id: int, event_ids: list[int], docs: int, report: BenchReport) -> None:
    started = time.time()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator.gui.bench",
            db.url,
            str(long_id),
            ",".join(map(str, event_ids)),
            f"{started!r}",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if result.returncode != 0:
        report.notes.append(f"GUI bench failed at {docs} articles: {result.stderr.strip()[-800:]}")
        return
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    report.measures += [
        Measure("window_usable_s", "window usable", figures["usable_s"], "s", 1.5, docs=docs),
        Measure("first_page_ms", "document list first page", figures["first_page_ms"], "ms", 100, docs=docs),
        Measure("filter_ms", "document list filtered by status", figures["filter_ms"], "ms", 100, docs=docs),
        Measure("search_ms_p95", "full-text search, p95", figures["search_ms_p95"], "ms", 50, docs=docs),
        Measure(
            "open_article_ms",
            "open 50k-char article, 2,000 suggestions",
            figures["open_article_ms"],
            "ms",
            50,
            docs=docs,
        ),
        Measure(
            "open_event_article_ms",
            "open 50k-char article, 2,000 spans, 300 events",
            figures["open_event_article_ms"],
            "ms",
            50,
            docs=docs,
        ),
        Measure(
            "edit_refresh_ms_p95",
            "an edit or undo on that article, every view updated, p95",
            figures["edit_refresh_ms_p95"],
            "ms",
            50,
            docs=docs,
        ),
        Measure("rss_mb", "memory (RSS) with the corpus open", figures["rss_mb"], "MB", 400, docs=docs),
    ]
    report.notes.append(
        f"{docs} articles: search over {len(figures['search_hits'])} queries, median {figures['search_ms_median']} ms, "
        f"slowest {figures['search_max_ms']} ms ({figures['search_slowest']}); event article "
        f"{figures['event_article']} drawn, first opens {figures['open_event_article_firsts_ms']} ms, "
        f"opened again {figures['open_event_article_again_ms']} ms; an edit or undo with every view updated: median "
        f"{figures['edit_refresh_ms_median']} ms"
    )


def run_bench(
    sizes: Sequence[int] = (100_000,),
    import_docs: int = 200,
    plain_docs: int = 10_000,
    export_docs: int = 2_000,
    workdir: Path | None = None,
) -> BenchReport:
    """Run every measure; a `workdir` keeps the generated corpora for the next run, a temporary one is removed."""
    report = BenchReport(sizes=list(sizes))
    work = workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        measure_import(work, import_docs, report)
        measure_plain_import(work, plain_docs, report)
        measure_export(work, export_docs, report)
        from annotator.services.learning_bench import measure_learning  # it builds on this module

        measure_learning(work, report)
        for docs in sizes:
            started = time.perf_counter()
            db, long_id, event_ids = _corpus_db(work, docs)
            report.notes.append(f"corpus of {docs} synthetic articles ready in {time.perf_counter() - started:.1f} s")
            measure_edit_latency(db, long_id, docs, report)
            measure_gui(db, long_id, event_ids, docs, report)
            db.dispose()
    finally:
        if workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return report
