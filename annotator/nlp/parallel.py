"""Pre-annotation on every core: each batch is shared between this process and worker processes.

spaCy holds the GIL, so threads do not help; each worker process loads its own copy of the pipeline once
and keeps it for every later import. The workers start on their slices of a batch as soon as it is
submitted, so this process can store the batch before meanwhile; it then does its own slice, whose size
follows how long it had to wait for the workers, so that on two cores both stay busy."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from annotator.core.schema import Schema
from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions

log = logging.getLogger(__name__)
MIN_SHARED = 16  # a smaller batch is quicker done here than sent away and back
_STEP, _LEAST_MINE, _MOST_MINE = 0.04, 0.1, 0.9  # how this process's share of a batch follows the load
_WORKER: dict[str, Preannotator] = {}  # the pipeline of a worker process, loaded once by its initializer


def _load(schema: Schema, model: str | None, learned: Path | None) -> None:
    _WORKER["pipeline"] = Preannotator(schema, model, learned=learned)
    _WORKER["pipeline"].warm()


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
        self._mine = 1 / (self.workers + 1)  # this process's share of a batch, in characters
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
        """Warm this process's pipeline, start the workers and wait until each has loaded and warmed its own."""
        super().warm()
        if self.workers > 0:
            self._start()
            for future in self._loading:
                future.result()

    def annotate(self, inputs: Iterable[AnnotationInput], batch_size: int = 32) -> Iterator[Suggestions]:
        yield from self.submit(list(inputs), batch_size)()

    def submit(self, inputs: Sequence[AnnotationInput], batch_size: int = 32) -> Callable[[], list[Suggestions]]:
        """The workers start on their slices of a large batch at once; collecting does this process's slice,
        then gathers theirs. The longest texts are dealt first, each to the slice with the least work for its
        share, so the slices even out."""
        items = list(inputs)
        pool = self._start() if self.workers > 0 and len(items) >= MIN_SHARED else None
        if pool is None or not all(f.done() for f in self._loading) or self._failed():
            return self._here(items, batch_size)
        slices = self._deal(items)
        try:
            sent = [(part, pool.submit(_annotate, [items[i] for i in part], batch_size)) for part in slices[1:] if part]
        except Exception:  # the pool broke between batches (a worker was killed): this process does the rest
            log.warning("pre-annotation workers are gone; going on in one process", exc_info=True)
            self.workers = 0
            return self._here(items, batch_size)

        def collect() -> list[Suggestions]:
            mine = self._here([items[i] for i in slices[0]], batch_size)()
            results: dict[int, Suggestions] = dict(zip(slices[0], mine, strict=True))
            self._rebalance(all(future.done() for _, future in sent))
            for part, future in sent:
                try:
                    done = future.result()
                except Exception:  # a worker died (killed, out of memory): its share is done here, and so is the rest
                    log.warning("pre-annotation worker failed; going on in one process", exc_info=True)
                    self.workers = 0
                    done = self._here([items[i] for i in part], batch_size)()
                results.update(zip(part, done, strict=True))
            return [results[i] for i in range(len(items))]

        return collect

    def _here(self, items: list[AnnotationInput], batch_size: int) -> Callable[[], list[Suggestions]]:
        """Suggestions made in this process (the base class's `annotate`; this class's own calls `submit`)."""
        return lambda: list(Preannotator.annotate(self, items, batch_size=batch_size))

    def _deal(self, items: list[AnnotationInput]) -> list[list[int]]:
        """Indices of the items for this process (first) and each worker, in proportion to their shares."""
        shares = [self._mine] + [(1 - self._mine) / self.workers] * self.workers
        slices: list[list[int]] = [[] for _ in shares]
        load = [0] * len(shares)
        for i in sorted(range(len(items)), key=lambda i: -len(items[i].text)):
            k = min(range(len(shares)), key=lambda k: (load[k] + len(items[i].text)) / shares[k])
            slices[k].append(i)
            load[k] += len(items[i].text)
        return [sorted(part) for part in slices]

    def _rebalance(self, workers_were_done: bool) -> None:
        """This process also reads and stores batches: when the workers finished first, it takes a smaller
        share of the next batch, when it had to wait for them, a larger one."""
        step = -_STEP if workers_were_done else _STEP
        self._mine = min(_MOST_MINE, max(_LEAST_MINE, self._mine + step))

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
