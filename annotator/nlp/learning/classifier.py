"""A feature classifier (scikit-learn's DictVectorizer + LogisticRegression) stored as arrays, never as a pickle.

Models live in the project folder and may be shared; numpy arrays and JSON load without running code, and
survive a scikit-learn upgrade, which pickles do not.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

Features = Mapping[str, str | float]
#: The label of "none of the classes": not a trigger, not an argument.
NONE = "O"


def _name(key: str, value: str | float) -> str:
    """The column DictVectorizer makes of a feature: "lemma=strike" for strings, the key for numbers."""
    return f"{key}={value}" if isinstance(value, str) else key


class FeatureClassifier:
    """Multinomial logistic regression over sparse named features; `classes` include NONE."""

    def __init__(self, vectorizer: object, model: object) -> None:
        self._vectorizer = vectorizer
        self._model = model

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self._model.classes_]  # type: ignore[attr-defined]

    @classmethod
    def train(
        cls,
        rows: Sequence[Features],
        labels: Sequence[str],
        *,
        c: float = 4.0,
        intercept: bool = True,
        balanced: bool = True,
    ) -> FeatureClassifier | None:
        """Fit on the rows; None when there is nothing to tell apart (a single class).

        Without `intercept`, a row with no known feature gets even odds between two classes; without
        `balanced`, a rare class weighs what its rows weigh (a slip of a reviewer stays one slip).
        """
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            return None
        # A feature seen once says little and slows the optimiser: keep those seen at least twice.
        counts = Counter(_name(k, v) for row in rows for k, v in row.items())
        rows = [{k: v for k, v in row.items() if counts[_name(k, v)] > 1} for row in rows]
        vectorizer = DictVectorizer()
        matrix = vectorizer.fit_transform(rows)
        # lbfgs is deterministic: the same gold gives the same model, so versions are reproducible.
        model = LogisticRegression(
            C=c, max_iter=1000, solver="lbfgs", class_weight="balanced" if balanced else None, fit_intercept=intercept
        )
        model.fit(matrix, list(labels))
        return cls(vectorizer, model)

    def probabilities(self, rows: Sequence[Features]) -> np.ndarray:
        """One row of class probabilities per input row, in the order of `classes`."""
        if not rows:
            return np.zeros((0, len(self.classes)))
        matrix = self._vectorizer.transform(rows)  # type: ignore[attr-defined]
        return np.asarray(self._model.predict_proba(matrix))  # type: ignore[attr-defined]

    def save(self, stem: Path, extra: Mapping[str, Any] | None = None) -> None:
        """`stem`.json (classes, feature names, `extra` tables) and `stem`.npz (weights)."""
        model = self._model
        names = list(self._vectorizer.feature_names_)  # type: ignore[attr-defined]
        data = {"classes": self.classes, "features": names, "extra": dict(extra or {})}
        stem.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(stem.with_suffix(".npz"), coef=model.coef_, intercept=model.intercept_)  # type: ignore[attr-defined]

    @classmethod
    def load(cls, stem: Path) -> tuple[FeatureClassifier, dict[str, Any]]:
        """The classifier saved at `stem` and the `extra` tables saved with it."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(stem.with_suffix(".npz"), allow_pickle=False) as arrays:
            coef, intercept = arrays["coef"], arrays["intercept"]
        vectorizer = DictVectorizer()
        vectorizer.feature_names_ = list(meta["features"])
        vectorizer.vocabulary_ = {name: i for i, name in enumerate(vectorizer.feature_names_)}
        model = LogisticRegression()
        model.classes_ = np.array(meta["classes"])
        model.coef_ = coef
        model.intercept_ = intercept
        model.n_features_in_ = coef.shape[1]
        return cls(vectorizer, model), dict(meta.get("extra") or {})
