"""One learned suggester as stored in its version folder: the NER weights, the trigger and argument models."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import UserError
from annotator.nlp.learning.entities import NER_DIR, load_ner
from annotator.nlp.learning.roles import ArgumentModel
from annotator.nlp.learning.triggers import TriggerModel
from annotator.nlp.learning.versions import META
from annotator.nlp.spacy_loader import LoadedPipeline, load_spacy


@dataclass(frozen=True)
class LearnedModel:
    folder: Path
    meta: dict[str, Any]
    triggers: TriggerModel | None
    arguments: ArgumentModel | None

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def has_ner(self) -> bool:
        return (self.folder / NER_DIR).is_dir()

    @property
    def base(self) -> str | None:
        """The installed pipeline the NER was updated from."""
        value = self.meta.get("base_pipeline")
        return str(value) if value else None

    def pipeline(self, fallback: str | None) -> LoadedPipeline:
        """A fresh copy of the base pipeline carrying the learned NER."""
        loaded = load_spacy(self.base or fallback)
        if loaded.nlp is not None and "ner" in loaded.nlp.pipe_names:
            try:
                load_ner(loaded.nlp, self.folder)
            except (OSError, ValueError) as exc:
                raise UserError(f"cannot load the learned entity model: {exc}", path=self.folder / NER_DIR) from exc
        return loaded

    @classmethod
    def load(cls, folder: Path) -> LearnedModel:
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            return cls(folder, dict(meta), TriggerModel.load(folder), ArgumentModel.load(folder))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UserError(f"cannot load the learned suggester: {exc}", path=folder) from exc
