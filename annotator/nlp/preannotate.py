"""Pre-annotation: entity and event suggestions for imported texts (spaCy pipeline + domain gazetteer)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import paths
from annotator.core.dto import Argument, Entity, Event, Origin, Status
from annotator.core.schema import Schema
from annotator.nlp.events import DraftEvent, EventSuggester
from annotator.nlp.gazetteer import Gazetteer
from annotator.nlp.lines import mark_line_starts
from annotator.nlp.mentions import Mention, MentionIndex, MentionReader
from annotator.nlp.pieces import PIECE_CHARS, clip, split_text
from annotator.nlp.spacy_loader import DEFAULT_MODEL, LoadedPipeline, load_spacy

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator.nlp.learning.roles import ArgumentModel
    from annotator.nlp.learning.triggers import TriggerModel


#: Longest text the pipeline reads at once; longer ones are read in pieces (spaCy's max_length is 1,000,000).
PIECE = PIECE_CHARS
# An input for `warm`: a name the person rules check against GeoNames, a place, a number, an attack, dates
# for dateparser (which compiles its rules on first use).
_WARM = (
    "Assad said an airstrike killed 12 civilians in Homs on March 3, 2024 and two more last week, "
    "the Syrian Observatory reported.",
    "2024-03-10",
)


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
    need the parser and are then not suggested. A `learned` model folder (nlp/learning) brings its own
    copy of the pipeline with the learned NER, and learned trigger and argument classifiers; it is loaded by
    path, so a worker process can build the same suggester from the same arguments.
    """

    def __init__(
        self,
        schema: Schema,
        model: str | None = DEFAULT_MODEL,
        *,
        loaded: LoadedPipeline | None = None,
        gazetteer_dir: Path | None = None,
        suggest_events: bool = True,
        learned: Path | None = None,
    ) -> None:
        import spacy

        from annotator.nlp.learning.model import LearnedModel

        version = LearnedModel.load(learned) if learned is not None else None
        if version is not None and version.has_ner:
            loaded = version.pipeline(model)  # a pipeline of its own: the shared one is never changed
        loaded = loaded if loaded is not None else load_spacy(model)
        self.model_name: str | None = loaded.name
        self._nlp = loaded.nlp if loaded.nlp is not None else spacy.blank("en")
        self.message = loaded.message
        if loaded.nlp is None:
            self.message += " (gazetteer only: no statistical entities, no event suggestions)"
        elif suggest_events and "parser" not in self._nlp.pipe_names:
            self.message += " (no parser: no event suggestions)"
        if version is not None:
            self.message = f"learned suggester {version.name}; {self.message}"
        self.schema = schema
        labels = frozenset(schema.entity_types)
        self.gazetteer = Gazetteer(self._nlp, gazetteer_dir or paths.gazetteer_dir(), labels)
        self._mentions = MentionReader(schema, self.gazetteer)
        self.pipe_names = tuple(self._nlp.pipe_names)
        self.parsed = "parser" in self.pipe_names
        self.events = (
            self.event_suggester(version.triggers if version else None, version.arguments if version else None)
            if suggest_events and self.parsed
            else None
        )

    def event_suggester(
        self, triggers: TriggerModel | None = None, arguments: ArgumentModel | None = None
    ) -> EventSuggester:
        """An event suggester on this pipeline's vocabulary, with learned trigger and argument models if given."""
        return EventSuggester(self.schema, self._nlp.vocab, self._nlp.make_doc, triggers=triggers, arguments=arguments)

    def warm(self) -> None:
        """Load now what the first texts would load on the way (the GeoNames index the person rules consult,
        the pipeline's first allocations), so an import's first batch is as quick as the others."""
        from annotator.nlp.geocode import load_cities

        load_cities()
        list(Preannotator.annotate(self, [AnnotationInput(_WARM[0], (), _WARM[1])]))

    def submit(self, inputs: Sequence[AnnotationInput], batch_size: int = 32) -> Callable[[], list[Suggestions]]:
        """Start on a batch and return what collects its suggestions, in order. Here all the work is done when
        collecting; a subclass with other processes starts them at once, so the caller can meanwhile store the
        batch before."""
        return lambda: list(self.annotate(inputs, batch_size=batch_size))

    def annotate(self, inputs: Iterable[AnnotationInput], batch_size: int = 32) -> Iterator[Suggestions]:
        """Suggestions for each input, lazily and in order; the pipeline runs over batches of texts.

        A text longer than PIECE characters (spaCy refuses texts over its max_length, and memory grows
        with length) is read in pieces cut at paragraph or line ends, whose suggestions are shifted back.
        """
        order: deque[tuple[int, bool]] = deque()  # (offset, last piece of its text) of each piece in flight

        def pieces() -> Iterator[AnnotationInput]:
            for item in inputs:
                parts = list(_pieces(item, min(PIECE, self._nlp.max_length)))
                for number, (start, piece) in enumerate(parts, 1):
                    order.append((start, number == len(parts)))
                    yield piece

        collected: list[tuple[int, Suggestions]] = []
        for doc, piece in self.parse(pieces(), batch_size):
            start, last = order.popleft()  # the pipeline keeps the order
            collected.append((start, self.suggest(doc, piece)))
            if last:
                yield _joined(collected)
                collected = []

    def parse(self, inputs: Iterable[AnnotationInput], batch_size: int = 32) -> Iterator[tuple[Doc, AnnotationInput]]:
        """The pipeline's docs (before the gazetteer), lazily and in order, with their inputs."""
        pairs = ((self._prepare(i), i) for i in inputs)
        yield from self._nlp.pipe(pairs, as_tuples=True, batch_size=max(1, batch_size))

    def _prepare(self, item: AnnotationInput) -> Doc:
        text = mask(item.text, item.boilerplate) if item.boilerplate else item.text
        return mark_line_starts(self._nlp.make_doc(text))

    def analyse(
        self, doc: Doc, item: AnnotationInput, *, ner: Any = None, keep: bool = False
    ) -> tuple[Doc, list[Mention]]:
        """The doc with the gazetteer applied and the mentions read from it.

        `ner` (a learned NER component) replaces the pipeline's entities first; `keep` leaves `doc` as it was
        (the work is done on a copy), so one parse serves several suggesters.
        """
        if keep or ner is not None:
            doc = doc.copy()
        if ner is not None:
            for label in ner.labels:  # a learned NER may know labels this vocabulary has not seen (WEA)
                doc.vocab.strings.add(label)
            doc.set_ents([], default="missing")  # the NER keeps entities already set: clear the pipeline's
            doc = ner(doc)
        doc = self.gazetteer(doc)
        return doc, self._mentions.read(doc, item.published)

    def suggest(
        self,
        doc: Doc,
        item: AnnotationInput,
        *,
        ner: Any = None,
        events: EventSuggester | None = None,
        keep: bool = False,
    ) -> Suggestions:
        """Suggestions for one parsed doc, by this suggester or with another NER and event suggester."""
        return self.suggest_each(doc, item, [events or self.events], ner=ner, keep=keep)[0]

    def suggest_each(
        self,
        doc: Doc,
        item: AnnotationInput,
        suggesters: Sequence[EventSuggester | None],
        *,
        ner: Any = None,
        keep: bool = False,
    ) -> list[Suggestions]:
        """Suggestions for one parsed doc by each event suggester, on the same entities (found once)."""
        doc, mentions = self.analyse(doc, item, ner=ner, keep=keep)
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
        index = MentionIndex(mentions, len(doc))
        found = []
        for suggester in suggesters:
            drafts = suggester.suggest(doc, index) if suggester is not None else []
            found.append(
                Suggestions(entities, tuple(self._event(n, d, item.text, ids) for n, d in enumerate(drafts, 1)))
            )
        return found

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
