"""The values passed between layers: what a change says when two are combined."""

from __future__ import annotations

from annotator.core.dto import Changes


def test_two_changes_combined_keep_everything_each_one_changed() -> None:
    view = object()
    first = Changes(documents=frozenset({1}), entities=frozenset({10, 11}), states=True, history_id=5, source=view)
    second = Changes(documents=frozenset({2}), events=frozenset({7}), corpus=True, incidents=True, history_id=6)
    both = first | second
    assert both == Changes(
        documents=frozenset({1, 2}),
        entities=frozenset({10, 11}),
        events=frozenset({7}),
        states=True,
        corpus=True,
        incidents=True,
        history_id=6,  # the later edit is the one to undo
        source=view,
    )
    assert (second | first).history_id == 5 and (second | first).source is view
    assert (first | Changes()).history_id == 5 and (Changes() | Changes()).empty
    assert not both.empty and not Changes(states=True).empty and not Changes(incidents=True).empty
