"""Double annotation: the team's settings (stored in the project), who still needs which document, blind mode.

The settings live in the project database, not in a user's settings file, so every member of a team
sharing one PostgreSQL database works under the same rules. Which documents are double-annotated is
decided by a hash of the document's text and the project's seed: the same documents in every copy of
the project, on every machine, without storing a list.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from annotator.core.dto import GOLD, MODEL, DocStatus
from annotator.core.errors import UserError
from annotator.services import records
from annotator.store import models as m
from annotator.store.database import Database

log = logging.getLogger(__name__)
SETTINGS_KEY = "team_settings"
FINISHED = (DocStatus.DONE, DocStatus.ADJUDICATED)
STARTED = (DocStatus.IN_PROGRESS, *FINISHED)  # a layer that was only opened (new) claims nothing
_PAGE = 500


@dataclass(frozen=True)
class TeamSettings:
    """Project-wide rules for double annotation and adjudication; the defaults are a one-person project."""

    annotators_per_document: int = 1  # on the double-annotated share; the other documents need one
    double_share: float = 1.0  # share of documents double-annotated when annotators_per_document > 1
    seed: int = 0  # changes which documents form the share, reproducibly
    blind: bool = True  # annotators do not see other layers of a double-annotated document until done
    auto_adjudicate: bool = True  # agreements go into gold when a document is opened for adjudication
    min_agree: int = 2  # annotators who must agree for an item to go into gold automatically

    def __post_init__(self) -> None:
        if not 1 <= self.annotators_per_document <= 9:
            raise UserError("annotators per document must be between 1 and 9")
        if not 0.0 <= self.double_share <= 1.0:
            raise UserError("the double-annotated share must be between 0% and 100%")
        if not 1 <= self.min_agree <= 9:
            raise UserError("the number of annotators who must agree must be between 1 and 9")

    def needs(self, text_sha256: str) -> int:
        """How many annotators a document needs: its text's hash decides whether it is in the shared sample."""
        if self.annotators_per_document <= 1 or self.double_share <= 0.0:
            return 1
        if self.double_share >= 1.0:
            return self.annotators_per_document
        digest = hashlib.sha256(f"{self.seed}:{text_sha256}".encode()).digest()
        draw = int.from_bytes(digest[:8], "big") / 2**64
        return self.annotators_per_document if draw < self.double_share else 1


def load_team_settings(db: Database) -> TeamSettings:
    with db.reader() as session:
        return team_settings(session)


def team_settings(session: Session) -> TeamSettings:
    """The stored settings; keys this version does not know are ignored, missing ones take their default."""
    row = session.get(m.ProjectInfo, SETTINGS_KEY)
    if row is None:
        return TeamSettings()
    try:
        stored = json.loads(row.value)
    except ValueError:
        stored = None
    if not isinstance(stored, dict):
        log.warning("team settings in the project are not a JSON object; using the defaults")
        return TeamSettings()
    known = {f.name for f in fields(TeamSettings)}
    try:
        return TeamSettings(**{k: v for k, v in stored.items() if k in known})
    except (TypeError, UserError) as exc:  # written by hand or by another version: the defaults are safe
        log.warning("team settings in the project are not usable (%s); using the defaults", exc)
        return TeamSettings()


def save_team_settings(db: Database, settings: TeamSettings) -> None:
    with db.session() as session:
        session.merge(m.ProjectInfo(key=SETTINGS_KEY, value=json.dumps(asdict(settings), sort_keys=True)))


# -- who needs what --------------------------------------------------------------------------------------------


def _pseudo(session: Session) -> list[int]:
    """Ids of the layers that are not a person's: the model's suggestions and gold (-1 when absent)."""
    return [records.find_annotator(session, name) or -1 for name in (MODEL, GOLD)]


def next_document(db: Database, annotator: str, after: int) -> int | None:
    """The next document after `after` (wrapping round) that still needs this annotator.

    A document needs a person when their layer is not done and either they have started it or fewer
    people than it needs have started it. For `gold` it is the next document with two or more finished
    layers that is not adjudicated yet.
    """
    with db.reader() as session:
        settings = team_settings(session)
        candidates = _adjudication_candidates if annotator == GOLD else _candidates
        for start, stop in ((after, None), (0, after)):
            for doc_id in candidates(session, settings, annotator, start, stop):
                if doc_id != after:
                    return doc_id
    return None


def _candidates(
    session: Session, settings: TeamSettings, annotator: str, start: int, stop: int | None
) -> Iterator[int]:
    aid = records.find_annotator(session, annotator) or -1
    others = (
        select(m.DocumentState.document_id, func.count().label("n"))
        .where(m.DocumentState.annotator_id.not_in([aid, *_pseudo(session)]), m.DocumentState.status.in_(STARTED))
        .group_by(m.DocumentState.document_id)
        .subquery()
    )
    mine = aliased(m.DocumentState)
    started = func.coalesce(others.c.n, 0)
    query = (
        select(m.Document.id, m.Document.sha256, started, mine.status)
        .outerjoin(others, others.c.document_id == m.Document.id)
        .outerjoin(mine, and_(mine.document_id == m.Document.id, mine.annotator_id == aid))
        .where(or_(mine.status.is_(None), mine.status.not_in(FINISHED)))
        .where(or_(mine.status == DocStatus.IN_PROGRESS, started < settings.annotators_per_document))
    )
    for doc_id, sha, n, status in _paged(session, query, start, stop):
        if status == DocStatus.IN_PROGRESS or n < settings.needs(sha):
            yield doc_id


def _adjudication_candidates(
    session: Session, settings: TeamSettings, _annotator: str, start: int, stop: int | None
) -> Iterator[int]:
    pseudo = _pseudo(session)
    finished = (
        select(m.DocumentState.document_id)
        .where(m.DocumentState.annotator_id.not_in(pseudo), m.DocumentState.status.in_(FINISHED))
        .group_by(m.DocumentState.document_id)
        .having(func.count() >= 2)
    )
    adjudicated = select(m.DocumentState.document_id).where(
        m.DocumentState.annotator_id == pseudo[1], m.DocumentState.status == DocStatus.ADJUDICATED
    )
    query = select(m.Document.id).where(m.Document.id.in_(finished), m.Document.id.not_in(adjudicated))
    for row in _paged(session, query, start, stop):
        yield row[0]


def _paged(session: Session, query: Any, start: int, stop: int | None) -> Iterator[Any]:
    """Rows of `query` with document ids in (start, stop), in id order, a page at a time."""
    last = start
    while True:
        page = query.where(m.Document.id > last)
        if stop is not None:
            page = page.where(m.Document.id < stop)
        rows = session.execute(page.order_by(m.Document.id).limit(_PAGE)).all()
        yield from rows
        if len(rows) < _PAGE:
            return
        last = rows[-1][0]


# -- blind mode ------------------------------------------------------------------------------------------------


def is_blind(session: Session, document_id: int, person: str, *, started_only: bool = False) -> bool:
    """Whether blind mode hides the other layers of this document from this person.

    It does while the person's own layer is not done on a document that needs several annotators. With
    `started_only`, only a layer the person has worked on counts (opening a document alone does not).
    """
    if person in (MODEL, GOLD):
        return False
    settings = team_settings(session)
    if not settings.blind or settings.annotators_per_document <= 1:
        return False
    state = session.scalar(
        select(m.DocumentState.status)
        .join(m.Annotator, m.Annotator.id == m.DocumentState.annotator_id)
        .where(m.DocumentState.document_id == document_id, m.Annotator.name == person)
    )
    hiding = (DocStatus.IN_PROGRESS,) if started_only else (DocStatus.NEW, DocStatus.IN_PROGRESS)
    if state not in hiding:
        return False
    sha = session.scalar(select(m.Document.sha256).where(m.Document.id == document_id))
    return sha is not None and settings.needs(sha) > 1
