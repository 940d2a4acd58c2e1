"""Inter-annotator agreement over a project: every pair, every document, every label, and alpha across all.

Only reviewed annotations count (what a person accepted or made). A document counts for a pair when
both people have a layer on it in the chosen state: `done` (finished layers) or `all` (also layers in
progress). Figures are micro-averaged: match counts are summed over documents before F1 is taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.dto import GOLD, MODEL, DocumentRecord
from annotator.core.errors import UserError
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.review import reviewed
from annotator.services import records
from annotator.services.agreement import (
    FatalityAgreement,
    Score,
    add_scores,
    attribute_pairs,
    entity_scores,
    event_scores,
    fatality_agreement,
    label_pairs,
    matched_events,
)
from annotator.services.agreement_stats import NONE, Coincidences, cohen_kappa
from annotator.services.alignment import align
from annotator.services.assignment import FINISHED, STARTED
from annotator.store import models as m
from annotator.store.database import Database

DOCUMENT_MODES = {"done": FINISHED, "all": STARTED}


def _f1(score: Score) -> float:
    return round(score.f1, 4)


def _kappa(pairs: Counter[tuple[str, str]], *, both_marked: bool = True) -> float | None:
    """Kappa over counted answer pairs; for spans only those both marked, for attributes "unset" is an answer."""
    kept = [(a, b) for (a, b), n in pairs.items() if not both_marked or NONE not in (a, b) for _ in range(n)]
    value = cohen_kappa(kept)
    return None if value is None else round(value, 4)


@dataclass
class PairFigures:
    """One pair of annotators over the documents both finished (or started)."""

    annotators: tuple[str, str]
    documents: int = 0
    exact_by_label: dict[str, Score] = field(default_factory=dict)
    overlap_by_label: dict[str, Score] = field(default_factory=dict)
    trigger_id: Score = field(default_factory=Score)
    arg_id: Score = field(default_factory=Score)
    trigger_cls_by_type: dict[str, Score] = field(default_factory=dict)
    arg_cls_by_type: dict[str, Score] = field(default_factory=dict)
    labels: Counter[tuple[str, str]] = field(default_factory=Counter)  # (first's label, second's), NONE: no span
    attributes: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    fatalities: FatalityAgreement = field(default_factory=FatalityAgreement)

    def add(self, first: DocumentRecord, second: DocumentRecord) -> tuple[Score, Score, Score, Score]:
        """Count one document; returns its entity exact and overlap, trigger and argument classification scores."""
        self.documents += 1
        entities, events = entity_scores(first, second), event_scores(first, second)
        add_scores(self.exact_by_label, entities.exact_by_label)
        add_scores(self.overlap_by_label, entities.overlap_by_label)
        self.trigger_id += events.trigger_id
        self.arg_id += events.arg_id
        add_scores(self.trigger_cls_by_type, events.trigger_cls_by_type)
        add_scores(self.arg_cls_by_type, events.arg_cls_by_type)
        self.labels.update(label_pairs(first, second))
        matched = matched_events(first, second)
        for name, pairs in attribute_pairs(matched).items():
            self.attributes.setdefault(name, Counter()).update(pairs)
        self.fatalities += fatality_agreement(matched)
        return entities.exact, entities.overlap, events.trigger_cls, events.arg_cls

    @property
    def exact(self) -> Score:
        return sum(self.exact_by_label.values(), Score())

    @property
    def overlap(self) -> Score:
        return sum(self.overlap_by_label.values(), Score())

    @property
    def trigger_cls(self) -> Score:
        return sum(self.trigger_cls_by_type.values(), Score())

    @property
    def arg_cls(self) -> Score:
        return sum(self.arg_cls_by_type.values(), Score())

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "entities": {
                "f1_exact": _f1(self.exact),
                "f1_overlap": _f1(self.overlap),
                "kappa": _kappa(self.labels),
                "exact": self.exact.to_json(),
                "overlap": self.overlap.to_json(),
            },
            "events": {
                "trigger_id_f1": _f1(self.trigger_id),
                "trigger_cls_f1": _f1(self.trigger_cls),
                "arg_id_f1": _f1(self.arg_id),
                "arg_cls_f1": _f1(self.arg_cls),
                "attribute_kappa": {
                    name: _kappa(pairs, both_marked=False) for name, pairs in sorted(self.attributes.items())
                },
                "fatalities": self.fatalities.to_json(),
            },
            "confusion": [[a, b, n] for (a, b), n in sorted(self.labels.items())],
        }


@dataclass(frozen=True)
class DocumentFigures:
    """One document: its pairs' counts summed, and what is left for adjudication."""

    id: int
    doc_id: str
    title: str
    annotators: tuple[str, ...]
    entity_exact: Score
    entity_overlap: Score
    trigger_cls: Score
    arg_cls: Score
    disagreements: int  # items the annotators do not agree on
    open: int  # of them, not decided in gold yet
    gold_status: str | None

    @property
    def score(self) -> float:
        """One figure to sort documents by: the mean of entity overlap, trigger and argument classification F1."""
        return (self.entity_overlap.f1 + self.trigger_cls.f1 + self.arg_cls.f1) / 3

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "annotators": list(self.annotators),
            "entity_f1_exact": _f1(self.entity_exact),
            "entity_f1_overlap": _f1(self.entity_overlap),
            "trigger_cls_f1": _f1(self.trigger_cls),
            "arg_cls_f1": _f1(self.arg_cls),
            "score": round(self.score, 4),
            "disagreements": self.disagreements,
            "open": self.open,
            "gold_status": self.gold_status,
        }


@dataclass
class AgreementReport:
    annotators: tuple[str, ...]
    documents_mode: str
    pairs: list[PairFigures]
    alpha: float | None
    alpha_units: int
    documents: list[DocumentFigures]

    def by_label(self) -> dict[str, tuple[Score, Score]]:
        """Per entity label, (exact, overlap) summed over every pair."""
        exact: dict[str, Score] = {}
        overlap: dict[str, Score] = {}
        for pair in self.pairs:
            add_scores(exact, pair.exact_by_label)
            add_scores(overlap, pair.overlap_by_label)
        return {label: (exact[label], overlap.get(label, Score())) for label in sorted(exact)}

    def by_event_type(self) -> dict[str, tuple[Score, Score]]:
        """Per event type, (trigger classification, argument classification) summed over every pair."""
        triggers: dict[str, Score] = {}
        arguments: dict[str, Score] = {}
        for pair in self.pairs:
            add_scores(triggers, pair.trigger_cls_by_type)
            add_scores(arguments, pair.arg_cls_by_type)
        return {t: (triggers.get(t, Score()), arguments.get(t, Score())) for t in sorted({*triggers, *arguments})}

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "documents_counted": self.documents_mode,
            "pairs": [pair.to_json() for pair in self.pairs],
            "alpha": None if self.alpha is None else round(self.alpha, 4),
            "alpha_units": self.alpha_units,
            "by_label": {
                label: {"f1_exact": _f1(exact), "f1_overlap": _f1(overlap), "spans": exact.first + exact.second}
                for label, (exact, overlap) in self.by_label().items()
            },
            "by_event_type": {
                t: {"trigger_cls_f1": _f1(trig), "arg_cls_f1": _f1(args), "events": trig.first + trig.second}
                for t, (trig, args) in self.by_event_type().items()
            },
            "documents": [d.to_json() for d in self.documents],
        }


def people(session: Session) -> list[str]:
    """Every annotator with a layer who is a person (not the model, not gold), by name."""
    query = (
        select(m.Annotator.name)
        .where(m.Annotator.name.not_in([MODEL, GOLD]))
        .where(m.Annotator.id.in_(select(m.DocumentState.annotator_id)))
        .order_by(m.Annotator.name)
    )
    return list(session.scalars(query))


def annotator_ids(session: Session, names: Sequence[str] | None) -> dict[str, int]:
    """Database ids of these annotators (default: every person); an unknown name is a clear error."""
    ids = {}
    for name in sorted(set(names)) if names else people(session):
        found = records.find_annotator(session, name)
        if found is None:
            raise UserError(f"no annotator is called {name!r}; the project has {', '.join(people(session))}")
        ids[name] = found
    return ids


def agreement_report(
    db: Database,
    annotators: Sequence[str] | None = None,
    documents: str = "done",
    *,
    document_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> AgreementReport:
    """Agreement of `annotators` (default: everyone) on the documents at least two of them annotated."""
    if documents not in DOCUMENT_MODES:
        raise UserError(f"documents must be one of {', '.join(DOCUMENT_MODES)}, not {documents!r}")
    progress = progress or NullProgress()
    with db.reader() as session:
        ids = annotator_ids(session, annotators)
        names = sorted(ids)
        gold = records.find_annotator(session, GOLD)
        layered = shared_documents(session, ids, DOCUMENT_MODES[documents], document_ids)
        pairs = {pair: PairFigures(pair) for pair in combinations(names, 2)}
        units = Coincidences()
        rows: list[DocumentFigures] = []
        progress.start(len(layered), f"Comparing {len(layered)} documents")
        try:
            for doc, who in layered.items():
                check_cancelled(progress)
                layers = {name: reviewed(records.load_record(session, doc, ids[name])) for name in who}
                gold_record = records.load_record(session, doc, gold) if gold is not None else None
                if gold_record is not None and gold_record.status is None:
                    gold_record = None
                rows.append(_document(doc, layers, gold_record, pairs))
                for unit in alpha_units(list(layers.values())):
                    units.add(unit)  # alpha only counts values per unit: who gave them does not matter
                session.expunge_all()
                progress.advance(1, rows[-1].doc_id)
        finally:
            progress.finish()
    return AgreementReport(
        annotators=tuple(names),
        documents_mode=documents,
        pairs=[pair for pair in pairs.values() if pair.documents],
        alpha=units.alpha(),
        alpha_units=units.units,
        documents=rows,
    )


def shared_documents(
    session: Session, ids: dict[str, int], statuses: Sequence[str], only: Sequence[int] | None = None
) -> dict[int, list[str]]:
    """Documents on which two or more of these annotators have a layer in one of `statuses`, with who."""
    names = {aid: name for name, aid in ids.items()}
    query = select(m.DocumentState.document_id, m.DocumentState.annotator_id).where(
        m.DocumentState.annotator_id.in_(list(names)), m.DocumentState.status.in_(list(statuses))
    )
    wanted = set(only) if only is not None else None  # filtered here: 100,000 ids do not fit in one statement
    by_doc: dict[int, list[str]] = {}
    for doc, aid in session.execute(query.order_by(m.DocumentState.document_id)):
        if wanted is None or doc in wanted:
            by_doc.setdefault(doc, []).append(names[aid])
    return {doc: sorted(who) for doc, who in by_doc.items() if len(who) >= 2}


def _document(
    doc: int, layers: dict[str, DocumentRecord], gold: DocumentRecord | None, pairs: dict[tuple[str, str], PairFigures]
) -> DocumentFigures:
    totals = [Score(), Score(), Score(), Score()]
    for a, b in combinations(sorted(layers), 2):
        for k, score in enumerate(pairs[(a, b)].add(layers[a], layers[b])):
            totals[k] += score
    alignment = align(sorted(layers), [layers[n] for n in sorted(layers)], gold)
    first = next(iter(layers.values()))
    return DocumentFigures(
        id=doc,
        doc_id=first.doc_id,
        title=first.title,
        annotators=tuple(sorted(layers)),
        entity_exact=totals[0],
        entity_overlap=totals[1],
        trigger_cls=totals[2],
        arg_cls=totals[3],
        disagreements=len(alignment.disagreements),
        open=sum(1 for item in alignment.disagreements if not item.decided),
        gold_status=gold.status if gold is not None else None,
    )


def alpha_units(layers: Sequence[DocumentRecord]) -> list[list[str | None]]:
    """Alpha's units for one document: every span offset any of these layers marked, with each layer's label.

    A layer without a span there answers NONE ("not an entity"); where one layer has several labels at
    the same offsets they are joined with "+", so the unit still has one value per annotator.
    """
    at: dict[tuple[int, int], dict[int, list[str]]] = {}
    for k, record in enumerate(layers):
        for e in record.entities:
            at.setdefault((e.start, e.end), {}).setdefault(k, []).append(e.label)
    return [
        ["+".join(sorted(marks[k])) if k in marks else NONE for k in range(len(layers))]
        for _offsets, marks in sorted(at.items())
    ]


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: AgreementReport) -> str:
    """The corpus figures as aligned text for the terminal; --json has every figure."""
    if not report.pairs:
        return (
            f"no document has two or more layers {'marked done' if report.documents_mode == 'done' else 'started'} "
            f"by {', '.join(report.annotators) or 'anyone'}: nothing to compare"
        )
    lines = [
        f"{'pair':<24} {'docs':>5} {'ent F1':>7} {'overlap':>7} {'kappa':>6} "
        f"{'trig-I':>6} {'trig-C':>6} {'arg-I':>6} {'arg-C':>6}"
    ]
    for pair in report.pairs:
        data = pair.to_json()
        ent, ev = data["entities"], data["events"]
        lines.append(
            f"{' / '.join(pair.annotators):<24} {pair.documents:>5} {ent['f1_exact']:>7.3f} {ent['f1_overlap']:>7.3f} "
            f"{_shown(ent['kappa']):>6} {ev['trigger_id_f1']:>6.3f} {ev['trigger_cls_f1']:>6.3f} "
            f"{ev['arg_id_f1']:>6.3f} {ev['arg_cls_f1']:>6.3f}"
        )
    lines.append(f"Krippendorff's alpha (nominal, spans of all annotators): {_shown(report.alpha)}")
    worst = sorted(report.documents, key=lambda d: d.score)[:5]
    lines.append("documents agreeing least: " + ", ".join(f"{d.doc_id} ({d.score:.2f})" for d in worst))
    return "\n".join(lines)
