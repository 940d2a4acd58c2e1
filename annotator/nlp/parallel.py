"""Pre-annotation on every core: each batch is shared between this process and worker processes.

spaCy holds the GIL, so threads do not help; each worker process loads its own copy of the pipeline once
and keeps it for every later import. This process takes a share of each batch itself, so on two cores one
worker and the caller keep both busy, and it stays free to store results between batches.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from annotator.core.schema import Schema
from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions

log = logging.getLogger(__name__)
MIN_SHARED = 16  # a smaller batch is quicker done here than sent away and back
_WORKER: dict[str, Preannotator] = {}  # the pipeline of a worker process, loaded once by its initializer


def _load(schema: Schema, model: str | None, learned: Path | None) -> None:
    _WORKER["pipeline"] = Preannotator(schema, model, learned=learned)


def _annotate(inputs: list[AnnotationInput], batch_size: int) -> list[Suggestions]:
    return list(_WORKER["pipeline"].annotate(inputs, batch_size=batch_size))


def default_workers() -> int:
    """Worker processes beside the caller: one fewer than the cores this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(0, cores - 1)


class ParallelPreannotator(Preannotator):
    """A Preannotator whose `annotate` runs on every core; same inputs, same suggestions, same order.

    Workers start with the first large batch and load their pipelines in the background; until they
    are ready, batches are done here, so a small import never waits for them.
    """

    def __init__(
        self, schema: Schema, model: str | None, workers: int | None = None, *, learned: Path | None = None
    ) -> None:
        super().__init__(schema, model, learned=learned)
        self.workers = default_workers() if workers is None else workers
        self._args = (schema, model, learned)
        self._pool: ProcessPoolExecutor | None = None
        self._loading: list[Future[list[Suggestions]]] = []
        if self.workers > 0:
            self.message += f" (on {self.workers + 1} processes)"

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the GUI process has threads, which a forked child would inherit half-copied.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_load,
                initargs=self._args,
            )
            self._loading = [self._pool.submit(_annotate, [], 1) for _ in range(self.workers)]
        return self._pool

    def warm(self) -> None:
        """Start the workers and wait until each has loaded its pipeline."""
        if self.workers > 0:
            self._start()
            for future in self._loading:
                future.result()

    def annotate(self, inputs: Iterable[AnnotationInput], batch_size: int = 32) -> Iterator[Suggestions]:
        """Suggestions for each input, in order. A large batch is cut into one slice per process; workers
        take theirs while this process does its own, the longest texts dealt round so the slices even out."""
        items = list(inputs)
        pool = self._start() if self.workers > 0 and len(items) >= MIN_SHARED else None
        if pool is None or not all(f.done() for f in self._loading) or self._failed():
            yield from super().annotate(items, batch_size=batch_size)
            return
        shares = self.workers + 1
        order = sorted(range(len(items)), key=lambda i: -len(items[i].text))
        slices = [order[k::shares] for k in range(shares)]
        sent = [(part, pool.submit(_annotate, [items[i] for i in part], batch_size)) for part in slices[1:] if part]
        mine = super().annotate([items[i] for i in slices[0]], batch_size=batch_size)
        results: dict[int, Suggestions] = dict(zip(slices[0], mine, strict=True))
        for part, future in sent:
            try:
                done = future.result()
            except Exception:  # a worker died (killed, out of memory): its share is done here, and so is the rest
                log.warning("pre-annotation worker failed; going on in one process", exc_info=True)
                self.workers = 0
                done = list(super().annotate([items[i] for i in part], batch_size=batch_size))
            results.update(zip(part, done, strict=True))
        for i in range(len(items)):
            yield results[i]

    def _failed(self) -> bool:
        if any(f.exception() is not None for f in self._loading):
            log.warning("pre-annotation workers could not load the pipeline; going on in one process")
            self.workers, self._loading = 0, []
            return True
        return False

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
