"""The schema loader: the bundled schema, and errors that name the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import Schema, load_schema, parse_schema


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
