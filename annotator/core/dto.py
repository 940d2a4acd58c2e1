"""Immutable data passed between layers: annotation records for formats and services, rows for the GUI.

Offsets are Unicode code points, end exclusive, into the document's immutable text.
Ids are database ids when a record comes from the store, and document-local ids (1, 2, ...) when a
record comes from a file reader; readers only need ids to be unique within one document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MODEL = "model"  # pseudo-annotator owning automatic suggestions
GOLD = "gold"  # pseudo-annotator owning adjudicated results


class Origin(StrEnum):
    MODEL = "model"
    HUMAN = "human"


class Status(StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DocStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ADJUDICATED = "adjudicated"


@dataclass(frozen=True, slots=True)
class Entity:
    """A text-bound mention: `label` from the schema's entity types."""

    id: int
    start: int
    end: int
    label: str
    text: str
    origin: str = Origin.HUMAN
    status: str = Status.ACCEPTED
    normalized: dict[str, Any] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Argument:
    """A role filler: an entity mention, or (brat's nested events) another event of the same document."""

    role: str
    entity_id: int | None = None
    event_id: int | None = None
    status: str = Status.ACCEPTED
    origin: str = Origin.HUMAN


@dataclass(frozen=True, slots=True)
class Fatalities:
    """A reported death toll: ACLED takes `low` when sources are vague; UCDP wants best/low/high."""

    value: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None  # exact, at_least, at_most, about, vague
    text: str | None = None  # the phrase it was read from, e.g. "at least nine civilians"


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event date resolved against the publication date: ISO value and its precision."""

    value: str | None = None  # 2014-02-01, 2014-W05, 2014-02, 2014
    precision: str | None = None  # day, week, month, year
    text: str | None = None  # the expression it came from, e.g. "today", "on Monday"


@dataclass(frozen=True, slots=True)
class Event:
    """An event mention: type, trigger span, role fillers, attributes and normalised values."""

    id: int
    type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    arguments: tuple[Argument, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)
    fatalities: Fatalities | None = None
    date: EventDate | None = None
    origin: str = Origin.HUMAN
    status: str = Status.ACCEPTED
    incident: str | None = None  # the incident it reports, as exports name it (set by the export, read on import)


@dataclass(frozen=True, slots=True)
class Relation:
    """A binary relation between two entity mentions (brat R lines; `symmetric` for equivalences)."""

    id: int
    type: str
    arg1: int
    arg2: int
    role1: str = "Arg1"
    role2: str = "Arg2"
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One document with one annotator layer: what readers produce and writers consume."""

    doc_id: str  # external id, stable across exports (file stem, JSONL id)
    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    boilerplate: tuple[tuple[int, int], ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    status: str | None = None  # DocStatus of this layer, when known
    annotator: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of the document list, fetched lazily."""

    id: int
    title: str
    source: str
    published: str | None
    status: str
    entity_count: int
    event_count: int


@dataclass(frozen=True, slots=True)
class DocumentView:
    """Everything the article view needs for one document and one annotator layer."""

    id: int
    doc_id: str
    title: str
    source: str
    url: str
    published: str | None
    text: str
    boilerplate: tuple[tuple[int, int], ...]
    annotator: str
    status: str
    entities: tuple[Entity, ...]
    events: tuple[Event, ...]
    others: dict[str, tuple[Entity, ...]] = field(default_factory=dict)  # read-only layers shown beside
    blind: bool = False  # other layers hidden until this layer is done (double annotation)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a mutating service call changed; views refresh only for their own flags."""

    documents: frozenset[int] = frozenset()
    entities: frozenset[int] = frozenset()
    events: frozenset[int] = frozenset()
    states: bool = False  # document status changed
    corpus: bool = False  # documents added or removed
    incidents: bool = False  # incidents of a layer linked, split, merged or decided
    history_id: int | None = None  # the history entry recording this change, for undo
    source: object | None = None  # who initiated it, so a view can skip its own changes

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            documents=self.documents | other.documents,
            entities=self.entities | other.entities,
            events=self.events | other.events,
            states=self.states or other.states,
            corpus=self.corpus or other.corpus,
            incidents=self.incidents or other.incidents,
            history_id=other.history_id or self.history_id,
            source=self.source or other.source,
        )

    @property
    def empty(self) -> bool:
        return not (self.documents or self.entities or self.events or self.states or self.corpus or self.incidents)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something a reader could not take: `error` skips the whole document, `warning` names what was not held."""

    path: str
    message: str
    line: int | None = None
    doc_id: str | None = None
    severity: str = "error"  # error | warning

    def describe(self) -> str:
        where = self.path + (f", line {self.line}" if self.line is not None else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Tokens and sentences of a text as code point spans (end exclusive), for token-based exports."""

    tokens: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    tags: tuple[str, ...] = ()  # each token's Penn Treebank part of speech ("" unknown); none without a tagger
