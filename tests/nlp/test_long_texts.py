"""Texts longer than spaCy reads at once are pre-annotated in pieces with exact offsets (issue 8)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from spacy.language import Language

from annotator.nlp import preannotate
from annotator.nlp.pieces import clip, split_text
from annotator.nlp.preannotate import AnnotationInput, Preannotator
from annotator.nlp.segment import Segmenter
from annotator.nlp.spacy_loader import LoadedPipeline
from annotator.services.importer import import_paths
from annotator.store.database import Database

ARTICLE = (
    "Russian and Syrian government warplanes carried out airstrikes on the al-Waer district of Homs today, "
    "killing at least nine civilians, local activists said.\n"
    "The Syrian Observatory for Human Rights said 9 civilians were killed in al-Waer.\n"
)


def _spans(suggestions: preannotate.Suggestions, text: str) -> list[tuple[str, str]]:
    for e in suggestions.entities:
        assert text[e.start : e.end] == e.text  # every offset points at its own text
    return [(e.label, e.text) for e in suggestions.entities]


def test_pieces_give_the_same_suggestions_as_the_whole(
    nlp_preannotator: Preannotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ARTICLE * 6
    whole = next(nlp_preannotator.annotate([AnnotationInput(text)]))
    monkeypatch.setattr(preannotate, "PIECE", len(ARTICLE) + 10)  # pieces cut at the article's line ends
    pieced = next(nlp_preannotator.annotate([AnnotationInput(text)]))
    assert _spans(pieced, text) == _spans(whole, text)
    assert [(ev.type, ev.trigger_start) for ev in pieced.events] == [(ev.type, ev.trigger_start) for ev in whole.events]
    by_id = {e.id: e for e in pieced.entities}
    assert len(by_id) == len(pieced.entities)  # ids renumbered, unique across pieces
    for ev in pieced.events:
        assert text[ev.trigger_start : ev.trigger_end] == ev.trigger_text
        for arg in ev.arguments:
            assert arg.entity_id in by_id


def test_a_text_over_spacys_max_length_imports_with_suggestions(
    db: Database, tmp_path: Path, preannotator: Preannotator
) -> None:
    long_text = ARTICLE + " " * 1_000_000 + "\n" + ARTICLE  # over spaCy's 1,000,000 characters
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "in" / "short.txt").write_text("Jets struck Idlib on Monday, the White Helmets said.\n", "utf-8")
    result = import_paths(db, [tmp_path / "in"], annotator="alice", preannotator=preannotator)
    assert len(result.added) == 2 and not result.problems
    from annotator.services import records

    with db.reader() as session:
        model = records.annotator_id(session, "model")
        long_id = next(i for i in result.added if len(session.get_one(records.m.Document, i).text) > 1_000_000)
        entities = records.layer_entities(session, long_id, model)
    tail = len(long_text) - len(ARTICLE)
    assert any(e.start >= tail and e.text == "al-Waer" for e in entities)  # the second copy, at its true offset
    assert all(long_text[e.start : e.end] == e.text for e in entities)


def test_one_text_the_pipeline_fails_on_does_not_stop_the_others(db: Database, tmp_path: Path, schema) -> None:  # type: ignore[no-untyped-def]
    """A pipeline component that fails on one text: that document imports without suggestions, named."""
    import spacy
    from spacy.language import Language

    from annotator.nlp.spacy_loader import LoadedPipeline

    if "fails_on_poison" not in Language.factories:

        @Language.component("fails_on_poison")
        def fails_on_poison(doc):  # type: ignore[no-untyped-def]
            if "POISON" in doc.text:
                raise ValueError("cannot read this text")
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("fails_on_poison")
    failing = Preannotator(schema, loaded=LoadedPipeline(nlp, "blank+fails", "test pipeline"))
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in [("a", "Jets struck Homs."), ("b", "POISON in Idlib."), ("c", "Shelling in Palmyra.")]:
        (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    result = import_paths(db, [folder], annotator="alice", preannotator=failing, batch_size=8)
    assert len(result.added) == 3
    [problem] = result.problems
    assert problem.path.endswith("b.txt") and "without suggestions" in problem.message
    assert result.entities >= 2  # Homs and Palmyra from the gazetteer


@contextmanager
def max_length(nlp: Language, limit: int) -> Iterator[None]:
    saved = nlp.max_length
    nlp.max_length = limit
    try:
        yield
    finally:
        nlp.max_length = saved


def test_split_text_cuts_at_paragraphs_and_covers_everything() -> None:
    text = "First paragraph here.\n\nSecond one, longer than the first.\n\nThird.\nLast line without end"
    pieces = split_text(text, 40)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))  # no gap, no overlap
    assert all(0 < end - start <= 40 for start, end in pieces)
    assert text[pieces[0][0] : pieces[0][1]] == "First paragraph here.\n\n"
    assert split_text("x" * 95, 40) == [(0, 40), (40, 80), (80, 95)]  # no place to cut: hard cuts
    assert split_text("", 40) == [(0, 0)]
    assert clip(((0, 5), (10, 30), (45, 50)), 20, 46) == ((0, 10), (25, 26))


def test_a_long_text_is_segmented_in_pieces_for_token_based_exports(
    loaded: LoadedPipeline, seed_texts: dict[str, str]
) -> None:
    """TextEE and CoNLL exports segment the text: a text over the pipeline's max_length must not fail there."""
    text = "\n\n".join(seed_texts.values())
    segmenter = Segmenter(loaded=loaded)
    assert loaded.nlp is not None
    whole = segmenter.segment(text)
    with max_length(loaded.nlp, 3000):
        pieces = segmenter.segment(text)
    assert pieces.tokens == whole.tokens  # the pieces end at paragraph ends, where sentences end anyway
    assert all(text[s:e].strip() for s, e in pieces.sentences)
    assert [s for s, _ in pieces.sentences] == sorted({s for s, _ in pieces.sentences})


def test_export_sentences_end_at_a_headline_as_pre_annotation_does(loaded: LoadedPipeline) -> None:
    """TextEE windows and CoNLL sentences: a headline without a full stop is not glued to the next line."""
    text = "Army takes Homs district\nSyrian troops drove insurgents from Khalidiya on Monday.\n"
    sentences = Segmenter(loaded=loaded).segment(text).sentences
    assert [text[s:e].strip() for s, e in sentences] == [
        "Army takes Homs district",
        "Syrian troops drove insurgents from Khalidiya on Monday.",
    ]
