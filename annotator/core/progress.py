"""The progress protocol that long work reports through; the CLI and the GUI each implement it."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from annotator.core.errors import Cancelled


class Progress(Protocol):
    def start(self, total: int, label: str) -> None: ...
    def advance(self, n: int = 1, detail: str = "") -> None: ...
    def finish(self) -> None: ...
    def cancelled(self) -> bool: ...


class NullProgress:
    """Reports nothing and never cancels."""

    def start(self, total: int, label: str) -> None:
        pass

    def advance(self, n: int = 1, detail: str = "") -> None:
        pass

    def finish(self) -> None:
        pass

    def cancelled(self) -> bool:
        return False


class TextProgress:
    """A one-line text bar on a terminal stream, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.total = 0
        self.done = 0
        self.label = ""
        self._last = 0.0

    def start(self, total: int, label: str) -> None:
        self.total, self.done, self.label = max(total, 0), 0, label
        self._draw(force=True)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        self._draw(force=True)
        self.stream.write("\n")
        self.stream.flush()

    def cancelled(self) -> bool:
        return False

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        frac = self.done / self.total if self.total else 1.0
        filled = int(self.width * min(frac, 1.0))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        self.stream.flush()


def check_cancelled(progress: Progress) -> None:
    if progress.cancelled():
        raise Cancelled()
