"""Pre-annotation on two processes gives the suggestions one process gives, in the same order."""

from __future__ import annotations

import subprocess
import sys

from annotator.core.schema import Schema
from annotator.nlp.boilerplate import find_boilerplate
from annotator.nlp.parallel import MIN_SHARED, ParallelPreannotator
from annotator.nlp.preannotate import AnnotationInput, Preannotator


def test_two_processes_suggest_what_one_does(
    schema: Schema, nlp_preannotator: Preannotator, seed_texts: dict[str, str]
) -> None:
    texts = list(seed_texts.values())
    # Whole seeds and their paragraphs, of very different lengths, so the slices are uneven.
    pieces = texts + [p for t in texts for p in t.split("\n\n") if len(p.split()) > 8]
    inputs = [AnnotationInput(t, find_boilerplate(t), "2016-03-0" + str(1 + i % 9)) for i, t in enumerate(pieces)]
    assert len(inputs) >= MIN_SHARED
    parallel = ParallelPreannotator(schema, nlp_preannotator.model_name, workers=1)
    try:
        assert list(parallel.annotate(inputs[:3])) == list(nlp_preannotator.annotate(inputs[:3]))  # done here
        parallel.warm()
        shared = list(parallel.annotate(inputs, batch_size=8))
        assert parallel.workers == 1  # the worker took its share, nothing failed over to this process
        assert parallel._speeds is not None and min(parallel._speeds[:2]) > 0  # measured on those batches
        total = sum(len(i.text) for i in inputs)
        parallel._speeds = (1000.0, 1000.0, total / 1000 * 0.6)  # this process busy storing for most of a batch
        assert sum(len(inputs[i].text) for i in parallel._deal(inputs)[0]) < total / 4  # the worker takes the most
        collect = parallel.submit(inputs, batch_size=8)  # the worker starts now, this process when collecting
        assert collect() == shared and parallel._speeds[2] < total / 1000 * 0.6  # the next batch is measured
    finally:
        parallel.close()
    assert shared == list(nlp_preannotator.annotate(inputs, batch_size=8))
    assert sum(len(s.events) for s in shared) > 10


def test_shares_make_both_sides_finish_together(schema: Schema, nlp_preannotator: Preannotator) -> None:
    parallel = ParallelPreannotator(schema, nlp_preannotator.model_name, workers=1)
    try:
        parallel._measured(0.0, (1000, 1.0), [(1000, 1.0)])  # equal speeds, nothing stored between: halves
        assert parallel._share(10_000) == 0.5
        parallel._measured(0.0, (3000, 1.0), [(1000, 1.0)])  # this process got faster: half the change is kept
        assert parallel._speeds == (2000.0, 1000.0, 0.0)
        assert abs(parallel._share(9_000) - 1 / 3 * 2) < 1e-9  # twice as fast here: two thirds here
        parallel._speeds = (1000.0, 1000.0, 2.0)  # two seconds of storing before this process's slice
        # 2 + m·10 = (1 − m)·10  →  m = 0.4
        assert abs(parallel._share(10_000) - 0.4) < 1e-9
        assert parallel._share(1_000) == 0.1  # storing outlasts the batch: this process keeps the least share
        parallel._measured(1.0, (0, 0.0), [(1000, 1.0)])  # nothing done here: nothing learnt
        assert parallel._speeds == (1000.0, 1000.0, 2.0)
    finally:
        parallel.close()


def test_warming_loads_what_the_first_text_would_load_on_the_way() -> None:
    """A fresh process: `warm` leaves the GeoNames index loaded, so an import's first batch does not pay for it."""
    code = (
        "from annotator.core.schema import load_schema\n"
        "from annotator.nlp import geocode\n"
        "from annotator.nlp.preannotate import Preannotator\n"
        "p = Preannotator(load_schema())\n"
        "print(geocode._GEONAMES._by_name is None)\n"
        "p.warm()\n"
        "print(geocode._GEONAMES._by_name is None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split() == ["True", "False"]
