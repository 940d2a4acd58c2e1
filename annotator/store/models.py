"""SQLAlchemy 2 typed models: documents, annotators, entity mentions, events, arguments, incidents, states, history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_order", "id"),)  # narrow: paging the list never reads the texts

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(255), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str | None] = mapped_column(String(32), nullable=True)  # ISO date; anchors relative dates
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    boilerplate: Mapped[list[Any]] = mapped_column(default=list)  # [[start, end], ...] greyed, not annotated
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)


class EntityMention(Base):
    __tablename__ = "entity_mentions"
    __table_args__ = (
        Index("ix_entity_doc_annotator", "document_id", "annotator_id"),
        Index("ix_entity_text", "text"),
        CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="ck_entity_offsets"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    label: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # copy of text[start:end]; the document text never changes
    origin: Mapped[str] = mapped_column(String(16), default="human")
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    normalized: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_event_doc_annotator", "document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    trigger_text: Mapped[str] = mapped_column(Text)
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fatalities: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    event_date: Mapped[str | None] = mapped_column(String(32), nullable=True)
    date_precision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    date_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="human")
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    arguments: Mapped[list[EventArgument]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="EventArgument.position",
        foreign_keys="EventArgument.event_id",
    )


class EventArgument(Base):
    __tablename__ = "event_arguments"
    __table_args__ = (
        CheckConstraint("(entity_id IS NULL) <> (target_event_id IS NULL)", name="ck_argument_one_target"),
        Index("ix_argument_entity", "entity_id"),
        Index("ix_argument_target_event", "target_event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entity_mentions.id", ondelete="CASCADE"), nullable=True)
    target_event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="human")
    status: Mapped[str] = mapped_column(String(16), default="accepted")

    event: Mapped[Event] = relationship(back_populates="arguments", foreign_keys=[event_id])


class Relation(Base):
    __tablename__ = "relations"
    __table_args__ = (Index("ix_relation_doc_annotator", "document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(64))
    arg1_id: Mapped[int] = mapped_column(ForeignKey("entity_mentions.id", ondelete="CASCADE"))
    arg2_id: Mapped[int] = mapped_column(ForeignKey("entity_mentions.id", ondelete="CASCADE"))
    role1: Mapped[str] = mapped_column(String(64), default="Arg1")
    role2: Mapped[str] = mapped_column(String(64), default="Arg2")
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Incident(Base):
    """A real-world event that event mentions of one layer report: the model suggests, people confirm.

    `source_id` names the model's suggestion a person's incident decides (confirms, splits or rejects), so
    that suggestion is no longer offered to them; `attrs` holds values a person set on the incident itself.
    """

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incident_annotator", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(16), default="human")
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"), nullable=True)
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    members: Mapped[list[IncidentMember]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentMember.event_id"
    )


class IncidentMember(Base):
    """An event mention reporting an incident; an event belongs to one incident at most."""

    __tablename__ = "incident_members"
    __table_args__ = (Index("ix_incident_member_event", "event_id", unique=True),)

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)

    incident: Mapped[Incident] = relationship(back_populates="members")


class DocumentState(Base):
    __tablename__ = "document_states"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class History(Base):
    """One edit: who, when, what, and the rows before and after; undo and redo replay it."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_doc_annotator", "document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for an edit of the layer's incidents, which span documents.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    operation: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # A new edit after an undo supersedes the undone entries: they leave the redo stack, stay in the audit trail.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class ProjectInfo(Base):
    """Key/value facts about the project: the schema it uses (stored whole), creation time."""

    __tablename__ = "project_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "Annotator",
    "Base",
    "Document",
    "DocumentState",
    "EntityMention",
    "Event",
    "EventArgument",
    "History",
    "Incident",
    "IncidentMember",
    "ProjectInfo",
    "Relation",
]
