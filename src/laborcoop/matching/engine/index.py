"""The warm in-process index: one taxonomy, the laborer and job tables, the score context.

A process (web worker, task worker) builds it once from selector rows and keeps it; services call
`upsert_laborer` / `remove_laborer` / `upsert_job` / `remove_job` (on commit) when rows change, so mode 1 over a
province needs no database read of the laborer columns. Not thread-safe: guard it with a lock if shared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import numpy as np

from laborcoop.matching.engine.allocate import Allocation, allocate
from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.factors import ScoreContext, Weights
from laborcoop.matching.engine.filters import FilterOptions
from laborcoop.matching.engine.rank import Ranking, RegionRange, rank_candidates, rank_jobs
from laborcoop.matching.engine.taxonomy import Taxonomy

ERR_UNKNOWN_JOB = "unknown_job"
ERR_UNKNOWN_LABORER = "unknown_laborer"


class MatchIndex:
    def __init__(
        self,
        *,
        laborers: LaborerArrays,
        jobs: JobArrays,
        taxonomy: Taxonomy,
        weights: Weights | None = None,
        agreements: Iterable[tuple[str, str]] = (),
        today: date | None = None,
    ) -> None:
        self.taxonomy = taxonomy
        self.laborers = laborers
        self.jobs = jobs
        self.today = today or date.today()
        labels = dict(agreements) if isinstance(agreements, Mapping) else {}
        self.ctx = ScoreContext(
            weights=weights or Weights(), taxonomy=taxonomy, agreements=frozenset(agreements), agreement_labels=labels
        )

    @classmethod
    def build(
        cls,
        *,
        laborer_rows: Iterable[Mapping[str, Any]],
        job_rows: Iterable[Mapping[str, Any]],
        weights: Weights | None = None,
        agreements: Iterable[tuple[str, str]] = (),
        today: date | None = None,
        taxonomy: Taxonomy | None = None,
    ) -> MatchIndex:
        tax = taxonomy or Taxonomy()
        today = today or date.today()
        return cls(
            laborers=LaborerArrays.from_rows(laborer_rows, tax),
            jobs=JobArrays.from_rows(job_rows, tax, today=today),
            taxonomy=tax,
            weights=weights,
            agreements=agreements,
            today=today,
        )

    # --- incremental updates ---------------------------------------------------------------------------
    def upsert_laborer(self, raw: Mapping[str, Any]) -> None:
        self.laborers.upsert(raw, self.taxonomy)

    def remove_laborer(self, laborer_id: int) -> bool:
        return self.laborers.remove(laborer_id)

    def upsert_job(self, raw: Mapping[str, Any]) -> None:
        self.jobs.upsert(raw, self.taxonomy, today=self.today)

    def remove_job(self, job_id: int) -> bool:
        return self.jobs.remove(job_id)

    def set_weights(self, weights: Weights) -> None:
        self.ctx.weights = weights
        self.ctx.refresh()

    def options(self, **kwargs: Any) -> FilterOptions:
        return FilterOptions(as_of=self.today, **kwargs)

    # --- modes -------------------------------------------------------------------------------------------
    def candidates_for_job(
        self,
        job_id: int,
        *,
        k: int = 50,
        pool: np.ndarray | RegionRange | None = None,
        exclude_ids: Iterable[int] = (),
        options: FilterOptions | None = None,
    ) -> Ranking:
        pos = self.jobs.position(job_id)
        if pos is None:
            raise KeyError(ERR_UNKNOWN_JOB)
        return rank_candidates(
            self.laborers,
            self.jobs,
            pos,
            self.ctx,
            k=k,
            options=options or self.options(),
            pool=pool,
            exclude_ids=exclude_ids,
        )

    def jobs_for_laborer(
        self,
        laborer_id: int,
        *,
        k: int = 20,
        exclude_ids: Iterable[int] = (),
        options: FilterOptions | None = None,
    ) -> Ranking:
        pos = self.laborers.position(laborer_id)
        if pos is None:
            raise KeyError(ERR_UNKNOWN_LABORER)
        return rank_jobs(
            self.laborers, self.jobs, pos, self.ctx, k=k, options=options or self.options(), exclude_ids=exclude_ids
        )

    def allocate(self, *, k: int = 10, options: FilterOptions | None = None, **kwargs: Any) -> Allocation:
        return allocate(self.laborers, self.jobs, self.ctx, k=k, options=options or self.options(), **kwargs)
