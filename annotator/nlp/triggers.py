"""Event triggers: the schema's trigger lexicon matched on lemmas, multi-word entries included."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from annotator.core.schema import Schema
from annotator.nlp.mentions import MentionIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

# A two-word entry also matches a verb and one of its dependents: "took full control", "take it back".
_LINK_DEPS = frozenset({"prt", "dobj", "prep", "advmod", "acomp", "attr", "dative"})
# A single word modifying a noun is not the event ("siege tactics", "offensive weapons").
_MODIFIER_DEPS = frozenset({"amod", "compound"})


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    event_type: str
    attrs: dict[str, str]
    pos: frozenset[str]  # allowed parts of speech of the head; empty: any
    place_object: bool  # triggers only when its direct object is a place ("army takes Homs district")


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    event_type: str
    first: int  # first token
    last: int  # one past the last token
    head: int  # the token arguments hang from
    attrs: dict[str, str]


def _word(token: Token, word: str) -> bool:
    return token.lemma_.lower() == word or token.lower_ == word


class TriggerLexicon:
    """The trigger lexicon of every event type, compiled once; `mappings` restricts entries:

    - `trigger_pos`: lemma -> parts of speech it triggers as (the noun "talks", the verb "shell"),
    - `place_object_lemmas`: verbs that trigger only with a place as object ("take"),
    - `place_nouns`: nouns that count as a place object ("district", "town"),
    - `not_events`: contexts in which a lexicon word is no event ("general strike", "a blast of criticism").
    """

    def __init__(self, schema: Schema, vocab: Vocab, make_doc: Callable[[str], Doc]) -> None:
        mappings: Mapping[str, Any] = schema.mappings
        pos = {str(k).lower(): frozenset(str(p) for p in v) for k, v in (mappings.get("trigger_pos") or {}).items()}
        place_verbs = frozenset(str(w).lower() for w in mappings.get("place_object_lemmas") or [])
        self._place_nouns = frozenset(str(w).lower() for w in mappings.get("place_nouns") or [])
        classes = {str(k): [str(w).lower() for w in v or []] for k, v in (mappings.get("word_classes") or {}).items()}
        self._not_events = {
            str(lemma).lower(): {str(k): _expand(v or [], classes) for k, v in contexts.items()}
            for lemma, contexts in (mappings.get("not_events") or {}).items()
        }
        # Words with a sense told by the words around them ("near"): one sense per article for their nouns.
        self._discourse = frozenset(w for w, contexts in self._not_events.items() if contexts.get("near"))
        self._by_first: dict[str, list[_Entry]] = defaultdict(list)
        for event_type in schema.event_types.values():
            for trigger in event_type.triggers:
                lemma = trigger.lemma.lower()
                words = tuple(t.lower_ for t in make_doc(lemma))
                entry = _Entry(
                    words,
                    event_type.name,
                    dict(trigger.attrs),
                    pos.get(lemma, frozenset()),
                    len(words) == 1 and lemma in place_verbs,
                )
                self._by_first[words[0]].append(entry)
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e.words))
        # Hashes of first words let numpy pick the few candidate tokens of a doc without a Python loop.
        self._hashes = np.array([vocab.strings.add(w) for w in self._by_first], dtype=np.uint64)

    def match(self, doc: Doc, index: MentionIndex) -> list[TriggerMatch]:
        from spacy.attrs import LEMMA, LOWER

        if not self._by_first or not len(doc):
            return []
        table = doc.to_array([LEMMA, LOWER])
        candidates = np.flatnonzero(np.isin(table, self._hashes).any(axis=1))
        found: list[TriggerMatch] = []
        covered: dict[str, int] = {}  # event type -> first token not yet inside one of its triggers
        votes: Counter[tuple[str, bool]] = Counter()  # (noun lemma, an event?) -> occurrences whose context tells
        for i in candidates.tolist():
            token = doc[i]
            lemma = token.lemma_.lower()
            if lemma in self._discourse and token.pos_ == "NOUN":
                if self._near_event(token):
                    votes[lemma, True] += 1
                elif self._out_of_context(token):
                    votes[lemma, False] += 1
            for key in dict.fromkeys((token.lemma_.lower(), token.lower_)):
                for entry in self._by_first.get(key, ()):
                    if i < covered.get(entry.event_type, 0):
                        continue
                    match = self._match(doc, i, entry, index)
                    if match is not None:
                        found.append(match)
                        covered[entry.event_type] = match.last
        usual = {lemma for (lemma, event), n in votes.items() if not event and n > votes[lemma, True]}
        if usual:
            found = self._one_sense(doc, found, usual)
        return self._drop_nested(doc, found)

    def _one_sense(self, doc: Doc, found: list[TriggerMatch], usual: set[str]) -> list[TriggerMatch]:
        """A noun whose no-event sense is the article's usual one is no event where nothing near it says
        otherwise: "the strike spread to three more plants" in a report on a walkout."""
        return [
            m
            for m in found
            if not (
                (head := doc[m.head]).lemma_.lower() in usual and head.pos_ == "NOUN" and not self._near_event(head)
            )
        ]

    def _match(self, doc: Doc, i: int, entry: _Entry, index: MentionIndex) -> TriggerMatch | None:
        n = len(entry.words)
        last = i + n
        if n > 1 and not (last <= len(doc) and all(_word(doc[i + k], w) for k, w in enumerate(entry.words[1:], 1))):
            if n != 2 or not any(_word(c, entry.words[1]) for c in _dependents(doc[i])):
                return None
            last = i + 1
        elif n > 1 and doc[last - 1].dep_ == "prep":
            last -= 1  # "gains in Khalidiya": the preposition only selects the entry
        head = doc[i:last].root
        if entry.pos and head.pos_ not in entry.pos:
            return None
        if n == 1 and head.dep_ in _MODIFIER_DEPS and head.pos_ != "VERB" and head.head.pos_ in ("NOUN", "PROPN"):
            return None
        if entry.place_object and not any(self._is_place(o, index) for o in _objects(head)):
            return None
        if self._out_of_context(head):
            return None
        for k in range(i, last):
            mention = index.at(k)
            if mention is not None and mention.source != "nominal":
                return None  # inside a name: "Siege Watch"
        return TriggerMatch(entry.event_type, i, last, head.i, entry.attrs)

    def _out_of_context(self, head: Token) -> bool:
        """Whether `not_events` says the word is no event here ("workers went on strike")."""
        contexts = self._contexts(head)
        if not contexts:
            return False
        if (
            _in_sentence(head, contexts.get("near"))
            and not _in_sentence(head, contexts.get("unless_near"))
            and not _aimed(head, contexts.get("unless_prep"))
        ):
            return True  # "an indefinite strike over unpaid salaries", "members would strike"
        for child in head.children:
            dep = child.dep_
            if dep in ("amod", "compound", "nmod", "poss", "npadvmod") and _any_word(child, contexts.get("modifier")):
                return True
            if dep in ("nsubj", "nsubjpass") and _any_word(child, contexts.get("subject")):
                return True
            if dep in ("dobj", "attr") and _any_word(child, contexts.get("object")):
                return True
            if dep == "prep":  # "a blast of criticism", "a strike by teachers" (its subject)
                words = contexts.get(child.lower_, frozenset()) | (
                    contexts.get("subject", frozenset()) if child.lower_ == "by" else frozenset()
                )
                for target in child.children:
                    phrase = target.doc[target.left_edge.i : target.i + 1].text.lower()
                    if target.dep_ == "pobj" and (_any_word(target, words) or phrase.split(" ", 1)[-1] in words):
                        return True
        governor = head.head
        if governor.i != head.i:
            said = {governor.lemma_.lower(), governor.lower_, f"{governor.head.lemma_.lower()} {governor.lower_}"}
            if said & contexts.get("governor", frozenset()):
                return True
        return False

    def _contexts(self, head: Token) -> dict[str, frozenset[str]]:
        return self._not_events.get(head.lemma_.lower()) or self._not_events.get(head.lower_) or {}

    def _near_event(self, head: Token) -> bool:
        """Whether the sentence holds a cue of the event sense ("missile", "killed") for this word."""
        return _in_sentence(head, self._contexts(head).get("unless_near"))

    def _is_place(self, token: Token, index: MentionIndex) -> bool:
        mention = index.at(token.i)
        return (mention is not None and mention.is_place) or token.lemma_.lower() in self._place_nouns

    @staticmethod
    def _drop_nested(doc: Doc, found: list[TriggerMatch]) -> list[TriggerMatch]:
        """One event per phrase: "violation of a cease-fire" keeps "violation" only (same event type)."""
        heads = {(m.event_type, m.head) for m in found}
        kept = []
        for m in found:
            up = doc[m.head].head
            if up.dep_ == "prep" and up.head.i != m.head and (m.event_type, up.head.i) in heads:
                continue
            kept.append(m)
        return kept


def _any_word(token: Token, words: frozenset[str] | None) -> bool:
    return bool(words) and (token.lemma_.lower() in words or token.lower_ in words)  # type: ignore[operator]


def _expand(words: list[Any], classes: dict[str, list[str]]) -> frozenset[str]:
    """Lower-cased words, "@name" standing for the schema's word class `name` ("@abstract")."""
    found: set[str] = set()
    for word in (str(w).lower() for w in words):
        found.update(classes.get(word[1:], ()) if word.startswith("@") else (word,))
    return frozenset(found)


def _in_sentence(token: Token, words: frozenset[str] | None) -> bool:
    """Whether another word of the token's sentence is one of `words`: a lemma, a word, or words spaCy splits
    ("24-hour", "picket line")."""
    if not words:
        return False
    doc = token.doc
    sentence = token.sent if doc.has_annotation("SENT_START") else doc[:]
    for other in sentence:
        if other.i != token.i and (other.lemma_.lower() in words or other.lower_ in words):
            return True
    text = sentence.text.lower()
    return any(("-" in w or " " in w) and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in words)


def _aimed(head: Token, prepositions: frozenset[str] | None) -> bool:
    """Whether the word is aimed at something by one of `prepositions` ("a strike on the convoy"), not at a
    time ("a strike on Monday")."""
    return bool(prepositions) and any(
        child.dep_ == "prep"
        and child.lower_ in prepositions  # type: ignore[operator]
        and any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in child.children)
        for child in head.children
    )


def _dependents(verb: Token) -> list[Token]:
    """Words that complete a two-word entry: "took full control", "drove insurgents from" (on the object)."""
    near = [c for c in verb.children if c.dep_ in _LINK_DEPS]
    return near + [g for c in near if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"]


def _objects(verb: Token) -> list[Token]:
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return objects + [c for o in objects for c in o.conjuncts]
