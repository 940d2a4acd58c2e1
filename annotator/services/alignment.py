"""Several annotators' layers of one document aligned into units, and every disagreement between them listed.

Pure functions over DocumentRecord DTOs. Spans align by exact offsets first, then overlapping spans of
different people pair up (longest overlap first), so a unit holds at most one span per person. Events
align the same way by trigger: same offsets and type, then overlapping triggers of the same type, then
overlapping triggers of different types (a disagreement about the type). Within an event that several
people marked, roles, attributes, fatalities and the date are compared one by one.

Gold takes part in the alignment as one more layer, rejected items included: a rejected gold item is
the adjudicator's decision that the unit holds nothing. A part of a gold event counts as decided when
its key is listed under the event's reserved attribute `_adjudicated`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

from annotator.core.dto import DocumentRecord, Entity, Event, Status

T = TypeVar("T", Entity, Event)
DECIDED = "_adjudicated"  # reserved event attribute: the parts of a gold event an adjudicator decided


class ItemKind(StrEnum):
    SPAN = "span"  # people marked different extents, or only some marked it
    LABEL = "label"  # the same extent with different labels
    EVENT = "event"  # only some marked the event, or with different triggers
    EVENT_TYPE = "event type"  # the same trigger with different types
    ROLE = "role filler"
    ATTRIBUTE = "attribute"
    FATALITIES = "fatalities"
    DATE = "date"


class _NotVoting:
    """The value of a part of an event for a person who did not mark the event at all."""

    def __repr__(self) -> str:
        return "NOT_VOTING"


NOT_VOTING: Any = _NotVoting()


@dataclass(frozen=True, slots=True)
class Item:
    """One decision: the versions of the annotators (in order) and gold's, if gold has decided."""

    key: str  # stable within the document, e.g. "entity 12-17", "event 5-11 role Place"
    kind: ItemKind
    unit: int  # index into Alignment.entity_units or .event_units
    name: str  # the role or attribute name, else ""
    start: int
    end: int
    versions: tuple[Any, ...]
    gold: Any
    decided: bool
    agreed: bool

    @property
    def is_entity(self) -> bool:
        return self.kind in (ItemKind.SPAN, ItemKind.LABEL)

    @property
    def is_event(self) -> bool:
        return self.kind in (ItemKind.EVENT, ItemKind.EVENT_TYPE)

    def winner(self, min_agree: int) -> tuple[bool, Any]:
        """(found, value): the version at least `min_agree` people chose and more chose than any other."""
        votes = Counter(v for v in self.versions if v is not NOT_VOTING)
        ranked = votes.most_common()
        if not ranked or ranked[0][1] < min_agree or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return False, None
        return True, ranked[0][0]


@dataclass(frozen=True)
class Alignment:
    annotators: tuple[str, ...]
    layers: tuple[DocumentRecord, ...]  # reviewed layers, in annotator order
    gold: DocumentRecord | None
    entity_units: list[dict[int, Entity]]  # layer index -> its span; index len(annotators) is gold
    event_units: list[dict[int, Event]]
    items: list[Item] = field(default_factory=list)

    @property
    def gold_index(self) -> int:
        return len(self.annotators)

    @property
    def disagreements(self) -> list[Item]:
        return [item for item in self.items if not item.agreed]

    @property
    def open(self) -> list[Item]:
        """Items gold does not settle yet: undecided disagreements, and agreements not put into gold."""
        return [item for item in self.items if not item.decided]


def span_value(e: Entity) -> tuple[int, int, str]:
    return e.start, e.end, e.label


def trigger_value(ev: Event) -> tuple[int, int, str]:
    return ev.trigger_start, ev.trigger_end, ev.type


def filler_value(record: DocumentRecord, ev: Event, role: str) -> tuple[tuple[int, int], ...]:
    """The offsets of the spans filling a role (not rejected), sorted: what two people compare."""
    spans = {e.id: (e.start, e.end) for e in record.entities if e.status != Status.REJECTED}
    found = {
        spans[a.entity_id]
        for a in ev.arguments
        if a.role == role and a.status != Status.REJECTED and a.entity_id in spans
    }
    return tuple(sorted(found))


def fatalities_value(ev: Event) -> tuple[Any, ...] | None:
    f = ev.fatalities
    if f is None or (f.value is None and f.low is None and f.high is None and f.qualifier is None):
        return None
    return f.value, f.low, f.high, f.qualifier


def date_value(ev: Event) -> tuple[str | None, str | None] | None:
    d = ev.date
    return None if d is None or d.value is None else (d.value, d.precision)


def attribute_names(events: Sequence[Event]) -> list[str]:
    return sorted({k for ev in events for k in ev.attrs if not k.startswith("_")})


def decided_parts(ev: Event) -> set[str]:
    parts = ev.attrs.get(DECIDED)
    return {str(p) for p in parts} if isinstance(parts, list) else set()


def part_key(kind: ItemKind, name: str = "") -> str:
    """The key of a part of an event as listed under `_adjudicated`: "role Place", "attribute tense", "date"."""
    return f"{kind.value.split()[0]} {name}".strip()


# -- alignment ---------------------------------------------------------------------------------------------------


def _align(
    layers: Sequence[Sequence[T]],
    exact: Callable[[T], Hashable],
    span: Callable[[T], tuple[int, int]],
    passes: Sequence[Callable[[T, T], bool]],
) -> list[dict[int, T]]:
    """Units of at most one item per layer: exact keys first, then overlapping items by each pass in turn."""
    groups: list[dict[int, T]] = []
    by_key: dict[Hashable, list[int]] = {}
    for index, items in enumerate(layers):
        for item in items:
            slots = by_key.setdefault(exact(item), [])
            slot = next((g for g in slots if index not in groups[g]), None)
            if slot is None:
                slots.append(len(groups))
                groups.append({})
                slot = slots[-1]
            groups[slot][index] = item
    for compatible in passes:
        groups = _merge_overlapping(groups, span, compatible)
    return sorted(groups, key=lambda g: min(span(i) for i in g.values()))


def _merge_overlapping(
    groups: list[dict[int, T]], span: Callable[[T], tuple[int, int]], compatible: Callable[[T, T], bool]
) -> list[dict[int, T]]:
    regions = [(min(span(i)[0] for i in g.values()), max(span(i)[1] for i in g.values())) for g in groups]
    order = sorted(range(len(groups)), key=lambda g: regions[g])
    candidates = []
    for pos, g in enumerate(order):  # a sweep: only groups whose regions overlap are compared
        for h in order[pos + 1 :]:
            if regions[h][0] >= regions[g][1]:
                break
            if groups[g].keys() & groups[h].keys():
                continue
            if not compatible(next(iter(groups[g].values())), next(iter(groups[h].values()))):
                continue
            overlap = min(regions[g][1], regions[h][1]) - max(regions[g][0], regions[h][0])
            candidates.append((-overlap, regions[g][0], g, h))
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            g = parent[g]
        return g

    merged = [dict(g) for g in groups]
    for _, _, g, h in sorted(candidates):
        rg, rh = root(g), root(h)
        if rg == rh or merged[rg].keys() & merged[rh].keys():
            continue
        merged[rg].update(merged[rh])
        parent[rh] = rg
    return [merged[g] for g in range(len(groups)) if root(g) == g]


def align(annotators: Sequence[str], layers: Sequence[DocumentRecord], gold: DocumentRecord | None) -> Alignment:
    """Align reviewed annotator layers (and gold, rejected items included) and list every decision."""
    all_layers = [*layers, *([gold] if gold is not None else [])]
    entity_units = _align(
        [r.entities for r in all_layers],
        lambda e: (e.start, e.end),
        lambda e: (e.start, e.end),
        [lambda a, b: True],
    )
    event_units = _align(
        [r.events for r in all_layers],
        trigger_value,
        lambda ev: (ev.trigger_start, ev.trigger_end),
        [lambda a, b: a.type == b.type, lambda a, b: True],
    )
    alignment = Alignment(tuple(annotators), tuple(layers), gold, entity_units, event_units)
    alignment.items.extend(_items(alignment))
    return alignment


# -- items -----------------------------------------------------------------------------------------------------


def _items(al: Alignment) -> list[Item]:
    n, g = len(al.annotators), al.gold_index
    found: list[tuple[int, int, Item]] = []
    for u, unit in enumerate(al.entity_units):
        versions = tuple(span_value(unit[i]) if i in unit else None for i in range(n))
        start, end = min(e.start for e in unit.values()), max(e.end for e in unit.values())
        gold = unit.get(g)
        present = [v for v in versions if v is not None]
        same_extent = len(present) == n and len({v[:2] for v in present}) == 1
        kind = ItemKind.LABEL if same_extent else ItemKind.SPAN
        item = Item(
            f"entity {start}-{end}",
            kind,
            u,
            "",
            start,
            end,
            versions,
            _gold_value(gold, span_value),
            gold is not None,
            len(set(versions)) == 1 and versions[0] is not None,
        )
        if present:  # a unit only gold has is the adjudicator's own addition, not a disagreement
            found.append((start, 0, item))
    for u, frame in enumerate(al.event_units):
        found += [(it.start, 1, it) for it in _event_items(al, u, frame)]
    found.sort(key=lambda t: (t[0], t[1]))
    items, seen = [], Counter[str]()
    for _, _, item in found:
        seen[item.key] += 1  # two units over the same text (one person's two labels there) keep apart
        items.append(item if seen[item.key] == 1 else replace(item, key=f"{item.key} #{seen[item.key]}"))
    return items


def _gold_value(gold: T | None, value: Callable[[T], Any]) -> Any:
    if gold is None or gold.status == Status.REJECTED:
        return None
    return value(gold)


def _event_items(al: Alignment, u: int, unit: dict[int, Event]) -> list[Item]:
    n, g = len(al.annotators), al.gold_index
    versions = tuple(trigger_value(unit[i]) if i in unit else None for i in range(n))
    if all(v is None for v in versions):
        return []  # an event only gold has: the adjudicator added it
    start = min(ev.trigger_start for ev in unit.values())
    end = max(ev.trigger_end for ev in unit.values())
    gold = unit.get(g)
    present = [v for v in versions if v is not None]
    same_trigger = len(present) == n and len({v[:2] for v in present}) == 1
    key = f"event {start}-{end}"
    items = [
        Item(
            key,
            ItemKind.EVENT_TYPE if same_trigger else ItemKind.EVENT,
            u,
            "",
            start,
            end,
            versions,
            _gold_value(gold, trigger_value),
            gold is not None,
            len(set(versions)) == 1,
        )
    ]
    voters = [i for i in range(n) if i in unit]
    if len(voters) < 2:
        return items  # one person's event: taking it or not is the only decision
    gold_event = gold if gold is not None and gold.status != Status.REJECTED else None
    decided = decided_parts(gold_event) if gold_event is not None else set()
    roles = sorted({a.role for i in voters for a in unit[i].arguments if a.status != Status.REJECTED})
    parts = [(ItemKind.ROLE, r) for r in roles]
    parts += [(ItemKind.ATTRIBUTE, a) for a in attribute_names([unit[i] for i in voters])]
    parts += [(ItemKind.FATALITIES, ""), (ItemKind.DATE, "")]
    for kind, name in parts:
        values = tuple(part_value(_layer(al, i), unit[i], kind, name) if i in unit else NOT_VOTING for i in range(n))
        voting = {v for v in values if v is not NOT_VOTING}
        if voting <= {None, ()}:
            continue  # nobody filled it
        part = part_key(kind, name)
        items.append(
            Item(
                f"{key} {part}",
                kind,
                u,
                name,
                start,
                end,
                values,
                part_value(_layer(al, g), gold_event, kind, name) if gold_event is not None else None,
                part in decided,
                len(voting) == 1,
            )
        )
    return items


def part_value(record: DocumentRecord, ev: Event, kind: ItemKind, name: str) -> Any:
    """What a person chose for one part of an event: fillers' offsets, an attribute value, fatalities, a date."""
    if kind == ItemKind.ROLE:
        return filler_value(record, ev, name)
    if kind == ItemKind.ATTRIBUTE:
        value = ev.attrs.get(name)
        return None if value is None else str(value)
    if kind == ItemKind.FATALITIES:
        return fatalities_value(ev)
    return date_value(ev)


def _layer(al: Alignment, index: int) -> DocumentRecord:
    if index < len(al.layers):
        return al.layers[index]
    assert al.gold is not None
    return al.gold
