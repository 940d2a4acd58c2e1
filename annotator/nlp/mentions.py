"""Entity mentions from a processed doc: schema labels, gazetteer values, counts and resolved dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.schema import Schema
from annotator.nlp.gazetteer import Gazetteer
from annotator.nlp.normalise import Count, CountReader, resolve_date
from annotator.nlp.persons import PersonNames

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Statistical names without a capital letter are noise ("n't" as GPE); numbers and dates are not names.
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
_MODIFIERS = frozenset({"amod", "compound", "nmod"})
_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN"})  # not "targeted hospitals", not "pushed back rebels"


@dataclass(slots=True)
class Mention:
    """A mention while it is being built; token indices let events find it from the parse."""

    start: int
    end: int
    label: str
    first: int  # first token
    last: int  # one past the last token
    root: int  # syntactic head token
    source: str  # ner, norp, name, nominal
    normalized: dict[str, Any] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    count: Count | None = None
    value_kind: str | None = None  # "date" or "number": the entity type's `normalise`

    @property
    def is_place(self) -> bool:
        return self.label in PLACE_LABELS and self.source != "norp"

    @property
    def is_site(self) -> bool:
        """A place below a country: where an event happens rather than who acts ("US airstrikes")."""
        if self.label == "LOC":
            return True
        value = self.normalized or {}
        return self.label == "GPE" and value.get("kind") == "place" and value.get("place_type") != "country"


class MentionReader:
    """Turns `doc.ents` (statistical model + gazetteer) into schema-labelled mentions.

    Nationality adjectives (NORP) become GPE, plural nationality nouns ("Russians") PER, and religions
    listed in `mappings.norp_not_nation` are dropped. A number that modifies a participant noun is taken
    into it: "at least nine civilians" is one PER mention with a count, as ACE and ACLED read it.
    """

    def __init__(self, schema: Schema, gazetteer: Gazetteer) -> None:
        mappings = schema.mappings
        labels = schema.entity_types
        self._labels = {str(k): str(v) for k, v in (mappings.get("ontonotes") or {}).items() if v in labels}
        self._not_nation = frozenset(str(w).lower() for w in mappings.get("norp_not_nation") or [])
        # The schema says which types carry a value: TIME a date, NUM a number.
        self._kinds = {name: t.normalise for name, t in labels.items() if t.normalise in ("date", "number")}
        self._gazetteer = gazetteer
        self._counts = CountReader(mappings)
        self._per = "PER" if "PER" in labels else None
        self._persons = PersonNames(mappings)

    def read(self, doc: Doc, published: str | None) -> list[Mention]:
        mentions: list[Mention] = []
        numbers: dict[int, Mention] = {}  # head token of a NUM mention -> that mention
        surnames = self._persons.surnames(doc)
        missed = self._persons.missed(doc, surnames) if surnames and self._per else []
        for ent in [*doc.ents, *missed]:
            if "\n" in ent.text or "\r" in ent.text:
                continue  # a name never crosses a line break; such spans glue a headline to a byline
            mention = self._mention(ent, published, surnames)
            if mention is None:
                continue
            if mention.value_kind == "number":
                numbers[mention.root] = mention
            mentions.append(mention)
        taken: set[int] = set()
        for mention in mentions:
            if mention.source == "nominal":
                self._extend(doc, mention, numbers, taken)
        mentions = [m for m in mentions if id(m) not in taken]
        mentions.sort(key=lambda m: (m.start, -m.end, m.label))
        return mentions

    def _mention(
        self, ent: Span, published: str | None, surnames: frozenset[str] | set[str] = frozenset()
    ) -> Mention | None:
        entry = self._gazetteer.get(ent.id_) if ent.id_ else None
        if entry is not None:
            if entry.nominal and not self._is_nominal(ent, entry.label):
                return None
            return self._make(ent, entry.label, "nominal" if entry.nominal else "name", entry.value, entry.attrs)
        label = self._labels.get(ent.label_)
        if label is None:
            return None
        if ent.label_ in _NAME_LABELS and not any(c.isupper() for c in ent.text):
            return None
        if ent.label_ == "NORP":
            if ent.text.lower() in self._not_nation:
                return None
            if ent.root.tag_ in ("NNS", "NNPS") and self._per:
                return self._make(ent, self._per, "ner")
            return self._make(ent, label, "norp")
        if ent[-1].text in _POSSESSIVE and len(ent) > 1:
            ent = ent[:-1]
        if ent.label_ in ("ORG", "GPE") and self._per and self._persons.is_person(ent, ent.label_, surnames):
            label = self._per
        mention = self._make(ent, label, "ner")
        mention.value_kind = self._kinds.get(label)
        if mention.value_kind == "date":
            resolved = resolve_date(ent.text, published)
            mention.normalized = resolved.as_dict() if resolved else None
        elif mention.value_kind == "number":
            mention.count = self._counts.read(ent.text)
            mention.normalized = mention.count.as_dict() if mention.count else None
        return mention

    @staticmethod
    def _make(
        span: Span,
        label: str,
        source: str,
        normalized: dict[str, Any] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> Mention:
        return Mention(
            span.start_char,
            span.end_char,
            label,
            span.start,
            span.end,
            span.root.i,
            source,
            dict(normalized) if normalized else None,
            dict(attrs or {}),
        )

    @staticmethod
    def _is_nominal(ent: Span, label: str) -> bool:
        """A participant noun: not an adjective ("military leader"), an actor noun modifying a noun ("rebel
        bastions") nor part of a hyphenated word ("opposition-held")."""
        doc = ent.doc
        before = doc[ent.start - 1] if ent.start > 0 else None
        after = doc[ent.end] if ent.end < len(doc) else None
        if after is not None and after.text == "-" and not ent[-1].whitespace_:
            return False
        if before is not None and before.text == "-" and not before.whitespace_:
            return False
        root = ent.root
        modifier = root.dep_ == "compound" and root.head.pos_ == "NOUN" and label in ("PER", "ORG")
        return root.pos_ not in ("ADJ", "VERB") and not modifier

    def _extend(self, doc: Doc, mention: Mention, numbers: dict[int, Mention], taken: set[int]) -> None:
        """Widen a participant noun over its bare modifiers and over a number that counts it."""
        first = mention.first
        while first > 0:
            token: Token = doc[first - 1]
            if token.head.i != mention.root or token.dep_ not in _MODIFIERS or token.pos_ not in _MODIFIER_POS:
                break
            if token.ent_type or (first > 1 and doc[first - 2].text == "-" and not doc[first - 2].whitespace_):
                break  # another mention, or the tail of a hyphenated word ("Turkish-backed", "high-level")
            first -= 1
        for child in doc[mention.root].children:
            number = numbers.get(child.i)
            if number is not None and number.first < first:
                first = number.first
                mention.count = number.count
                taken.add(id(number))
        if first != mention.first:
            mention.first, mention.start = first, doc[first].idx
        if mention.count is not None:
            mention.attrs["quantity"] = mention.count.as_dict()


class MentionIndex:
    """Which mention a token belongs to (the smallest, when mentions nest)."""

    def __init__(self, mentions: list[Mention], n_tokens: int) -> None:
        self.mentions = mentions
        self._at: list[Mention | None] = [None] * n_tokens
        for mention in sorted(mentions, key=lambda m: m.last - m.first, reverse=True):
            for i in range(mention.first, mention.last):
                self._at[i] = mention

    def at(self, i: int) -> Mention | None:
        return self._at[i]
