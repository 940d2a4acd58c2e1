"""brat's configuration files read as brat reads them: sections, macros, abstract types, roles."""

from __future__ import annotations

from annotator.formats.brat_conf import VISUAL_HEADER, parse_annotation_conf, parse_visual_labels

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
