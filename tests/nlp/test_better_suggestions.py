"""Suggestions that are better without any gold: whole names, people as people, figures of speech, headlines.

Some texts are Voice of America news (VOA News byline, a work of the US government, public domain):
"Airstrikes Killed 43 in N. Syria, Activists Say" (voanews.com/content/1528719.html, October 2012) and
"Syria Accuses Israel of Rocket Attack Near Damascus" (voanews.com/articleprintview/1654769.html, May 2013).
"""

from __future__ import annotations

from annotator.nlp.preannotate import AnnotationInput, Preannotator

from .conftest import annotate_one

VOA_HEADLINE = (
    "Airstrikes Killed 43 in N. Syria, Activists Say\n\n"
    "Residents try to extinguish damaged buildings on fire after what activists said was shelling by forces loyal "
    "to Syria's President Bashar al-Assad in Erbeen, near Damascus, October 18, 2012.\n"
    "VOA News\n"
    "Syrian activists and medical officials say a series of government air strikes on rebel areas in the country's "
    "north has killed at least 43 people, including many children.\n"
    "Insurgents took control of the town, which lies on the road that links the city of\n"
    "Aleppo with the capital.\n"
)
VOA_ROCKETS = (
    "Syrian state-run media said Israeli rockets had struck a military research center on the outskirts of the "
    "capital. The blasts occurred a day after an Israeli official said his country had carried out an air strike."
)


def _sentences(preannotator: Preannotator, text: str) -> list[str]:
    doc, _item = next(preannotator.parse([AnnotationInput(text)]))
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def test_a_headline_line_is_not_glued_to_the_caption(nlp_preannotator: Preannotator) -> None:
    sentences = _sentences(nlp_preannotator, VOA_HEADLINE)
    assert sentences[0] == "Airstrikes Killed 43 in N. Syria, Activists Say"
    assert sentences[1].startswith("Residents try") and sentences[1].endswith("October 18, 2012.")
    assert "VOA News" in sentences and sentences[3].startswith("Syrian activists")
    # A line that runs on ("the city of" / "Aleppo") is one sentence, as in hard-wrapped text.
    assert any(s.startswith("Insurgents took control") and s.endswith("with the capital.") for s in sentences)
    suggestions = annotate_one(nlp_preannotator, VOA_HEADLINE)
    headline = next(e for e in suggestions.events if e.trigger_text == "Killed")
    by_id = {e.id: e for e in suggestions.entities}
    assert all(by_id[a.entity_id].end <= VOA_HEADLINE.index("\n") for a in headline.arguments if a.entity_id)


def test_a_gazetteer_name_never_cuts_a_longer_name_short(nlp_preannotator: Preannotator) -> None:
    found = {
        e.text: e
        for e in annotate_one(
            nlp_preannotator,
            "The Idlib Civil Defense said 26 people were killed. Students at Aleppo University protested, "
            "the Aleppo Media Center said. The Observatory counted 24 dead in Homs province.",
        ).entities
    }
    civil = found["Idlib Civil Defense"]  # not "Idlib" and "Civil Defense"
    assert civil.label == "ORG" and civil.normalized is not None and civil.normalized["name"] == "Syria Civil Defence"
    assert found["Aleppo University"].label == "ORG" and found["Aleppo University"].normalized is None
    assert found["Aleppo Media Center"].label == "ORG"
    assert "Aleppo" not in found and "Civil Defense" not in found
    assert found["Observatory"].normalized is not None  # the gazetteer's own name stays the gazetteer's


def test_person_names_are_not_organisations(nlp_preannotator: Preannotator) -> None:
    def labels(text: str) -> dict[str, str]:
        return {e.text: e.label for e in annotate_one(nlp_preannotator, text).entities}

    # The statistical model says ORG for both names.
    assert labels("Staffan de Mistura met opposition leaders in Geneva.")["Staffan de Mistura"] == "PER"
    assert labels("Fabius, the French foreign minister, said France would respond.")["Fabius"] == "PER"
    assert labels("Al Jazeera reported the attack.")["Al Jazeera"] == "ORG"
    assert labels("The Nusra Front claimed the attack.")["Nusra Front"] == "ORG"


def test_lexicon_words_that_are_no_event_here_are_not_suggested(nlp_preannotator: Preannotator) -> None:
    def triggers(text: str) -> list[str]:
        return [e.trigger_text for e in annotate_one(nlp_preannotator, text).events if e.type == "Conflict.Attack"]

    for text in (
        "Thousands of workers joined a general strike in Homs on Monday to demand higher wages.",
        "Bus drivers in Aleppo went on strike for a week.",
        "The governor faced a blast of criticism from lawmakers over the budget.",
        "Critics blasted the decision to close the border.",
        "The two sides struck a deal on Monday.",
    ):
        assert triggers(text) == [], text
    assert triggers("A bomb blast killed five people in Homs.") == ["blast"]
    assert triggers(VOA_ROCKETS) == ["struck", "blasts", "air strike"]


def test_a_title_before_an_organisation_makes_it_a_person(nlp_preannotator: Preannotator) -> None:
    from spacy.tokens import Span

    doc, item = next(nlp_preannotator.parse([AnnotationInput("Minister Hijab said the army would win.")]))
    doc.ents = [Span(doc, 1, 2, label="ORG")]  # as the model says for some names
    _doc, mentions = nlp_preannotator.analyse(doc, item)
    assert (mentions[0].label, item.text[mentions[0].start : mentions[0].end]) == ("PER", "Hijab")
    doc.ents = [Span(doc, 0, 2, label="ORG")]  # "Minister Hijab" with nothing before it stays as found
    _doc, mentions = nlp_preannotator.analyse(doc, item)
    assert (mentions[0].label, item.text[mentions[0].start : mentions[0].end]) == ("ORG", "Minister Hijab")
