"""Event suggestion: the seed acceptance cases, then one sentence per rule."""

from __future__ import annotations

import pytest

from annotator.core.dto import Event, EventDate, Fatalities
from annotator.core.schema import Schema
from annotator.nlp.preannotate import Preannotator, Suggestions

from .conftest import annotate_one, fillers

PLACES = {"GPE", "LOC", "FAC"}


def _of_type(suggestions: Suggestions, event_type: str) -> list[Event]:
    return [e for e in suggestions.events if e.type == event_type]


def _texts(event: Event, suggestions: Suggestions, role: str) -> list[str]:
    return [e.text for e in fillers(event, suggestions.entities, role)]


def test_seed_000_airstrikes_on_homs(seed_suggestions: dict[str, Suggestions]) -> None:
    s = seed_suggestions["000"]
    attack = next(
        e
        for e in _of_type(s, "Conflict.Attack")
        if e.attrs.get("attack_mode") == "air_drone_strike" and set(_texts(e, s, "Place")) & {"al-Waer", "Homs"}
    )
    assert attack.fatalities == Fatalities(9, 9, None, "at_least", "at least nine civilians")
    assert attack.attrs["modality"] == "Other"  # "presumably carried out by"
    assert "activists" in attack.attrs["attribution"]
    assert _texts(attack, s, "Attacker") == ["Russia", "Syria"]
    die = next(e for e in _of_type(s, "Life.Die") if e.trigger_start > attack.trigger_start)
    assert _texts(die, s, "Victim") == ["at least nine civilians"]
    assert attack.date is None  # "today", but this seed has no publication date


def test_seed_001_offensive_in_the_old_city_after_talks_broke_down(seed_suggestions: dict[str, Suggestions]) -> None:
    s = seed_suggestions["001"]
    attacks = _of_type(s, "Conflict.Attack")
    assert any("Homs’ Old City" in _texts(e, s, "Place") for e in attacks)
    talks = _of_type(s, "X.Conflict.Agreement")
    assert talks and all(e.attrs.get("outcome") == "broke_down" for e in talks)
    assert any(set(_texts(e, s, "Participant")) == {"government", "rebels"} for e in talks)


def test_seed_002_army_takes_khalidiya(seed_suggestions: dict[str, Suggestions]) -> None:
    s = seed_suggestions["002"]
    control = _of_type(s, "X.Conflict.ChangeOfControl")
    assert any(t.startswith("Khalidiya") for e in control for t in _texts(e, s, "Place"))
    takes = next(e for e in control if e.trigger_text == "takes")
    assert _texts(takes, s, "Agent") == ["army"] and takes.attrs["control_gainer"] == "government"
    june = next(e for e in control if e.trigger_text == "captured")  # "In early June, regime forces captured..."
    assert june.date == EventDate("2013-06", "month", "early June")
    assert _texts(june, s, "Place")[:2] == ["Qusair", "Talkalakh"]
    drove = next(e for e in control if e.trigger_text == "drove")  # "drove insurgents from central Homs on Monday"
    assert _texts(drove, s, "Defeated") == ["insurgents"] and _texts(drove, s, "Place") == ["Homs"]
    assert drove.date == EventDate("2013-07-29", "day", "Monday")


def test_seed_003_strikes_near_palmyra_destroying_vehicles(seed_suggestions: dict[str, Suggestions]) -> None:
    s = seed_suggestions["003"]
    strikes = [
        e
        for e in _of_type(s, "Conflict.Attack")
        if e.attrs.get("attack_mode") == "air_drone_strike" and _texts(e, s, "Place") == ["Palmyra"]
    ]
    assert strikes
    destroyed = [e for e in _of_type(s, "X.Artifact.DamageDestroy") if _texts(e, s, "Place") == ["Palmyra"]]
    assert destroyed
    artifacts = fillers(destroyed[0], s.entities, "Artifact")
    assert "VEH" in {a.label for a in artifacts}
    assert "17 heavy equipment vehicles" in [a.text for a in artifacts]
    by_coalition = [e for e in strikes if _texts(e, s, "Attacker") == ["US-led coalition"]]
    assert by_coalition


def test_seed_events_obey_the_schema(seed_suggestions: dict[str, Suggestions], schema: Schema) -> None:
    for s in seed_suggestions.values():
        labels = {e.id: e.label for e in s.entities}
        for event in s.events:
            event_type = schema.event_types[event.type]
            for argument in event.arguments:
                role = event_type.role(argument.role)
                assert role is not None and labels[argument.entity_id or 0] in role.types, (event, argument)
            for role in event_type.roles:
                count = sum(a.role == role.name for a in event.arguments)
                assert role.max is None or count <= role.max
            allowed = schema.attributes_for(event.type)
            for attr, value in event.attrs.items():
                assert attr == "attribution" or value in allowed[attr], (event.type, attr, value)


def test_no_junk_triggers(seed_suggestions: dict[str, Suggestions]) -> None:
    triggers = [e.trigger_text.lower() for s in seed_suggestions.values() for e in s.events]
    assert "fire" not in triggers and "according" not in triggers
    assert "cease-fire" in triggers  # an agreement, not an attack
    cease_fire = [e for s in seed_suggestions.values() for e in s.events if e.trigger_text == "cease-fire"]
    assert {e.type for e in cease_fire} == {"X.Conflict.Agreement"}
    watch = seed_suggestions["000"]
    assert not any(e.trigger_text == "Siege" for e in watch.events)  # inside the name "Siege Watch"
    assert sum(len(s.events) for s in seed_suggestions.values()) < 120


@pytest.mark.parametrize(
    ("text", "event_type", "roles"),
    [
        ("The army took Khalidiya from the rebels.", "X.Conflict.ChangeOfControl",
         {"Agent": ["army"], "Place": ["Khalidiya"], "Defeated": ["rebels"]}),
        ("Nine civilians died in Homs on Monday.", "Life.Die", {"Victim": ["Nine civilians"], "Place": ["Homs"]}),
        ("Russian airstrikes hit a hospital in Idlib.", "Conflict.Attack",
         {"Attacker": ["Russian"], "Target": ["hospital"], "Place": ["Idlib"]}),
        ("The coalition carried out several strikes near Raqqa.", "Conflict.Attack",
         {"Attacker": ["The coalition"], "Place": ["Raqqa"]}),
    ],
)  # fmt: skip
def test_roles(nlp_preannotator: Preannotator, text: str, event_type: str, roles: dict[str, list[str]]) -> None:
    s = annotate_one(nlp_preannotator, text)
    event = next(e for e in s.events if e.type == event_type)
    assert {role: _texts(event, s, role) for role in roles} == roles


def test_toll_date_and_attribution(nlp_preannotator: Preannotator) -> None:
    text = "According to the Observatory, shelling killed 24 civilians in Idlib yesterday."
    s = annotate_one(nlp_preannotator, text, published="2017-01-04")
    die = _of_type(s, "Life.Die")[0]
    assert die.fatalities == Fatalities(24, 24, 24, "exact", "24 civilians")
    assert die.date == EventDate("2017-01-03", "day", "yesterday")
    assert die.attrs["attribution"] == "the Observatory"
    attack = _of_type(s, "Conflict.Attack")[0]
    assert attack.attrs["attack_mode"] == "shelling_artillery_missile"
    assert attack.fatalities == die.fatalities  # the attack takes the deaths it caused


def test_modality_polarity_tense(nlp_preannotator: Preannotator) -> None:
    hedged = annotate_one(nlp_preannotator, "Rebels reportedly shelled the village.")
    assert _of_type(hedged, "Conflict.Attack")[0].attrs["modality"] == "Other"
    negated = annotate_one(nlp_preannotator, "The army did not attack the town.")
    assert _of_type(negated, "Conflict.Attack")[0].attrs["polarity"] == "Negative"
    future = annotate_one(nlp_preannotator, "The army will storm the town.")
    control = _of_type(future, "X.Conflict.ChangeOfControl")[0]
    assert control.attrs["tense"] == "Future" and control.attrs["polarity"] == "Positive"
    assert "modality" not in control.attrs


def test_agreement_outcomes(nlp_preannotator: Preannotator) -> None:
    collapsed = annotate_one(nlp_preannotator, "The truce collapsed on Friday.")
    assert _of_type(collapsed, "X.Conflict.Agreement")[0].attrs["outcome"] == "broke_down"
    signed = annotate_one(nlp_preannotator, "Russia and Turkey signed a ceasefire.")
    agreement = _of_type(signed, "X.Conflict.Agreement")[0]
    assert agreement.attrs["outcome"] == "agreed"
    assert _texts(agreement, signed, "Participant") == ["Russia", "Turkey"]
    assert not _of_type(signed, "Conflict.Attack")


def test_take_needs_a_place(nlp_preannotator: Preannotator) -> None:
    assert not _of_type(annotate_one(nlp_preannotator, "The talks will take two days."), "X.Conflict.ChangeOfControl")
    assert _of_type(annotate_one(nlp_preannotator, "Rebels took the town."), "X.Conflict.ChangeOfControl")
