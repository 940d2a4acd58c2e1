"""Two sessions of one annotator on one layer (two windows, two computers): a stale edit is refused, not lost."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from annotator.core.dto import Status
from annotator.core.errors import StaleEditError
from annotator.core.schema import Schema
from annotator.services.annotate import AnnotationService
from annotator.services.events import EventService
from annotator.store.database import Database
from tests.services.test_annotate import corpus  # noqa: F401  (the fixture)

TEXT_A_HOMS = 26  # "Homs" in TEXT_A


def _layer(service: AnnotationService, doc: int) -> list[tuple[int, int, str, str]]:
    view = service.open_document(doc, "alice")
    return [(e.start, e.end, e.label, e.status) for e in view.entities]


def test_an_edit_of_a_span_another_session_removed_is_refused(
    db: Database,
    schema: Schema,
    corpus: list[int],  # noqa: F811
) -> None:
    first = AnnotationService(db, schema)
    second = AnnotationService(Database(db.url), schema)  # another window: its own engine and connections
    doc = corpus[0]
    made = first.create_entity(doc, "alice", 0, 10, "WEA")
    [span] = made.entities
    second.open_document(doc, "alice")
    second.delete(doc, "alice", [span])  # a person's own span: really removed
    before = _layer(first, doc)
    for stale in (
        lambda: first.move(doc, "alice", span, 0, 4),
        lambda: first.relabel(doc, "alice", [span], "VEH"),
        lambda: first.set_status(doc, "alice", [span], Status.REJECTED),
    ):
        with pytest.raises(StaleEditError, match="another window or session"):
            stale()
    assert _layer(first, doc) == before  # nothing half-done
    second.db.dispose()


def test_rows_removed_between_read_and_write_give_a_stale_edit_not_a_traceback(
    db: Database,
    schema: Schema,
    corpus: list[int],  # noqa: F811
) -> None:
    """The other session deletes the event while this one is inside its edit (between its read and flush)."""
    service = EventService(db, schema)
    other = Database(db.url)
    doc = corpus[0]
    view = service.open_document(doc, "alice")
    [attack] = view.events

    def remove_it_meanwhile(session: Session, _context: object, _instances: object) -> None:
        with other.engine.begin() as conn:
            conn.execute(text("DELETE FROM events WHERE id = :id"), {"id": attack.id})

    event.listen(Session, "before_flush", remove_it_meanwhile, once=True)
    try:
        with pytest.raises(StaleEditError):
            service.set_event_status(doc, "alice", [attack.id], Status.ACCEPTED)
    finally:
        if event.contains(Session, "before_flush", remove_it_meanwhile):
            event.remove(Session, "before_flush", remove_it_meanwhile)
    other.dispose()
    assert service.open_document(doc, "alice").events == ()
