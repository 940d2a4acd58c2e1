"""Chance-corrected agreement on categories: Cohen's kappa for two annotators, Krippendorff's alpha for many.

Pure functions over plain values. Both return None when the figure is undefined: when every answer
falls in one category, expected disagreement is zero and there is nothing to correct for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import permutations

NONE = "∅"  # the category "did not mark it", where a unit is a span someone else marked


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa over paired answers: (observed - expected agreement) / (1 - expected).

    Expected agreement is the chance that two answers drawn from each annotator's own label
    distribution coincide (sum over labels of p_first(label) * p_second(label)).
    """
    pairs = list(pairs)
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


class Coincidences:
    """Krippendorff's coincidence matrix for nominal data, built unit by unit so a corpus is never held whole.

    A unit with m values (one per coder who answered) adds 1/(m-1) for each ordered pair of values from
    different coders; alpha = 1 - (n-1) * disagreeing coincidences / sum over c != k of n_c n_k.
    """

    def __init__(self) -> None:
        self._pairs: dict[tuple[Hashable, Hashable], float] = {}
        self.units = 0

    def add(self, unit: Sequence[Hashable | None]) -> None:
        """One unit's values, one per coder, None where the coder did not answer (it is then left out)."""
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            return  # a unit fewer than two coders answered tells nothing about agreement
        self.units += 1
        for a, b in permutations(values, 2):
            self._pairs[(a, b)] = self._pairs.get((a, b), 0.0) + 1 / (m - 1)

    def alpha(self) -> float | None:
        totals: dict[Hashable, float] = {}
        for (a, _b), weight in self._pairs.items():
            totals[a] = totals.get(a, 0.0) + weight
        n = sum(totals.values())
        disagreeing = sum(w for (a, b), w in self._pairs.items() if a != b)
        expected = n * n - sum(v * v for v in totals.values())  # sum over c != k of n_c n_k
        if n <= 1 or expected <= 1e-12:
            return None
        return 1 - (n - 1) * disagreeing / expected


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal); each unit lists one value per coder, None where missing."""
    matrix = Coincidences()
    for unit in units:
        matrix.add(unit)
    return matrix.alpha()
