"""A learned trigger finder: which word triggers an event of which type, from lemma, parse, context and lexicon.

Two logistic regressions decide, each only where the gold has evidence. Words the lexicon lacks are classified
(none, or an event type) over their lemma, part of speech, dependency relation, head, dependents and neighbours,
but only words the annotators marked as triggers somewhere ("strafe"), so the model learns new trigger words
without inventing them. A lexicon word keeps the lexicon's answer until the gold holds it often enough; then
a second model judges its context only, never the word itself: a gold set that rejects "a bitter battle for
customers" drops battles in that context, not "fierce battles between the army and rebels". Multi-word
triggers keep the lexicon's span, or a span seen in the gold ("air raid").
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
_SENSE_STEM = "triggers_senses"
#: Gold occurrences of a lexicon word before the gold, not the lexicon, judges its contexts.
MIN_EVIDENCE = 3
#: The context model's label for "the annotators kept the lexicon's trigger here".
KEEP = "keep"


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
        features[f"child_dep={child.dep_}"] = 1.0
    _add_dependents(features, token, index, lambda _t: True)
    hint = hints.get(i)
    features["lex"] = hint.event_type if hint is not None else "none"
    if hint is not None:
        features["lex_lemma"] = f"{hint.event_type}:{lemma}"
    mention = index.at(i)
    if mention is not None:
        features["in_mention"] = mention.label
    return features


def context_features(doc: Doc, i: int, index: MentionIndex) -> Features:
    """A lexicon word's context in content words and names, without the word itself or its part of speech.

    Leaving the word out means what is learned of "a bitter battle" is "bitter", not "battle"; leaving function
    words and bare dependency labels out means a context nothing is known of has no features at all, so the
    context model (trained without intercept) is undecided there and the lexicon's answer stands.
    """
    token = doc[i]
    features: dict[str, str | float] = {}
    for name, near in (("prev", i - 1), ("next", i + 1)):
        if 0 <= near < len(doc) and _content(doc[near]):
            features[name] = _lemma(doc[near])
    head = token.head
    if head.i != i and _content(head):
        features["dep_head"] = f"{token.dep_}:{_lemma(head)}"
        if head.head.i != head.i and _content(head.head):
            features["governor"] = f"{_lemma(head.head)}>{_lemma(head)}"  # "locked in" a battle
    _add_dependents(features, token, index, _content)
    return features


def _content(token: Any) -> bool:
    return bool(token.is_alpha or token.like_num) and not token.is_stop


def _add_dependents(features: dict[str, str | float], token: Any, index: MentionIndex, words: Any) -> None:
    """The token's dependents, the objects of its prepositions ("a blast of criticism", "strikes on Idlib")
    and the labels of the mentions among them; words only where `words(token)` says so."""
    for child in token.children:
        if words(child):
            features[f"child={child.dep_}:{_lemma(child)}"] = 1.0
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj" and words(grand):
                    features[f"pobj={child.lower_}:{_lemma(grand)}"] = 1.0
                    filler = index.at(grand.i)
                    if filler is not None:
                        features[f"pobj_label={child.lower_}:{filler.label}"] = 1.0
        filler = index.at(child.i)
        if filler is not None:
            features[f"child_label={child.dep_}:{filler.label}"] = 1.0


def _hints(lexicon: TriggerLexicon, doc: Doc, index: MentionIndex) -> dict[int, TriggerMatch]:
    return {m.head: m for m in lexicon.match(doc, index)}


@dataclass(frozen=True)
class TriggerModel:
    """The classifiers, the gold's evidence per lemma, multi-word trigger spans and lexical attributes (attack
    mode) seen in the gold."""

    classifier: FeatureClassifier  # any word: none or an event type
    senses: FeatureClassifier | None  # a lexicon word in context: KEEP or NONE (None: nothing to tell apart)
    taught: dict[str, int]  # lemma -> gold triggers with that head word
    evidence: dict[str, int]  # lemma -> gold occurrences of that lexicon word (kept or rejected)
    phrases: dict[str, list[tuple[tuple[str, ...], int]]]  # head word -> (lower-cased words, head offset)
    attrs: dict[str, dict[str, str]]  # "type|lemma" -> attributes the lexicon would set

    @classmethod
    def train(cls, samples: Sequence[Sample], lexicon: TriggerLexicon, schema: Schema) -> TriggerModel | None:
        """None when the samples hold no trigger and no lexicon word to unlearn."""
        rows: list[Features] = []
        labels: list[str] = []
        sense_rows: list[Features] = []
        sense_labels: list[str] = []
        taught: Counter[str] = Counter()
        evidence: Counter[str] = Counter()
        phrases: dict[str, set[tuple[tuple[str, ...], int]]] = {}
        votes: dict[str, Counter[tuple[str, str]]] = {}
        for sample in samples:
            doc = sample.doc
            gold = {t.head: t for t in sample.triggers}
            hints = _hints(lexicon, doc, sample.index)
            for i in dict.fromkeys([*candidates(doc, sample.index), *gold, *hints]):
                features = token_features(doc, i, sample.index, hints)
                label = gold[i].event_type if i in gold else NONE
                rows.append(features)
                labels.append(label)
                if i in hints:
                    sense_rows.append(context_features(doc, i, sample.index))
                    sense_labels.append(KEEP if i in gold else NONE)
                    evidence[_lemma(doc[i])] += 1
                if i in gold:
                    taught[_lemma(doc[i])] += 1
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
        senses = FeatureClassifier.train(sense_rows, sense_labels, intercept=False, balanced=False)
        return cls(classifier, senses, dict(taught), dict(evidence), ordered, attrs)

    def finder(self, lexicon: TriggerLexicon) -> LearnedTriggers:
        return LearnedTriggers(self, lexicon)

    def save(self, folder: Path) -> None:
        phrases = {w: [[list(words), offset] for words, offset in p] for w, p in self.phrases.items()}
        extra = {"phrases": phrases, "attrs": self.attrs, "taught": self.taught, "evidence": self.evidence}
        self.classifier.save(folder / _STEM, extra)
        if self.senses is not None:
            self.senses.save(folder / _SENSE_STEM)

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
        senses = FeatureClassifier.load(folder / _SENSE_STEM)[0] if (folder / f"{_SENSE_STEM}.json").exists() else None
        counts = {name: {str(k): int(v) for k, v in (extra.get(name) or {}).items()} for name in ("taught", "evidence")}
        return cls(classifier, senses, counts["taught"], counts["evidence"], phrases, attrs)


class LearnedTriggers:
    """Finds triggers like TriggerLexicon.match does: the lexicon where the gold says too little, the
    classifiers where it says enough."""

    def __init__(self, model: TriggerModel, lexicon: TriggerLexicon) -> None:
        self._model = model
        self._lexicon = lexicon

    def match(self, doc: Doc, index: MentionIndex) -> list[TriggerMatch]:
        model = self._model
        hints = _hints(self._lexicon, doc, index)
        chosen: list[tuple[float, int, str]] = []
        judged: list[int] = []  # lexicon words the gold has seen often enough
        for i, hint in hints.items():
            if model.senses is not None and model.evidence.get(_lemma(doc[i]), 0) >= MIN_EVIDENCE:
                judged.append(i)
            else:
                chosen.append((1.0, i, hint.event_type))  # too little gold on this word: the lexicon decides
        taught = [i for i in candidates(doc, index) if i not in hints and _lemma(doc[i]) in model.taught]
        if judged and model.senses is not None:
            keep = model.senses.classes.index(KEEP)
            rows = [context_features(doc, i, index) for i in judged]
            for i, row in zip(judged, model.senses.probabilities(rows), strict=True):
                if row[keep] >= 0.5:  # an unknown context is a tie: the lexicon's answer stands
                    chosen.append((float(row[keep]), i, hints[i].event_type))
        if taught:
            rows = [token_features(doc, i, index, hints) for i in taught]
            chosen += _best(taught, model.classifier.probabilities(rows), model.classifier.classes)
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


def _best(tokens: list[int], probabilities: np.ndarray, classes: list[str]) -> list[tuple[float, int, str]]:
    """(probability, token, event type) of the tokens whose likeliest class is an event type."""
    chosen = []
    for i, row in zip(tokens, probabilities, strict=True):
        best = int(np.argmax(row))
        if classes[best] != NONE:
            chosen.append((float(row[best]), i, classes[best]))
    return chosen
