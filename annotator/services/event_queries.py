"""Corpus-wide event queries: filtered, sorted pages of event rows and per-date counts for the timeline.

Each document contributes the current annotator's layer when it has one, else the model's suggestions
(as the document list counts). Filtering, sorting and paging run in SQL, so nothing loads the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from annotator.core.dto import MODEL, Status
from annotator.services import records
from annotator.store import models as m
from annotator.store.database import Database

PLACE_ROLES = ("Place",)
ACTOR_ROLES = ("Attacker", "Agent", "Participant", "Entity")  # ACLED actor 1
TARGET_ROLES = ("Target", "Victim", "Defeated", "Person")  # ACLED actor 2, when it names an actor
ACTOR_LABELS = ("PER", "ORG", "GPE")
SORT_KEYS = ("type", "attack_mode", "date", "place", "actors", "fatalities", "status", "document")


@dataclass(frozen=True, slots=True)
class EventFilter:
    type: str | None = None
    status: str | None = None  # None: every event but the rejected ones
    text: str = ""  # in the trigger, a filler or the document title


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of the event table."""

    id: int
    document_id: int
    document: str
    type: str
    trigger: str
    attack_mode: str
    date: str | None
    precision: str | None
    place: str
    actors: str
    fatalities: int | None
    status: str


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    date: str
    precision: str | None
    type: str
    count: int


class EventQueries:
    """Read-only queries behind the event table and the timeline."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- clauses -----------------------------------------------------------------------------------------------

    @staticmethod
    def _fillers(roles: Sequence[str], labels: Sequence[str] = ()) -> Select[Any]:
        """Texts of the non-rejected spans filling these roles of the outer query's event."""
        query = (
            select(m.EntityMention.text)
            .join(m.EventArgument, m.EventArgument.entity_id == m.EntityMention.id)
            .where(
                m.EventArgument.event_id == m.Event.id,
                m.EventArgument.role.in_(roles),
                m.EventArgument.status != Status.REJECTED,
                m.EntityMention.status != Status.REJECTED,
            )
        )
        return query.where(m.EntityMention.label.in_(labels)) if labels else query

    def _where(self, session: Session, annotator: str, flt: EventFilter) -> list[ColumnElement[bool]]:
        aid = records.annotator_id(session, annotator)
        model = records.annotator_id(session, MODEL)
        own = select(m.DocumentState.document_id).where(m.DocumentState.annotator_id == aid)
        clauses: list[ColumnElement[bool]] = [
            or_(
                and_(m.Event.annotator_id == aid, m.Event.document_id.in_(own)),
                and_(m.Event.annotator_id == model, m.Event.document_id.not_in(own)),
            )
        ]
        if flt.type:
            clauses.append(m.Event.type == flt.type)
        if flt.status:
            clauses.append(m.Event.status == flt.status)
        else:
            clauses.append(m.Event.status != Status.REJECTED)
        needle = flt.text.strip()
        if needle:
            filler = self._fillers(ACTOR_ROLES + TARGET_ROLES + PLACE_ROLES).where(
                m.EntityMention.text.icontains(needle, autoescape=True)
            )
            clauses.append(
                or_(
                    m.Event.trigger_text.icontains(needle, autoescape=True),
                    m.Document.title.icontains(needle, autoescape=True),
                    exists(filler),
                )
            )
        return clauses

    def _sort_column(self, key: str) -> Any:
        columns: dict[str, Any] = {
            "type": m.Event.type,
            "attack_mode": m.Event.attrs["attack_mode"].as_string(),
            "date": m.Event.event_date,
            "place": self._fillers(PLACE_ROLES).with_only_columns(func.min(m.EntityMention.text)).scalar_subquery(),
            "actors": self._fillers(ACTOR_ROLES).with_only_columns(func.min(m.EntityMention.text)).scalar_subquery(),
            "fatalities": m.Event.fatalities["value"].as_integer(),
            "status": m.Event.status,
            "document": m.Document.title,
        }
        return columns[key]

    # -- the table ---------------------------------------------------------------------------------------------

    def count(self, annotator: str, flt: EventFilter) -> int:
        with self.db.reader() as session:
            query = select(func.count(m.Event.id)).join(m.Document, m.Document.id == m.Event.document_id)
            return int(session.scalar(query.where(*self._where(session, annotator, flt))) or 0)

    def rows(
        self,
        annotator: str,
        flt: EventFilter,
        *,
        sort: str = "date",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[EventRow]:
        """One page of rows in the given order, empty values last, ties in document and text order."""
        order = self._sort_column(sort)
        with self.db.reader() as session:
            found = session.execute(
                select(
                    m.Event.id,
                    m.Event.document_id,
                    m.Document.title,
                    m.Event.type,
                    m.Event.trigger_text,
                    m.Event.attrs,
                    m.Event.event_date,
                    m.Event.date_precision,
                    m.Event.fatalities,
                    m.Event.status,
                )
                .join(m.Document, m.Document.id == m.Event.document_id)
                .where(*self._where(session, annotator, flt))
                .order_by(
                    (order.desc() if descending else order.asc()).nulls_last(),
                    m.Event.document_id,
                    m.Event.trigger_start,
                    m.Event.id,
                )
                .offset(offset)
                .limit(limit)
            ).all()
            fillers = self._page_fillers(session, [r.id for r in found])
        rows = []
        for r in found:
            by_role = fillers.get(r.id, {})
            actors = "; ".join(_unique(by_role.get("actors", [])))
            targets = "; ".join(_unique(by_role.get("targets", [])))
            rows.append(
                EventRow(
                    id=r.id,
                    document_id=r.document_id,
                    document=r.title or "",
                    type=r.type,
                    trigger=r.trigger_text,
                    attack_mode=str((r.attrs or {}).get("attack_mode") or ""),
                    date=r.event_date,
                    precision=r.date_precision,
                    place="; ".join(_unique(by_role.get("place", []))),
                    actors=f"{actors} → {targets}" if targets else actors,
                    fatalities=(r.fatalities or {}).get("value"),
                    status=r.status,
                )
            )
        return rows

    @staticmethod
    def _page_fillers(session: Session, event_ids: list[int]) -> dict[int, dict[str, list[str]]]:
        if not event_ids:
            return {}
        result: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for event_id, role, label, text in session.execute(
            select(m.EventArgument.event_id, m.EventArgument.role, m.EntityMention.label, m.EntityMention.text)
            .join(m.EntityMention, m.EntityMention.id == m.EventArgument.entity_id)
            .where(
                m.EventArgument.event_id.in_(event_ids),
                m.EventArgument.status != Status.REJECTED,
                m.EntityMention.status != Status.REJECTED,
            )
            .order_by(m.EventArgument.event_id, m.EventArgument.position)
        ):
            if role in PLACE_ROLES:
                result[event_id]["place"].append(text)
            elif role in ACTOR_ROLES:
                result[event_id]["actors"].append(text)
            elif role in TARGET_ROLES and label in ACTOR_LABELS:
                result[event_id]["targets"].append(text)
        return result

    def counterpart(self, event_id: int, annotator: str) -> int:
        """The annotator's copy of a model event (same document, type and trigger), made when the document
        was first opened; the id itself when it has none (it is the annotator's own, or not copied yet)."""
        with self.db.reader() as session:
            event = session.get(m.Event, event_id)
            aid = session.scalar(select(m.Annotator.id).where(m.Annotator.name == annotator))
            if event is None or aid is None or event.annotator_id == aid:
                return event_id
            copy = session.scalar(
                select(m.Event.id)
                .where(
                    m.Event.document_id == event.document_id,
                    m.Event.annotator_id == aid,
                    m.Event.type == event.type,
                    m.Event.trigger_start == event.trigger_start,
                    m.Event.trigger_end == event.trigger_end,
                )
                .order_by(m.Event.id)
                .limit(1)
            )
            return copy if copy is not None else event_id

    # -- the timeline ------------------------------------------------------------------------------------------

    def timeline(self, annotator: str, flt: EventFilter) -> tuple[list[TimelinePoint], int]:
        """Event counts by date, precision and type, and how many events have no date."""
        with self.db.reader() as session:
            where = self._where(session, annotator, flt)
            found = session.execute(
                select(m.Event.event_date, m.Event.date_precision, m.Event.type, func.count(m.Event.id))
                .join(m.Document, m.Document.id == m.Event.document_id)
                .where(*where, m.Event.event_date.is_not(None))
                .group_by(m.Event.event_date, m.Event.date_precision, m.Event.type)
                .order_by(m.Event.event_date)
            ).all()
            undated = session.scalar(
                select(func.count(m.Event.id))
                .join(m.Document, m.Document.id == m.Event.document_id)
                .where(*where, m.Event.event_date.is_(None))
            )
        return [TimelinePoint(d or "", p, t, int(n)) for d, p, t, n in found], int(undated or 0)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
