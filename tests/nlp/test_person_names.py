"""People the model calls organisations or places, and organisation names it cuts short or runs on.

The texts are written for these tests in the style of wire reports.
"""

from __future__ import annotations

from annotator.nlp.preannotate import AnnotationInput, Preannotator

from .conftest import annotate_one


def _found(preannotator: Preannotator, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in annotate_one(preannotator, text).entities]


def test_a_speaker_shaped_like_a_person_is_a_person(nlp_preannotator: Preannotator) -> None:
    # The model says ORG for "Lavrov" and "Zelenskyy" and GPE for "Erdogan" here.
    assert ("Lavrov", "PER") in _found(nlp_preannotator, "Lavrov said the talks had failed.")
    erdogan = _found(nlp_preannotator, "Erdogan said Turkey would act.")
    assert ("Erdogan", "PER") in erdogan and ("Turkey", "GPE") in erdogan
    both = _found(nlp_preannotator, "Lavrov told reporters that Zelenskyy was lying.")
    assert ("Lavrov", "PER") in both and ("Zelenskyy", "PER") in both


def test_one_decision_holds_for_the_whole_text(nlp_preannotator: Preannotator) -> None:
    # Only the first "Lavrov" speaks; the second is the model's ORG too and follows the first.
    text = "Lavrov said the talks had failed. Officials said Lavrov's visit to Ankara was cancelled."
    assert [t for t, label in _found(nlp_preannotator, text) if t == "Lavrov"] == ["Lavrov", "Lavrov"]
    assert all(label == "PER" for t, label in _found(nlp_preannotator, text) if t == "Lavrov")
    # The model names him in full once, calls him ORG once and misses him once.
    text = (
        "Ukrainian President Volodymyr Zelenskyy visited the front on Monday. Zelenskyy said the city was "
        "shelled overnight. Zelenskyy told reporters more air defence was needed."
    )
    people = [t for t, label in _found(nlp_preannotator, text) if label == "PER"]
    assert people == ["Volodymyr Zelenskyy", "Zelenskyy", "Zelenskyy"]


def test_bodies_and_capitals_that_speak_stay_what_they_are(nlp_preannotator: Preannotator) -> None:
    found = _found(
        nlp_preannotator,
        "Hamas said the attack was a response. Reuters reported the strike. Moscow said it would respond. "
        "The Pentagon said two soldiers died.",
    )
    for name, label in (("Hamas", "ORG"), ("Reuters", "ORG"), ("Moscow", "GPE"), ("Pentagon", "ORG")):
        assert (name, label) in found


def test_a_name_with_a_capitalised_function_word_is_one_organisation(nlp_preannotator: Preannotator) -> None:
    # The model finds only "Borders"; "Doctors" alone would be a participant noun (PER).
    found = _found(nlp_preannotator, "Doctors Without Borders said 12 patients were killed.")
    assert ("Doctors Without Borders", "ORG") in found and not any(t == "Doctors" for t, _ in found)
    found = _found(nlp_preannotator, "Medics from Engineers Without Borders said the bridge was hit.")
    assert ("Engineers Without Borders", "ORG") in found and ("Medics", "PER") in found
    # A capitalised word before a name with no function word between is a word of its own.
    from spacy.tokens import Span

    doc, item = next(nlp_preannotator.parse([AnnotationInput("Residents told Syrian Gazprom staff to leave.")]))
    doc.ents = [Span(doc, 3, 4, label="ORG")]  # "Gazprom" alone, set by hand
    _doc, mentions = nlp_preannotator.analyse(doc, item)
    assert [item.text[m.start : m.end] for m in mentions if m.label == "ORG"] == ["Gazprom"]


def test_a_model_span_ending_in_and_never_beats_a_gazetteer_name(nlp_preannotator: Preannotator) -> None:
    text = "The Syrian Observatory for Human Rights and Doctors Without Borders said the hospital was hit."
    entities = annotate_one(nlp_preannotator, text).entities  # the model: "The Syrian ... Human Rights and"
    names = {e.text: e for e in entities if e.label == "ORG"}
    assert set(names) == {"Syrian Observatory for Human Rights", "Doctors Without Borders"}
    assert names["Syrian Observatory for Human Rights"].normalized is not None


def test_a_model_span_swallowing_two_names_is_not_kept(nlp_preannotator: Preannotator) -> None:
    from spacy.tokens import Span

    text = "Syrian Observatory for Human Rights and Idlib Civil Defense teams counted the dead."

    def mentions(start: int, end: int) -> list[str]:
        doc, item = next(nlp_preannotator.parse([AnnotationInput(text)]))
        doc.ents = [Span(doc, start, end, label="ORG")]  # the model's span, set by hand
        return [text[m.start : m.end] for m in nlp_preannotator.analyse(doc, item)[1]]

    glued = mentions(0, 9)  # names joined by "and", as the model glues them
    assert "Syrian Observatory for Human Rights" in glued and "Civil Defense" in glued
    assert not any(" and " in t for t in glued)
    assert "Idlib Civil Defense" in mentions(6, 9)  # alone it is still one name
