"""Senses of lexicon words told by their context: labour strikes, figurative battles, killed bills, attacked plans.

The sentences are written for these tests in the style of news reports; the strikes and the figures of speech are
the kinds an audit of the suggestions found taken for attacks.
"""

from __future__ import annotations

import pytest

from annotator.core.schema import Schema
from annotator.nlp.preannotate import Preannotator

from .conftest import annotate_one

LABOUR = [
    "Teachers in Nairobi began a 24-hour strike on Monday to demand the pay rise they were promised.",
    "Doctors at public hospitals started an indefinite strike over unpaid salaries, the union said.",
    "The union said its members would strike if the company did not raise wages.",
    "A strike by 1,100 members of the NewsGuild shut down the newsroom for a day.",
    "Unions called a new day of strikes against the pension reform. Thousands marched in Paris.",
    "Striking miners blocked the road to the capital, demanding better pay.",
    "The strike is the biggest industrial action in a decade.",  # a cue of two words
    # One sense per article: the second strike has no cue of its own.
    "Workers at three car factories began an indefinite strike on Monday. By Thursday the strike had spread "
    "to two more plants.",
]
FIGURATIVE = [
    "The company is locked in a court battle with its former chief executive.",
    "The new finance minister vowed to battle inflation and cut the deficit.",
    "The family began a legal battle to recover the land.",
    "The actor lost a long battle with cancer.",
    "The Senate killed the bill on Tuesday by a vote of 52 to 48.",
    "Republicans killed the measure in committee.",
    "The opposition launched an attack on its rival's tax plan during the debate.",
    "The opposition leader attacked the government's handling of the economy.",
]
#: Real attacks and deaths with the same words: (text, the triggers suggested).
EVENTS = [
    ("Russian airstrikes hit a market in Idlib, killing nine people.", ["airstrikes", "killing"]),
    ("Israeli missile strikes on Gaza killed 12 people overnight.", ["missile strikes", "killed"]),
    ("Rockets struck a residential building in Kharkiv on Sunday.", ["struck"]),
    ("A drone strike killed a senior commander near the border.", ["drone strike", "killed"]),
    ("Missile strikes hit a power plant in Kyiv on Monday.", ["Missile strikes"]),
    # The union's members are the victims here: the missile and the deaths keep the strike an attack.
    (
        "A missile strike on a wedding killed 20 people, and the union of medics condemned it.",
        ["missile strike", "killed"],
    ),
    # Labour words near, but the strike is aimed at something: an attack.
    ("The strike on the convoy was condemned by the staff of the hospital.", ["strike"]),
    ("Members of the militia carried out a strike on a government building.", ["strike"]),
    ("The battle for Mosul killed thousands of civilians.", ["battle", "killed"]),
    ("Government forces battled rebels on the outskirts of Aleppo.", ["battled"]),
    ("Gunmen killed the mayor of the town on Sunday.", ["killed"]),
    ("The militants launched an attack on the police station.", ["attack"]),
    ("Fighters attacked an army post near Homs, killing four soldiers.", ["attacked", "killing"]),
]


def _triggers(preannotator: Preannotator, text: str) -> list[str]:
    return [e.trigger_text for e in annotate_one(preannotator, text).events]


@pytest.mark.parametrize("text", LABOUR + FIGURATIVE)
def test_no_event_in_these_senses(nlp_preannotator: Preannotator, text: str) -> None:
    assert _triggers(nlp_preannotator, text) == []


@pytest.mark.parametrize(("text", "expected"), EVENTS)
def test_real_attacks_with_the_same_words_stay(nlp_preannotator: Preannotator, text: str, expected: list[str]) -> None:
    assert _triggers(nlp_preannotator, text) == expected


def test_an_article_about_a_walkout_keeps_its_sense_but_not_over_an_attack(nlp_preannotator: Preannotator) -> None:
    text = (
        "Dockers began an indefinite strike on Monday. The strike closed the port, and union leaders said it "
        "would last a week. On Wednesday the strike spread to the airport. "
        "On Thursday an air strike hit the port's fuel depot."
    )
    assert _triggers(nlp_preannotator, text) == ["air strike"]


def test_users_extend_the_tables_with_their_own_words(schema: Schema) -> None:
    from dataclasses import replace

    mappings = dict(schema.mappings)
    classes = dict(mappings["word_classes"])
    classes["abstract"] = [*classes["abstract"], "gerrymander"]
    mappings["word_classes"] = classes
    extended = Preannotator(replace(schema, mappings=mappings))
    text = "The court killed the gerrymander on Friday."
    assert _triggers(extended, text) == []
