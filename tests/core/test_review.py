"""Review state: only what a person accepted or made counts, and arguments follow their fillers."""

from __future__ import annotations

from annotator.core.dto import Argument, DocumentRecord, Entity, Event, Relation
from annotator.core.review import is_reviewed, reviewed, unreviewed_count, without_unreviewed

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


def test_a_persons_own_items_count_as_reviewed_unless_rejected() -> None:
    record = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            Entity(1, 0, 4, "VEH", "Jets", origin="human", status="suggested"),  # a person's span, not "pending"
            Entity(2, 12, 16, "GPE", "Homs", origin="model", status="suggested"),
        ),
        events=(
            Event(
                1, "Attack", 5, 11, "bombed", arguments=(Argument("Instrument", 1, origin="human", status="suggested"),)
            ),
        ),
    )
    assert [e.id for e in reviewed(record).entities] == [1]
    assert [e.id for e in without_unreviewed(record).entities] == [1]
    assert [a.entity_id for a in reviewed(record).events[0].arguments] == [1]
    assert unreviewed_count(record) == 1  # only the model's Homs


def test_nested_event_arguments_and_relations_follow_what_is_kept() -> None:
    record = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            Entity(1, 0, 4, "VEH", "Jets", origin="model", status="accepted"),
            Entity(2, 12, 16, "GPE", "Homs", origin="model", status="suggested"),
            Entity(3, 17, 22, "TIME", "today", origin="human"),
        ),
        events=(
            Event(1, "Attack", 5, 11, "bombed", origin="model", status="accepted"),
            Event(2, "Die", 5, 11, "bombed", origin="model", status="suggested"),
            Event(
                3,
                "Cause",
                5,
                11,
                "bombed",
                arguments=(Argument("Cause", event_id=1), Argument("Effect", event_id=2)),
            ),
        ),
        relations=(Relation(1, "Located", 1, 3), Relation(2, "Located", 1, 2), Relation(3, "Located", 2, 3)),
    )
    kept = reviewed(record)
    assert [ev.id for ev in kept.events] == [1, 3]
    assert [a.event_id for a in kept.events[1].arguments] == [1]  # the argument to the dropped event goes too
    assert [r.id for r in kept.relations] == [1]  # both ends kept
    pending = without_unreviewed(record)
    assert [r.id for r in pending.relations] == [1] and [ev.id for ev in pending.events] == [1, 3]
