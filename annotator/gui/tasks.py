"""Background work: plain arguments in, plain data out, callbacks on the GUI thread, progress with cancel.

No Qt object is created, owned or freed on the worker thread: the worker only emits signals of one
long-lived bridge that belongs to the GUI thread. (Freeing a Qt wrapper on a worker thread while the
GUI thread connects signals deadlocks PySide; a per-task QRunnable did exactly that.)
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Carries results and progress from the worker thread to the GUI thread (queued signals), by task id."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    started = Signal(int, int, str)
    advanced = Signal(int, int, str)


class SignalProgress:
    """The core Progress protocol, thread-safe: the worker calls it, the GUI thread shows it."""

    def __init__(self, bridge: _Bridge, task: int) -> None:
        self._bridge = bridge
        self._task = task
        self._cancel = threading.Event()
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.done = 0
        self._bridge.started.emit(self._task, total, label)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        self._bridge.advanced.emit(self._task, self.done, detail)

    def finish(self) -> None:
        pass

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


@dataclass
class _Task:
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]
    dialog: QProgressDialog | None


class TaskRunner(QObject):
    """Long work (import, propagation preview, export) runs on one worker thread, so writes never race."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-task")
        self._bridge = _Bridge(self)
        self._bridge.finished.connect(lambda task, value: self._end(task, value, failed=False))
        self._bridge.failed.connect(lambda task, exc: self._end(task, exc, failed=True))
        self._bridge.started.connect(self._started)
        self._bridge.advanced.connect(self._advanced)
        self._tasks: dict[int, _Task] = {}
        self._futures: set[concurrent.futures.Future[None]] = set()
        self._ids = itertools.count(1)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget | None = None,
        label: str = "",
        with_progress: bool = False,
    ) -> SignalProgress | None:
        """Run `fn(*args)` (plus a progress object last when `with_progress`) off the GUI thread."""
        task = next(self._ids)
        progress = SignalProgress(self._bridge, task) if with_progress else None
        dialog = None
        if progress is not None:
            args = (*args, progress)
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            dialog.setObjectName("progress_dialog")
            dialog.setWindowTitle(label)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)

            # Not progress.cancel itself: PySide tracks bound-method receivers and disconnects them when the
            # object dies, and the progress object may die on the worker thread (that deadlocks, see above).
            def cancel(progress: SignalProgress = progress) -> None:
                progress.cancel()

            dialog.canceled.connect(cancel)
        self._tasks[task] = _Task(on_done, on_error, dialog)
        bridge = self._bridge

        def work() -> None:
            try:
                result = fn(*args)
            except BaseException as exc:  # reported on the GUI thread; a worker never dies silently
                log.exception("background task failed")
                bridge.failed.emit(task, exc)
            else:
                bridge.finished.emit(task, result)

        future = self._executor.submit(work)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        return progress

    def _started(self, task: int, total: int, text: str) -> None:
        dialog = self._tasks[task].dialog if task in self._tasks else None
        if dialog is not None:
            dialog.setMaximum(max(total, 0))
            dialog.setLabelText(text)

    def _advanced(self, task: int, done: int, _detail: str) -> None:
        dialog = self._tasks[task].dialog if task in self._tasks else None
        if dialog is not None:
            dialog.setValue(min(done, dialog.maximum()))

    def _end(self, task: int, value: Any, *, failed: bool) -> None:
        entry = self._tasks.pop(task)
        if entry.dialog is not None:
            entry.dialog.close()
            entry.dialog.deleteLater()
        if failed:
            entry.on_error(value)
        else:
            entry.on_done(value)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for queued work to finish; True when nothing is left."""
        _done, pending = concurrent.futures.wait(set(self._futures), timeout=None if msecs < 0 else msecs / 1000)
        return not pending

    def shutdown(self) -> None:
        """On closing: work not started is dropped, the running batch finishes and commits, the thread ends."""
        self._executor.shutdown(wait=True, cancel_futures=True)
