"""`annotator suggest`: replace the model's suggestions by the suggester now in use, never touching people's work.

The model layer holds what was suggested; a person's layer is a copy made the first time they open the
document, and is never changed here. `unopened` documents (nobody has a layer on them yet) get the new
suggestions, which people then start from; `all` also refreshes the model layer of opened documents, so
`annotator evaluate` scores the new suggester on the finished ones, while their layers stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from annotator.core.dto import MODEL, DocumentRecord
from annotator.core.errors import Cancelled, UserError
from annotator.core.progress import NullProgress, Progress
from annotator.services import records
from annotator.store import models as m
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator

SCOPES = ("unopened", "all")


@dataclass
class ResuggestResult:
    documents: int = 0  # documents whose model layer was replaced
    opened: int = 0  # documents a person has a layer on (left alone under `unopened`)
    entities: int = 0
    events: int = 0
    pipeline: str = ""
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "opened": self.opened,
            "entities": self.entities,
            "events": self.events,
            "pipeline": self.pipeline,
            "cancelled": self.cancelled,
        }


def _opened(session: Any, model: int, ids: list[int] | None = None) -> set[int]:
    query = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id != model)
    if ids is not None:
        query = query.where(m.DocumentState.document_id.in_(ids))
    return set(session.scalars(query))


def resuggest(
    db: Database,
    preannotator: Preannotator,
    *,
    documents: str = "unopened",
    batch_size: int = 32,
    progress: Progress | None = None,
) -> ResuggestResult:
    """Suggest again for the chosen documents; each batch is one transaction, so a cancel keeps what was done."""
    from annotator.nlp.preannotate import AnnotationInput

    if documents not in SCOPES:
        raise UserError(f"--documents must be one of {', '.join(SCOPES)}, not {documents!r}")
    progress = progress or NullProgress()
    result = ResuggestResult(pipeline=preannotator.message)
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        every = list(session.scalars(select(m.Document.id).order_by(m.Document.id)))
        opened = _opened(session, model)
    result.opened = len(opened)
    targets = every if documents == "all" else [d for d in every if d not in opened]
    progress.start(len(targets), "Suggesting")
    try:
        for first in range(0, len(targets), batch_size):
            if progress.cancelled():
                raise Cancelled()
            ids = targets[first : first + batch_size]
            with db.reader() as session:
                docs = {d.id: d for d in session.scalars(select(m.Document).where(m.Document.id.in_(ids)))}
                inputs = [
                    AnnotationInput(docs[i].text, records.document_fields(docs[i])["boilerplate"], docs[i].published)
                    for i in ids
                ]
            suggested = list(preannotator.annotate(inputs, batch_size=len(inputs)))
            with db.session() as session:
                # Someone may have opened a document meanwhile: under `unopened` it is theirs to start from now.
                late = _opened(session, model, ids) if documents == "unopened" else set()
                for document_id, suggestion in zip(ids, suggested, strict=True):
                    if document_id in late:
                        continue
                    _replace_layer(session, document_id, model, suggestion.entities, suggestion.events)
                    result.documents += 1
                    result.entities += len(suggestion.entities)
                    result.events += len(suggestion.events)
            progress.advance(len(ids))
    except Cancelled:
        result.cancelled = True
    finally:
        progress.finish()
    return result


def _replace_layer(session: Any, document_id: int, model: int, entities: Any, found: Any) -> None:
    """Drop the model's suggestions on the document (role fillers go with their events) and store the new ones."""
    events = select(m.Event.id).where(m.Event.document_id == document_id, m.Event.annotator_id == model)
    session.execute(delete(m.EventArgument).where(m.EventArgument.event_id.in_(events)))
    for table in (m.Relation, m.Event, m.EntityMention):
        session.execute(delete(table).where(table.document_id == document_id, table.annotator_id == model))
    record = DocumentRecord(doc_id="", text="", entities=tuple(entities), events=tuple(found))
    records.store_layer(session, document_id, model, record)
