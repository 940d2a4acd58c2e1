"""How good the suggestions are: precision, recall and F1 against what people reviewed in finished documents.

The reference of a document is one person's reviewed layer (core/review.py): what they accepted or made.
The suggestions are a layer as stored (the `model` layer: what was suggested at import), or, through a
`suggest` callable, what a suggester gives now. The counts come from services/agreement.py with first =
suggestions and second = reference, so precision is the share of suggestions a person kept and recall the
share of the person's answer that was suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from annotator.core.dto import GOLD, MODEL, DocStatus, DocumentRecord, Status
from annotator.core.errors import UserError
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.review import reviewed
from annotator.services import records
from annotator.services.agreement import EntityScores, EventScores, Score, add_scores, entity_scores, event_scores
from annotator.store import models as m
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.nlp.preannotate import Preannotator

#: A document counts as finished for a layer in these states.
FINISHED = (DocStatus.DONE, DocStatus.ADJUDICATED)
#: `--from` / `--against` value meaning "whoever finished it" (gold first).
DONE = "done"
#: `--suggestions` value meaning "what the suggester in use gives now" rather than a stored layer.
CURRENT = "current"


#: How a table shows a share of nothing (0/0): no precision where nothing was suggested, no recall where the
#: reference is empty. agreement.Score says 1.0 there, which reads as a perfect score.
NOT_APPLICABLE = "\u2014"


def measures(score: Score) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1, each None where it would divide 0 by 0."""
    return (
        score.matched / score.first if score.first else None,
        score.matched / score.second if score.second else None,
        score.f1 if score.first + score.second else None,
    )


def score_json(score: Score) -> dict[str, float | int | None]:
    """The counts and the shares of one score, null where a share is 0/0."""
    precision, recall, f1 = measures(score)
    shares = {"precision": precision, "recall": recall, "f1": f1}
    return {"matched": score.matched, "first": score.first, "second": score.second} | {
        k: None if v is None else round(v, 4) for k, v in shares.items()
    }


def shown(value: float | None) -> str:
    """A share as tables show it: three decimals, or a dash for 0/0."""
    return NOT_APPLICABLE if value is None else f"{value:.3f}"


@dataclass(frozen=True, slots=True)
class Reference:
    """One finished document and the layer holding its reference answer."""

    document_id: int
    layer: str


@dataclass(frozen=True)
class Evaluation:
    """Summed match counts over the evaluated documents (frozen: the GUI shows it as it is)."""

    documents: int = 0
    entities: EntityScores = field(default_factory=lambda: EntityScores(Score(), Score()))
    events: EventScores = field(default_factory=lambda: EventScores(Score(), Score(), Score(), Score()))

    def __add__(self, other: Evaluation) -> Evaluation:
        a, b = self.entities, other.entities
        x, y = self.events, other.events
        return Evaluation(
            self.documents + other.documents,
            EntityScores(
                a.exact + b.exact,
                a.overlap + b.overlap,
                add_scores(dict(a.exact_by_label), b.exact_by_label),
                add_scores(dict(a.overlap_by_label), b.overlap_by_label),
            ),
            EventScores(
                x.trigger_id + y.trigger_id,
                x.trigger_cls + y.trigger_cls,
                x.arg_id + y.arg_id,
                x.arg_cls + y.arg_cls,
                add_scores(dict(x.trigger_cls_by_type), y.trigger_cls_by_type),
                add_scores(dict(x.arg_cls_by_type), y.arg_cls_by_type),
            ),
        )

    def headline(self) -> dict[str, float]:
        """The three F1 figures that decide which suggester is better: entities, triggers, arguments."""
        return {name: score.f1 for name, score in self.headline_scores().items()}

    def headline_scores(self) -> dict[str, Score]:
        return {"entities": self.entities.exact, "triggers": self.events.trigger_cls, "arguments": self.events.arg_cls}

    def headline_text(self) -> dict[str, str]:
        """The headline F1 figures as tables show them (a dash where there was nothing to score)."""
        return {name: shown(measures(score)[2]) for name, score in self.headline_scores().items()}

    def to_json(self) -> dict[str, Any]:
        def table(scores: dict[str, Score]) -> dict[str, Any]:
            return {key: score_json(score) for key, score in sorted(scores.items())}

        e, v = self.entities, self.events
        return {
            "documents": self.documents,
            "entities": {
                "exact": score_json(e.exact),
                "overlap": score_json(e.overlap),
                "exact_by_label": table(e.exact_by_label),
                "overlap_by_label": table(e.overlap_by_label),
            },
            "triggers": {
                "identification": score_json(v.trigger_id),
                "classification": score_json(v.trigger_cls),
                "by_type": table(v.trigger_cls_by_type),
            },
            "arguments": {
                "identification": score_json(v.arg_id),
                "classification": score_json(v.arg_cls),
                "by_type": table(v.arg_cls_by_type),
            },
        }


def score_pair(suggested: DocumentRecord, reference: DocumentRecord) -> Evaluation:
    """One document's counts: suggestions (rejected ones left out) against the reviewed reference."""
    offered = _offered(suggested)
    answer = reviewed(reference)
    return Evaluation(1, entity_scores(offered, answer), event_scores(offered, answer))


def _offered(record: DocumentRecord) -> DocumentRecord:
    return replace(
        record,
        entities=tuple(e for e in record.entities if e.status != Status.REJECTED),
        events=tuple(ev for ev in record.events if ev.status != Status.REJECTED),
    )


def suggested_now(preannotator: Preannotator) -> Callable[[list[DocumentRecord]], list[DocumentRecord]]:
    """A `suggest` callable for `evaluate`: the preannotator's suggestions for the reference documents."""
    from annotator.nlp.preannotate import AnnotationInput

    def suggest(references: list[DocumentRecord]) -> list[DocumentRecord]:
        inputs = [AnnotationInput(r.text, r.boilerplate, r.published) for r in references]
        found = preannotator.annotate(inputs, batch_size=len(inputs))
        return [
            replace(r, entities=s.entities, events=s.events, relations=())
            for r, s in zip(references, found, strict=True)
        ]

    return suggest


def finished_documents(db: Database, source: str = DONE) -> list[Reference]:
    """Documents a person finished and the layer to learn from or evaluate against, in document order.

    `source` is `done` (each finished document once: its gold layer when gold finished it, else the layer
    of whoever finished it last), `gold`, or an annotator's name. The model's layer is never a reference.
    """
    if source == MODEL:
        raise UserError("the model's suggestions cannot be the reference; use done, gold or an annotator's name")
    with db.reader() as session:
        query = (
            select(m.DocumentState.document_id, m.Annotator.name, m.DocumentState.updated_at)
            .join(m.Annotator, m.Annotator.id == m.DocumentState.annotator_id)
            .where(m.DocumentState.status.in_([str(s) for s in FINISHED]), m.Annotator.name != MODEL)
            .order_by(m.DocumentState.document_id, m.DocumentState.updated_at, m.Annotator.name)
        )
        if source != DONE:
            known = session.scalar(select(m.Annotator.id).where(m.Annotator.name == source))
            if known is None:
                raise UserError(f"there is no layer named {source!r} in this project")
            query = query.where(m.Annotator.name == source)
        chosen: dict[int, str] = {}
        for document_id, name, _at in session.execute(query):
            if chosen.get(document_id) != GOLD:  # gold wins; otherwise the latest finisher (rows come in time order)
                chosen[document_id] = name
    return [Reference(d, layer) for d, layer in sorted(chosen.items())]


def load_references(
    db: Database, references: Sequence[Reference], progress: Progress | None = None
) -> Iterable[DocumentRecord]:
    """The reference records, one at a time; `status` and `annotator` tell whose answer each is."""
    progress = progress or NullProgress()
    with db.reader() as session:
        ids: dict[str, int] = {}
        for ref in references:
            check_cancelled(progress)
            if ref.layer not in ids:
                ids[ref.layer] = records.annotator_id(session, ref.layer)
            yield records.load_record(session, ref.document_id, ids[ref.layer])
            session.expunge_all()


def evaluate(
    db: Database,
    *,
    against: str = DONE,
    suggestions: str = MODEL,
    suggest: Callable[[list[DocumentRecord]], list[DocumentRecord]] | None = None,
    progress: Progress | None = None,
    batch: int = 16,
) -> Evaluation:
    """Score the suggestions against the reviewed layers of the finished documents.

    With `suggest`, the suggestions are what it returns for the reference documents (a suggester run now);
    otherwise they are the stored layer `suggestions`.
    """
    progress = progress or NullProgress()
    references = finished_documents(db, against)
    progress.start(len(references), "Evaluating suggestions")
    total = Evaluation()
    try:
        for first in range(0, len(references), batch):
            chunk = references[first : first + batch]
            answers = list(load_references(db, chunk, progress))
            offered = suggest(answers) if suggest is not None else _stored(db, chunk, suggestions)
            for sug, ref in zip(offered, answers, strict=True):
                total += score_pair(sug, ref)
            progress.advance(len(chunk))
    finally:
        progress.finish()
    return total


def _stored(db: Database, references: Sequence[Reference], layer: str) -> list[DocumentRecord]:
    with db.reader() as session:
        aid = session.scalar(select(m.Annotator.id).where(m.Annotator.name == layer))
        if aid is None:
            raise UserError(f"there is no layer named {layer!r} in this project")
        return [records.load_record(session, ref.document_id, aid) for ref in references]


def format_evaluation(evaluation: Evaluation, suggestions: str, against: str) -> str:
    """A plain-text table: counts, precision, recall and F1, overall and per label or event type."""
    lines = [
        f"{evaluation.documents} finished documents; suggestions: {suggestions}; reference: {against} "
        "(what a person accepted or made)",
        f"{'':34}{'matched':>8}{'suggested':>10}{'reference':>10}{'precision':>10}{'recall':>8}{'F1':>8}",
    ]

    def row(name: str, score: Score) -> None:
        precision, recall, f1 = (shown(x) for x in measures(score))
        lines.append(f"{name:34}{score.matched:>8}{score.first:>10}{score.second:>10}{precision:>10}{recall:>8}{f1:>8}")

    e, v = evaluation.entities, evaluation.events
    row("entities, exact span", e.exact)
    for label, score in sorted(e.exact_by_label.items()):
        row(f"  {label}", score)
    row("entities, overlapping span", e.overlap)
    for label, score in sorted(e.overlap_by_label.items()):
        row(f"  {label}", score)
    row("triggers, identification", v.trigger_id)
    row("triggers, classification", v.trigger_cls)
    for event_type, score in sorted(v.trigger_cls_by_type.items()):
        row(f"  {event_type}", score)
    row("arguments, identification", v.arg_id)
    row("arguments, classification", v.arg_cls)
    for event_type, score in sorted(v.arg_cls_by_type.items()):
        row(f"  {event_type}", score)
    lines.append(
        f"{NOT_APPLICABLE}: nothing to divide by (no precision where nothing was suggested, no recall where "
        "the reference has none)"
    )
    return "\n".join(lines)
