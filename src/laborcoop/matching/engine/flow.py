"""The solvers under mode 3: a min-cost flow over a candidate graph (OR-Tools SimpleMinCostFlow: supply 1 at
each laborer, demand = capacity at each job, arc cost = -score; `solve_max_flow_with_min_cost` fills as many
places as the arcs allow and, among those fillings, maximises the total score), and the reference optimum over
every feasible pair (`allocate_exact`, `max_fill`) that the tests and the benchmark compare against."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import Pairs, candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext
from laborcoop.matching.engine.filters import FilterOptions


@dataclass
class Allocation:
    lab: np.ndarray  # laborer positions assigned
    job: np.ndarray  # job positions they are assigned to
    score: np.ndarray  # centipoints of each assignment
    openings: int  # total openings of the active jobs
    method: str
    seconds: dict[str, float] = field(default_factory=dict)
    n_pairs: int = 0

    @property
    def filled(self) -> int:
        return len(self.lab)

    @property
    def fill_rate(self) -> float:
        return self.filled / self.openings if self.openings else 0.0


def allocate_flow(
    pairs: Pairs,
    jobs: JobArrays,
    *,
    method: str = "min_cost_flow",
    capacity: np.ndarray | None = None,
    cost_divisor: int = 1,
) -> Allocation:
    """Max fill, then max total score, over the candidate graph (each laborer at most one job).

    `capacity` (per job position) replaces the openings, e.g. the room left after an earlier round;
    `cost_divisor` coarsens the arc costs for the solver (10: tenths of a point), which is faster."""
    t0 = time.perf_counter()
    openings = jobs.col("openings") if capacity is None else capacity
    total_openings = int(openings[jobs.col("active") != 0].sum())
    if len(pairs) == 0:
        return empty_allocation(total_openings, method)
    lab_nodes, lab_idx = np.unique(pairs.lab, return_inverse=True)
    job_nodes, job_idx = np.unique(pairs.job, return_inverse=True)
    n_lab = len(lab_nodes)
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        lab_idx.astype(np.int32),
        (n_lab + job_idx).astype(np.int32),
        np.ones(len(pairs), dtype=np.int64),
        -(pairs.score.astype(np.int64) // cost_divisor),
    )
    nodes = np.arange(n_lab + len(job_nodes), dtype=np.int32)
    supplies = np.concatenate([np.ones(n_lab, dtype=np.int64), -openings[job_nodes].astype(np.int64)])
    smcf.set_nodes_supplies(nodes, supplies)
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed: {status}")
    used = np.asarray(smcf.flows(arcs)) > 0
    alloc = Allocation(
        lab=pairs.lab[used],
        job=pairs.job[used],
        score=pairs.score[used],
        openings=total_openings,
        method=method,
        n_pairs=len(pairs),
    )
    alloc.seconds["solve"] = time.perf_counter() - t0
    return alloc


def allocate_exact(
    laborers: LaborerArrays, jobs: JobArrays, ctx: ScoreContext, *, options: FilterOptions, relation_kind: str = "all"
) -> Allocation:
    """The optimum over every feasible (and, unless "all", related) pair: for small instances."""
    pairs = candidate_pairs(
        laborers,
        jobs,
        ctx,
        k=max(len(jobs), 1),
        job_factor=0,
        job_extra=0,
        options=options,
        relation_kind=relation_kind,
    )
    return allocate_flow(pairs, jobs, method="exact")


def max_fill(
    laborers: LaborerArrays,
    jobs: JobArrays,
    ctx: ScoreContext,
    *,
    options: FilterOptions,
    relation_kind: str = "exact",
) -> tuple[int, int]:
    """(largest possible fill, number of arcs) over every feasible related pair: the reference optimum for
    the fill rate (a max flow, i.e. the fill of the min-cost-flow optimum over the whole graph).
    Memory grows with the number of feasible pairs (~17 bytes each before the solver's own)."""
    pairs = candidate_pairs(
        laborers,
        jobs,
        ctx,
        k=max(len(jobs), 1),
        job_factor=0,
        job_extra=0,
        options=options,
        relation_kind=relation_kind,
    )
    if len(pairs) == 0:
        return 0, 0
    n_lab, n_job = len(laborers), len(jobs)
    source, sink = n_lab + n_job, n_lab + n_job + 1
    lab_nodes = np.unique(pairs.lab).astype(np.int32)
    job_nodes = np.unique(pairs.job).astype(np.int32)
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(
        np.full(len(lab_nodes), source, dtype=np.int32), lab_nodes, np.ones(len(lab_nodes), dtype=np.int64)
    )
    smf.add_arcs_with_capacity(
        pairs.lab.astype(np.int32), (n_lab + pairs.job).astype(np.int32), np.ones(len(pairs), dtype=np.int64)
    )
    smf.add_arcs_with_capacity(
        (n_lab + job_nodes).astype(np.int32),
        np.full(len(job_nodes), sink, dtype=np.int32),
        jobs.col("openings")[job_nodes].astype(np.int64),
    )
    n_arcs = len(pairs)
    del pairs
    if smf.solve(source, sink) != smf.OPTIMAL:
        raise RuntimeError("max flow failed")
    return int(smf.optimal_flow()), n_arcs


def empty_allocation(openings: int, method: str) -> Allocation:
    empty = np.empty(0, dtype=np.int64)
    return Allocation(empty, empty, np.empty(0, dtype=np.int32), openings, method)
