"""The annotation schema: entity types, event types with roles, attributes and mapping tables, from YAML."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from annotator.core.errors import SchemaError

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_ROLE = re.compile(r"^([A-Za-z][A-Za-z0-9_\-]*)([?*+]?)$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: Keys the editor keeps for itself; label shortcuts skip them (E opens the event chooser).
RESERVED_KEYS = frozenset("E")


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    label: str
    color: str
    key: str
    subtypes: tuple[str, ...] = ()
    normalise: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    types: tuple[str, ...]
    min: int
    max: int | None  # None: unbounded

    @property
    def cardinality(self) -> str:
        return {(1, 1): "", (0, 1): "?", (0, None): "*", (1, None): "+"}.get((self.min, self.max), "*")


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    label: str
    color: str
    roles: tuple[Role, ...]
    attributes: dict[str, tuple[str, ...]]
    triggers: tuple[Trigger, ...]
    maps: dict[str, Any]

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)


_STORAGE_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def storage_name(name: str) -> str:
    """A type name as brat stores it: '.' and other characters outside [A-Za-z0-9_-] become '_'.

    This is brat's own `normalize_to_storage_form`; readers map it back through the schema or the
    `visual.conf` labels we write, never by guessing, since '_' is also legal in foreign type names.
    """
    return _STORAGE_UNSAFE.sub("_", name)


@dataclass(frozen=True)
class Schema:
    name: str
    version: str
    entity_types: dict[str, EntityType]
    event_types: dict[str, EventType]
    event_attributes: dict[str, tuple[str, ...]]
    entity_attributes: dict[str, tuple[str, ...]]
    mappings: dict[str, Any]
    source_text: str  # the YAML as loaded, stored with the project and written beside exports

    @property
    def id(self) -> str:
        return f"{self.name}/{self.version}"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source_text.encode("utf-8")).hexdigest()

    def color(self, label: str) -> str:
        if label in self.entity_types:
            return self.entity_types[label].color
        if label in self.event_types:
            return self.event_types[label].color
        return "#cccccc"

    @cached_property
    def _label_rules(self) -> dict[str, str]:
        """Lower-cased names other tools use -> our type names, weakest rule first so stronger ones win."""
        rules: dict[str, str] = {}
        for onto, name in (self.mappings.get("ontonotes") or {}).items():
            rules[str(onto).lower()] = str(name)
        for etype in self.event_types.values():
            ace = str(etype.maps.get("ace") or "")
            for form in (etype.label, ace, ace.rsplit(":", 1)[-1] if ace else ""):
                if form:
                    rules[form.lower()] = rules[storage_name(form).lower()] = etype.name
        for entity_type in self.entity_types.values():
            rules[entity_type.label.lower()] = entity_type.name
        for alias, name in (self.mappings.get("aliases") or {}).items():
            rules[str(alias).lower()] = str(name)
        for name in [*self.entity_types, *self.event_types]:
            rules[name.lower()] = rules[storage_name(name).lower()] = name
        return rules

    def resolve_label(self, name: str) -> str | None:
        """Our type for a label another tool wrote, or None when no rule maps it.

        Rules, strongest first: the type's own name (also in brat's storage form, Conflict_Attack), the
        schema's `mappings.aliases`, an entity type's label (Person), an event type's label or ACE name
        (Attack, Conflict:Attack, Life_Die), an OntoNotes label (PERSON). Case does not matter.
        """
        return self._label_rules.get(name.lower())

    def attributes_for(self, event_type: str) -> dict[str, tuple[str, ...]]:
        """Event attributes offered for a type: the ACE ones, then the type's own (attack_mode...)."""
        merged = dict(self.event_attributes)
        if event_type in self.event_types:
            merged.update(self.event_types[event_type].attributes)
        return merged


def _fail(message: str, key_path: str, path: Path | None) -> SchemaError:
    return SchemaError(message, key_path=key_path, path=path)


def _mapping(value: Any, key_path: str, path: Path | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(f"expected a mapping, got {type(value).__name__}", key_path, path)
    return value


def _str_list(value: Any, key_path: str, path: Path | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise _fail("expected a list of strings", key_path, path)
    return tuple(str(v) for v in value)


def _shortcut_keys(count: int) -> list[str]:
    """1-9, then letters in order, skipping the editor's reserved keys."""
    keys = [str(d) for d in range(1, 10)]
    keys += [c for c in "ABCDFGHIJKLMNOPQRSTUVWXYZ" if c not in RESERVED_KEYS]
    return keys[:count]


def parse_schema(text: str, path: Path | None = None) -> Schema:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SchemaError(
            f"not valid YAML{where}: {getattr(exc, 'problem', exc)}", key_path="<document>", path=path
        ) from exc
    data = _mapping(data, "<document>", path)
    for required in ("schema", "version", "entity_types", "event_types"):
        if required not in data:
            raise _fail("missing required key", required, path)

    raw_entities = _mapping(data["entity_types"], "entity_types", path)
    if not raw_entities:
        raise _fail("at least one entity type is needed", "entity_types", path)
    keys = _shortcut_keys(len(raw_entities))
    entity_types: dict[str, EntityType] = {}
    for i, (name, spec) in enumerate(raw_entities.items()):
        kp = f"entity_types.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise _fail("type names use letters, digits, '.', '_' and '-'", kp, path)
        spec = _mapping(spec or {}, kp, path)
        color = str(spec.get("color", "#cccccc"))
        if not _COLOR.match(color):
            raise _fail(f"color must be #rrggbb, got {color!r}", f"{kp}.color", path)
        key = str(spec.get("key", keys[i] if i < len(keys) else "")).upper()
        entity_types[name] = EntityType(
            name=name,
            label=str(spec.get("label", name)),
            color=color,
            key=key,
            subtypes=_str_list(spec.get("subtypes", []), f"{kp}.subtypes", path),
            normalise=spec.get("normalise"),
        )

    event_types: dict[str, EventType] = {}
    for name, spec in _mapping(data["event_types"], "event_types", path).items():
        kp = f"event_types.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise _fail("type names use letters, digits, '.', '_' and '-'", kp, path)
        spec = _mapping(spec or {}, kp, path)
        roles = []
        for role_spec, types in _mapping(spec.get("roles", {}), f"{kp}.roles", path).items():
            rkp = f"{kp}.roles.{role_spec}"
            m = _ROLE.match(str(role_spec))
            if not m:
                raise _fail("role names are a word with an optional ?, * or + suffix", rkp, path)
            fillers = _str_list(types, rkp, path)
            for filler in fillers:
                if filler not in entity_types:
                    raise _fail(f"unknown entity type {filler!r}", rkp, path)
            lo, hi = {"": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}[m.group(2)]
            roles.append(Role(name=m.group(1), types=fillers, min=lo, max=hi))
        attributes = {
            str(a): _str_list(v, f"{kp}.attributes.{a}", path)
            for a, v in _mapping(spec.get("attributes", {}) or {}, f"{kp}.attributes", path).items()
        }
        triggers = []
        for j, trig in enumerate(spec.get("triggers", []) or []):
            tkp = f"{kp}.triggers[{j}]"
            if isinstance(trig, str):
                triggers.append(Trigger(lemma=trig))
                continue
            trig = _mapping(trig, tkp, path)
            if "lemma" not in trig:
                raise _fail("a trigger needs a lemma", tkp, path)
            attrs = {str(k): str(v) for k, v in _mapping(trig.get("attrs", {}) or {}, f"{tkp}.attrs", path).items()}
            for attr, value in attrs.items():
                if attr in attributes and value not in attributes[attr]:
                    raise _fail(f"{value!r} is not a value of attribute {attr}", f"{tkp}.attrs.{attr}", path)
            triggers.append(Trigger(lemma=str(trig["lemma"]), attrs=attrs))
        color = str(spec.get("color", "#555555"))
        if not _COLOR.match(color):
            raise _fail(f"color must be #rrggbb, got {color!r}", f"{kp}.color", path)
        event_types[name] = EventType(
            name=name,
            label=str(spec.get("label", name.rsplit(".", 1)[-1])),
            color=color,
            roles=tuple(roles),
            attributes=attributes,
            triggers=tuple(triggers),
            maps=dict(spec.get("maps", {}) or {}),
        )

    def attr_table(key: str) -> dict[str, tuple[str, ...]]:
        return {
            str(a): _str_list(v, f"{key}.{a}", path) for a, v in _mapping(data.get(key, {}) or {}, key, path).items()
        }

    mappings = _mapping(data.get("mappings", {}) or {}, "mappings", path)
    for onto, label in _mapping(mappings.get("ontonotes", {}) or {}, "mappings.ontonotes", path).items():
        if label not in entity_types:
            raise _fail(f"maps to unknown entity type {label!r}", f"mappings.ontonotes.{onto}", path)
    for alias, name in _mapping(mappings.get("aliases", {}) or {}, "mappings.aliases", path).items():
        if name not in entity_types and name not in event_types:
            raise _fail(f"maps to unknown type {name!r}", f"mappings.aliases.{alias}", path)
    return Schema(
        name=str(data["schema"]),
        version=str(data["version"]),
        entity_types=entity_types,
        event_types=event_types,
        event_attributes=attr_table("event_attributes"),
        entity_attributes=attr_table("entity_attributes"),
        mappings=mappings,
        source_text=text,
    )


def load_schema(path: str | Path | None = None) -> Schema:
    from annotator.core.paths import default_schema_path

    schema_path = Path(path) if path else default_schema_path()
    try:
        text = schema_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc.strerror}", key_path="<file>", path=schema_path) from exc
    return parse_schema(text, schema_path)
