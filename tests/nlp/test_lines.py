"""Sentences at line breaks: hard-wrapped text runs on, headlines and captions stand alone.

The texts are written for these tests in the style of wire reports.
"""

from __future__ import annotations

from annotator.nlp.preannotate import AnnotationInput, Preannotator
from annotator.nlp.segment import Segmenter
from annotator.nlp.spacy_loader import LoadedPipeline

WRAPPED = (
    "Jets Strike Douma Market\n"
    "Syrian government warplanes struck a market in the rebel-held town of Douma\n"
    "Sunday, killing at least 12 people, according to the Syrian Observatory for\n"
    "Human Rights. Rescue workers from the Syria Civil Defence said forces loyal\n"
    "to President\n"
    "Bashar al-Assad had also shelled the eastern suburbs of Damascus, where\n"
    "artillery pounded nearby villages throughout the afternoon, residents said.\n"
)


def _sentences(preannotator: Preannotator, text: str) -> list[str]:
    doc, _item = next(preannotator.parse([AnnotationInput(text)]))
    return [" ".join(s.text.split()) for s in doc.sents if s.text.strip()]


def test_hard_wrapped_lines_run_on_and_a_headline_stands_alone(nlp_preannotator: Preannotator) -> None:
    assert _sentences(nlp_preannotator, WRAPPED) == [
        "Jets Strike Douma Market",  # short in a wrapped text: a line of its own
        "Syrian government warplanes struck a market in the rebel-held town of Douma Sunday, killing at least "
        "12 people, according to the Syrian Observatory for Human Rights.",  # "Douma" / "Sunday": near the width
        "Rescue workers from the Syria Civil Defence said forces loyal to President Bashar al-Assad had also "
        "shelled the eastern suburbs of Damascus, where artillery pounded nearby villages throughout the "
        "afternoon, residents said.",  # "President" / "Bashar": a title, however short its line
    ]


def test_exports_split_wrapped_text_the_same_way(loaded: LoadedPipeline) -> None:
    segmentation = Segmenter(loaded=loaded).segment(WRAPPED)
    starts = [WRAPPED[s:e].split(maxsplit=1)[0] for s, e in segmentation.sentences]
    assert starts == ["Jets", "Syrian", "Rescue"]


def test_a_caption_line_leaves_the_next_sentence_whole(nlp_preannotator: Preannotator) -> None:
    text = "Rebels Seize Town\nPhoto: AP\nGovernment warplanes bombed the town on Monday, activists said."
    assert _sentences(nlp_preannotator, text) == [
        "Rebels Seize Town",
        "Photo: AP",
        "Government warplanes bombed the town on Monday, activists said.",  # not "Government" on its own
    ]


def test_unwrapped_paragraphs_keep_their_line_breaks(nlp_preannotator: Preannotator) -> None:
    # Long paragraph lines are no wrap: a short line without a full stop before one is a headline.
    text = (
        "Airstrikes Kill 20 Near Aleppo\n"
        "Government airstrikes on villages near Aleppo killed at least 20 people on Tuesday, a monitoring "
        "group said, as fighting for control of the city's eastern districts entered its third week.\n"
        "Government warplanes have bombed the city's eastern districts every day this month as fighting for "
        "control of Aleppo entered its third week and aid groups warned that food and fuel were scarce\n"
        "Witnesses Describe Chaos\n"
        "Residents said the strikes came without warning and that rescue teams struggled to reach the wounded "
        "because of continued shelling, and that several families were still missing on Wednesday.\n"
    )
    assert [s.split()[0] for s in _sentences(nlp_preannotator, text)] == [
        "Airstrikes",
        "Government",
        "Government",  # a standfirst without a full stop, as long as the paragraphs: no wrap
        "Witnesses",
        "Residents",
    ]


def test_a_list_of_headlines_is_no_wrapped_text(nlp_preannotator: Preannotator) -> None:
    text = (
        "Latest Stories\n"
        "Rebels Seize Town Near Hama\n"
        "UN Warns of Famine in Aleppo as Sieges Tighten Across Country\n"
        "Turkey Shells Kurdish Positions\n"
        "Talks in Geneva Stall Over Fate of Assad and Transition Plans\n"
        "Aid Convoy Reaches Madaya\n"
    )
    assert len(_sentences(nlp_preannotator, text)) == 6
