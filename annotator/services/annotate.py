"""Entity editing use cases: open a layer, create, relabel, move, accept, reject, delete, propagate, undo."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from annotator.core.dto import MODEL, Changes, DocStatus, DocumentView, Origin, Status
from annotator.core.errors import StaleEditError, UserError
from annotator.core.schema import Schema
from annotator.services import assignment, history, records
from annotator.services.documents import fts_ids
from annotator.services.history import Touched
from annotator.store import models as m
from annotator.store.database import Database

MODEL_SPAN = "_model_span"  # where a suggestion a person moved began and ended (bookkeeping, never exported)


@dataclass(frozen=True)
class PropagationPreview:
    """How many unreviewed occurrences a propagation would change, shown before the user applies it."""

    text: str
    label: str
    in_document: int
    in_corpus: int  # in other documents
    documents: int  # other documents concerned


class AnnotationService:
    """Every call commits at once and returns the Changes it made, with the history id for undo."""

    def __init__(self, db: Database, schema: Schema) -> None:
        self.db = db
        self.schema = schema

    # -- reading ---------------------------------------------------------------------------------------------

    def open_document(self, document_id: int, annotator: str, others: Sequence[str] = ()) -> DocumentView:
        """The document with the annotator's layer, created from the model's suggestions on first open."""
        self._open_layer(document_id, annotator)
        with self.db.reader() as session:
            aid = records.annotator_id(session, annotator)
            doc = session.get(m.Document, document_id)
            if doc is None:
                raise UserError(f"there is no document with id {document_id}")
            state = session.get(m.DocumentState, (document_id, aid))
            blind = assignment.is_blind(session, document_id, annotator)
            other_layers = {}
            for name in () if blind else others:
                other = session.scalar(select(m.Annotator.id).where(m.Annotator.name == name))
                if other is not None and other != aid:
                    other_layers[name] = tuple(records.layer_entities(session, document_id, other))
            return DocumentView(
                id=doc.id,
                **records.document_fields(doc),
                annotator=annotator,
                status=state.status if state else DocStatus.NEW,
                entities=tuple(records.layer_entities(session, document_id, aid)),
                events=tuple(records.layer_events(session, document_id, aid)),
                others=other_layers,
                blind=blind,
            )

    def refresh_view(self, view: DocumentView, changes: Changes) -> DocumentView | None:
        """The open layer after `changes`, reading again only the spans and events they name (and events
        whose arguments point at a changed event); None when they reach further: open the document anew."""
        if view.blind or changes.corpus or not (changes.entities or changes.events):
            return None
        events = set(changes.events)
        events |= {ev.id for ev in view.events if any(a.event_id in changes.events for a in ev.arguments)}
        with self.db.reader() as session:
            aid = records.annotator_id(session, view.annotator)
            state = session.scalar(
                select(m.DocumentState.status).where(
                    m.DocumentState.document_id == view.id, m.DocumentState.annotator_id == aid
                )
            )
            entities = records.layer_entities(session, view.id, aid, changes.entities) if changes.entities else []
            fresh_events = records.layer_events(session, view.id, aid, events) if events else []
        kept_entities = [e for e in view.entities if e.id not in changes.entities]
        kept_events = [ev for ev in view.events if ev.id not in events]
        return replace(
            view,
            status=state or DocStatus.NEW,
            entities=tuple(sorted(kept_entities + entities, key=lambda e: (e.start, e.end, e.id))),
            events=tuple(sorted(kept_events + fresh_events, key=lambda ev: (ev.trigger_start, ev.trigger_end, ev.id))),
        )

    def history(self, document_id: int | None, annotator: str) -> list[history.HistoryEntry]:
        """A document's undo stack for the annotator; None: the stack of the layer's incident edits."""
        with self.db.reader() as session:
            return history.stack(session, document_id, records.annotator_id(session, annotator))

    # -- the edit frame ----------------------------------------------------------------------------------------

    def _edit(
        self,
        document_id: int,
        annotator: str,
        operation: str,
        description: str,
        entity_ids: Iterable[int],
        apply: Callable[[Session, int, Touched], None],
        event_ids: Iterable[int] = (),
        incident_ids: Iterable[int] = (),
    ) -> Changes:
        """`incident_ids`: incidents the edit changes too (a deleted event leaves its own), so undo restores them."""
        with self.db.session() as session:
            aid = records.annotator_id(session, annotator)
            records.ensure_layer(session, document_id, aid)
            ids = set(entity_ids)
            self._check_current(session, ids, set(event_ids), aid)
            touched = Touched(ids, set(event_ids) | history.events_using(session, ids), set(incident_ids))
            hid = history.record_edit(
                session, document_id, aid, operation, description, touched, lambda: apply(session, aid, touched)
            )
            docs = {document_id} | set(
                session.scalars(select(m.EntityMention.document_id).where(m.EntityMention.id.in_(touched.entities)))
            )
        return Changes(
            documents=frozenset(docs),
            entities=frozenset(touched.entities),
            events=frozenset(touched.events),
            states=True,
            history_id=hid,
        )

    @staticmethod
    def _check_current(session: Session, ids: set[int], event_ids: set[int], aid: int) -> None:
        """The rows an edit aims at are still there, and in this annotator's layer."""
        query = select(m.EntityMention.id, m.EntityMention.annotator_id).where(m.EntityMention.id.in_(ids))
        owners = {entity: owner for entity, owner in session.execute(query)}
        if set(owners.values()) - {aid}:
            raise UserError("those spans belong to another annotator's layer, which is read-only here")
        if ids - set(owners):
            raise StaleEditError("a span")
        if event_ids and len(set(session.scalars(select(m.Event.id).where(m.Event.id.in_(event_ids))))) < len(
            event_ids
        ):
            raise StaleEditError("an event")

    def _check_span(self, session: Session, document_id: int, start: int, end: int) -> str:
        text = session.scalar(select(m.Document.text).where(m.Document.id == document_id))
        if text is None:
            raise UserError(f"there is no document with id {document_id}")
        if not 0 <= start < end <= len(text):
            raise UserError(f"span {start}-{end} is outside the text (0-{len(text)})", offset=start)
        return text[start:end]

    def _check_label(self, label: str) -> None:
        if label not in self.schema.entity_types:
            raise UserError(f"unknown entity label {label!r}; the schema has {', '.join(self.schema.entity_types)}")

    def _open_layer(self, document_id: int, annotator: str) -> None:
        """Give the annotator a layer on the document, a copy of the model's suggestions, if they have none."""
        with self.db.reader() as session:  # a layer opened before needs no write, nor its lock check
            if session.scalar(select(m.Document.id).where(m.Document.id == document_id)) is None:
                raise UserError(f"there is no document with id {document_id}")  # before anything is written
            known = records.find_annotator(session, annotator)
            ready = known is not None and (annotator == MODEL or records.has_layer(session, document_id, known))
        if not ready:
            with self.db.session() as session:
                records.ensure_layer(session, document_id, records.annotator_id(session, annotator))

    def layer_ids(
        self,
        model: type[m.EntityMention] | type[m.Event],
        document_id: int,
        annotator: str,
        *conditions: ColumnElement[bool],
    ) -> list[int]:
        """Ids of one annotator's entities or events in a document that meet `conditions`."""
        with self.db.reader() as session:
            aid = records.annotator_id(session, annotator)
            return list(
                session.scalars(
                    select(model.id).where(model.document_id == document_id, model.annotator_id == aid, *conditions)
                )
            )

    @staticmethod
    def _add_span(
        session: Session,
        document_id: int,
        aid: int,
        start: int,
        end: int,
        label: str,
        text: str,
        attrs: dict[str, object] | None = None,
    ) -> m.EntityMention:
        """A span the annotator made: human origin, accepted at once."""
        row = m.EntityMention(
            document_id=document_id,
            annotator_id=aid,
            start=start,
            end=end,
            label=label,
            text=text,
            origin=Origin.HUMAN,
            status=Status.ACCEPTED,
            attrs=attrs or {},
        )
        session.add(row)
        session.flush()
        return row

    # -- entity edits ------------------------------------------------------------------------------------------

    def create_entity(self, document_id: int, annotator: str, start: int, end: int, label: str) -> Changes:
        """Label a span. If the layer already has a span with exactly these offsets (a suggestion, say),
        that span takes the label and is accepted: one span, one label, no duplicates."""
        self._check_label(label)
        self._open_layer(document_id, annotator)  # a first edit finds the suggestions its layer starts with
        same = self.layer_ids(
            m.EntityMention, document_id, annotator, m.EntityMention.start == start, m.EntityMention.end == end
        )
        if same:
            return self.relabel(document_id, annotator, same, label)

        def apply(session: Session, aid: int, touched: Touched) -> None:
            text = self._check_span(session, document_id, start, end)
            touched.entities.add(self._add_span(session, document_id, aid, start, end, label, text).id)

        return self._edit(document_id, annotator, "create", f"Label as {label}", (), apply)

    def relabel(self, document_id: int, annotator: str, entity_ids: Sequence[int], label: str) -> Changes:
        self._check_label(label)

        def apply(session: Session, _aid: int, _t: Touched) -> None:
            for ent in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(entity_ids))):
                ent.label, ent.status = label, Status.ACCEPTED

        return self._edit(document_id, annotator, "relabel", f"Relabel as {label}", entity_ids, apply)

    def move(self, document_id: int, annotator: str, entity_id: int, start: int, end: int) -> Changes:
        def apply(session: Session, _aid: int, _t: Touched) -> None:
            text = self._check_span(session, document_id, start, end)
            ent = session.get_one(m.EntityMention, entity_id)
            # Boundaries a person set are theirs: the span is no longer what the model proposed. What it
            # proposed is kept aside, so deleting the span later still records that suggestion as rejected.
            if ent.origin == Origin.MODEL:
                ent.attrs = {**ent.attrs, MODEL_SPAN: [ent.start, ent.end]}
            ent.start, ent.end, ent.text, ent.status, ent.origin = start, end, text, Status.ACCEPTED, Origin.HUMAN

        return self._edit(document_id, annotator, "move", "Move span boundary", (entity_id,), apply)

    def set_status(self, document_id: int, annotator: str, entity_ids: Sequence[int], status: Status) -> Changes:
        def apply(session: Session, _aid: int, _t: Touched) -> None:
            for ent in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(entity_ids))):
                ent.status = status

        verb = status_verb(status)
        return self._edit(document_id, annotator, status.value, f"{verb} {len(entity_ids)} span(s)", entity_ids, apply)

    def delete(self, document_id: int, annotator: str, entity_ids: Sequence[int]) -> Changes:
        """Remove spans; a model suggestion is kept as rejected, because rejections are evaluation data."""

        def apply(session: Session, _aid: int, _t: Touched) -> None:
            for ent in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(entity_ids))):
                proposed = ent.attrs.get(MODEL_SPAN)
                if isinstance(proposed, list) and len(proposed) == 2:  # a moved suggestion: rejected as proposed
                    start, end = int(proposed[0]), int(proposed[1])
                    ent.start, ent.end, ent.text = start, end, self._check_span(session, document_id, start, end)
                    ent.attrs = {k: v for k, v in ent.attrs.items() if k != MODEL_SPAN}
                    ent.origin = Origin.MODEL
                if ent.origin == Origin.MODEL:
                    ent.status = Status.REJECTED
                else:
                    session.delete(ent)

        return self._edit(document_id, annotator, "delete", f"Delete {len(entity_ids)} span(s)", entity_ids, apply)

    def accept_all(self, document_id: int, annotator: str) -> Changes:
        """Accept every remaining suggestion of the document, spans and events with their roles: one undo step."""
        return self._decide_all(document_id, annotator, Status.ACCEPTED)

    def reject_all(self, document_id: int, annotator: str) -> Changes:
        """Reject every remaining suggestion (kept as rejected: evaluation data): one undo step."""
        return self._decide_all(document_id, annotator, Status.REJECTED)

    def _decide_all(self, document_id: int, annotator: str, status: Status) -> Changes:
        entity_ids = self.layer_ids(m.EntityMention, document_id, annotator, m.EntityMention.status == Status.SUGGESTED)
        with_suggested_roles = select(m.EventArgument.event_id).where(m.EventArgument.status == Status.SUGGESTED)
        event_ids = self.layer_ids(
            m.Event,
            document_id,
            annotator,
            m.Event.status != Status.REJECTED,
            or_(m.Event.status == Status.SUGGESTED, m.Event.id.in_(with_suggested_roles)),
        )
        if not entity_ids and not event_ids:
            return Changes()

        def apply(session: Session, _aid: int, _t: Touched) -> None:
            for ent in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(entity_ids))):
                ent.status = status
            for ev in session.scalars(select(m.Event).where(m.Event.id.in_(event_ids))):
                if ev.status == Status.SUGGESTED:
                    ev.status = status
                for argument in ev.arguments:
                    if argument.status == Status.SUGGESTED:
                        argument.status = status

        verb = status_verb(status)
        return self._edit(
            document_id, annotator, f"{verb.lower()}_all", f"{verb} all suggestions", entity_ids, apply, event_ids
        )

    def set_document_status(self, document_id: int, annotator: str, status: DocStatus) -> Changes:
        with self.db.session() as session:
            aid = records.annotator_id(session, annotator)
            records.ensure_layer(session, document_id, aid)
            state = session.get_one(m.DocumentState, (document_id, aid))
            state.status = status
        return Changes(documents=frozenset({document_id}), states=True)

    # -- propagation -------------------------------------------------------------------------------------------

    def _occurrences(self, text: str, needle: str, boilerplate: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
        """Whole-word occurrences of the exact string outside boilerplate."""
        pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])")
        skip = [(int(s), int(e)) for s, e in boilerplate]
        return [
            (mt.start(), mt.end()) for mt in pattern.finditer(text) if not any(s <= mt.start() < e for s, e in skip)
        ]

    def _pending(
        self, session: Session, document_id: int, aid: int, needle: str, label: str
    ) -> tuple[list[int], list[tuple[int, int]]]:
        """Unreviewed occurrences: suggestions to relabel and accept, and bare text to label."""
        doc = session.get_one(m.Document, document_id)
        spans = self._occurrences(doc.text, needle, doc.boilerplate)
        if not spans:
            return [], []
        existing: dict[tuple[int, int], list[m.EntityMention]] = {}
        for ent in session.scalars(
            select(m.EntityMention).where(
                m.EntityMention.document_id == document_id,
                m.EntityMention.annotator_id == aid,
                m.EntityMention.text == needle,
            )
        ):
            existing.setdefault((ent.start, ent.end), []).append(ent)
        relabel: list[int] = []
        create: list[tuple[int, int]] = []
        for span in spans:
            mentions = existing.get(span, [])
            if not mentions:
                create.append(span)
            elif all(e.status == Status.SUGGESTED for e in mentions):
                relabel.extend(e.id for e in mentions if e.label != label or e.status == Status.SUGGESTED)
            # a reviewed mention (accepted or rejected) is the user's decision: never overwritten
        return relabel, create

    def _candidate_documents(self, session: Session, needle: str, exclude: int) -> list[int]:
        if self.db.is_sqlite:
            # FTS5 narrows 100,000 documents to the few holding the words; the exact check follows.
            phrase = '"' + " ".join(re.findall(r"\w+", needle)).replace('"', "") + '"'
            if phrase != '""':
                rows = session.execute(
                    select(m.Document.id).where(m.Document.id.in_(fts_ids(phrase)), m.Document.id != exclude)
                )
                return [r for (r,) in rows]
        rows = session.execute(
            select(m.Document.id).where(m.Document.text.contains(needle, autoescape=True), m.Document.id != exclude)
        )
        return [r for (r,) in rows]

    def preview_propagation(self, document_id: int, annotator: str, needle: str, label: str) -> PropagationPreview:
        with self.db.reader() as session:
            aid = records.annotator_id(session, annotator)
            model = records.annotator_id(session, MODEL)
            here = self._pending(session, document_id, aid, needle, label)
            in_corpus, docs = 0, 0
            for other in self._candidate_documents(session, needle, document_id):
                layer = aid if records.has_layer(session, other, aid) else model
                relabel, create = self._pending(session, other, layer, needle, label)
                if relabel or create:
                    in_corpus += len(relabel) + len(create)
                    docs += 1
        return PropagationPreview(needle, label, len(here[0]) + len(here[1]), in_corpus, docs)

    def propagate(self, document_id: int, annotator: str, needle: str, label: str, *, corpus: bool) -> Changes:
        """Apply a labelling decision to every unreviewed occurrence: one history entry, one undo step."""
        self._check_label(label)
        with self.db.session() as session:
            aid = records.annotator_id(session, annotator)
            targets = [document_id]
            if corpus:
                targets += self._candidate_documents(session, needle, document_id)
            for doc in targets:  # layers are materialised first: their creation is not part of the undo
                records.ensure_layer(session, doc, aid)
            plan = {doc: self._pending(session, doc, aid, needle, label) for doc in targets}
        relabel_ids = [i for relabel, _ in plan.values() for i in relabel]
        scope = "corpus" if corpus else "document"

        def apply(session: Session, aid: int, touched: Touched) -> None:
            for ent in session.scalars(select(m.EntityMention).where(m.EntityMention.id.in_(relabel_ids))):
                ent.label, ent.status = label, Status.ACCEPTED
            for doc, (_, create) in plan.items():
                for start, end in create:
                    row = self._add_span(session, doc, aid, start, end, label, needle, {"propagated": True})
                    touched.entities.add(row.id)

        return self._edit(
            document_id, annotator, "propagate", f"Label every “{needle}” as {label} ({scope})", relabel_ids, apply
        )

    # -- undo --------------------------------------------------------------------------------------------------

    def undo(self, history_id: int) -> Changes:
        return self._replay(history_id, history.undo)

    def redo(self, history_id: int) -> Changes:
        return self._replay(history_id, history.redo)

    def _replay(self, history_id: int, step: Callable[[Session, int], m.History]) -> Changes:
        with self.db.session() as session:
            entry = step(session, history_id)
            docs, entities, events = history.affected_ids(entry)
            incidents = "incidents" in entry.after
        return Changes(documents=docs, entities=entities, events=events, incidents=incidents, history_id=history_id)


def status_verb(status: Status) -> str:
    """How a status change reads in the undo menu."""
    return {Status.ACCEPTED: "Accept", Status.REJECTED: "Reject"}.get(status, "Reset")
