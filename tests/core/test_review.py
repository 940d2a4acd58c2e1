"""Review state: only what a person accepted or made counts, and arguments follow their fillers."""

from __future__ import annotations

from annotator.core.dto import Argument, DocumentRecord, Entity, Event
from annotator.core.review import is_reviewed, reviewed, unreviewed_count

TEXT = "Jets bombed Homs today."


def _record() -> DocumentRecord:
    return DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            Entity(1, 0, 4, "VEH", "Jets", origin="model", status="suggested"),  # nobody looked
            Entity(2, 12, 16, "GPE", "Homs", origin="model", status="accepted"),
            Entity(3, 17, 22, "TIME", "today", origin="human", status="accepted"),
            Entity(4, 5, 11, "ORG", "bombed", origin="model", status="rejected"),
        ),
        events=(
            Event(
                1,
                "Attack",
                5,
                11,
                "bombed",
                arguments=(
                    Argument("Instrument", entity_id=1, status="accepted"),  # filler not reviewed
                    Argument("Place", entity_id=2, status="accepted", origin="model"),
                    Argument("Time", entity_id=3, status="suggested", origin="model"),  # argument not reviewed
                ),
                origin="model",
                status="accepted",
            ),
            Event(2, "Die", 5, 11, "bombed", origin="model", status="suggested"),
        ),
    )


def test_reviewed_means_accepted_or_made_by_a_person() -> None:
    assert is_reviewed("accepted", "model")
    assert is_reviewed("accepted", "human")
    assert not is_reviewed("suggested", "model")
    assert not is_reviewed("rejected", "model")
    assert not is_reviewed("rejected", "human")


def test_reviewed_layer_keeps_only_reviewed_items_and_their_arguments() -> None:
    kept = reviewed(_record())
    assert [e.id for e in kept.entities] == [2, 3]
    assert [ev.id for ev in kept.events] == [1]
    assert [a.role for a in kept.events[0].arguments] == ["Place"]


def test_unreviewed_count_counts_pending_suggestions() -> None:
    # entity 1, event 2, and the Time argument of event 1 (event 2 has no arguments)
    assert unreviewed_count(_record()) == 3
