"""Entity pre-annotation: exact offsets, label mapping, gazetteer values, boilerplate, gazetteer-only mode."""

from __future__ import annotations

from collections.abc import Iterator

from annotator.core.dto import Origin, Status
from annotator.core.schema import Schema
from annotator.nlp.boilerplate import find_boilerplate
from annotator.nlp.preannotate import AnnotationInput, Preannotator, Suggestions, mask
from annotator.nlp.spacy_loader import LoadedPipeline

from .conftest import annotate_one


def _check_offsets(text: str, suggestions: Suggestions) -> None:
    ids = [e.id for e in suggestions.entities]
    assert ids == list(range(1, len(ids) + 1))
    for entity in suggestions.entities:
        assert text[entity.start : entity.end] == entity.text and entity.text.strip() == entity.text
        assert (entity.origin, entity.status) == (Origin.MODEL, Status.SUGGESTED)
    for event in suggestions.events:
        assert text[event.trigger_start : event.trigger_end] == event.trigger_text
        assert all(a.entity_id in ids for a in event.arguments)


def test_seed_offsets(seed_texts: dict[str, str], seed_suggestions: dict[str, Suggestions]) -> None:
    for key, text in seed_texts.items():
        _check_offsets(text, seed_suggestions[key])


def test_offsets_with_astral_characters_and_crlf(nlp_preannotator: Preannotator) -> None:
    text = (
        "Activists 🇸🇾 said nine civilians were killed in al-Waer 😢.\r\n"
        "\r\n"
        "The Syrian Observatory for Human Rights 𠜎 reported 12 deaths in Homs on Monday.\r\n"
    )
    suggestions = annotate_one(nlp_preannotator, text, published="2014-02-03")
    _check_offsets(text, suggestions)
    found = {e.text: e for e in suggestions.entities}
    assert found["al-Waer"].start == text.index("al-Waer")
    assert found["Syrian Observatory for Human Rights"].label == "ORG"
    assert found["Monday"].normalized == {"value": "2014-02-03", "precision": "day"}
    die = next(e for e in suggestions.events if e.type == "Life.Die")
    assert die.trigger_text == "killed" and die.trigger_start == text.index("killed")


def test_labels_from_the_schema(seed_suggestions: dict[str, Suggestions], schema: Schema) -> None:
    labels = {e.label for s in seed_suggestions.values() for e in s.entities}
    assert {"PER", "ORG", "GPE", "TIME", "NUM"} <= labels
    assert labels & {"LOC", "FAC"}
    assert labels <= set(schema.entity_types)


def test_ontonotes_mapping(nlp_preannotator: Preannotator) -> None:
    text = "Syrian and Russian jets struck Idlib on Monday, killing 26 people, the third such raid; Russians cheered."
    found = {e.text: e for e in annotate_one(nlp_preannotator, text, published="2017-01-04").entities}
    assert found["Syrian"].label == "GPE" and found["Russian"].label == "GPE"  # NORP adjectives
    assert found["Russians"].label == "PER"  # a plural nationality noun names people
    assert found["Monday"].label == "TIME" and found["Monday"].normalized == {"value": "2017-01-02", "precision": "day"}
    assert found["26 people"].label == "PER"
    assert found["26 people"].attrs["quantity"] == {"value": 26, "low": 26, "high": 26, "qualifier": "exact"}
    assert "third" not in found  # ORDINAL is not in the mapping


def test_numbers_and_religions(nlp_preannotator: Preannotator) -> None:
    text = "An estimated 75,000 are trapped in Homs, where Islamic militants hold 7 of 12 districts."
    found = {e.text: e for e in annotate_one(nlp_preannotator, text).entities}
    assert found["An estimated 75,000"].label == "NUM"
    assert found["An estimated 75,000"].normalized == {"value": 75000, "qualifier": "about"}
    assert "Islamic" not in found  # a religion, not a nation


def test_gazetteer_values_and_precedence(seed_suggestions: dict[str, Suggestions]) -> None:
    entities = [e for s in seed_suggestions.values() for e in s.entities]
    by_text: dict[str, set[str]] = {}
    for e in entities:
        by_text.setdefault(e.text, set()).add(e.label)
    for place in ("al-Waer", "Khalidiya", "Palmyra"):
        assert by_text[place] <= {"GPE", "LOC", "FAC"}, place  # the model said PERSON or NORP for some
    assert by_text["Syrian Observatory for Human Rights"] == {"ORG"}
    assert by_text["White Helmets"] == {"ORG"}
    waer = next(e for e in entities if e.text == "al-Waer")
    assert waer.normalized is not None and waer.normalized["acled_location"] == "Homs - Al Waer"
    assert waer.attrs["mention_type"] == "NAM"
    old_city = next(e for e in entities if e.text == "Homs’ Old City")
    assert old_city.normalized is not None and old_city.normalized["name"] == "Homs - Old City"


def test_seed_000_counts_and_dates(seed_suggestions: dict[str, Suggestions]) -> None:
    found = {e.text: e for e in seed_suggestions["000"].entities}
    assert found["at least nine civilians"].label == "PER"
    assert found["at least nine civilians"].attrs["quantity"] == {"value": 9, "low": 9, "qualifier": "at_least"}
    assert found["2013"].normalized == {"value": "2013", "precision": "year"}
    assert found["today"].normalized is None  # no publication date given for this seed


def test_seed_002_relative_dates_use_publication_date(seed_suggestions: dict[str, Suggestions]) -> None:
    times = {e.text: e.normalized for e in seed_suggestions["002"].entities if e.label == "TIME"}
    assert times["Tuesday 30 July 2013"] == {"value": "2013-07-30", "precision": "day"}
    assert times["Monday"] == {"value": "2013-07-29", "precision": "day"}
    assert times["early June"] == {"value": "2013-06", "precision": "month"}
    assert times["the past two years"] is None


def test_boilerplate_is_skipped(seed_texts: dict[str, str], seed_suggestions: dict[str, Suggestions]) -> None:
    for key, text in seed_texts.items():
        ranges = find_boilerplate(text)
        for entity in seed_suggestions[key].entities:
            assert not any(s < entity.end and entity.start < e for s, e in ranges), entity
    assert not any("\n" in e.text for s in seed_suggestions.values() for e in s.entities)


def test_mask_keeps_offsets() -> None:
    assert mask("ab\nShare\ncd", [(3, 8)]) == "ab\n.    \ncd"


def test_annotate_is_lazy_and_ordered(nlp_preannotator: Preannotator) -> None:
    consumed: list[int] = []

    def inputs() -> Iterator[AnnotationInput]:
        for n, place in enumerate(["Homs", "Palmyra", "Idlib", "Aleppo", "Raqqa"]):
            consumed.append(n)
            yield AnnotationInput(f"Airstrikes hit {place} today.")

    results = nlp_preannotator.annotate(inputs(), batch_size=2)
    assert consumed == []
    first = next(results)
    assert len(consumed) < 5  # one batch of two was read, not the whole input
    places = [next(e.text for e in s.entities if e.label == "GPE") for s in [first, *results]]
    assert places == ["Homs", "Palmyra", "Idlib", "Aleppo", "Raqqa"]


def test_shared_pipeline_is_not_modified(schema: Schema, loaded: LoadedPipeline) -> None:
    assert loaded.nlp is not None
    names = list(loaded.nlp.pipe_names)
    preannotator = Preannotator(schema, loaded=loaded)
    list(preannotator.annotate([AnnotationInput("Shelling in al-Waer, the Observatory said.")]))
    assert loaded.nlp.pipe_names == names
    assert not any(e.id_ for e in loaded.nlp("Shelling in al-Waer, the Observatory said.").ents)  # no gazetteer ids
    assert preannotator.model_name == loaded.name and preannotator.message == loaded.message


def test_gazetteer_only_without_a_pipeline(schema: Schema) -> None:
    preannotator = Preannotator(schema, loaded=LoadedPipeline(None, None, "no spaCy pipeline installed"))
    assert preannotator.model_name is None
    assert "no spaCy pipeline installed" in preannotator.message and "gazetteer" in preannotator.message
    text = "Nine civilians 🇸🇾 died in al-Waer,\r\nthe Syrian Observatory for Human Rights said on Monday."
    suggestions = annotate_one(preannotator, text, published="2014-02-03")
    _check_offsets(text, suggestions)
    assert [(e.text, e.label) for e in suggestions.entities] == [
        ("civilians", "PER"),
        ("al-Waer", "LOC"),
        ("Syrian Observatory for Human Rights", "ORG"),
    ]
    assert suggestions.events == ()


def test_events_can_be_switched_off(schema: Schema, loaded: LoadedPipeline) -> None:
    preannotator = Preannotator(schema, loaded=loaded, suggest_events=False)
    suggestions = annotate_one(preannotator, "Airstrikes killed nine civilians in Homs.")
    assert suggestions.events == () and suggestions.entities
