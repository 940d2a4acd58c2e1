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
    from spacy.tokens import Doc

log = logging.getLogger(__name__)
_RESERVED = frozenset({"label", "aliases", "cased"})


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
                entry_id = f"nominal:{path.stem}:{n}"
                entry = GazetteerEntry(entry_id, label, nominal=True, value=None, attrs={"mention_type": "NOM"} | extra)
            yield entry, aliases, cased


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
        for ruler in self._rulers:
            doc = ruler(doc)
        return doc

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> GazetteerEntry | None:
        return self.entries.get(entry_id)
