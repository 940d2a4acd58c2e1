"""Event arguments from the dependency parse: grammatical slots around a trigger, mapped to schema roles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from annotator.core.schema import EventType, Schema
from annotator.nlp.mentions import Mention, MentionIndex
from annotator.nlp.normalise import is_duration
from annotator.nlp.triggers import TriggerMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NOUNS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
_VERBS = frozenset({"VERB", "AUX"})
# How a noun trigger hangs from the verb whose adjuncts (place, time) also describe it.
_GOVERNED = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "acomp", "pobj"})
# A place or actor inside a noun phrase: "the city of Homs", "the city's al-Waer neighborhood".
_INNER = frozenset({"compound", "nmod", "poss", "appos"})
_INNER_PREPS = frozenset({"of", "in"})


class ArgumentFinder:
    """Fills roles from slots: `agent` (active subject, "by" phrase, possessor), `patient` (object,
    passive subject, "of" phrase of a noun), `time`, and one slot per preposition ("in", "near", ...).

    `mappings.argument_slots` maps each slot to the roles it may fill, tried in order (`default`, then
    per event type); a role takes a mention only if the schema allows its entity type and the role's
    cardinality is not reached. `mappings.support_verbs` lend their subject to a noun trigger
    ("the coalition carried out airstrikes").
    """

    def __init__(self, schema: Schema) -> None:
        mappings: Mapping[str, Any] = schema.mappings
        slots = mappings.get("argument_slots") or {}
        default = {str(k): [str(r) for r in v] for k, v in (slots.get("default") or {}).items()}
        self._roles: dict[str, dict[str, list[str]]] = {}
        for name, event_type in schema.event_types.items():
            table = default | {str(k): [str(r) for r in v] for k, v in (slots.get(name) or {}).items()}
            self._roles[name] = {s: [r for r in rs if event_type.role(r)] for s, rs in table.items()}
        self._preps = frozenset(s for table in self._roles.values() for s in table) - {"agent", "patient", "time"}
        self._support = frozenset(str(w).lower() for w in mappings.get("support_verbs") or [])
        self._impact = frozenset(str(w).lower() for w in mappings.get("impact_verbs") or [])
        self._undergoers = frozenset(str(w).lower() for w in mappings.get("patient_subject_lemmas") or [])
        self._schema = schema

    def find(self, doc: Doc, trigger: TriggerMatch, index: MentionIndex) -> list[tuple[str, Mention]]:
        event_type = self._schema.event_types[trigger.event_type]
        filled: list[tuple[str, Mention]] = []
        for slot, token in self._slots(doc, trigger):
            for mention in self._fillers(token, index):
                if mention.first < trigger.last and trigger.first < mention.last:
                    continue
                if mention.value_kind == "date":
                    if mention.normalized is None and is_duration(doc[mention.first : mention.last].text):
                        continue  # "two years" says how long, not when
                    slot = "time"
                elif slot in ("modifier", "patient") and mention.is_site:
                    self.assign(event_type, "in", mention, filled)  # "shelled al-Waer": where, more than whom
                if not any(m is mention for _, m in filled):
                    self.assign(event_type, slot, mention, filled)
        return filled

    def assign(self, event_type: EventType, slot: str, mention: Mention, filled: list[tuple[str, Mention]]) -> None:
        """Give `mention` the first role of `slot` that accepts it, if any."""
        for name in self._roles[event_type.name].get(slot, ()):
            if add_argument(event_type, name, mention, filled):
                return

    def _slots(self, doc: Doc, trigger: TriggerMatch) -> Iterator[tuple[str, Token]]:
        head = doc[trigger.head]
        inside = range(trigger.first, trigger.last)
        undergoer = head.lemma_.lower() in self._undergoers
        if head.pos_ in _VERBS:
            for slot, token in self._verb_slots(head, inside, own=True):
                yield ("patient" if undergoer and slot == "agent" else slot), token
            return
        frame = frame_of(head)
        for noun in dict.fromkeys((head, frame)):
            yield from self._noun_slots(noun, own=noun is head)
        verb = frame.head
        if frame.dep_ in _GOVERNED and verb.pos_ in _VERBS:
            lemma = verb.lemma_.lower()
            support = lemma in self._support and frame.dep_ in ("dobj", "nsubjpass", "acomp", "attr")
            impact = lemma in self._impact and frame.dep_ == "nsubj"
            lent = {"agent": support, "patient": impact}  # what the governing verb lends besides place and time
            for slot, token in self._verb_slots(verb, inside, own=impact):
                if slot == "agent" and undergoer and frame.dep_ == "acomp":
                    yield "patient", token  # "nine civilians are dead"
                elif lent.get(slot, True):
                    yield slot, token

    def _verb_slots(self, verb: Token, inside: range, own: bool) -> Iterator[tuple[str, Token]]:
        for child in verb.children:
            if child.i in inside:
                continue
            dep = child.dep_
            if dep == "nsubj" and child.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                yield "agent", verb.head  # "forces that took the city": the forces
            elif dep == "nsubj":
                fronted = child.left_edge.lower_ if child.left_edge.i != child.i else ""
                yield (fronted if fronted in self._preps else "agent"), child  # "Near Palmyra, strikes..."
            elif dep in ("dobj", "nsubjpass") and own:
                yield "patient", child
                for prep in child.children:  # often misattached: "drove insurgents from central Homs"
                    if prep.dep_ == "prep" and prep.lower_ != "of":
                        yield from self._prep_slots(prep)
            elif dep == "agent":
                yield from (("agent", g) for g in child.children if g.dep_ == "pobj")
            elif dep == "prep":
                yield from self._prep_slots(child)
            elif dep in ("npadvmod", "tmod", "dep"):
                yield self._bare_slot(child), child

    def _noun_slots(self, noun: Token, own: bool) -> Iterator[tuple[str, Token]]:
        for child in noun.children:
            dep = child.dep_
            if dep == "poss" or (dep in ("compound", "amod", "nmod") and own):
                anti = child.i >= 2 and child.doc[child.i - 1].text == "-" and child.doc[child.i - 2].lower_ == "anti"
                yield ("patient" if anti else "agent" if dep == "poss" else "modifier"), child
            elif dep == "prep" and child.lower_ == "of" and own:
                yield from (("patient", g) for g in child.children if g.dep_ == "pobj")
            elif dep == "prep":
                yield from self._prep_slots(child)
            elif dep in ("acl", "relcl"):  # "airstrikes, presumably carried out by Russia"
                for grand in child.children:
                    if grand.dep_ == "agent":
                        yield from (("agent", g) for g in grand.children if g.dep_ == "pobj")
                    elif grand.dep_ == "prep":
                        yield from self._prep_slots(grand)

    def _prep_slots(self, prep: Token) -> Iterator[tuple[str, Token]]:
        slot = "agent" if prep.lower_ == "by" else prep.lower_
        yield from ((slot, g) for g in prep.children if g.dep_ == "pobj")

    def _bare_slot(self, token: Token) -> str:
        """A phrase the parser left unattached ("Near Palmyra, nine strikes..."): the word before it decides."""
        before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
        for word in (token.left_edge.lower_, before.lower_ if before is not None else ""):
            if word in self._preps:
                return word
        return "time"  # only a TIME mention fits a bare noun phrase's slot

    @staticmethod
    def _fillers(token: Token, index: MentionIndex) -> list[Mention]:
        """The mentions a slot's head word stands for, with their conjuncts ("Russia or Syria")."""
        found: list[Mention] = []
        stack, seen = [token], set()
        while stack:
            word = stack.pop(0)
            if word.i in seen:
                continue
            seen.add(word.i)
            if index.at(word.i) is None:
                word = _inner(word, index) or word
            mention = index.at(word.i)
            if mention is not None and all(m is not mention for m in found):
                found.append(mention)
            stack += [c for c in word.children if c.dep_ in ("conj", "appos")]
        return found


def add_argument(event_type: EventType, name: str, mention: Mention, filled: list[tuple[str, Mention]]) -> bool:
    """Add `mention` in role `name` if the schema allows its type there and the role is not full."""
    role = event_type.role(name)
    if role is None or mention.label not in role.types or any(m is mention for _, m in filled):
        return False
    if role.max is not None and sum(r == name for r, _ in filled) >= role.max:
        return False
    filled.append((name, mention))
    return True


def frame_of(head: Token) -> Token:
    """The noun carrying a noun trigger's adjuncts: "a series of airstrikes on X" -> series."""
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ in _NOUNS:
        return head.head.head
    return head


def _inner(token: Token, index: MentionIndex, depth: int = 6) -> Token | None:
    """The first word of a mention inside a noun phrase whose head is none: "the Syrian city of Homs"."""
    queue = [(token, 0)]
    while queue:
        word, level = queue.pop(0)
        if level >= depth:
            continue
        for child in word.children:
            if child.dep_ in _INNER or (child.dep_ == "prep" and child.lower_ in _INNER_PREPS) or child.dep_ == "pobj":
                mention = index.at(child.i)
                if mention is not None and mention.source != "norp":
                    return child
                queue.append((child, level + 1))
    return None
