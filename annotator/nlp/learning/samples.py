"""Training samples: a reviewed document aligned to its parse (gold mentions, triggers and roles on tokens)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.dto import DocumentRecord, Entity
from annotator.core.schema import Schema
from annotator.nlp.mentions import Mention, MentionIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_MENTION_TYPES = {"NAM": "name", "NOM": "nominal", "PRO": "nominal"}


@dataclass(frozen=True, slots=True)
class GoldTrigger:
    """A reviewed event on tokens: where its trigger is, its type, and which gold entities fill which roles."""

    event_type: str
    first: int
    last: int
    head: int
    attrs: dict[str, object]
    arguments: tuple[tuple[str, int], ...]  # (role, entity id of the reference)


@dataclass
class Sample:
    """One finished document for training: the parse, the suggester's own mentions and the gold on tokens."""

    reference: DocumentRecord  # reviewed layer
    doc: Doc  # the pipeline's parse with the gazetteer applied
    mentions: list[Mention]  # what the suggester read from it (features see these, as at prediction time)
    index: MentionIndex
    gold: dict[int, Mention] = field(default_factory=dict)  # reference entity id -> mention on tokens
    gold_index: MentionIndex | None = None
    triggers: list[GoldTrigger] = field(default_factory=list)


def token_span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens covering code points start-end; None when that is only blank or masked text."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not span.text.strip(" \t\r\n."):
        return None
    return span


def gold_mention(doc: Doc, entity: Entity, schema: Schema) -> Mention | None:
    """A reference entity as a Mention, so argument features treat gold and predicted mentions alike."""
    span = token_span(doc, entity.start, entity.end)
    if span is None:
        return None
    kind = _MENTION_TYPES.get(str(entity.attrs.get("mention_type", "")))
    if kind is None:
        named = any(t.pos_ == "PROPN" or (t.is_title and not t.is_sent_start) for t in span)
        kind = "name" if named else "nominal"
    entity_type = schema.entity_types.get(entity.label)
    value_kind = entity_type.normalise if entity_type is not None else None
    return Mention(
        entity.start,
        entity.end,
        entity.label,
        span.start,
        span.end,
        span.root.i,
        kind,
        dict(entity.normalized) if entity.normalized else None,
        dict(entity.attrs),
        value_kind=value_kind if value_kind in ("date", "number") else None,
    )


def align(sample: Sample, schema: Schema) -> Sample:
    """Fill the sample's gold mentions and triggers from its reference; unalignable items are left out."""
    doc, reference = sample.doc, sample.reference
    sample.gold = {}
    for entity in reference.entities:
        mention = gold_mention(doc, entity, schema)
        if mention is not None:
            sample.gold[entity.id] = mention
    sample.gold_index = MentionIndex(list(sample.gold.values()), len(doc))
    sample.triggers = []
    for event in reference.events:
        if event.type not in schema.event_types:
            continue
        span = token_span(doc, event.trigger_start, event.trigger_end)
        if span is None:
            continue
        arguments = tuple(
            (a.role, a.entity_id) for a in event.arguments if a.entity_id is not None and a.entity_id in sample.gold
        )
        sample.triggers.append(GoldTrigger(event.type, span.start, span.end, span.root.i, dict(event.attrs), arguments))
    return sample
