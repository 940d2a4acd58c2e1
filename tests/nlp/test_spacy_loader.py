"""What the status bar and the CLI say about the pipeline: the pinned copy is the default, a missing choice is named."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

from annotator.nlp.spacy_loader import DEFAULT_MODEL, FALLBACK_MODEL, describe_available


@pytest.mark.skipif(find_spec(DEFAULT_MODEL) is not None, reason="en_core_web_sm itself is installed here")
def test_the_pinned_copy_is_announced_as_the_default_pipeline() -> None:
    assert describe_available() == f"spaCy pipeline {DEFAULT_MODEL} (from {FALLBACK_MODEL})"
    assert describe_available(None) == describe_available()


def test_a_pipeline_asked_for_by_name_and_missing_is_named() -> None:
    assert describe_available("xx_no_such_pipeline") == (
        f"spaCy pipeline {FALLBACK_MODEL} (xx_no_such_pipeline not installed)"
    )
