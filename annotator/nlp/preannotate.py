"""Pre-annotation: entity and event suggestions for imported texts (spaCy pipeline + domain gazetteer)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core import paths
from annotator.core.dto import Argument, Entity, Event, Origin, Status
from annotator.core.schema import Schema
from annotator.nlp.events import DraftEvent, EventSuggester
from annotator.nlp.gazetteer import Gazetteer
from annotator.nlp.mentions import MentionIndex, MentionReader
from annotator.nlp.spacy_loader import DEFAULT_MODEL, LoadedPipeline, load_spacy

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class AnnotationInput:
    text: str
    boilerplate: tuple[tuple[int, int], ...] = ()
    published: str | None = None  # ISO date YYYY-MM-DD, anchors relative dates


@dataclass(frozen=True)
class Suggestions:
    entities: tuple[Entity, ...]  # ids 1..n local to this document, origin="model", status="suggested"
    events: tuple[Event, ...]  # arguments reference those local entity ids


def mask(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """`text` with the given ranges blanked, so the model skips them while offsets stay exact.

    A blanked range keeps one full stop: the parser then ends the sentence there instead of gluing a
    byline to the article's first sentence across the removed lines.
    """
    chars = list(text)
    for start, end in ranges:
        if end > start:
            chars[start:end] = "." + " " * (end - start - 1)
    return "".join(chars)


class Preannotator:
    """Runs the spaCy pipeline, then the gazetteer, then the event suggester, over batches of texts.

    The pipeline is only run, never changed: the gazetteer's rulers are applied to each doc after it, so
    a `loaded` pipeline can be shared with other users (the benchmark's bare run, the segmenter). With no
    pipeline installed, a blank English tokenizer and the gazetteer still give entity suggestions; events
    need the parser and are then not suggested.
    """

    def __init__(
        self,
        schema: Schema,
        model: str | None = DEFAULT_MODEL,
        *,
        loaded: LoadedPipeline | None = None,
        gazetteer_dir: Path | None = None,
        suggest_events: bool = True,
    ) -> None:
        import spacy

        loaded = loaded if loaded is not None else load_spacy(model)
        self.model_name: str | None = loaded.name
        self._nlp = loaded.nlp if loaded.nlp is not None else spacy.blank("en")
        self.message = loaded.message
        if loaded.nlp is None:
            self.message += " (gazetteer only: no statistical entities, no event suggestions)"
        elif suggest_events and "parser" not in self._nlp.pipe_names:
            self.message += " (no parser: no event suggestions)"
        labels = frozenset(schema.entity_types)
        self.gazetteer = Gazetteer(self._nlp, gazetteer_dir or paths.gazetteer_dir(), labels)
        self._mentions = MentionReader(schema, self.gazetteer)
        parsed = "parser" in self._nlp.pipe_names
        self._events = (
            EventSuggester(schema, self._nlp.vocab, self._nlp.make_doc) if suggest_events and parsed else None
        )

    def annotate(self, inputs: Iterable[AnnotationInput], batch_size: int = 32) -> Iterator[Suggestions]:
        """Suggestions for each input, lazily and in order; the pipeline runs over batches of texts."""
        pairs = ((mask(i.text, i.boilerplate) if i.boilerplate else i.text, i) for i in inputs)
        for doc, item in self._nlp.pipe(pairs, as_tuples=True, batch_size=max(1, batch_size)):
            yield self._suggest(self.gazetteer(doc), item)

    def _suggest(self, doc: Doc, item: AnnotationInput) -> Suggestions:
        mentions = self._mentions.read(doc, item.published)
        ids = {id(m): n for n, m in enumerate(mentions, 1)}
        entities = tuple(
            Entity(
                id=ids[id(m)],
                start=m.start,
                end=m.end,
                label=m.label,
                text=item.text[m.start : m.end],
                origin=Origin.MODEL,
                status=Status.SUGGESTED,
                normalized=m.normalized,
                attrs=m.attrs,
            )
            for m in mentions
        )
        drafts = self._events.suggest(doc, MentionIndex(mentions, len(doc))) if self._events else []
        events = tuple(self._event(n, d, item.text, ids) for n, d in enumerate(drafts, 1))
        return Suggestions(entities, events)

    @staticmethod
    def _event(number: int, draft: DraftEvent, text: str, ids: dict[int, int]) -> Event:
        return Event(
            id=number,
            type=draft.type,
            trigger_start=draft.start,
            trigger_end=draft.end,
            trigger_text=text[draft.start : draft.end],
            arguments=tuple(
                Argument(role=role, entity_id=ids[id(m)], status=Status.SUGGESTED, origin=Origin.MODEL)
                for role, m in draft.arguments
            ),
            attrs=draft.attrs,
            fatalities=draft.fatalities,
            date=draft.date,
            origin=Origin.MODEL,
            status=Status.SUGGESTED,
        )
