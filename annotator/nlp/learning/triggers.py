"""A learned trigger finder: which word triggers an event of which type, from lemma, parse, context and lexicon.

Each content word is classified (none, or an event type) by a logistic regression over its lemma, part of
speech, dependency relation, head, dependents, neighbours and the lexicon's hint, so it learns trigger words
the lexicon lacks and drops lexicon words that the annotators never kept in that context. Multi-word triggers
keep the lexicon's span, or a span seen in the gold ("air raid").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator.core.schema import Schema
from annotator.nlp.learning.classifier import NONE, FeatureClassifier, Features
from annotator.nlp.learning.samples import Sample
from annotator.nlp.mentions import MentionIndex
from annotator.nlp.triggers import TriggerLexicon, TriggerMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc

_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
_STEM = "triggers"


def candidates(doc: Doc, index: MentionIndex) -> list[int]:
    """Tokens that may trigger: content words outside names (a word of "Siege Watch" is no siege)."""
    found = []
    for token in doc:
        if not token.is_alpha or token.pos_ not in _CONTENT:
            continue
        mention = index.at(token.i)
        if mention is not None and mention.source != "nominal":
            continue
        found.append(token.i)
    return found


def _lemma(token: Any) -> str:
    return str(token.lemma_).lower()


def token_features(doc: Doc, i: int, index: MentionIndex, hints: dict[int, TriggerMatch]) -> Features:
    token = doc[i]
    lemma = _lemma(token)
    head = token.head
    features: dict[str, str | float] = {
        "lemma": lemma,
        "pos": token.pos_,
        "tag": token.tag_,
        "dep": token.dep_,
        "suffix": token.suffix_.lower(),
        "head": _lemma(head) if head.i != i else "<root>",
        "head_pos": head.pos_ if head.i != i else "<root>",
        "dep_head": f"{token.dep_}:{_lemma(head)}",
        "prev": doc[i - 1].lower_ if i > 0 else "<s>",
        "next": doc[i + 1].lower_ if i + 1 < len(doc) else "</s>",
        "lemma_pos": f"{lemma}:{token.pos_}",
    }
    for child in token.children:
        features[f"child={child.dep_}:{_lemma(child)}"] = 1.0
        features[f"child_dep={child.dep_}"] = 1.0
        if child.dep_ == "prep":  # "a blast of criticism", "strikes on Idlib"
            for grand in child.children:
                if grand.dep_ == "pobj":
                    features[f"pobj={child.lower_}:{_lemma(grand)}"] = 1.0
                    filler = index.at(grand.i)
                    if filler is not None:
                        features[f"pobj_label={child.lower_}:{filler.label}"] = 1.0
        filler = index.at(child.i)
        if filler is not None:
            features[f"child_label={child.dep_}:{filler.label}"] = 1.0
    hint = hints.get(i)
    features["lex"] = hint.event_type if hint is not None else "none"
    if hint is not None:
        features["lex_lemma"] = f"{hint.event_type}:{lemma}"
    mention = index.at(i)
    if mention is not None:
        features["in_mention"] = mention.label
    return features


def _hints(lexicon: TriggerLexicon, doc: Doc, index: MentionIndex) -> dict[int, TriggerMatch]:
    return {m.head: m for m in lexicon.match(doc, index)}


@dataclass(frozen=True)
class TriggerModel:
    """The classifier, plus multi-word trigger spans and lexical attributes (attack mode) seen in the gold."""

    classifier: FeatureClassifier
    phrases: dict[str, list[tuple[tuple[str, ...], int]]]  # head word -> (lower-cased words, head offset)
    attrs: dict[str, dict[str, str]]  # "type|lemma" -> attributes the lexicon would set

    @classmethod
    def train(cls, samples: Sequence[Sample], lexicon: TriggerLexicon, schema: Schema) -> TriggerModel | None:
        """None when the samples hold no trigger and no lexicon word to unlearn."""
        rows: list[Features] = []
        labels: list[str] = []
        phrases: dict[str, set[tuple[tuple[str, ...], int]]] = {}
        votes: dict[str, Counter[tuple[str, str]]] = {}
        for sample in samples:
            doc = sample.doc
            gold = {t.head: t for t in sample.triggers}
            hints = _hints(lexicon, doc, sample.index)
            for i in dict.fromkeys([*candidates(doc, sample.index), *gold]):
                rows.append(token_features(doc, i, sample.index, hints))
                labels.append(gold[i].event_type if i in gold else NONE)
            for trigger in sample.triggers:
                words = tuple(t.lower_ for t in doc[trigger.first : trigger.last])
                if len(words) > 1:
                    phrases.setdefault(doc[trigger.head].lower_, set()).add((words, trigger.head - trigger.first))
                lexical = {k for t in schema.event_types[trigger.event_type].triggers for k in t.attrs}
                key = f"{trigger.event_type}|{_lemma(doc[trigger.head])}"
                for name in lexical:
                    if isinstance(trigger.attrs.get(name), str):
                        votes.setdefault(key, Counter())[(name, str(trigger.attrs[name]))] += 1
        classifier = FeatureClassifier.train(rows, labels)
        if classifier is None:
            return None
        attrs: dict[str, dict[str, str]] = {}
        for key, counter in votes.items():
            for (name, value), _n in counter.most_common():
                attrs.setdefault(key, {}).setdefault(name, value)
        ordered = {w: sorted(p, key=lambda x: -len(x[0])) for w, p in phrases.items()}
        return cls(classifier, ordered, attrs)

    def finder(self, lexicon: TriggerLexicon) -> LearnedTriggers:
        return LearnedTriggers(self, lexicon)

    def save(self, folder: Path) -> None:
        phrases = {w: [[list(words), offset] for words, offset in p] for w, p in self.phrases.items()}
        self.classifier.save(folder / _STEM, {"phrases": phrases, "attrs": self.attrs})

    @classmethod
    def load(cls, folder: Path) -> TriggerModel | None:
        if not (folder / f"{_STEM}.json").exists():
            return None
        classifier, extra = FeatureClassifier.load(folder / _STEM)
        phrases = {
            str(w): [(tuple(str(x) for x in words), int(offset)) for words, offset in p]
            for w, p in (extra.get("phrases") or {}).items()
        }
        attrs = {str(k): {str(a): str(v) for a, v in d.items()} for k, d in (extra.get("attrs") or {}).items()}
        return cls(classifier, phrases, attrs)


class LearnedTriggers:
    """Finds triggers like TriggerLexicon.match does, with the classifier deciding and the lexicon as a hint."""

    def __init__(self, model: TriggerModel, lexicon: TriggerLexicon) -> None:
        self._model = model
        self._lexicon = lexicon
        self._classes = model.classifier.classes

    def match(self, doc: Doc, index: MentionIndex) -> list[TriggerMatch]:
        hints = _hints(self._lexicon, doc, index)
        tokens = candidates(doc, index)
        probabilities = self._model.classifier.probabilities([token_features(doc, i, index, hints) for i in tokens])
        chosen: list[tuple[float, int, str]] = []
        for i, row in zip(tokens, probabilities, strict=True):
            best = int(np.argmax(row))
            if self._classes[best] != NONE:
                chosen.append((float(row[best]), i, self._classes[best]))
        found: list[TriggerMatch] = []
        taken: set[int] = set()
        for _p, i, event_type in sorted(chosen, reverse=True):  # surest first; a word is in one trigger only
            if i in taken:
                continue
            match = self._span(doc, i, event_type, hints.get(i))
            if taken.intersection(range(match.first, match.last)):
                match = TriggerMatch(event_type, i, i + 1, i, match.attrs)
            taken.update(range(match.first, match.last))
            found.append(match)
        return sorted(found, key=lambda m: (m.first, m.event_type))

    def _span(self, doc: Doc, i: int, event_type: str, hint: TriggerMatch | None) -> TriggerMatch:
        attrs = self._model.attrs.get(f"{event_type}|{_lemma(doc[i])}", {})
        if hint is not None:
            same = hint.event_type == event_type
            return TriggerMatch(event_type, hint.first, hint.last, i, dict(hint.attrs) if same else attrs)
        for words, offset in self._model.phrases.get(doc[i].lower_, ()):
            first = i - offset
            if first >= 0 and tuple(t.lower_ for t in doc[first : first + len(words)]) == words:
                return TriggerMatch(event_type, first, first + len(words), i, attrs)
        return TriggerMatch(event_type, i, i + 1, i, attrs)
