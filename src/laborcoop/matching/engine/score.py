"""Scoring of (laborer, job) pairs: views over the column stores, and the sum of the factor contributions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import ColumnStore
from laborcoop.matching.engine.factors import FACTOR_CODES, FACTORS, ScoreContext


class Side:
    """Columns of a store gathered at `sel` (a slice, an index array of any shape, or one position),
    gathered lazily and cached. With `sel=slice(None)` the columns are views, not copies."""

    def __init__(self, store: ColumnStore, sel: Any) -> None:
        self._store = store
        self._sel = sel
        self._cache: dict[str, Any] = {}

    def gather_where(self, name: str, mask: np.ndarray) -> np.ndarray:
        """Column `name` at the selected positions where `mask` holds, without gathering the others (the
        selection must be one-dimensional like `mask`)."""
        sel = self._sel
        if isinstance(sel, np.ndarray) and sel.ndim == 1 and mask.ndim == 1:
            return self._store.col(name)[sel[mask]]
        return np.asarray(getattr(self, name))[mask]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        cache = self._cache
        if name not in cache:
            cache[name] = self._store.col(name)[self._sel]
        return cache[name]


@dataclass
class Scored:
    """Score (centipoints, int32) and per-factor contributions (centipoints) of a set of pairs."""

    total: np.ndarray
    parts: dict[str, np.ndarray]


def score_pairs(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext, *, keep_parts: bool = False) -> Scored:
    """Sum of all factor contributions. The sum is in integers, so it equals the sum of `parts` exactly."""
    total: np.ndarray | None = None
    parts: dict[str, np.ndarray] = {}
    for factor in FACTORS:
        c = factor.compute(lab, job, rel, ctx)
        if keep_parts:
            parts[factor.code] = c
        total = c.astype(np.int32) if total is None else total + c
    assert total is not None
    return Scored(total=np.broadcast_to(total, rel.shape), parts=parts)


def explain_pair(lab_row: dict[str, Any], job_row: dict[str, Any], parts: dict[str, int], ctx: ScoreContext) -> list:
    """[{code, label, points, text}] for one pair, in factor order; `points` add up to the score."""
    return [
        {
            "code": f.code,
            "label": f.label,
            "points": parts[f.code] / 100,
            "text": f.explain(lab_row, job_row, ctx),
        }
        for f in FACTORS
    ]


__all__ = ["FACTOR_CODES", "Scored", "Side", "explain_pair", "score_pairs"]
