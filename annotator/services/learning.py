"""The learning loop: train on finished documents, compare old and new by cross-validation, keep the better.

Entities (an update of the installed pipeline's NER), triggers and arguments (classifiers) are each learned
from the reviewed layers of the documents people finished. Each fold trains on the other folds and suggests
for its own documents; the current suggester suggests for the same documents; a component replaces the
current one only when its F1 is higher (entities exact, trigger classification, argument classification);
new roles are judged with the triggers that will be in use beside them.
A new version is written whole beside the database, then put in use; `ModelStore` keeps the earlier ones.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.dto import DocumentRecord
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.review import reviewed
from annotator.core.schema import Schema
from annotator.nlp.learning.versions import ModelStore
from annotator.services.evaluation import DONE, Evaluation, finished_documents, load_references, score_pair
from annotator.store.database import Database

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from annotator.nlp.learning.model import LearnedModel
    from annotator.nlp.learning.roles import ArgumentModel
    from annotator.nlp.learning.samples import Sample
    from annotator.nlp.learning.triggers import TriggerModel
    from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions

COMPONENTS = ("entities", "triggers", "arguments")


@dataclass
class LearnResult:
    documents: int = 0  # finished documents learned from
    entities: int = 0  # reviewed entity mentions in them
    events: int = 0  # reviewed events in them
    before: Evaluation | None = None  # the suggester in use, on the compared documents
    after: Evaluation | None = None  # the new one, cross-validated on the same documents
    model: str | None = None  # version in use afterwards (None: the base suggester)
    created: str | None = None  # the version written now, if any
    components: dict[str, str] = field(default_factory=dict)  # component -> learned | kept | not learned
    folds: int = 0
    compared: int = 0  # documents the comparison ran on
    seconds: float = 0.0
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "entities": self.entities,
            "events": self.events,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
            "model": self.model,
            "created": self.created,
            "components": self.components,
            "folds": self.folds,
            "compared": self.compared,
            "seconds": round(self.seconds, 2),
            "message": self.message,
        }


@dataclass
class _Corpus:
    """The finished documents parsed once, with what every suggester and trainer needs of them."""

    records: list[DocumentRecord]
    inputs: list[AnnotationInput]
    docs: list[Doc]  # the base pipeline's parse, never modified (analyses work on copies)
    samples: list[Sample]


@dataclass
class _Trained:
    ner: Language | None = None
    triggers: TriggerModel | None = None
    arguments: ArgumentModel | None = None


class Learner:
    """Learns a new suggester version for one project; `epochs` and `max_folds` trade time for accuracy."""

    def __init__(
        self,
        db: Database,
        schema: Schema,
        pipeline: str,
        store: ModelStore,
        *,
        epochs: int = 5,
        max_folds: int = 4,
    ) -> None:
        self.db = db
        self.schema = schema
        self.pipeline = pipeline
        self.store = store
        self.epochs = epochs
        self.max_folds = max_folds

    def learn(self, source: str = DONE, progress: Progress | None = None) -> LearnResult:
        started = time.perf_counter()
        progress = progress or NullProgress()
        references = finished_documents(self.db, source)
        result = LearnResult(documents=len(references), model=self.store.active())
        if len(references) < 2:
            which = "no finished document" if not references else "only one finished document"
            result.message = (
                f"{which} ({_source_text(source)}): at least two are needed to compare the new suggester with "
                "the current one by cross-validation; nothing was learned and nothing changed"
            )
            return result
        n = len(references)
        folds = min(self.max_folds, n)
        result.folds = folds
        progress.start(3 * n + folds * (self._ner_steps() + 2) + self._ner_steps() + 1, "Learning")
        try:
            corpus, base = self._prepare(references, progress)
            result.entities = sum(len(reviewed(r).entities) for r in corpus.records)
            result.events = sum(len(reviewed(r).events) for r in corpus.records)
            current = self._current()
            compared = self._compared(corpus, references, current)
            result.compared = len(compared)
            old = self._old_suggestions(base, corpus, current, compared, progress)
            new, kept_triggers = self._cross_validate(base, corpus, folds, compared, current, progress)
            result.before = _total(old, corpus, compared)
            result.after, chosen = choose(
                result.before, _total(new, corpus, compared), _total(kept_triggers, corpus, compared)
            )
            result.components = {
                c: "learned" if chosen[c] else ("kept" if current is not None else "not learned") for c in COMPONENTS
            }
            if any(chosen.values()):
                trained = self._train(base, corpus, range(n), progress, only=chosen)
                meta = self._meta(source, references, result, base, started)
                result.created = self.store.create(lambda folder: self._write(folder, trained, current), meta)
                self.store.activate(result.created)
                result.model = result.created
                learned = _joined(c for c in COMPONENTS if chosen[c])
                result.message = f"learned {learned}; version {result.created} in use"
            else:
                result.message = (
                    f"the suggester in use ({result.model or 'base'}) is as good or better on these documents; "
                    "nothing changed"
                )
        finally:
            progress.finish()
        result.seconds = time.perf_counter() - started
        return result

    # -- preparing -------------------------------------------------------------------------------------------

    def _ner_steps(self) -> int:
        return self.epochs  # the NER reports each epoch

    def _prepare(self, references: list[Any], progress: Progress) -> tuple[_Corpus, Preannotator]:
        from annotator.nlp.learning.samples import Sample, align
        from annotator.nlp.mentions import MentionIndex
        from annotator.nlp.preannotate import AnnotationInput, Preannotator

        records = list(load_references(self.db, references, progress))
        progress.advance(len(records), "documents read")
        base = Preannotator(self.schema, self.pipeline)
        inputs = [AnnotationInput(r.text, r.boilerplate, r.published) for r in records]
        docs: list[Doc] = []
        samples: list[Sample] = []
        for (doc, item), record in zip(base.parse(inputs, batch_size=8), records, strict=True):
            check_cancelled(progress)
            docs.append(doc)
            analysed, mentions = base.analyse(doc, item, keep=True)
            sample = Sample(reviewed(record), analysed, mentions, MentionIndex(mentions, len(analysed)))
            samples.append(align(sample, self.schema))
            progress.advance(1, "parsed")
        return _Corpus(records, inputs, docs, samples), base

    def _current(self) -> LearnedModel | None:
        from annotator.nlp.learning.model import LearnedModel

        folder = self.store.active_folder()
        return LearnedModel.load(folder) if folder is not None else None

    @staticmethod
    def _compared(corpus: _Corpus, references: list[Any], current: LearnedModel | None) -> list[int]:
        """Documents the current version did not learn from (all of them when it learned from every one)."""
        seen = set(current.meta.get("trained_on") or []) if current is not None else set()
        fresh = [i for i, ref in enumerate(references) if ref.document_id not in seen]
        return fresh or list(range(len(corpus.records)))

    # -- suggesting ------------------------------------------------------------------------------------------

    def _old_suggestions(
        self,
        base: Preannotator,
        corpus: _Corpus,
        current: LearnedModel | None,
        compared: list[int],
        progress: Progress,
    ) -> dict[int, Suggestions]:
        ner = None
        events = base.events
        if current is not None:
            events = base.event_suggester(current.triggers, current.arguments) if base.events else None
            if current.has_ner:
                pipeline = current.pipeline(self.pipeline).nlp
                ner = pipeline.get_pipe("ner") if pipeline is not None else None
        old = {}
        for i in compared:
            check_cancelled(progress)
            old[i] = base.suggest(corpus.docs[i], corpus.inputs[i], ner=ner, events=events, keep=True)
        progress.advance(len(corpus.docs), "current suggester")
        return old

    def _cross_validate(
        self,
        base: Preannotator,
        corpus: _Corpus,
        folds: int,
        compared: list[int],
        current: LearnedModel | None,
        progress: Progress,
    ) -> tuple[dict[int, Suggestions], dict[int, Suggestions]]:
        """Each compared document's suggestions by the suggester learned without it, and by the same with the
        triggers in use (the lexicon's, or the current version's) in place of the new ones."""
        n = len(corpus.docs)
        new: dict[int, Suggestions] = {}
        kept_triggers: dict[int, Suggestions] = {}
        in_use = current.triggers if current is not None else None
        for fold in range(folds):
            test = [i for i in range(fold, n, folds) if i in compared]
            if not test:
                continue
            train = [i for i in range(n) if i % folds != fold]
            trained = self._train(base, corpus, train, progress)
            ner = trained.ner.get_pipe("ner") if trained.ner is not None else None
            suggesters = [
                base.event_suggester(triggers, trained.arguments) if base.events else None
                for triggers in (trained.triggers, in_use)
            ]
            for i in test:
                check_cancelled(progress)
                new[i], kept_triggers[i] = base.suggest_each(
                    corpus.docs[i], corpus.inputs[i], suggesters, ner=ner, keep=True
                )
            progress.advance(1, f"fold {fold + 1} of {folds}")
        return new, kept_triggers

    # -- training --------------------------------------------------------------------------------------------

    def _train(
        self,
        base: Preannotator,
        corpus: _Corpus,
        indices: Any,
        progress: Progress,
        only: dict[str, bool] | None = None,
    ) -> _Trained:
        from annotator.nlp.learning.entities import NerSample, train_ner
        from annotator.nlp.learning.roles import ArgumentModel
        from annotator.nlp.learning.triggers import TriggerModel

        wanted = only or dict.fromkeys(COMPONENTS, True)
        chosen = list(indices)
        samples = [corpus.samples[i] for i in chosen]
        trained = _Trained()
        if wanted["entities"] and base.model_name is not None and "ner" in base.pipe_names:
            ner_samples = [NerSample(corpus.docs[i].text, corpus.docs[i], corpus.samples[i].reference) for i in chosen]
            trained.ner = train_ner(
                base.model_name, ner_samples, self.schema, base.pipe_names, epochs=self.epochs, progress=progress
            )
        if base.events is not None:
            if wanted["triggers"]:
                trained.triggers = TriggerModel.train(samples, base.events.lexicon, self.schema)
            if wanted["arguments"]:
                trained.arguments = ArgumentModel.train(samples, base.events.rules)
        progress.advance(1, "classifiers trained")
        return trained

    def _write(self, folder: Path, trained: _Trained, current: LearnedModel | None) -> None:
        from annotator.nlp.learning.entities import NER_DIR, save_ner

        if trained.ner is not None:
            save_ner(trained.ner, folder)
        elif current is not None and current.has_ner:
            shutil.copytree(current.folder / NER_DIR, folder / NER_DIR)
        for model, stem in ((trained.triggers, "triggers"), (trained.arguments, "arguments")):
            if model is not None:
                model.save(folder)
            elif current is not None:
                for path in current.folder.glob(f"{stem}*.*"):  # "triggers.json", "triggers_senses.npz"...
                    shutil.copy2(path, folder)

    def _meta(
        self, source: str, references: list[Any], result: LearnResult, base: Preannotator, started: float
    ) -> dict[str, Any]:
        return {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "base_pipeline": base.model_name,
            "source": source,
            "documents": result.documents,
            "trained_on": [r.document_id for r in references],
            "components": result.components,
            "before": result.before.to_json() if result.before else None,
            "after": result.after.to_json() if result.after else None,
            "folds": result.folds,
            "seconds": round(time.perf_counter() - started, 2),
        }


def choose(before: Evaluation, after: Evaluation, kept_triggers: Evaluation) -> tuple[Evaluation, dict[str, bool]]:
    """Which components the new version replaces (a higher F1 than the one in use), and its figures.

    `kept_triggers` scores the new suggester with the triggers in use instead of the new ones: when the new
    triggers lose, the new roles would hang from the old triggers, so they are judged there.
    """

    def better(new: Evaluation) -> dict[str, bool]:
        old, now = before.headline(), new.headline()
        return {c: now[c] > old[c] + 1e-9 for c in COMPONENTS}

    chosen = better(after)
    if not chosen["triggers"]:
        roles = kept_triggers.events
        events = replace(
            after.events, arg_id=roles.arg_id, arg_cls=roles.arg_cls, arg_cls_by_type=roles.arg_cls_by_type
        )
        after = replace(after, events=events)
        chosen = better(after)
    return after, chosen


def _total(suggested: dict[int, Suggestions], corpus: _Corpus, compared: list[int]) -> Evaluation:
    total = Evaluation()
    for i in compared:
        record = corpus.records[i]
        offered = replace(record, entities=suggested[i].entities, events=suggested[i].events, relations=())
        total += score_pair(offered, record)
    return total


def _joined(words: Any) -> str:
    items = list(words)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _source_text(source: str) -> str:
    return "marked done by anyone" if source == DONE else f"layer {source}"


@dataclass(frozen=True)
class VersionInfo:
    """One learned version as the GUI and `annotator models` list it."""

    name: str
    created: str
    documents: int
    source: str
    components: dict[str, str]
    active: bool


def versions(store: ModelStore) -> list[VersionInfo]:
    """The base suggester, then every learned version, oldest first; `active` marks the one in use."""
    from annotator.nlp.learning.versions import BASE

    active = store.active()
    found = [VersionInfo(BASE, "", 0, "", {}, active is None)]
    for name in store.versions():
        meta = store.meta(name)
        found.append(
            VersionInfo(
                name,
                str(meta.get("created", "")),
                int(meta.get("documents") or 0),
                str(meta.get("source", "")),
                dict(meta.get("components") or {}),
                name == active,
            )
        )
    return found


def use_version(store: ModelStore, name: str) -> str | None:
    """Put version `name` in use: a version, `previous` (the one before the one in use) or `base`."""
    store.activate(store.previous() if name == "previous" else name)
    return store.active()
