"""Match counts between two layers, checked against values worked out by hand."""

from __future__ import annotations

import pytest

from annotator.core.dto import Argument, DocumentRecord, Entity, Event, Fatalities
from annotator.services.agreement import (
    FatalityAgreement,
    Score,
    add_scores,
    entity_scores,
    event_scores,
    fatality_agreement,
    keyed_score,
)

TEXT = "Russian jets bombed al-Waer in Homs on Tuesday, killing nine civilians."


def _span(i: int, word: str, label: str, occurrence: int = 0) -> Entity:
    start = TEXT.index(word)
    for _ in range(occurrence):
        start = TEXT.index(word, start + 1)
    return Entity(i, start, start + len(word), label, word)


def test_score_precision_recall_f1() -> None:
    s = Score(matched=2, first=4, second=3)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(4 / 7)
    assert Score().f1 == 1.0  # two empty layers agree
    assert Score(0, 2, 0).f1 == 0.0
    assert (s + Score(1, 1, 2)) == Score(3, 5, 5)
    assert add_scores({"A": Score(1, 1, 1)}, {"A": Score(0, 1, 0), "B": Score(1, 2, 3)}) == {
        "A": Score(1, 2, 1),
        "B": Score(1, 2, 3),
    }


def test_keyed_score_counts_duplicates_once_each() -> None:
    assert keyed_score(["x", "x", "y"], ["x", "z"]) == Score(1, 3, 2)
    assert keyed_score(["x", "x"], ["x", "x"]) == Score(2, 2, 2)


def test_entity_exact_and_overlap() -> None:
    a = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            _span(1, "Russian jets", "VEH"),
            _span(2, "al-Waer", "GPE"),
            _span(3, "Homs", "GPE"),
            _span(4, "nine civilians", "PER"),
        ),
    )
    b = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=(
            _span(1, "jets", "VEH"),  # overlaps "Russian jets"
            _span(2, "al-Waer", "GPE"),  # exact
            _span(3, "Homs", "LOC"),  # same span, other label: no match
            _span(4, "civilians", "PER"),  # overlaps
            _span(5, "Tuesday", "TIME"),  # only in b
        ),
    )
    scores = entity_scores(a, b)
    assert scores.exact == Score(1, 4, 5)
    assert scores.overlap == Score(3, 4, 5)
    assert scores.exact.f1 == pytest.approx(2 / 9)
    assert scores.overlap.f1 == pytest.approx(6 / 9)
    assert scores.exact_by_label["GPE"] == Score(1, 2, 1)
    assert scores.exact_by_label["LOC"] == Score(0, 0, 1)
    assert scores.overlap_by_label["PER"] == Score(1, 1, 1)
    assert scores.overlap_by_label["TIME"] == Score(0, 0, 1)


def test_overlap_matching_is_one_to_one() -> None:
    # one long span against two short ones inside it: only one pair may count
    a = DocumentRecord(doc_id="d", text=TEXT, entities=(_span(1, "al-Waer in Homs", "GPE"),))
    b = DocumentRecord(doc_id="d", text=TEXT, entities=(_span(1, "al-Waer", "GPE"), _span(2, "Homs", "GPE")))
    assert entity_scores(a, b).overlap == Score(1, 1, 2)
    assert entity_scores(b, a).overlap == Score(1, 2, 1)


def _attack(eid: int, etype: str, trigger: str, *args: tuple[str, int]) -> Event:
    start = TEXT.index(trigger)
    return Event(
        eid,
        etype,
        start,
        start + len(trigger),
        trigger,
        arguments=tuple(Argument(role, entity_id=entity) for role, entity in args),
    )


def test_event_scores_ace_style() -> None:
    ents = (
        _span(1, "Russian jets", "VEH"),
        _span(2, "al-Waer", "GPE"),
        _span(3, "nine civilians", "PER"),
    )
    a = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=ents,
        events=(
            _attack(1, "Attack", "bombed", ("Attacker", 1), ("Place", 2)),
            _attack(2, "Die", "killing", ("Victim", 3), ("Place", 2)),
        ),
    )
    b = DocumentRecord(
        doc_id="d",
        text=TEXT,
        entities=ents,
        events=(
            _attack(1, "Attack", "bombed", ("Instrument", 1), ("Place", 2), ("Target", 3)),  # Attacker→Instrument
            _attack(2, "Injure", "killing", ("Victim", 3)),  # same trigger, other type
        ),
    )
    scores = event_scores(a, b)
    assert scores.trigger_id == Score(2, 2, 2)
    assert scores.trigger_cls == Score(1, 2, 2)
    # arguments of a: Attack/jets, Attack/al-Waer, Die/civilians, Die/al-Waer (4);
    # of b: Attack/jets, Attack/al-Waer, Attack/civilians, Injure/civilians (4).
    # identified: Attack/jets, Attack/al-Waer (the Die ones sit under another type) = 2
    assert scores.arg_id == Score(2, 4, 4)
    # classified: only Attack/al-Waer/Place
    assert scores.arg_cls == Score(1, 4, 4)
    assert scores.trigger_cls_by_type == {
        "Attack": Score(1, 1, 1),
        "Die": Score(0, 1, 0),
        "Injure": Score(0, 0, 1),
    }
    assert scores.arg_cls_by_type["Attack"] == Score(1, 2, 3)


def test_nested_event_argument_compares_the_target_trigger() -> None:
    """Event ids differ between layers; a nested event filler is compared by its trigger offsets."""

    def layer(outer: int, inner: int, target: int | None = None) -> DocumentRecord:
        attack = _attack(outer, "Attack", "bombed")
        result = Event(
            outer,
            "Attack",
            attack.trigger_start,
            attack.trigger_end,
            "bombed",
            arguments=(Argument("Result", event_id=target or inner),),
        )
        return DocumentRecord(doc_id="d", text=TEXT, events=(result, _attack(inner, "Die", "killing")))

    assert event_scores(layer(1, 2), layer(5, 7)).arg_cls == Score(1, 1, 1)
    assert event_scores(layer(1, 2), layer(5, 7, target=5)).arg_cls == Score(0, 1, 1)  # points at itself


def test_touching_spans_do_not_overlap() -> None:
    a = DocumentRecord(doc_id="d", text=TEXT, entities=(Entity(1, 0, 7, "VEH", "Russian"),))
    b = DocumentRecord(doc_id="d", text=TEXT, entities=(Entity(1, 7, 12, "VEH", " jets"),))
    assert entity_scores(a, b).overlap == Score(0, 1, 1)
    assert entity_scores(b, a).overlap == Score(0, 1, 1)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (Fatalities(9, 9, None, "at_least"), Fatalities(12), FatalityAgreement(1, 0, 1)),  # no upper end
        (Fatalities(9, 9, None, "at_least"), Fatalities(5), FatalityAgreement(1, 0, 0)),
        (Fatalities(10, None, None, "about"), Fatalities(15), FatalityAgreement(1, 0, 0)),  # ends at its value
        (Fatalities(10, None, None, "about"), Fatalities(10), FatalityAgreement(1, 1, 1)),
        (Fatalities(10, 8, 12, "about"), Fatalities(12), FatalityAgreement(1, 0, 1)),
        (Fatalities(3), None, FatalityAgreement(1, 0, 0)),  # one toll alone counts, agreeing with nothing
    ],
)
def test_death_tolls_agree_within_range_when_their_ranges_meet(
    first: Fatalities, second: Fatalities | None, expected: FatalityAgreement
) -> None:
    def died(fatalities: Fatalities | None) -> Event:
        return Event(1, "Life.Die", 0, 4, "died", fatalities=fatalities)

    assert fatality_agreement([(died(first), died(second))]) == expected
    assert fatality_agreement([(died(second), died(first))]) == expected
