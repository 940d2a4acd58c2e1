"""pytest plugin for `make mutate`: each mutant's tests start from empty caches and run quickest first.

mutmut runs every mutant's tests in a fork of a process that has run them before. Caches the code keeps
(`functools.cache`, `lru_cache`: resolved dates, map outlines) would then answer with what the unmutated
code computed, and a mutant behind them would pass for a survivor; so they are emptied first.

mutmut also runs the tests with `-x` in collection order, which puts the end-to-end command-line tests
(seconds each, spaCy included) before the unit tests that usually catch a mutant in milliseconds. It
records every test's duration in mutants/mutmut-stats.json (the working directory of its runs); the tests
are sorted by it. Without that file, as in `make test`, this plugin does nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def _under_mutmut() -> bool:
    return STATS.exists()


def pytest_sessionstart(session: pytest.Session) -> None:
    if not _under_mutmut():
        return
    for name, module in list(sys.modules.items()):
        if name == "annotator" or name.startswith("annotator."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    try:
        durations: dict[str, float] = json.loads(STATS.read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    # A test mutmut has not timed yet (a new one) counts as quick: it is most likely a new unit test.
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
