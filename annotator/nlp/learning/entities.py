"""Entity learning: the installed spaCy pipeline's NER updated on reviewed names, with spaCy's own training.

The update starts from the installed pipeline, so what it knows is kept; the examples only speak where the
reviewer did. Reviewed names are taught with the pipeline's own (OntoNotes) label where it already found
that span, so "Syrian" stays NORP; what a person removed is taught as no entity; participant nouns ("nine
civilians": the gazetteer's and the number's work, not the NER's) and labels the schema does not use
(ORDINAL...) are left unknown, so the NER is not taught to forget them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.dto import DocumentRecord
from annotator.core.progress import NullProgress, Progress, check_cancelled
from annotator.core.schema import Schema
from annotator.nlp.learning.samples import gold_mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

NER_DIR = "ner"
UNKNOWN = "-"  # spaCy's "missing" BILUO tag: no gradient from that token


@dataclass(frozen=True)
class NerSample:
    """The text the pipeline saw (boilerplate masked), the base NER's entities on it and the reviewed layer."""

    text: str
    base: Doc  # the pipeline's parse, before the gazetteer: its `ents` are the statistical model's
    reference: DocumentRecord


def inverse_labels(schema: Schema, samples: Sequence[NerSample]) -> dict[str, str]:
    """Schema label -> the NER label to teach: the one the pipeline itself used most for that label."""
    ontonotes = {str(k): str(v) for k, v in (schema.mappings.get("ontonotes") or {}).items()}
    used: dict[str, Counter[str]] = {}
    for sample in samples:
        spans = {(e.start_char, e.end_char): e.label_ for e in sample.base.ents}
        for entity in sample.reference.entities:
            label = spans.get((entity.start, entity.end))
            if label is not None and ontonotes.get(label) == entity.label:
                used.setdefault(entity.label, Counter())[label] += 1
    inverse: dict[str, str] = {}
    for label in schema.entity_types:
        if label in used:
            inverse[label] = used[label].most_common(1)[0][0]
        elif ontonotes.get(label) == label:
            inverse[label] = label
        else:
            inverse[label] = next((k for k, v in ontonotes.items() if v == label), label)
    return inverse


def biluo_tags(sample: NerSample, schema: Schema, inverse: Mapping[str, str]) -> list[str]:
    """One tag per token: reviewed names, "O" where the model's names were not kept, UNKNOWN elsewhere."""
    from spacy.util import filter_spans

    doc = sample.base
    ontonotes = {str(k): str(v) for k, v in (schema.mappings.get("ontonotes") or {}).items()}
    tags = ["O"] * len(doc)
    for ent in doc.ents:
        if ent.label_ not in ontonotes:
            tags[ent.start : ent.end] = [UNKNOWN] * len(ent)  # ORDINAL, LAW...: not ours to correct
    base = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
    names = []
    for entity in sample.reference.entities:
        mention = gold_mention(doc, entity, schema)
        if mention is None:
            continue
        if mention.source == "nominal" and mention.value_kind is None:
            tags[mention.first : mention.last] = [UNKNOWN] * (mention.last - mention.first)
            continue
        label = base.get((entity.start, entity.end))
        if label is None or (ontonotes.get(label) != entity.label and not _norp_person(label, entity.label)):
            label = inverse.get(entity.label, entity.label)
        names.append((mention, label))
    spans = filter_spans([doc[m.first : m.last] for m, _ in names])
    labels = {(m.first, m.last): label for m, label in names}
    for span in spans:
        label, n = labels[span.start, span.end], len(span)
        tags[span.start : span.end] = (
            [f"U-{label}"] if n == 1 else [f"B-{label}", *[f"I-{label}"] * (n - 2), f"L-{label}"]
        )
    return tags


def _norp_person(ner_label: str, label: str) -> bool:
    """Plural nationality nouns are NORP to the NER and PER in the schema ("Russians")."""
    return ner_label == "NORP" and label == "PER"


def train_ner(
    base: str,
    samples: Sequence[NerSample],
    schema: Schema,
    components: Sequence[str],
    *,
    epochs: int = 5,
    seed: int = 0,
    progress: Progress | None = None,
) -> Language:
    """A fresh copy of the NER of pipeline `base` (whose components are named), updated on the samples."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]

    progress = progress or NullProgress()
    fix_random_seed(seed)
    # Only the NER is loaded and trained: it has its own token vectors, so the parse does not change.
    nlp = spacy.load(base, exclude=[name for name in components if name != "ner"])
    ner: Any = nlp.get_pipe("ner")
    inverse = inverse_labels(schema, samples)
    tagged = [(s, biluo_tags(s, schema, inverse)) for s in samples]
    for label in sorted({t.split("-", 1)[1] for _, tags in tagged for t in tags if "-" in t and t != UNKNOWN}):
        if label not in ner.labels:
            ner.add_label(label)  # a schema type the NER never knew (WEA, VEH)
    rng = random.Random(seed)
    examples = [Example.from_dict(doc, {"entities": tags}) for doc, tags in _sentences(nlp, tagged, rng)]
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for _epoch in range(epochs):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=8):  # type: ignore[no-untyped-call]
                check_cancelled(progress)
                nlp.update(batch, sgd=optimizer, drop=0.2)
            progress.advance(1, "entities")
    return nlp


def _sentences(
    nlp: Language, tagged: list[tuple[NerSample, list[str]]], rng: random.Random
) -> list[tuple[Doc, list[str]]]:
    """Sentences where the reviewer changed the NER's answer, and as many where they kept it (rehearsal).

    Training on the corrections alone would let the NER drift from what it got right; training on every
    sentence takes minutes where the corrections are few. Half as many kept as changed sentences keeps
    20 documents' learning within a minute or two on two cores.
    """
    from spacy.tokens import Doc
    from spacy.training.iob_utils import doc_to_biluo_tags

    changed: list[tuple[Doc, list[str]]] = []
    kept: list[tuple[Doc, list[str]]] = []
    for sample, tags in tagged:
        base = doc_to_biluo_tags(sample.base, missing="O")
        for sent in sample.base.sents:
            gold = tags[sent.start : sent.end]
            if not sent.text.strip(" \t\r\n.") or gold[0][:1] in ("I", "L") or gold[-1][:1] in ("B", "I"):
                continue  # blank or masked, or an entity runs over the sentence's edge
            words = Doc(nlp.vocab, words=[t.text for t in sent], spaces=[bool(t.whitespace_) for t in sent])
            differs = any(g not in (UNKNOWN, b) for g, b in zip(gold, base[sent.start : sent.end], strict=True))
            (changed if differs else kept).append((words, gold))
    rng.shuffle(kept)
    return changed + kept[: len(changed) // 2 + 1] if changed else []


def save_ner(nlp: Language, folder: Path) -> None:
    ner: Any = nlp.get_pipe("ner")
    ner.to_disk(folder / NER_DIR)


def load_ner(nlp: Language, folder: Path) -> None:
    """Replace the NER weights of `nlp` (a pipeline of our own, never a shared one) by the learned ones."""
    ner: Any = nlp.get_pipe("ner")
    ner.from_disk(folder / NER_DIR)
