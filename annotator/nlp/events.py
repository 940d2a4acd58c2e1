"""Event suggestion: triggers, arguments, attributes (modality, attribution, tense...), fatalities and dates."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from annotator.core.dto import EventDate, Fatalities
from annotator.core.schema import Schema
from annotator.nlp.arguments import ArgumentFinder, add_argument, frame_of
from annotator.nlp.mentions import Mention, MentionIndex
from annotator.nlp.triggers import TriggerLexicon, TriggerMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

    from annotator.nlp.learning.roles import ArgumentModel
    from annotator.nlp.learning.triggers import TriggerModel

_VERBS = frozenset({"VERB", "AUX"})
_CLAUSES = frozenset({"appos", "acl", "relcl"})
_CUE_DEPS = frozenset({"amod", "acl", "relcl"})
# Deaths are counted on the ACE Die event's victims; an attack in the same phrase carries the toll.
_DEATHS, _ATTACK = "Life.Die", "Conflict.Attack"


class TriggerFinder(Protocol):
    def match(self, doc: Doc, index: MentionIndex) -> list[TriggerMatch]: ...


class RoleFinder(Protocol):
    def find(self, doc: Doc, trigger: TriggerMatch, index: MentionIndex) -> list[tuple[str, Mention]]: ...


@dataclass(slots=True)
class DraftEvent:
    """An event before ids are given: arguments still point at mentions."""

    type: str
    start: int  # trigger, in code points
    end: int
    head: int  # the trigger's head token
    arguments: list[tuple[str, Mention]]
    attrs: dict[str, Any] = field(default_factory=dict)
    fatalities: Fatalities | None = None
    date: EventDate | None = None


def _phrases(words: Any, make_doc: Callable[[str], Doc]) -> list[tuple[str, ...]]:
    return [tuple(t.lower_ for t in make_doc(str(w))) for w in words or []]


def _hedged(doc: Doc, start: int, end: int, hedges: dict[str, list[tuple[str, ...]]]) -> bool:
    """Whether doc[start:end] holds a hedge phrase; `hedges` is indexed by first word."""
    for i in range(start, end):
        token = doc[i]
        for phrase in hedges.get(token.lower_, ()):
            n = len(phrase)
            if token.pos_ != "PROPN" and [t.lower_ for t in doc[i : i + n]] == list(phrase):  # "May 2015"
                return True
    return False


class EventSuggester:
    """Suggests events for a parsed doc whose mentions are known; every table comes from `schema.mappings`:

    `hedges` set modality Other, `attribution_verbs` / `attribution_preps` give the `attribution` text,
    `attribute_cues` read attributes from governing words ("talks broke down" -> outcome broke_down),
    `control_gainer` maps the agent's ACLED actor type, `shared_roles` lets events of one phrase share
    fillers ("airstrikes ... killed nine civilians": the attack gets the toll, the deaths the place).
    Learned `triggers` and `arguments` models (nlp/learning) take the lexicon's and the rules' decisions,
    using them as hints.
    """

    def __init__(
        self,
        schema: Schema,
        vocab: Vocab,
        make_doc: Callable[[str], Doc],
        *,
        triggers: TriggerModel | None = None,
        arguments: ArgumentModel | None = None,
    ) -> None:
        mappings: Mapping[str, Any] = schema.mappings
        self._schema = schema
        self.lexicon = TriggerLexicon(schema, vocab, make_doc)
        self.rules = ArgumentFinder(schema)
        self._triggers: TriggerFinder = triggers.finder(self.lexicon) if triggers is not None else self.lexicon
        self._arguments: RoleFinder = arguments.finder(self.rules, schema) if arguments is not None else self.rules
        self._hedges: dict[str, list[tuple[str, ...]]] = {}
        for phrase in _phrases(mappings.get("hedges"), make_doc):
            self._hedges.setdefault(phrase[0], []).append(phrase)
        self._attribution_verbs = frozenset(str(w).lower() for w in mappings.get("attribution_verbs") or [])
        self._attribution_preps = _phrases(mappings.get("attribution_preps"), make_doc)
        self._cues = {
            str(event_type): {
                str(attr): {str(value): _phrases(words, make_doc) for value, words in values.items()}
                for attr, values in attrs.items()
            }
            for event_type, attrs in (mappings.get("attribute_cues") or {}).items()
        }
        self._gainer = {str(k): str(v) for k, v in (mappings.get("control_gainer") or {}).items()}
        self._shared = {str(k): str(v) for k, v in (mappings.get("shared_roles") or {}).items()}

    def suggest(self, doc: Doc, index: MentionIndex) -> list[DraftEvent]:
        matches = self._triggers.match(doc, index)
        # Token.sent walks the sentences from the start each time: look them up once per doc instead.
        bounds = [s.start for s in doc.sents] + [len(doc)] if matches else []
        hedged: dict[int, bool] = {}
        events = []
        for match in matches:
            k = bisect_right(bounds, match.head) - 1
            if k not in hedged:
                hedged[k] = _hedged(doc, bounds[k], bounds[k + 1], self._hedges)
            last = doc[match.last - 1]
            event = DraftEvent(match.event_type, doc[match.first].idx, last.idx + len(last), match.head, [])
            event.arguments = self._arguments.find(doc, match, index)
            event.attrs = self._attributes(doc, match, event.arguments, hedged[k])
            events.append(event)
        self._link(doc, events)
        for event in events:
            event.fatalities = event.fatalities or _toll(doc, event)
            time = next((m for r, m in event.arguments if r == "Time" and m.normalized), None)
            if time is not None and time.normalized is not None:
                value, precision = time.normalized["value"], time.normalized["precision"]
                event.date = EventDate(value, precision, doc[time.first : time.last].text)
        return events

    def _attributes(
        self, doc: Doc, match: TriggerMatch, arguments: list[tuple[str, Mention]], hedged: bool
    ) -> dict[str, Any]:
        allowed = self._schema.attributes_for(match.event_type)
        head = doc[match.head]
        verb = head if head.pos_ in _VERBS else (head.head if head.dep_ in ("nsubj", "nsubjpass", "dobj") else None)
        attrs: dict[str, Any] = dict(match.attrs)
        negated = verb is not None and any(c.dep_ == "neg" for c in verb.children)
        attrs["polarity"] = "Negative" if negated or any(c.lower_ == "no" for c in head.children) else "Positive"
        if verb is not None and verb.pos_ in _VERBS:
            tense = _tense(verb)
            if tense:
                attrs["tense"] = tense
        if hedged:
            attrs["modality"] = "Other"
        for attr, values in self._cues.get(match.event_type, {}).items():
            value = next((v for v, cues in values.items() if _cued(head, cues)), None)
            if value is not None:
                attrs.setdefault(attr, value)
        agent = next((m for r, m in arguments if r in ("Agent", "Attacker")), None)
        if agent is not None and agent.attrs.get("actor_type") in self._gainer:
            attrs["control_gainer"] = self._gainer[agent.attrs["actor_type"]]
        attrs = {k: v for k, v in attrs.items() if v in allowed.get(k, ())}
        source = self._attribution(head)
        if source:
            attrs["attribution"] = source  # free text, so not among the schema's closed attributes
        return attrs

    def _attribution(self, head: Token) -> str | None:
        """Who reports the event: the subject of "said" above it, or "according to X" on the way up."""
        for word in [head, *head.ancestors]:
            sources = [word] if word is not head and word.lemma_.lower() in self._attribution_verbs else []
            sources += [
                c for c in word.children if c.dep_ == "parataxis" and c.lemma_.lower() in self._attribution_verbs
            ]
            for verb in sources:
                subjects = (c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON" and c.is_alpha)
                subject = next((c for c in subjects if head not in c.subtree), None)
                if subject is not None:
                    return _trimmed(subject)
            for child in word.children:
                if child.dep_ == "prep" and _starts(child, self._attribution_preps):
                    target = next((t for t in child.subtree if t.dep_ == "pobj"), None)
                    if target is not None:
                        return _trimmed(target)
        return None

    def _link(self, doc: Doc, events: list[DraftEvent]) -> None:
        """Events of one phrase share fillers through `shared_roles`, and an attack takes the deaths' toll."""
        by_head = {frame_of(doc[e.head]).i: e for e in events} | {e.head: e for e in events}
        for event in events:
            other = by_head.get(_governor(doc[event.head]))
            if other is None or other is event:
                continue
            for first, second in ((event, other), (other, event)):
                target = self._schema.event_types[second.type]
                for role, mention in first.arguments:
                    shared = self._shared.get(role)
                    if shared and not any(r == shared for r, _ in second.arguments):
                        add_argument(target, shared, mention, second.arguments)
            for attack, deaths in ((event, other), (other, event)):
                if attack.type == _ATTACK and deaths.type == _DEATHS and attack.fatalities is None:
                    attack.fatalities = _toll(doc, deaths)


def _governor(token: Token) -> int:
    """The nearest word above that can be another trigger: up through noun phrases, stopping at a verb."""
    word = token
    for _ in range(4):
        if word.head.i == word.i:
            break
        word = word.head
        if word.pos_ in _VERBS or word.pos_ == "NOUN":
            return word.i
    return -1


def _toll(doc: Doc, event: DraftEvent) -> Fatalities | None:
    """The deaths counted by a Die event's one counted victim: "at least nine civilians" -> low 9, at_least."""
    if event.type != _DEATHS:
        return None
    counted = [(m, m.count) for r, m in event.arguments if r == "Victim" and m.count is not None]
    if len(counted) != 1:
        return None
    victim, count = counted[0]
    return Fatalities(count.value, count.low, count.high, count.qualifier, doc[victim.first : victim.last].text)


def _tense(verb: Token) -> str | None:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"will", "shall", "'ll"}:
        return "Future"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and aux & {"has", "have", "had", "was", "were"}):
        return "Past"
    if verb.tag_ == "VBG" and aux & {"is", "are", "am"}:
        return "Present"
    return None


def _cued(head: Token, cues: list[tuple[str, ...]]) -> bool:
    """A cue word governs the trigger ("talks break down", "breakdown in talks") or modifies it."""
    words = [head.head] + ([head.head.head] if head.head.dep_ == "prep" else [])
    words += [c for c in head.children if c.dep_ in _CUE_DEPS]
    for word in words:
        for cue in cues:
            lemma = (word.lemma_.lower(), word.lower_)
            if cue[0] in lemma and (len(cue) == 1 or any(c.lower_ == cue[1] for c in word.children)):
                return True
    return False


def _starts(token: Token, phrases: list[tuple[str, ...]]) -> bool:
    doc, word = token.doc, token.lower_
    return any(p[0] == word and tuple(t.lower_ for t in doc[token.i : token.i + len(p)]) == p for p in phrases)


def _trimmed(token: Token) -> str:
    """A noun phrase without its appositions and clauses: "the Local Coordination Committees"."""
    drop: set[int] = set()
    for word in token.subtree:  # clauses anywhere; coordination only at the top ("search-and-rescue team")
        if word.dep_ in _CLAUSES or (word.head.i == token.i and word.dep_ in ("cc", "conj")):
            drop.update(t.i for t in word.subtree)
    first = last = token.i
    while first - 1 >= token.left_edge.i and first - 1 not in drop:
        first -= 1
    while last + 1 <= token.right_edge.i and last + 1 not in drop:
        last += 1
    doc = token.doc
    while doc[last].is_punct and last > token.i:
        last -= 1
    while doc[first].is_punct and first < token.i:
        first += 1
    return doc[first : last + 1].text
