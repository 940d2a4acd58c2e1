"""Alignment of two layers of one document and the match counts behind F1: entities, triggers, arguments.

Pure functions over DocumentRecord DTOs. The same counts serve inter-annotator agreement (two people,
F1 is symmetric) and the evaluation of suggestions (first = suggestions, second = reference, so
precision and recall follow). Offsets are compared as stored: code points, end exclusive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.dto import DocumentRecord, Entity, Event, Fatalities
from annotator.services.agreement_stats import NONE


@dataclass(frozen=True, slots=True)
class Score:
    """Matched items between a first and a second layer, and how many each layer holds."""

    matched: int = 0
    first: int = 0
    second: int = 0

    @property
    def precision(self) -> float:
        """Share of the first layer's items found in the second (1.0 when the first is empty)."""
        return self.matched / self.first if self.first else 1.0

    @property
    def recall(self) -> float:
        """Share of the second layer's items found in the first (1.0 when the second is empty)."""
        return self.matched / self.second if self.second else 1.0

    @property
    def f1(self) -> float:
        """2·matched / (first + second); two empty layers agree fully."""
        total = self.first + self.second
        return 2 * self.matched / total if total else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.matched + other.matched, self.first + other.first, self.second + other.second)

    def to_json(self) -> dict[str, float | int]:
        return {
            "matched": self.matched,
            "first": self.first,
            "second": self.second,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def add_scores(total: dict[str, Score], more: Mapping[str, Score]) -> dict[str, Score]:
    """Sum per-label scores (of several documents) into `total`, which is returned."""
    for key, score in more.items():
        total[key] = total.get(key, Score()) + score
    return total


def keyed_score(first: Iterable[Hashable], second: Iterable[Hashable]) -> Score:
    """Count matches between two multisets of keys: each item matches at most one on the other side."""
    a, b = Counter(first), Counter(second)
    return Score(sum((a & b).values()), sum(a.values()), sum(b.values()))


def _keyed_by(first: Iterable[tuple[str, Hashable]], second: Iterable[tuple[str, Hashable]]) -> dict[str, Score]:
    """Per-group keyed scores from (group, key) pairs, e.g. per label or per event type."""
    groups: dict[str, tuple[list[Hashable], list[Hashable]]] = {}
    for group, key in first:
        groups.setdefault(group, ([], []))[0].append(key)
    for group, key in second:
        groups.setdefault(group, ([], []))[1].append(key)
    return {group: keyed_score(a, b) for group, (a, b) in sorted(groups.items())}


# -- entities --------------------------------------------------------------------------------------------------


def align_overlapping(first: Sequence[Entity], second: Sequence[Entity]) -> list[tuple[Entity, Entity]]:
    """One-to-one pairs of overlapping spans with the same label.

    Exact matches pair first; the remaining pairs are taken greedily by the length of their overlap
    (longest first, then text order), so a span is never counted twice.
    """
    candidates: list[tuple[int, int, int, int, int]] = []
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            if a.label != b.label or a.start >= b.end or b.start >= a.end:
                continue
            exact = a.start == b.start and a.end == b.end
            overlap = min(a.end, b.end) - max(a.start, b.start)
            candidates.append((0 if exact else 1, -overlap, min(a.start, b.start), i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[Entity, Entity]] = []
    for _, _, _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((first[i], second[j]))
    return pairs


@dataclass(frozen=True, slots=True)
class EntityScores:
    exact: Score
    overlap: Score
    exact_by_label: dict[str, Score] = field(default_factory=dict)
    overlap_by_label: dict[str, Score] = field(default_factory=dict)


def entity_scores(first: DocumentRecord, second: DocumentRecord) -> EntityScores:
    """Exact-span (same start, end, label) and overlap (one-to-one, same label) scores, overall and per label."""
    exact_by_label = _keyed_by(
        ((e.label, (e.start, e.end)) for e in first.entities), ((e.label, (e.start, e.end)) for e in second.entities)
    )
    overlap_by_label: dict[str, Score] = {}
    for label in sorted({e.label for e in first.entities} | {e.label for e in second.entities}):
        a = [e for e in first.entities if e.label == label]
        b = [e for e in second.entities if e.label == label]
        overlap_by_label[label] = Score(len(align_overlapping(a, b)), len(a), len(b))
    return EntityScores(
        exact=sum(exact_by_label.values(), Score()),
        overlap=sum(overlap_by_label.values(), Score()),
        exact_by_label=exact_by_label,
        overlap_by_label=overlap_by_label,
    )


# -- events ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventScores:
    """ACE-style event scores: triggers and arguments, each identified and classified."""

    trigger_id: Score  # same trigger offsets
    trigger_cls: Score  # same trigger offsets and type
    arg_id: Score  # same event (trigger offsets and type) and same filler offsets
    arg_cls: Score  # ... and the same role
    trigger_cls_by_type: dict[str, Score] = field(default_factory=dict)
    arg_cls_by_type: dict[str, Score] = field(default_factory=dict)


def argument_keys(record: DocumentRecord) -> list[tuple[str, tuple[int, int, str, int, int], str]]:
    """(event type, (trigger start, trigger end, type, filler start, filler end), role) per argument.

    A filler is a span, or for brat's nested events another event, compared by its trigger offsets.
    Arguments pointing at nothing in the record are left out.
    """
    spans = {e.id: (e.start, e.end) for e in record.entities}
    triggers = {ev.id: (ev.trigger_start, ev.trigger_end) for ev in record.events}
    keys = []
    for ev in record.events:
        for arg in ev.arguments:
            filler = spans.get(arg.entity_id) if arg.entity_id is not None else triggers.get(arg.event_id or -1)
            if filler is None:
                continue
            keys.append((ev.type, (ev.trigger_start, ev.trigger_end, ev.type, *filler), arg.role))
    return keys


def _trigger(ev: Event) -> tuple[int, int]:
    return ev.trigger_start, ev.trigger_end


def event_scores(first: DocumentRecord, second: DocumentRecord) -> EventScores:
    trigger_cls_by_type = _keyed_by(
        ((ev.type, _trigger(ev)) for ev in first.events), ((ev.type, _trigger(ev)) for ev in second.events)
    )
    args_a, args_b = argument_keys(first), argument_keys(second)
    arg_cls_by_type = _keyed_by(((t, (*k, role)) for t, k, role in args_a), ((t, (*k, role)) for t, k, role in args_b))
    return EventScores(
        trigger_id=keyed_score(map(_trigger, first.events), map(_trigger, second.events)),
        trigger_cls=sum(trigger_cls_by_type.values(), Score()),
        arg_id=keyed_score((k for _, k, _ in args_a), (k for _, k, _ in args_b)),
        arg_cls=sum(arg_cls_by_type.values(), Score()),
        trigger_cls_by_type=trigger_cls_by_type,
        arg_cls_by_type=arg_cls_by_type,
    )


# -- paired answers for kappa, confusion and fatalities ---------------------------------------------------------


def label_pairs(first: DocumentRecord, second: DocumentRecord) -> list[tuple[str, str]]:
    """The two labels of every span, paired one to one by exact offsets; NONE where one side has no span.

    At the same offsets equal labels pair first. Kappa uses the pairs where both marked the span; the
    confusion matrix uses them all, so missed spans show in its NONE row and column.
    """
    at: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
    for side, record in enumerate((first, second)):
        for e in record.entities:
            at.setdefault((e.start, e.end), ([], []))[side].append(e.label)
    pairs: list[tuple[str, str]] = []
    for offsets in sorted(at):
        a, b = (Counter(labels) for labels in at[offsets])
        same = a & b
        pairs += [(label, label) for label in sorted(same.elements())]
        rest_a, rest_b = sorted((a - same).elements()), sorted((b - same).elements())
        width = max(len(rest_a), len(rest_b))
        rest_a += [NONE] * (width - len(rest_a))
        rest_b += [NONE] * (width - len(rest_b))
        pairs += list(zip(rest_a, rest_b, strict=True))
    return pairs


def matched_events(first: DocumentRecord, second: DocumentRecord) -> list[tuple[Event, Event]]:
    """Events of both layers with the same trigger offsets and type, paired one to one in text order."""
    waiting: dict[tuple[int, int, str], list[Event]] = {}
    for ev in second.events:
        waiting.setdefault((*_trigger(ev), ev.type), []).append(ev)
    pairs = []
    for ev in first.events:
        partners = waiting.get((*_trigger(ev), ev.type))
        if partners:
            pairs.append((ev, partners.pop(0)))
    return pairs


def attribute_pairs(matched: Iterable[tuple[Event, Event]]) -> dict[str, list[tuple[str, str]]]:
    """Per attribute, the two values on matched events where at least one annotator set it (NONE: unset)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for a, b in matched:
        for name in sorted({*a.attrs, *b.attrs}):
            if name.startswith("_"):
                continue  # reserved bookkeeping, not an annotation
            found.setdefault(name, []).append((_attr(a, name), _attr(b, name)))
    return found


def _attr(ev: Event, name: str) -> str:
    value = ev.attrs.get(name)
    return NONE if value is None else str(value)


@dataclass(frozen=True, slots=True)
class FatalityAgreement:
    """Matched events where at least one annotator gave a death toll, and how many of them agree."""

    events: int = 0
    exact: int = 0  # the same value, low and high
    within_range: int = 0  # the two low-high ranges overlap (an open end reaches as far as it needs)

    def __add__(self, other: FatalityAgreement) -> FatalityAgreement:
        return FatalityAgreement(
            self.events + other.events, self.exact + other.exact, self.within_range + other.within_range
        )

    def to_json(self) -> dict[str, float | int | None]:
        share = (lambda n: round(n / self.events, 4)) if self.events else (lambda n: None)
        return {"events": self.events, "exact": share(self.exact), "within_range": share(self.within_range)}


def fatality_agreement(matched: Iterable[tuple[Event, Event]]) -> FatalityAgreement:
    total = FatalityAgreement()
    for a, b in matched:
        fa, fb = _toll(a.fatalities), _toll(b.fatalities)
        if fa is None and fb is None:
            continue
        exact = fa is not None and fb is not None and _exact(fa) == _exact(fb)
        overlapping = fa is not None and fb is not None and _overlap(_range(fa), _range(fb))
        total = total + FatalityAgreement(1, int(exact), int(overlapping))
    return total


def _toll(f: Fatalities | None) -> Fatalities | None:
    return None if f is None or (f.value is None and f.low is None and f.high is None) else f


def _exact(f: Fatalities) -> tuple[int | None, int | None, int | None]:
    return f.value, f.low, f.high


def _range(f: Fatalities) -> tuple[float, float]:
    """[low, high], each end falling back to the value ("at least 9" has no upper end); unknown ends are open."""
    lo = f.low if f.low is not None else f.value
    hi = f.high if f.high is not None else (None if f.qualifier == "at_least" else f.value)
    return (float(lo) if lo is not None else float("-inf"), float(hi) if hi is not None else float("inf"))


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]
