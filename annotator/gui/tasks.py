"""Background work: plain arguments in, plain data out, callbacks on the GUI thread, progress with cancel."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Carries results and progress from a worker thread to the GUI thread (queued signals)."""

    finished = Signal(object)
    failed = Signal(object)
    started = Signal(int, str)
    advanced = Signal(int, str)


class SignalProgress:
    """The core Progress protocol, thread-safe: workers call it, the GUI thread shows it."""

    def __init__(self, bridge: _Bridge) -> None:
        self._bridge = bridge
        self._cancel = threading.Event()
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.done = 0
        self._bridge.started.emit(total, label)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        self._bridge.advanced.emit(self.done, detail)

    def finish(self) -> None:
        pass

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], bridge: _Bridge) -> None:
        super().__init__()
        self.fn, self.args, self.bridge = fn, args, bridge

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except BaseException as exc:  # reported on the GUI thread; a worker never dies silently
            log.exception("background task failed")
            self.bridge.failed.emit(exc)
        else:
            self.bridge.finished.emit(result)


class TaskRunner(QObject):
    """Long work (import, propagation, export) runs on one worker thread, so writes never race each other."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._bridges: set[_Bridge] = set()

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
        bridge = _Bridge()
        self._bridges.add(bridge)  # keep the bridge alive until its callbacks ran
        progress = None
        dialog: QProgressDialog | None = None
        if with_progress:
            progress = SignalProgress(bridge)
            args = (*args, progress)
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            dialog.setObjectName("progress_dialog")
            dialog.setWindowTitle(label)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(progress.cancel)

            def started(total: int, text: str) -> None:
                dialog.setMaximum(max(total, 0))
                dialog.setLabelText(text)

            bridge.started.connect(started)
            bridge.advanced.connect(lambda done, _detail: dialog.setValue(min(done, dialog.maximum())))

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            if dialog is not None:
                dialog.close()
                dialog.deleteLater()
            self._bridges.discard(bridge)
            callback(value)

        bridge.finished.connect(lambda value: finish(on_done, value))
        bridge.failed.connect(lambda exc: finish(on_error, exc))
        self.pool.start(_Job(fn, args, bridge))
        return progress

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
