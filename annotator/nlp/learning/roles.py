"""A learned argument finder: which mention of the trigger's sentence fills which role, as a classifier decides.

Each (trigger, candidate mention) pair is classified (none, or a role) from the dependency path between
them, the distance, the event and entity types, the trigger word, and the role the grammatical rules of
nlp/arguments.py would give. The schema still decides what may fill a role and how many fillers it takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from annotator.core.schema import Schema
from annotator.nlp.arguments import ArgumentFinder, add_argument
from annotator.nlp.learning.classifier import NONE, FeatureClassifier, Features
from annotator.nlp.learning.samples import Sample
from annotator.nlp.mentions import Mention, MentionIndex
from annotator.nlp.triggers import TriggerMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_STEM = "arguments"
_MAX_PATH = 5


def dependency_path(a: Token, b: Token) -> str:
    """Arcs from `a` up to the lowest common ancestor and down to `b`: "<nsubj", ">prep:in>pobj"."""
    up = [a, *a.ancestors]
    where = {t.i: n for n, t in enumerate(up)}
    down: list[Token] = []
    node = b
    while node.i not in where:
        down.append(node)
        if node.head.i == node.i:
            return "unconnected"  # different sentences
        node = node.head
    rising = up[: where[node.i]]
    if len(rising) + len(down) > _MAX_PATH:
        return "far"

    def arc(token: Token) -> str:
        return f"{token.dep_}:{token.lower_}" if token.dep_ in ("prep", "agent") else token.dep_

    return "".join(f"<{arc(t)}" for t in rising) + "".join(f">{arc(t)}" for t in reversed(down))


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


def pair_features(doc: Doc, trigger: TriggerMatch, mention: Mention, rule: str | None) -> Features:
    head = doc[trigger.head]
    path = dependency_path(head, doc[mention.root])
    before = mention.last <= trigger.first
    gap = trigger.first - mention.last if before else mention.first - trigger.last
    return {
        "type": trigger.event_type,
        "label": mention.label,
        "type_label": f"{trigger.event_type}|{mention.label}",
        "source": mention.source,
        "path": path,
        "type_path": f"{trigger.event_type}|{path}",
        "label_path": f"{mention.label}|{path}",
        "side": "before" if before else "after",
        "distance": _bucket(max(gap, 0)),
        "trigger": head.lemma_.lower(),
        "rule": rule or "none",
        "type_rule": f"{trigger.event_type}|{rule or 'none'}",
        "rule_label": f"{rule or 'none'}|{mention.label}",
    }


class _Sentences:
    """Sentence number of each token, computed once per doc (Token.sent walks from the start every time)."""

    def __init__(self) -> None:
        self._doc: Doc | None = None
        self._of: list[int] = []

    def of(self, doc: Doc) -> list[int]:
        if doc is not self._doc:
            self._of = [0] * len(doc)
            for n, sent in enumerate(doc.sents):
                self._of[sent.start : sent.end] = [n] * len(sent)
            self._doc = doc
        return self._of


def _candidates(doc: Doc, trigger: TriggerMatch, mentions: Sequence[Mention], sentence: list[int]) -> list[Mention]:
    here = sentence[trigger.head]
    return [
        m
        for m in mentions
        if sentence[m.root] == here and not (m.first < trigger.last and trigger.first < m.last) and m.last <= len(doc)
    ]


def _rules(rules: ArgumentFinder, doc: Doc, trigger: TriggerMatch, index: MentionIndex) -> dict[int, str]:
    return {id(m): role for role, m in rules.find(doc, trigger, index)}


@dataclass(frozen=True)
class ArgumentModel:
    classifier: FeatureClassifier

    @classmethod
    def train(cls, samples: Sequence[Sample], rules: ArgumentFinder) -> ArgumentModel | None:
        """Pairs of each gold trigger with the gold mentions of its sentence; None without two outcomes."""
        rows: list[Features] = []
        labels: list[str] = []
        sentences = _Sentences()
        for sample in samples:
            doc, index = sample.doc, sample.gold_index
            if index is None:
                continue
            mentions = list(sample.gold.values())
            for gold in sample.triggers:
                trigger = TriggerMatch(gold.event_type, gold.first, gold.last, gold.head, {})
                own = {id(sample.gold[e]): role for role, e in gold.arguments}
                hinted = _rules(rules, doc, trigger, index)
                for mention in _candidates(doc, trigger, mentions, sentences.of(doc)):
                    rows.append(pair_features(doc, trigger, mention, hinted.get(id(mention))))
                    labels.append(own.get(id(mention), NONE))
        classifier = FeatureClassifier.train(rows, labels)
        return cls(classifier) if classifier is not None else None

    def finder(self, rules: ArgumentFinder, schema: Schema) -> LearnedArguments:
        return LearnedArguments(self, rules, schema)

    def save(self, folder: Path) -> None:
        self.classifier.save(folder / _STEM)

    @classmethod
    def load(cls, folder: Path) -> ArgumentModel | None:
        if not (folder / f"{_STEM}.json").exists():
            return None
        return cls(FeatureClassifier.load(folder / _STEM)[0])


class LearnedArguments:
    """Fills roles like ArgumentFinder.find does, the classifier deciding and the rules as a hint."""

    def __init__(self, model: ArgumentModel, rules: ArgumentFinder, schema: Schema) -> None:
        self._classifier = model.classifier
        self._classes = model.classifier.classes
        self._rules = rules
        self._schema = schema
        self._sentences = _Sentences()

    def find(self, doc: Doc, trigger: TriggerMatch, index: MentionIndex) -> list[tuple[str, Mention]]:
        event_type = self._schema.event_types[trigger.event_type]
        mentions = _candidates(doc, trigger, index.mentions, self._sentences.of(doc))
        hinted = _rules(self._rules, doc, trigger, index)
        rows = [pair_features(doc, trigger, m, hinted.get(id(m))) for m in mentions]
        probabilities = self._classifier.probabilities(rows)
        none = self._classes.index(NONE) if NONE in self._classes else None
        ranked: list[tuple[float, int, str]] = []
        for n, row in enumerate(probabilities):
            floor = float(row[none]) if none is not None else 0.0
            for k in np.argsort(-row):
                if k == none or float(row[k]) <= floor:
                    continue
                ranked.append((float(row[k]), n, self._classes[k]))
        filled: list[tuple[str, Mention]] = []
        for _p, n, role in sorted(ranked, key=lambda x: -x[0]):  # surest first, so cardinality keeps the best
            add_argument(event_type, role, mentions[n], filled)
        return filled
