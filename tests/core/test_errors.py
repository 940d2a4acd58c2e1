"""Error messages name where the problem is: the file, then the line or offset when known."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import ReadProblem
from annotator.core.errors import SchemaError, StaleEditError, UserError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "unknown label"),
        ({"path": Path("in/a.ann")}, "in/a.ann: unknown label"),
        ({"path": "a.ann", "line": 3}, "a.ann, line 3: unknown label"),
        ({"path": "a.ann", "line": 0}, "a.ann, line 0: unknown label"),
        ({"path": "a.txt", "offset": 0}, "a.txt, offset 0: unknown label"),
        ({"path": "a.ann", "line": 3, "offset": 17}, "a.ann, line 3, offset 17: unknown label"),
        ({"line": 4}, "line 4: unknown label"),
    ],
)
def test_a_user_error_says_where(kwargs: dict[str, object], message: str) -> None:
    error = UserError("unknown label", **kwargs)  # type: ignore[arg-type]
    assert str(error) == error.describe() == message
    assert error.message == "unknown label"
    assert (error.line, error.offset) == (kwargs.get("line"), kwargs.get("offset"))
    assert error.path == (str(kwargs["path"]) if "path" in kwargs else None)


def test_a_schema_error_names_the_key_path_and_the_file() -> None:
    error = SchemaError("must be a list", key_path="event_types.Conflict.Attack.roles", path="schema.yaml")
    assert str(error) == "schema.yaml: event_types.Conflict.Attack.roles: must be a list"
    assert error.key_path == "event_types.Conflict.Attack.roles"


def test_a_read_problem_names_the_file_and_line() -> None:
    assert ReadProblem("feed.jsonl", "not JSON", line=7).describe() == "feed.jsonl, line 7: not JSON"
    assert ReadProblem("feed.jsonl", "not JSON", line=0).describe() == "feed.jsonl, line 0: not JSON"
    assert ReadProblem("a.txt", "the file is empty").describe() == "a.txt: the file is empty"


def test_a_stale_edit_says_what_was_changed_and_that_nothing_was() -> None:
    assert str(StaleEditError()) == (
        "what you edited was changed or removed in another window or session of this layer; nothing was changed "
        "and the document is shown as it is now"
    )
    assert str(StaleEditError("the span “Homs”")).startswith("the span “Homs” was changed or removed")
