"""Adjudication: the annotators' versions of a document merged, decisions taken into gold, agreements automatically.

Every write to gold goes through the edit frame of the annotation service: one history entry per
decision, undone and redone like any other edit. A rejected gold item records the decision that a unit
holds nothing; the parts of a gold event that were decided are listed in its reserved `_adjudicated`
attribute. The gold layer's status is `adjudicated` once no disagreement is left open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.dto import GOLD, MODEL, Changes, DocStatus, DocumentRecord, Event, Status
from annotator.core.errors import UserError
from annotator.core.review import reviewed
from annotator.services import records
from annotator.services.adjudication_text import describe
from annotator.services.alignment import NOT_VOTING, Alignment, Item, ItemKind, align, part_key
from annotator.services.assignment import FINISHED, is_blind
from annotator.services.events import EventService, mark_decided
from annotator.services.gold_writer import GoldWriter
from annotator.services.history import Touched
from annotator.store import models as m

AUTO = "adjudicate_auto"


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One disagreement as the adjudication view lists it: each version and gold's, described."""

    key: str
    kind: str
    name: str
    start: int
    end: int
    versions: tuple[str, ...]  # one per annotator, in the order of AdjudicationState.annotators
    gold: str  # "" while undecided
    decided: bool
    agreed: bool  # everyone agrees; listed while gold does not hold it yet
    gold_is: int | None  # the annotator whose version gold holds, if any


@dataclass(frozen=True)
class AdjudicationState:
    document_id: int
    doc_id: str
    title: str
    text: str
    annotators: tuple[str, ...]  # people whose finished layers are compared
    waiting: tuple[str, ...]  # people whose layers are not finished: left out until they are
    rows: tuple[DecisionRow, ...]
    agreed: int  # items everyone agrees on
    open: int  # items gold does not settle yet
    gold_status: str | None


class AdjudicationService(EventService):
    """Reads layers, writes gold; every call commits at once and returns the Changes it made."""

    # -- reading -----------------------------------------------------------------------------------------------

    def alignment(
        self, document_id: int, annotators: Sequence[str] | None = None, person: str | None = None
    ) -> Alignment:
        """The reviewed finished layers (or those of `annotators`) and gold, aligned; refused in blind mode."""
        with self.db.reader() as session:
            if person is not None and is_blind(session, document_id, person, started_only=True):
                raise UserError(
                    f"blind mode: {person} is still annotating this document; the other layers stay hidden "
                    "until that layer is marked done"
                )
            names = list(annotators) if annotators else finished_people(session, document_id)
            layers = []
            for name in names:
                aid = records.find_annotator(session, name)
                if aid is None:
                    raise UserError(f"no annotator is called {name!r}")
                layers.append(reviewed(records.load_record(session, document_id, aid)))
            gold_id = records.find_annotator(session, GOLD)
            gold = None
            if gold_id is not None and records.has_layer(session, document_id, gold_id):
                gold = records.load_record(session, document_id, gold_id)
            return align(names, layers, gold)

    def state(
        self, document_id: int, annotators: Sequence[str] | None = None, person: str | None = None
    ) -> AdjudicationState:
        al = self.alignment(document_id, annotators, person)
        with self.db.reader() as session:
            doc = session.get_one(m.Document, document_id)
            waiting = sorted(
                set(started_people(session, document_id)) - set(al.annotators) - ({person} if person else set())
            )
            text, doc_id, title = doc.text, doc.external_id, doc.title
        rows = []
        for item in al.items:
            if item.agreed and item.decided:
                continue
            gold_is = next((i for i, v in enumerate(item.versions) if v == item.gold), None) if item.decided else None
            rows.append(
                DecisionRow(
                    key=item.key,
                    kind=item.kind.value,
                    name=item.name,
                    start=item.start,
                    end=item.end,
                    versions=tuple(describe(item.kind, v, text, self.schema) for v in item.versions),
                    gold=describe(item.kind, item.gold, text, self.schema) if item.decided else "",
                    decided=item.decided,
                    agreed=item.agreed,
                    gold_is=gold_is,
                )
            )
        return AdjudicationState(
            document_id=document_id,
            doc_id=doc_id,
            title=title,
            text=text,
            annotators=al.annotators,
            waiting=tuple(waiting),
            rows=tuple(rows),
            agreed=len(al.items) - len(al.disagreements),
            open=len(al.open),
            gold_status=al.gold.status if al.gold is not None else None,
        )

    # -- deciding ----------------------------------------------------------------------------------------------

    def take(self, document_id: int, key: str, choice: int | None, annotators: Sequence[str] | None = None) -> Changes:
        """Put annotator `choice`'s version of an item into gold (None: the item holds nothing)."""
        al = self.alignment(document_id, annotators)
        item = _find(al, key)
        if choice is not None and not 0 <= choice < len(al.annotators):
            raise UserError(f"there is no annotator number {choice + 1} here")
        value = item.versions[choice] if choice is not None else None
        if value is NOT_VOTING:
            raise UserError(f"{al.annotators[choice or 0]} did not mark this event; decide the event first")
        who = f"{al.annotators[choice]}'s" if choice is not None else "no"
        description = f"Gold: {who} {item.kind.value} at “{_excerpt(al, item)}”"
        source = self._source(al, item, choice)
        return self._decide(document_id, al, [(item, value, source)], "adjudicate", description)[0]

    def keep(self, document_id: int, key: str, annotators: Sequence[str] | None = None) -> Changes:
        """Accept what gold holds for a part of an event (after editing it there, say) as the decision."""
        al = self.alignment(document_id, annotators)
        item = _find(al, key)
        if item.is_entity or item.is_event:
            if item.decided:
                return Changes()
            raise UserError("gold holds nothing here yet: take a version (1-9) or nothing (0)")
        gold_event = al.event_units[item.unit].get(al.gold_index)
        if gold_event is None or gold_event.status == Status.REJECTED:
            raise UserError("the event is not in gold yet: decide the event first")
        part = part_key(item.kind, item.name)

        def apply(session: Session, _aid: int, _touched: Touched) -> None:
            mark_decided(session.get_one(m.Event, gold_event.id), part)

        changes = self._edit(document_id, GOLD, "adjudicate", f"Gold: keep the {part}", (), apply, [gold_event.id])
        return changes | self.settle(document_id, al.annotators)

    def auto(self, document_id: int, min_agree: int, annotators: Sequence[str] | None = None) -> tuple[Changes, int]:
        """Put every item at least `min_agree` annotators agree on (and more than on any other version) into gold.

        Events go in with the parts that have such a winner, and their role fillers that enough
        people share; what is left stays open for a person. Returns the changes and how many items.
        """
        al = self.alignment(document_id, annotators)
        plan: list[tuple[Item, Any, Event | None]] = []
        shared: list[tuple[Item, Any, Event | None]] = []
        new_events: set[int] = set()
        for item in al.items:
            if item.decided:
                continue
            found, value = item.winner(min_agree)
            if item.is_entity or item.is_event:
                if found:  # an event goes in bare: only its parts that have a winner follow it
                    plan.append((item, value, None))
                    if item.is_event and value is not None:
                        new_events.add(item.unit)
                continue
            gold_event = al.event_units[item.unit].get(al.gold_index)
            in_gold = gold_event is not None and gold_event.status != Status.REJECTED
            if found and (in_gold or item.unit in new_events):
                plan.append((item, value, self._source(al, item, item.versions.index(value))))
            elif item.kind == ItemKind.ROLE and item.unit in new_events and _shared(item.versions, min_agree):
                shared.append((item, _shared(item.versions, min_agree), None))  # the fillers they share; left open
        if not plan:
            return Changes(), 0
        description = f"Gold: the agreements of at least {min_agree} annotators"
        return self._decide(document_id, al, plan + shared, AUTO, description)

    def _source(self, al: Alignment, item: Item, choice: int | None) -> Event | None:
        if choice is None or item.is_entity:
            return None
        return al.event_units[item.unit].get(choice)

    def _decide(
        self, document_id: int, al: Alignment, plan: list[tuple[Item, Any, Event | None]], operation: str, text: str
    ) -> tuple[Changes, int]:
        """Write the plan as one edit of gold; returns the changes and how many items it settled."""
        gold = al.gold
        entity_ids = [e.id for e in gold.entities] if gold is not None else []  # all: a decision may touch any
        event_ids = [ev.id for ev in gold.events] if gold is not None else []

        settled = 0

        def apply(session: Session, aid: int, touched: Touched) -> None:
            nonlocal settled
            writer = GoldWriter(session, document_id, aid, touched, al, cautious=operation == AUTO)
            for item, value, source in sorted(plan, key=lambda p: (not p[0].is_entity, not p[0].is_event)):
                writer.write(item, value, source)
            settled = writer.decided

        changes = self._edit(document_id, GOLD, operation, text, entity_ids, apply, event_ids)
        return changes | self.settle(document_id, al.annotators), settled

    # -- status ------------------------------------------------------------------------------------------------

    def settle(self, document_id: int, annotators: Sequence[str]) -> Changes:
        """Gold's status: adjudicated when nothing is left open, else in progress."""
        al = self.alignment(document_id, annotators)
        with self.db.session() as session:
            gold = records.find_annotator(session, GOLD)
            state = session.get(m.DocumentState, (document_id, gold)) if gold is not None else None
            if state is None:
                return Changes()
            status = DocStatus.IN_PROGRESS if al.open else DocStatus.ADJUDICATED
            if state.status == status:
                return Changes()
            state.status = status
        return Changes(documents=frozenset({document_id}), states=True)

    def undo(self, history_id: int) -> Changes:
        return self._settled(super().undo(history_id))

    def redo(self, history_id: int) -> Changes:
        return self._settled(super().redo(history_id))

    def _settled(self, changes: Changes) -> Changes:
        for document_id in changes.documents:
            with self.db.reader() as session:
                names = finished_people(session, document_id)
            changes = changes | self.settle(document_id, names)
        return changes


def _shared(versions: Sequence[Any], min_agree: int) -> tuple[tuple[int, int], ...]:
    """Role fillers at least `min_agree` of the people who marked the event chose."""
    votes: Counter[tuple[int, int]] = Counter(f for v in versions if v is not NOT_VOTING for f in v or ())
    return tuple(sorted(f for f, n in votes.items() if n >= min_agree))


def _find(al: Alignment, key: str) -> Item:
    item = next((i for i in al.items if i.key == key), None)
    if item is None:
        raise UserError("that disagreement is gone (the layers changed meanwhile); the list is refreshed")
    return item


def _excerpt(al: Alignment, item: Item) -> str:
    text = (al.layers[0] if al.layers else al.gold or DocumentRecord(doc_id="", text="")).text
    excerpt = text[item.start : item.end]
    return excerpt if len(excerpt) <= 40 else excerpt[:37] + "…"


def finished_people(session: Session, document_id: int) -> list[str]:
    """People (not the model, not gold) whose layer on the document is done, by name."""
    return _people(session, document_id, FINISHED)


def started_people(session: Session, document_id: int) -> list[str]:
    return _people(session, document_id, (DocStatus.NEW, DocStatus.IN_PROGRESS))


def _people(session: Session, document_id: int, statuses: Sequence[str]) -> list[str]:
    query = (
        select(m.Annotator.name)
        .join(m.DocumentState, m.DocumentState.annotator_id == m.Annotator.id)
        .where(m.DocumentState.document_id == document_id, m.DocumentState.status.in_(list(statuses)))
        .where(m.Annotator.name.not_in([MODEL, GOLD]))
        .order_by(m.Annotator.name)
    )
    return list(session.scalars(query))
