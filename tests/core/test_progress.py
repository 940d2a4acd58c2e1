"""The text progress bar of the command line: what it draws, how often, and cancelling."""

from __future__ import annotations

import io

import pytest

from annotator.core import progress as progress_module
from annotator.core.errors import Cancelled
from annotator.core.progress import NullProgress, TextProgress, check_cancelled


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_is_drawn_at_start_at_most_ten_times_a_second_and_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)
    stream = io.StringIO()
    bar = TextProgress(stream, width=10)
    bar.start(4, "Importing")
    assert stream.getvalue() == "\rImporting [----------] 0/4"
    clock.now += 0.05
    bar.advance()
    assert stream.getvalue().endswith("0/4")  # too soon to redraw
    clock.now += 0.1
    bar.advance(2, "b.txt")
    assert stream.getvalue().endswith("\rImporting [#######---] 3/4")
    bar.advance()
    bar.finish()
    assert stream.getvalue().endswith("\rImporting [##########] 4/4\n")
    assert not bar.cancelled()


def test_default_width_and_an_unknown_total(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module.time, "monotonic", Clock())
    stream = io.StringIO()
    bar = TextProgress(stream)
    assert (bar.total, bar.done, bar.label) == (0, 0, "")
    bar.start(-1, "Exporting")  # nothing to count: a full bar rather than a division by zero
    assert stream.getvalue() == "\rExporting [" + "#" * 30 + "] 0/0"
    bar.start(2, "Again")
    bar.advance(5)  # more than announced: the bar stays full
    bar.finish()
    assert stream.getvalue().endswith("\rAgain [" + "#" * 30 + "] 5/2\n")


def test_cancelling() -> None:
    class Stop(NullProgress):
        def cancelled(self) -> bool:
            return True

    assert not NullProgress().cancelled()
    check_cancelled(NullProgress())
    with pytest.raises(Cancelled):
        check_cancelled(Stop())
