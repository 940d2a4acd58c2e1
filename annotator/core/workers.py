"""Pools of worker processes that end with the process that started them, even when it is killed.

A spawned worker inherits the terminal's or the test's output pipes and waits on a queue whose writing end it
also holds, so it would never notice its parent gone: a killed GUI or import would leave its workers running,
holding memory and, for a caller waiting on those pipes, never ending. Each worker watches its parent.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_WATCH_S = 0.5  # how often a worker looks for its parent


def process_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (the GUI process has threads, which a forked child would inherit
    half-copied) that exit when this process does; `initializer` runs in each, as in ProcessPoolExecutor."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start(parent: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    threading.Thread(target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:  # a child whose parent died is handed to another (init, a subreaper)
        time.sleep(_WATCH_S)
    os._exit(1)
