"""Person names the statistical model calls organisations or places, or misses where it found them before."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from annotator.nlp.geocode import is_known_place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_TABLES = ("person_titles", "name_particles", "organisation_words", "surname_endings", "attribution_verbs")
_SHAPE_MAX = 3  # "Lavrov", "Sergey Lavrov", "Recep Tayyip Erdogan": longer speakers are bodies


class PersonNames:
    """Decides from the schema's tables whether a name the model labelled ORG or GPE is a person's.

    A person is recognised by a title before the name or in apposition ("envoy Staffan de Mistura",
    "Fabius, the foreign minister"), a name particle ("de", "bin"), the surname of a person the model named
    elsewhere in the text ("Volodymyr Zelenskyy ... Zelenskyy said"), or by speaking: the subject of an
    attribution verb ("said", "told") shaped like a person's name (one to three capitalised words, no "the"
    before it) whose last word ends like a surname ("-ov", "-enko") or, for a "place", which no country or
    city is called ("Erdogan said"). Never with an organisation word in it ("Front", "Council").
    """

    def __init__(self, mappings: Mapping[str, Any]) -> None:
        words = {k: frozenset(str(w).lower() for w in mappings.get(k) or []) for k in _TABLES}
        self._titles, self._particles, self._org_words, endings, self._speech = (words[k] for k in _TABLES)
        self._endings = tuple(sorted(endings))

    def is_person(self, ent: Span, label: str, surnames: Collection[str]) -> bool:
        """Whether a model name of (OntoNotes) `label` ORG or GPE is a person, given the text's `surnames`."""
        words = [t.lower_ for t in ent]
        if any(w in self._org_words for w in words):
            return False
        doc = ent.doc
        before = doc[ent.start - 1] if ent.start > 0 else None
        root = ent.root
        person = (
            (before is not None and before.lower_.rstrip(".") in self._titles)
            or any(c.dep_ == "appos" and c.lemma_.lower() in self._titles for c in root.children)
            or (root.dep_ == "appos" and root.head.lemma_.lower() in self._titles)
            or (len(words) > 2 and any(w in self._particles for w in words[1:-1]))
            or words[-1] in surnames
            or (label == "GPE" and words[-1].endswith(self._endings) and _name_word(ent[-1]))
            or (self._speaks(ent) and (label == "GPE" or words[-1].endswith(self._endings)))
        )
        # "Moscow said": a capital speaking for its government (looked up last: GeoNames loads on first use)
        return person and not (label == "GPE" and is_known_place(ent.text))

    def _speaks(self, ent: Span) -> bool:
        """The subject of "said" / "told", written like a name: capitalised words, not an acronym, no article."""
        root = ent.root
        if root.dep_ != "nsubj" or root.head.lemma_.lower() not in self._speech or len(ent) > _SHAPE_MAX:
            return False
        before = ent.doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and before.lower_ == "the":
            return False
        return all(_name_word(t) for t in ent if t.text not in ("-", "'s", "\u2019s"))

    def surnames(self, doc: Doc) -> set[str]:
        """The last words of the persons named in this text, lower case: those the model labelled PERSON, and
        the "organisations" and "places" these rules make persons, so one decision holds for the whole text."""
        found = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON" and _name_word(e[-1])}
        return found | {
            e[-1].lower_
            for e in doc.ents
            if e.label_ in ("ORG", "GPE") and not e.id_ and self.is_person(e, e.label_, found)
        }

    @staticmethod
    def missed(doc: Doc, surnames: Collection[str]) -> list[Span]:
        """Single words the model left unlabelled that are the surname of a person it named elsewhere
        ("Zelenskyy told reporters" after "President Volodymyr Zelenskyy"), unless a place is so called."""
        from spacy.tokens import Span

        return [
            Span(doc, t.i, t.i + 1, label="PERSON")
            for t in doc
            if not t.ent_type and t.lower_ in surnames and _name_word(t) and not is_known_place(t.text)
        ]


def _name_word(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and not text.isupper() and text.replace("-", "").replace("'", "").isalpha()
