"""The schema loader: the bundled schema, and errors that name the key path."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import Role, Schema, load_schema, parse_schema


def test_default_schema_has_ace_types_and_extensions(schema: Schema) -> None:
    assert list(schema.entity_types)[:10] == ["PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "TIME", "NUM", "VALUE"]
    attack = schema.event_types["Conflict.Attack"]
    assert {r.name for r in attack.roles} >= {"Attacker", "Target", "Instrument", "Place", "Time"}
    assert attack.role("Place") is not None and attack.role("Place").types == ("GPE", "LOC", "FAC")
    assert "air_drone_strike" in attack.attributes["attack_mode"]
    for name in ("X.Conflict.ChangeOfControl", "X.Conflict.Agreement", "X.Artifact.DamageDestroy"):
        assert name in schema.event_types
    assert schema.mappings["ontonotes"]["NORP"] == "GPE"
    assert schema.entity_types["PER"].key == "1" and schema.entity_types["VALUE"].key == "A"


def test_role_cardinality(schema: Schema) -> None:
    die = schema.event_types["Life.Die"]
    victim = die.role("Victim")
    assert victim is not None and (victim.min, victim.max) == (1, None)
    place = die.role("Place")
    assert place is not None and (place.min, place.max) == (0, 1)


MINIMAL = """
schema: t
version: "1"
entity_types:
  PER: {color: "#ff0000"}
event_types:
  Attack:
    roles:
      Attacker*: [PER]
"""


def test_minimal_schema_parses() -> None:
    parsed = parse_schema(MINIMAL)
    assert parsed.id == "t/1"
    assert parsed.event_types["Attack"].roles[0].cardinality == "*"


@pytest.mark.parametrize(
    ("broken", "key_path"),
    [
        (MINIMAL.replace("Attacker*: [PER]", "Attacker*: [ORG]"), "event_types.Attack.roles.Attacker*"),
        (MINIMAL.replace('"#ff0000"', '"red"'), "entity_types.PER.color"),
        (MINIMAL.replace("entity_types:", "entities:"), "entity_types"),
        (MINIMAL.replace("Attacker*", "Attacker!"), "event_types.Attack.roles.Attacker!"),
        (MINIMAL + "mappings:\n  ontonotes: {PERSON: PEOPLE}\n", "mappings.ontonotes.PERSON"),
    ],
)
def test_schema_errors_name_the_key_path(broken: str, key_path: str) -> None:
    with pytest.raises(SchemaError) as info:
        parse_schema(broken, Path("my-schema.yaml"))
    assert info.value.key_path == key_path
    assert "my-schema.yaml" in str(info.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("schema: x\nversion: 1\nentity_types: {PER: [\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="line"):
        load_schema(path)


FULL = """
schema: conflict
version: 2.1
entity_types:
  PER: {color: "#FF0000", label: Person, subtypes: [Individual, Group]}
  ORG: {key: x}
  GPE:
    normalise: place
event_types:
  Conflict.Attack:
    color: "#00aa00"
    roles:
      Attacker*: [PER, ORG]
      Target+: [PER]
      Place?: [GPE]
      Instrument: [ORG]
    attributes:
      attack_mode: [shelling, airstrike]
    triggers:
      - bomb
      - lemma: shell
        attrs: {attack_mode: shelling}
      - {lemma: 7}
    maps: {acled: Battles}
  Life.Die:
    label: Death
event_attributes:
  polarity: [Positive, Negative]
entity_attributes:
  actor_type: [State forces, 3]
mappings:
  ontonotes: {PERSON: PER}
"""


def test_every_part_of_a_schema_is_read() -> None:
    parsed = parse_schema(FULL)
    assert (parsed.name, parsed.version, parsed.id) == ("conflict", "2.1", "conflict/2.1")
    per, org, gpe = parsed.entity_types.values()
    assert (per.label, per.color, per.key, per.subtypes, per.normalise) == (
        "Person",
        "#FF0000",
        "1",
        ("Individual", "Group"),
        None,
    )
    assert (org.label, org.color, org.key) == ("ORG", "#cccccc", "X")  # key given in lower case
    assert (gpe.key, gpe.normalise) == ("3", "place")
    attack, die = parsed.event_types.values()
    assert [(r.name, r.types, r.min, r.max, r.cardinality) for r in attack.roles] == [
        ("Attacker", ("PER", "ORG"), 0, None, "*"),
        ("Target", ("PER",), 1, None, "+"),
        ("Place", ("GPE",), 0, 1, "?"),
        ("Instrument", ("ORG",), 1, 1, ""),
    ]
    assert (attack.label, attack.color, attack.maps) == ("Attack", "#00aa00", {"acled": "Battles"})
    assert [(t.lemma, t.attrs) for t in attack.triggers] == [
        ("bomb", {}),
        ("shell", {"attack_mode": "shelling"}),
        ("7", {}),
    ]
    assert (die.label, die.color, die.roles, die.attributes, die.triggers, die.maps) == (
        "Death",
        "#555555",
        (),
        {},
        (),
        {},
    )
    assert attack.role("Target") is attack.roles[1] and attack.role("Victim") is None
    assert parsed.event_attributes == {"polarity": ("Positive", "Negative")}
    assert parsed.entity_attributes == {"actor_type": ("State forces", "3")}
    assert parsed.attributes_for("Conflict.Attack") == {
        "polarity": ("Positive", "Negative"),
        "attack_mode": ("shelling", "airstrike"),
    }
    assert parsed.attributes_for("No.Such") == {"polarity": ("Positive", "Negative")}
    assert parsed.color("PER") == "#FF0000" and parsed.color("Conflict.Attack") == "#00aa00"
    assert parsed.color("Movement") == "#cccccc"
    assert parsed.source_text == FULL
    assert parsed.sha256 == hashlib.sha256(FULL.encode("utf-8")).hexdigest()


def test_shortcut_keys_skip_the_reserved_e() -> None:
    many = "\n".join(f"  T{i}: {{}}" for i in range(16))
    parsed = parse_schema(f"schema: k\nversion: 1\nentity_types:\n{many}\nevent_types: {{}}\n")
    keys = [t.key for t in parsed.entity_types.values()]
    assert keys == [*"123456789", "A", "B", "C", "D", "F", "G", "H"]
    assert Role("r", (), 2, 3).cardinality == "*"  # counts the notation cannot say read as "any number"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("- a list", "<document>: expected a mapping, got list"),
        ("schema: t\nversion: 1\nentity_types: {PER: {}}\n", "event_types: missing required key"),
        ("version: 1\nentity_types: {PER: {}}\nevent_types: {}\n", "schema: missing required key"),
        ("schema: t\nentity_types: {PER: {}}\nevent_types: {}\n", "version: missing required key"),
        (
            "schema: t\nversion: 1\nentity_types: {}\nevent_types: {}\n",
            "entity_types: at least one entity type is needed",
        ),
        ("schema: t\nversion: 1\nentity_types: [PER]\nevent_types: {}\n", "entity_types: expected a mapping, got list"),
        (
            "schema: t\nversion: 1\nentity_types: {1PER: {}}\nevent_types: {}\n",
            "entity_types.1PER: type names use letters, digits, '.', '_' and '-'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {color: red}}\nevent_types: {}\n",
            "entity_types.PER.color: color must be #rrggbb, got 'red'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {subtypes: x}}\nevent_types: {}\n",
            "entity_types.PER.subtypes: expected a list of strings",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A B: {}}\n",
            "event_types.A B: type names use letters, digits, '.', '_' and '-'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {roles: [x]}}\n",
            "event_types.A.roles: expected a mapping, got list",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {roles: {V: [ORG]}}}\n",
            "event_types.A.roles.V: unknown entity type 'ORG'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {roles: {V!: [PER]}}}\n",
            "event_types.A.roles.V!: role names are a word with an optional ?, * or + suffix",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {roles: {V: PER}}}\n",
            "event_types.A.roles.V: expected a list of strings",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {attributes: {mode: 3}}}\n",
            "event_types.A.attributes.mode: expected a list of strings",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {triggers: [{attrs: {}}]}}\n",
            "event_types.A.triggers[0]: a trigger needs a lemma",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {triggers: [x, [y]]}}\n",
            "event_types.A.triggers[1]: expected a mapping, got list",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\n"
            "event_types: {A: {attributes: {mode: [a]}, triggers: [{lemma: x, attrs: {mode: b}}]}}\n",
            "event_types.A.triggers[0].attrs.mode: 'b' is not a value of attribute mode",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {triggers: [{lemma: x, attrs: [1]}]}}\n",
            "event_types.A.triggers[0].attrs: expected a mapping, got list",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {A: {color: '#12345'}}\n",
            "event_types.A.color: color must be #rrggbb, got '#12345'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nevent_attributes: {polarity: yes}\n",
            "event_attributes.polarity: expected a list of strings",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nmappings: {ontonotes: [PER]}\n",
            "mappings.ontonotes: expected a mapping, got list",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nmappings: [x]\n",
            "mappings: expected a mapping, got list",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nmappings: {ontonotes: {NORP: ORG}}\n",
            "mappings.ontonotes.NORP: maps to unknown entity type 'ORG'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nmappings: {aliases: {Person: PRS}}\n",
            "mappings.aliases.Person: maps to unknown type 'PRS'",
        ),
        (
            "schema: t\nversion: 1\nentity_types: {PER: {}}\nevent_types: {}\nmappings: {aliases: [PER]}\n",
            "mappings.aliases: expected a mapping, got list",
        ),
    ],
)
def test_schema_error_messages(broken: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        parse_schema(broken, Path("s.yaml"))
    assert str(info.value) == f"s.yaml: {message}"


def test_yaml_errors_give_the_line_and_the_problem() -> None:
    with pytest.raises(SchemaError) as info:
        parse_schema("schema: x\nversion: 1\nentity_types: {PER: [\n", Path("s.yaml"))
    assert str(info.value).startswith("s.yaml: <document>: not valid YAML at line 4: ")
    assert info.value.key_path == "<document>"


def test_a_yaml_error_without_a_position_says_only_the_problem() -> None:
    """A bad character is reported by the YAML reader, which has no line mark: no made-up location then."""
    with pytest.raises(SchemaError) as info:
        parse_schema("schema: x\x07\n", Path("s.yaml"))
    assert str(info.value).startswith("s.yaml: <document>: not valid YAML: unacceptable character #x0007")


def test_a_missing_schema_file_is_a_schema_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: <file>: cannot read schema: No such file or directory"
    assert load_schema(str(Path(__file__).parents[1] / "golden" / "conflict-events.yaml")).name
