"""The domain gazetteer: named places and actors, and participant nouns, matched by spaCy EntityRulers."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from annotator.core.errors import UserError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)
_RESERVED = frozenset({"label", "aliases", "cased"})
NOMINAL_PREFIX = "nominal:"  # the ids of participant-noun entries


class GazetteerError(UserError):
    """A gazetteer file is not valid YAML or an entry lacks what it needs."""


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One name or one group of participant nouns: the label and what a matching mention carries."""

    id: str
    label: str
    nominal: bool
    value: dict[str, Any] | None  # the canonical record (names only), stored as the mention's normalised value
    attrs: dict[str, Any] = field(default_factory=dict)  # mention attributes: mention_type, actor_type


def _variants(alias: str) -> Iterator[str]:
    """The alias as written, and with a curly apostrophe, since news text uses both."""
    yield alias
    if "'" in alias:
        yield alias.replace("'", "\u2019")


def _entries(path: Path, labels: Collection[str]) -> Iterator[tuple[GazetteerEntry, list[str], list[str]]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read gazetteer: {exc}", path=path) from exc
    if not isinstance(data, dict):
        raise GazetteerError("expected a mapping with `names` and/or `nominals`", path=path)
    for section in ("names", "nominals"):
        for n, raw in enumerate(data.get(section) or []):
            where = f"{section}[{n}]"
            if not isinstance(raw, dict) or "label" not in raw:
                raise GazetteerError(f"{where}: an entry needs a label", path=path)
            aliases = [str(a) for a in raw.get("aliases") or []]
            cased = [str(a) for a in raw.get("cased") or []]
            if not aliases and not cased:
                raise GazetteerError(f"{where}: an entry needs aliases or cased names", path=path)
            label = str(raw["label"])
            if label not in labels:
                log.warning("%s, %s: label %s is not in the schema; entry skipped", path, where, label)
                continue
            extra = {str(k): v for k, v in raw.items() if k not in _RESERVED}
            if section == "names":
                if "id" not in raw or "name" not in raw:
                    raise GazetteerError(f"{where}: a name needs an id and a name", path=path)
                entry_id = str(raw["id"])
                attrs = {"mention_type": "NAM"} | ({"actor_type": raw["actor_type"]} if "actor_type" in raw else {})
                entry = GazetteerEntry(entry_id, label, nominal=False, value=extra, attrs=attrs)
            else:
                entry_id = f"{NOMINAL_PREFIX}{path.stem}:{n}"
                entry = GazetteerEntry(entry_id, label, nominal=True, value=None, attrs={"mention_type": "NOM"} | extra)
            yield entry, aliases, cased


#: Statistical labels whose spans a gazetteer name inside must not cut short ("Aleppo University").
_LONGER = frozenset({"ORG", "FAC", "GPE", "LOC"})
_DETERMINERS = frozenset({"the", "a", "an"})
_JOINERS = frozenset({",", ";", "&", "/"})  # between two names: a list of them, not one name


def _keep_longer_names(doc: Doc, found: list[Span]) -> Doc:
    """Give back the model's longer names that gazetteer names cut short: "The Idlib Civil Defense" is one
    organisation, not "Idlib" and "Civil Defense"; "Aleppo University" is no place.

    A model name is kept (without a leading "the") when gazetteer names lie inside it but none is the whole of
    it and none reaches outside it. If a gazetteer name holds the name's head word, that entry's label and
    record go with the longer name (a branch of the same body); otherwise the model's label does. Names across
    a line break, and person names, are left to the gazetteer: those spans glue a headline to a byline or a
    name to its organisation.
    """
    from spacy.tokens import Span

    ents = list(doc.ents)
    kept: list[tuple[Span, str]] = []
    for name in found:
        if name.label_ not in _LONGER or "\n" in name.text:
            continue
        start = name.start + 1 if name[0].lower_ in _DETERMINERS and len(name) > 1 else name.start
        inside = [e for e in ents if start <= e.start and e.end <= name.end and e.id_]
        if not inside or (len(inside) == 1 and (inside[0].start, inside[0].end) == (start, name.end)):
            continue  # no name inside, or "the Observatory": the gazetteer's own name is the whole of it
        if any(e.start < name.end and name.start < e.end and e not in inside for e in ents):
            continue  # a name reaching outside: the model's span is glued to it
        between = doc[min(e.end for e in inside) : max(e.start for e in inside)]
        if _function_word(name[-1]) or any(t.pos_ == "CCONJ" or t.text in _JOINERS for t in between):
            continue  # "Syrian Observatory for Human Rights and": a span ending in "and", or names joined by it
        root = doc[start : name.end].root
        head = next((e for e in inside if e.start <= root.i < e.end), None)
        longer = Span(doc, start, name.end, label=head.label_ if head else name.label_)
        ents = [e for e in ents if e not in inside] + [longer]
        kept.append((longer, head.id_ if head else ""))
    if kept:
        doc.ents = sorted(ents, key=lambda e: e.start)
        for span, entry in kept:  # the token ids outlive the spans: set them to the entry, or none
            for token in span:
                token.ent_id_ = entry
    return doc


def _join_capitalised_names(doc: Doc) -> Doc:
    """Give an organisation name the model cut at a capitalised function word its first words back:
    "Engineers Without Borders" is one organisation, not the participant noun "Engineers" and "Borders"."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    ents = list(doc.ents)
    changed = False
    for n, ent in enumerate(ents):
        if ent.label_ != "ORG" or ent.id_:
            continue
        first, joined = ent.start, False
        while first > 0 and not doc[first].is_sent_start and _free_capitalised(doc[first - 1]):
            first -= 1
            joined = joined or doc[first].is_stop
        while first < ent.start and doc[first].is_stop:
            first += 1  # "The": not part of the name
        if joined and first < ent.start:
            ents[n] = Span(doc, first, ent.end, label="ORG")
            changed = True
    if changed:
        doc.ents = sorted(filter_spans(ents), key=lambda e: e.start)
    return doc


def _free_capitalised(token: Any) -> bool:
    """A capitalised word that no gazetteer name claims (a participant noun may be part of a longer name)."""
    return token.is_title and token.is_alpha and (not token.ent_id_ or token.ent_id_.startswith(NOMINAL_PREFIX))


def _function_word(token: Any) -> bool:
    """A word no name ends with: "and", "of", "the", a comma."""
    return token.pos_ in ("CCONJ", "SCONJ", "ADP", "DET", "PRON", "PUNCT") or token.lower_ in _DETERMINERS


class Gazetteer:
    """Every *.yaml file of a directory, compiled once into two EntityRulers.

    Names overwrite what the statistical model found where they overlap; participant nouns only fill
    gaps. The rulers are standalone: they are called on docs after the pipeline, so a pipeline passed in
    by someone else is never modified. Aliases match case-insensitively as phrases; `cased` names match
    token by token with exact case ("IS", "Observatory").
    """

    def __init__(self, nlp: Language, directory: Path, labels: Collection[str]) -> None:
        import spacy
        from spacy.pipeline import EntityRuler

        # Phrase patterns are built by running the ruler's nlp; a blank one sharing the vocab and the
        # tokenizer only tokenizes, so the patterns split exactly like the texts ("al-Waer" = al - Waer).
        tokenizing = spacy.blank("en", vocab=nlp.vocab)
        tokenizing.tokenizer = nlp.tokenizer
        self.entries: dict[str, GazetteerEntry] = {}
        patterns: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
        files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
        if not files:
            log.warning("no gazetteer files in %s", directory)
        for path in files:
            for entry, aliases, cased in _entries(path, labels):
                if entry.id in self.entries:
                    raise GazetteerError(f"duplicate id {entry.id!r}", path=path)
                self.entries[entry.id] = entry
                for alias in aliases:
                    patterns[entry.nominal] += [
                        {"label": entry.label, "pattern": v, "id": entry.id} for v in _variants(alias)
                    ]
                for alias in cased:
                    patterns[entry.nominal] += [
                        {
                            "label": entry.label,
                            "pattern": [{"ORTH": t.text} for t in tokenizing.make_doc(v)],
                            "id": entry.id,
                        }
                        for v in _variants(alias)
                    ]
        self._rulers = []
        for nominal in (False, True):
            ruler = EntityRuler(
                tokenizing,
                name="nominals" if nominal else "names",
                phrase_matcher_attr="LOWER",
                overwrite_ents=not nominal,
            )
            if patterns[nominal]:
                ruler.add_patterns(patterns[nominal])
                self._rulers.append(ruler)

    def __call__(self, doc: Doc) -> Doc:
        found = list(doc.ents)  # the statistical model's, before the names overwrite them
        for ruler in self._rulers:
            doc = ruler(doc)
        return _join_capitalised_names(_keep_longer_names(doc, found)) if found else doc

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> GazetteerEntry | None:
        return self.entries.get(entry_id)
