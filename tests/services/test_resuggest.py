"""`annotator suggest` on a real project with the real suggester: what a cancel keeps and reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.dto import MODEL, DocumentRecord
from annotator.services import records
from annotator.services.resuggest import resuggest
from annotator.store.database import Database
from tests.services.test_export import RecordingProgress

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator

TEXTS = ("Russian jets bombed Homs on Tuesday.", "Rebels shelled Idlib on Monday.")


def _model_layer(db: Database, document_id: int) -> tuple[str, ...]:
    with db.reader() as session:
        record = records.load_record(session, document_id, records.annotator_id(session, MODEL))
    return tuple(e.text for e in record.entities)


def test_a_cancel_keeps_the_batches_done_and_says_it_was_cancelled(db: Database, preannotator: Preannotator) -> None:
    with db.session() as session:
        first, second = (records.store_document(session, DocumentRecord(doc_id=t[:6], text=t)) or 0 for t in TEXTS)
    progress = RecordingProgress(cancel_after=1)
    result = resuggest(db, preannotator, batch_size=1, progress=progress)
    assert result.cancelled is True and result.to_json()["cancelled"] is True
    assert result.documents == 1 and result.entities == len(_model_layer(db, first)) > 0
    assert _model_layer(db, second) == ()  # the batch after the cancel was never suggested
    assert progress.calls == [("start", 2), ("advance", ""), ("finish", None)]
