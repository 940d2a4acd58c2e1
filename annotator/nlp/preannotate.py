"""Pre-annotation: entity and event suggestions for imported texts (spaCy pipeline + domain gazetteer)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core import paths
from annotator.core.dto import Argument, Entity, Event, Origin, Status
from annotator.core.schema import Schema
from annotator.nlp.events import DraftEvent, EventSuggester
from annotator.nlp.gazetteer import Gazetteer
from annotator.nlp.mentions import MentionIndex, MentionReader
from annotator.nlp.pieces import PIECE_CHARS, clip, split_text
from annotator.nlp.spacy_loader import DEFAULT_MODEL, LoadedPipeline, load_spacy

if TYPE_CHECKING:
    from spacy.tokens import Doc


#: Longest text the pipeline reads at once; longer ones are read in pieces (spaCy's max_length is 1,000,000).
PIECE = PIECE_CHARS


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
        """Suggestions for each input, lazily and in order; the pipeline runs over batches of texts.

        A text longer than PIECE characters (spaCy refuses texts over its max_length, and memory grows
        with length) is read in pieces cut at line ends, whose suggestions are shifted back into place.
        """

        def pieces() -> Iterator[tuple[str, tuple[int, AnnotationInput, bool]]]:
            for item in inputs:
                parts = list(_pieces(item, min(PIECE, self._nlp.max_length)))
                for number, (start, piece) in enumerate(parts, 1):
                    text = mask(piece.text, piece.boilerplate) if piece.boilerplate else piece.text
                    yield text, (start, piece, number == len(parts))

        collected: list[tuple[int, Suggestions]] = []
        for doc, (start, piece, last) in self._nlp.pipe(pieces(), as_tuples=True, batch_size=max(1, batch_size)):
            collected.append((start, self._suggest(self.gazetteer(doc), piece)))
            if last:  # pieces come back in order: the document is complete
                yield _joined(collected)
                collected = []

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


def _pieces(item: AnnotationInput, limit: int) -> Iterator[tuple[int, AnnotationInput]]:
    """(offset, input) pieces of at most `limit` characters (see annotator.nlp.pieces)."""
    for start, end in split_text(item.text, limit):
        yield start, AnnotationInput(item.text[start:end], clip(item.boilerplate, start, end), item.published)


def _joined(parts: list[tuple[int, Suggestions]]) -> Suggestions:
    """One document's suggestions from its pieces: offsets shifted back, ids renumbered 1..n."""
    if len(parts) == 1 and parts[0][0] == 0:
        return parts[0][1]
    entities: list[Entity] = []
    events: list[Event] = []
    for offset, part in sorted(parts, key=lambda p: p[0]):
        ids = {e.id: len(entities) + i for i, e in enumerate(part.entities, 1)}
        entities.extend(replace(e, id=ids[e.id], start=e.start + offset, end=e.end + offset) for e in part.entities)
        events.extend(
            replace(
                ev,
                id=len(events) + i,
                trigger_start=ev.trigger_start + offset,
                trigger_end=ev.trigger_end + offset,
                arguments=tuple(replace(a, entity_id=ids[a.entity_id]) for a in ev.arguments if a.entity_id in ids),
            )
            for i, ev in enumerate(part.events, 1)
        )
    return Suggestions(tuple(entities), tuple(events))
