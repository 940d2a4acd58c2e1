"""The task runner: work off the GUI thread, callbacks on it, progress dialogs, cancel, no deadlock."""

from __future__ import annotations

import threading
import time

from annotator.core.errors import Cancelled
from annotator.core.progress import Progress, check_cancelled
from annotator.gui.tasks import TaskRunner


def test_many_tasks_with_progress_end_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    gui = threading.get_ident()
    results: list[tuple[int, int, int]] = []

    def work(n: int, progress: Progress) -> tuple[int, int]:
        progress.start(3, f"task {n}")
        for _ in range(3):
            progress.advance()
        return n, threading.get_ident()

    for n in range(60):
        runner.run(
            work,
            n,
            on_done=lambda r: results.append((*r, threading.get_ident())),
            on_error=lambda exc: results.append((-1, 0, 0)),
            label="work",
            with_progress=True,
        )
    qtbot.waitUntil(lambda: len(results) == 60, timeout=30000)
    assert sorted(r[0] for r in results) == list(range(60))
    assert all(worker != gui and callback == gui for _n, worker, callback in results)
    runner.shutdown()


def test_cancel_reaches_the_worker(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[BaseException] = []

    def slow(progress: Progress) -> None:
        progress.start(100, "slow")
        for _ in range(100):
            check_cancelled(progress)
            time.sleep(0.02)
            progress.advance()

    progress = runner.run(slow, on_done=lambda _r: None, on_error=errors.append, label="slow", with_progress=True)
    assert progress is not None
    progress.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert isinstance(errors[0], Cancelled)
    runner.shutdown()
