"""Pre-annotation on every core: each batch is shared between this process and worker processes.

spaCy holds the GIL, so threads do not help; each worker process loads its own copy of the pipeline once
and keeps it for every later import. The workers start on their slices of a batch as soon as it is
submitted, so this process can store the batch before meanwhile; it then does its own slice, sized from
the speeds measured on the batch before so that it and the workers finish together and no core idles."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from annotator.core.schema import Schema
from annotator.core.workers import process_pool
from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions

log = logging.getLogger(__name__)
MIN_SHARED = 4  # a smaller batch (one article added by hand) is quicker done here than sent away and back
_LEAST_MINE, _MOST_MINE = 0.1, 0.9  # bounds of this process's share of a batch, so each side keeps measuring
_KEEP = 0.5  # weight of the earlier batches in the measured speeds: one slow batch does not swing the shares
_WORKER: dict[str, Preannotator] = {}  # the pipeline of a worker process, loaded once by its initializer


def _load(schema: Schema, model: str | None, learned: Path | None) -> None:
    _WORKER["pipeline"] = Preannotator(schema, model, learned=learned)
    _WORKER["pipeline"].warm()


def _annotate(inputs: list[AnnotationInput], batch_size: int) -> tuple[list[Suggestions], float]:
    """A worker's suggestions for its slice, and the seconds they took (for the next batch's shares)."""
    started = time.perf_counter()
    done = list(_WORKER["pipeline"].annotate(inputs, batch_size=batch_size))
    return done, time.perf_counter() - started


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
        self._loading: list[Future[tuple[list[Suggestions], float]]] = []
        self._mine = 1 / (self.workers + 1)  # this process's share of a batch, in characters, until measured
        # Measured on earlier batches: characters per second here and in a worker, and the seconds this
        # process spends between submitting a batch and starting its slice (storing the batch before).
        self._speeds: tuple[float, float, float] | None = None
        if self.workers > 0:
            self.message += f" (on {self.workers + 1} processes)"

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = process_pool(self.workers, _load, self._args)
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
        submitted = time.perf_counter()

        def chars(part: list[int]) -> int:
            return sum(len(items[i].text) for i in part)

        def collect() -> list[Suggestions]:
            began = time.perf_counter()
            mine = self._here([items[i] for i in slices[0]], batch_size)()
            mine_seconds = time.perf_counter() - began
            results: dict[int, Suggestions] = dict(zip(slices[0], mine, strict=True))
            theirs: list[tuple[int, float]] = []
            for part, future in sent:
                try:
                    done, seconds = future.result()
                    theirs.append((chars(part), seconds))
                except Exception:  # a worker died (killed, out of memory): its share is done here, and so is the rest
                    log.warning("pre-annotation worker failed; going on in one process", exc_info=True)
                    self.workers = 0
                    done = self._here([items[i] for i in part], batch_size)()
                results.update(zip(part, done, strict=True))
            if self.workers > 0:
                self._measured(began - submitted, (chars(slices[0]), mine_seconds), theirs)
            return [results[i] for i in range(len(items))]

        return collect

    def _here(self, items: list[AnnotationInput], batch_size: int) -> Callable[[], list[Suggestions]]:
        """Suggestions made in this process (the base class's `annotate`; this class's own calls `submit`)."""
        return lambda: list(Preannotator.annotate(self, items, batch_size=batch_size))

    def _deal(self, items: list[AnnotationInput]) -> list[list[int]]:
        """Indices of the items for this process (first) and each worker, in proportion to their shares."""
        if self._speeds is not None:
            self._mine = self._share(sum(len(i.text) for i in items))
        shares = [self._mine] + [(1 - self._mine) / self.workers] * self.workers
        slices: list[list[int]] = [[] for _ in shares]
        load = [0] * len(shares)
        for i in sorted(range(len(items)), key=lambda i: -len(items[i].text)):
            k = min(range(len(shares)), key=lambda k: (load[k] + len(items[i].text)) / shares[k])
            slices[k].append(i)
            load[k] += len(items[i].text)
        return [sorted(part) for part in slices]

    def _share(self, total: int) -> float:
        """This process's share of a batch of `total` characters such that it, storing the batch before first,
        finishes with the workers: before + m·total/here = (1 − m)·total/(workers·worker)."""
        assert self._speeds is not None
        here, worker, before = self._speeds
        mine, theirs = total / here, total / (self.workers * worker)  # seconds for the whole batch on each side
        return min(_MOST_MINE, max(_LEAST_MINE, (theirs - before) / (mine + theirs)))

    def _measured(self, before: float, mine: tuple[int, float], theirs: list[tuple[int, float]]) -> None:
        """Fold a batch's timings into the speeds the next batch is dealt by."""
        if not theirs or mine[0] == 0 or mine[1] <= 0 or any(s <= 0 for _, s in theirs):
            return
        now = (mine[0] / mine[1], sum(c for c, _ in theirs) / sum(s for _, s in theirs), before)
        old = self._speeds or now
        self._speeds = (
            _KEEP * old[0] + (1 - _KEEP) * now[0],
            _KEEP * old[1] + (1 - _KEEP) * now[1],
            _KEEP * old[2] + (1 - _KEEP) * now[2],
        )

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
