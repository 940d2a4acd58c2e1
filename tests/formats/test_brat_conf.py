"""brat's configuration files read as brat reads them: sections, macros, abstract types, roles."""

from __future__ import annotations

from pathlib import Path

from annotator.core.schema import parse_schema
from annotator.formats.brat_conf import (
    VISUAL_HEADER,
    AttributeUse,
    BratUsage,
    load_vocabulary,
    parse_annotation_conf,
    parse_visual_labels,
    render_annotation_conf,
)

CONF = """\
# a comment
[entities]
# people and groups
!Abstract
    # indented comment
    Person
    Organization | Org
-----
GPE

[relations]
<ENT>=Person|Organization
Located   Arg1:<ENT>, Arg2:GPE
<OVERLAP> Arg1:Person, Arg2:Person, <OVL-TYPE>:contain

[events]
# the attack frame
<POG>=Person|Organization|GPE
!Conflict
    Attack  Attacker*:<POG>, Target+:<POG>, Place?:GPE, Instrument{2}:Organization, <X>:y
Die	Victim:Person,Place?:GPE
Meet

[attributes]
Negation   Arg:<EVENT>

[SPANS]
Weapon
"""


def test_sections_macros_and_abstract_types() -> None:
    config = parse_annotation_conf(CONF)
    assert config.entities == {"Person", "Organization", "GPE", "Weapon"}  # [spans] is [entities]; any case
    assert config.relations == {"Located"}  # <OVERLAP> is a rule, not a type
    assert config.events == {
        "Attack": {"Attacker", "Target", "Place", "Instrument"},
        "Die": {"Victim", "Place"},
        "Meet": set(),
    }
    assert config.labels == {"Person", "Organization", "GPE", "Weapon", "Attack", "Die", "Meet"}
    assert parse_annotation_conf("").labels == set()


def test_macros_stay_in_their_section() -> None:
    config = parse_annotation_conf("[relations]\n<A>=Person\nR Arg1:<A>\n[events]\nE Arg:<A>\n")
    assert config.events == {"E": {"Arg"}} and config.relations == {"R"}


def test_display_names_come_back_only_from_our_own_visual_conf() -> None:
    labels = "Conflict_Attack | Conflict.Attack | Attack\nPER | PER | Person\nodd | Other.Name | x\n"
    ours = f"{VISUAL_HEADER}\n[labels]\n{labels}"
    assert parse_visual_labels(ours) == {"Conflict_Attack": "Conflict.Attack", "PER": "PER"}
    theirs = "[labels]\nConflict_Attack | Conflict.Attack | Attack\n"
    assert parse_visual_labels(theirs) == {}
    assert parse_visual_labels(f"{VISUAL_HEADER}\n[drawing]\nA_B | A.B | x\n") == {}


def test_a_folders_annotation_conf_declares_its_relation_types(tmp_path: Path) -> None:
    assert load_vocabulary(tmp_path, None).unknown("R", "Far") is None  # no annotation.conf: nothing is checked
    (tmp_path / "annotation.conf").write_text(CONF, encoding="utf-8")
    vocabulary = load_vocabulary(tmp_path, None)
    assert vocabulary.unknown("R", "Located") is None
    assert vocabulary.unknown("R", "Far") == "unknown relation type 'Far' (not in annotation.conf)"
    assert vocabulary.unknown("*", "Far") == "unknown relation type 'Far' (not in annotation.conf)"


def test_a_repeat_number_is_dropped_only_from_a_declared_role_or_a_second_filler(tmp_path: Path) -> None:
    """brat numbers a role's second filler Victim2; a number that is part of the role's name stays."""
    (tmp_path / "annotation.conf").write_text(CONF, encoding="utf-8")
    vocabulary = load_vocabulary(tmp_path, None)
    assert vocabulary.role("Die", "Victim2", {"Victim2"}) == "Victim"  # declared role
    assert vocabulary.role("Attack", "Agent2", {"Agent", "Agent2"}) == "Agent"  # undeclared, but a repeat of Agent
    assert vocabulary.role("Attack", "Agent2", {"Agent2"}) == "Agent2"  # no Agent beside it: part of the name
    assert vocabulary.role("Attack", "Agent1", {"Agent", "Agent1"}) == "Agent1"  # brat's repeats start at 2
    assert vocabulary.role("Attack", "Agent", {"Agent"}) == "Agent"


ATTRIBUTED = """
schema: t
version: 1
entity_types: {PER: {}}
event_types:
  Life.Die: {attributes: {polarity: [Positive, Negative], mode: [shot, other]}}
  Life.Injure: {}
event_attributes: {polarity: [Positive, Negative]}
entity_attributes: {certainty: [high, low]}
"""


def test_an_attribute_on_every_event_or_entity_is_declared_for_the_macro_alone() -> None:
    """<EVENT> covers Life_Die (and an event type only the data used); <ENTITY> covers PER; a concrete type stays."""
    usage = BratUsage()
    usage.roles["Other.Event"]["Agent"].add("PER")
    usage.attributes["polarity"] = AttributeUse(targets={"Life_Injure", "Other_Event"}, values={"Positive"})
    usage.attributes["certainty"] = AttributeUse(targets={"PER"}, values={"high"})
    conf = render_annotation_conf(parse_schema(ATTRIBUTED), usage)
    attributes = conf.split("[attributes]")[1].strip().splitlines()
    assert attributes == [
        "certainty\tArg:<ENTITY>, Value:high|low",
        "mode\tArg:Life_Die, Value:other|shot",
        "polarity\tArg:<EVENT>, Value:Negative|Positive",
    ]
