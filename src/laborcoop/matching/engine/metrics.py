"""Allocation quality measures: congestion (Gini of candidates per opening) and hard-constraint violations."""

from __future__ import annotations

import numpy as np

from laborcoop.matching.engine.allocate import Allocation
from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.filters import FilterOptions, feasible
from laborcoop.matching.engine.score import Side


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum.sum() / cum[-1])) / n)


def per_opening(count_per_job: np.ndarray, jobs: JobArrays) -> np.ndarray:
    """Candidates (or hires) per opening of each active job, from a count per job position."""
    active = jobs.col("active") != 0
    return (count_per_job[active] / np.maximum(jobs.col("openings")[active], 1)).astype(np.float64)


def violations(alloc: Allocation, laborers: LaborerArrays, jobs: JobArrays, options: FilterOptions) -> dict[str, int]:
    """Assignments that break a hard filter, jobs over their openings, laborers assigned twice."""
    if alloc.filled == 0:
        return {"hard_filter": 0, "over_capacity": 0, "double_assigned": 0}
    mask, _ = feasible(Side(laborers, alloc.lab), Side(jobs, alloc.job), options)
    per_job = np.bincount(alloc.job, minlength=len(jobs))
    return {
        "hard_filter": int((~mask).sum()),
        "over_capacity": int((per_job > jobs.col("openings")).sum()),
        "double_assigned": int(len(alloc.lab) - len(np.unique(alloc.lab))),
    }
