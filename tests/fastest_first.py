"""pytest plugin for `make mutate`: run the quickest tests first, so a mutant that any test kills dies fast.

mutmut runs each mutant's tests with `-x` in collection order, which puts the end-to-end command-line tests
(seconds each, spaCy included) before the unit tests that usually catch the mutant in milliseconds. mutmut
records every test's duration in mutants/mutmut-stats.json (the working directory of its runs); this plugin
sorts by it. Without that file, as in `make test`, the order is left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    try:
        durations: dict[str, float] = json.loads(STATS.read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    # A test mutmut has not timed yet (a new one) counts as quick: it is most likely a new unit test.
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
