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
        parallel._mine = 0.1  # this process busy storing: the worker takes most of the next batch
        assert sum(len(inputs[i].text) for i in parallel._deal(inputs)[0]) < sum(len(i.text) for i in inputs) / 4
        collect = parallel.submit(inputs, batch_size=8)  # the worker starts now, this process when collecting
        assert collect() == shared and parallel._mine != 0.1
    finally:
        parallel.close()
    assert shared == list(nlp_preannotator.annotate(inputs, batch_size=8))
    assert sum(len(s.events) for s in shared) > 10


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
