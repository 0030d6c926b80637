"""Mode 1 (a job -> top-k candidates) and mode 2 (a laborer -> top-k jobs).

Results order by score descending, then id ascending, whatever the physical row order, so an index kept up to
date row by row returns exactly what a rebuilt one returns.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import ColumnStore, JobArrays, LaborerArrays
from laborcoop.matching.engine.factors import FACTOR_CODES, ScoreContext
from laborcoop.matching.engine.filters import FilterOptions, feasible
from laborcoop.matching.engine.score import Side, explain_pair, score_pairs

RegionRange = tuple[int, int]  # inclusive 12-digit code range, like regions.scope.code_range


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best (score desc, id asc), exactly, ties included deterministically."""
    n = len(scores)
    if k <= 0 or n == 0:
        return np.empty(0, dtype=np.intp)
    if n > k:
        threshold = np.partition(scores, n - k)[n - k]
        cand = np.flatnonzero(scores >= threshold)
    else:
        cand = np.arange(n)
    order = np.lexsort((ids[cand], -scores[cand].astype(np.int64)))
    return cand[order[:k]]


@dataclass
class Ranking:
    """Ranked ids with scores (points), per-factor contributions (centipoints) and explanations."""

    ids: np.ndarray
    centipoints: np.ndarray
    parts: dict[str, np.ndarray]
    n_feasible: int
    _lab_rows: list[dict[str, Any]]
    _job_rows: list[dict[str, Any]]
    _ctx: ScoreContext

    @property
    def scores(self) -> np.ndarray:
        return self.centipoints / 100.0

    def __len__(self) -> int:
        return len(self.ids)

    def factors(self, i: int) -> list[dict[str, Any]]:
        parts = {code: int(self.parts[code][i]) for code in FACTOR_CODES}
        return explain_pair(self._lab_rows[i], self._job_rows[i], parts, self._ctx)

    def items(self) -> list[dict[str, Any]]:
        """[{id, score, factors: [{code, label, points, text}]}], the shape the API returns."""
        return [
            {"id": int(self.ids[i]), "score": int(self.centipoints[i]) / 100, "factors": self.factors(i)}
            for i in range(len(self))
        ]


def _pool_mask(laborers: LaborerArrays, pool: np.ndarray | RegionRange | None) -> np.ndarray | None:
    if pool is None:
        return None
    if isinstance(pool, tuple):
        region = laborers.col("region")
        return (region >= pool[0]) & (region <= pool[1])
    return np.asarray(pool, dtype=bool)


def _exclude(mask: np.ndarray, store: ColumnStore, exclude_ids: Any) -> None:
    for row_id in exclude_ids or ():
        pos = store.position(row_id)
        if pos is not None:
            mask[pos] = False


def rank_candidates(
    laborers: LaborerArrays,
    jobs: JobArrays,
    job_pos: int,
    ctx: ScoreContext,
    *,
    k: int = 50,
    options: FilterOptions,
    pool: np.ndarray | RegionRange | None = None,
    exclude_ids: Any = None,
) -> Ranking:
    """Mode 1: the best k laborers for the job at `job_pos` of `jobs`, among `pool` (a boolean mask over the
    laborer rows, or a region code range: the poster's visible pool) minus `exclude_ids` (already sent)."""
    ctx.ensure_fresh()
    job = Side(jobs, job_pos)
    options = dataclasses.replace(options, only_active_jobs=False)  # on demand, also for a paused posting
    mask, rel = feasible(Side(laborers, slice(None)), job, options)
    extra = _pool_mask(laborers, pool)
    if extra is not None:
        mask &= extra
    _exclude(mask, laborers, exclude_ids)
    idx = np.flatnonzero(mask)
    total = score_pairs(Side(laborers, idx), job, rel[idx], ctx).total
    best = idx[top_k(total, laborers.col("id")[idx], k)]
    return _ranking(
        laborers, best, jobs, np.full(len(best), job_pos), rel[best], ctx, n_feasible=len(idx), ranked_jobs=False
    )


def rank_jobs(
    laborers: LaborerArrays,
    jobs: JobArrays,
    laborer_pos: int,
    ctx: ScoreContext,
    *,
    k: int = 20,
    options: FilterOptions,
    exclude_ids: Any = None,
) -> Ranking:
    """Mode 2: the best k active jobs for the laborer at `laborer_pos`. An ineligible laborer gets none."""
    ctx.ensure_fresh()
    lab = Side(laborers, laborer_pos)
    mask, rel = feasible(lab, Side(jobs, slice(None)), options)
    mask = np.array(np.broadcast_to(mask, (len(jobs),)))
    _exclude(mask, jobs, exclude_ids)
    idx = np.flatnonzero(mask)
    total = score_pairs(lab, Side(jobs, idx), rel[idx], ctx).total
    best = idx[top_k(total, jobs.col("id")[idx], k)]
    return _ranking(
        laborers, np.full(len(best), laborer_pos), jobs, best, rel[best], ctx, n_feasible=len(idx), ranked_jobs=True
    )


def _ranking(
    laborers: LaborerArrays,
    lab_pos: np.ndarray,
    jobs: JobArrays,
    job_pos: np.ndarray,
    rel: np.ndarray,
    ctx: ScoreContext,
    *,
    n_feasible: int,
    ranked_jobs: bool,
) -> Ranking:
    """Recompute the k winners with their parts (same integer arithmetic, hence the same totals)."""
    scored = score_pairs(Side(laborers, lab_pos), Side(jobs, job_pos), rel, ctx, keep_parts=True)
    parts = {code: np.array(np.broadcast_to(v, rel.shape)) for code, v in scored.parts.items()}
    ids = jobs.col("id")[job_pos] if ranked_jobs else laborers.col("id")[lab_pos]
    return Ranking(
        ids=np.array(ids),
        centipoints=np.array(scored.total),
        parts=parts,
        n_feasible=n_feasible,
        _lab_rows=[laborers.row(int(p)) for p in lab_pos],
        _job_rows=[jobs.row(int(p)) for p in job_pos],
        _ctx=ctx,
    )
