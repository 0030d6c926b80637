"""Mode 3: batch allocation that respects openings.

1. Candidate generation: each eligible laborer's top-K feasible active jobs. Jobs are bucketed by occupation
   and each bucket is scored as a dense block against the laborers whose intents, skills (or, with neither,
   the generic occupations 普工/装卸/保洁 ...) relate to it; `related_only=False` scores every bucket for every
   laborer (exact top-K, for small instances).
2. Min-cost flow (OR-Tools SimpleMinCostFlow): supply 1 at each laborer, demand = openings at each job, arc
   cost = -score; `solve_max_flow_with_min_cost` fills as many openings as the candidate graph allows and,
   among those fillings, maximises the total score.
Baselines: capacity-aware greedy by score, and the capacity-blind greedy top-K (everyone sent to their best
jobs), which is what piles shortlists onto the same few jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import Pairs, candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext
from laborcoop.matching.engine.filters import FilterOptions

ProgressFn = Callable[[int, int], None]


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


# --- allocation --------------------------------------------------------------------------------------------


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
        return _empty(total_openings, method)
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


def allocate_greedy(pairs: Pairs, jobs: JobArrays) -> Allocation:
    """Capacity-aware greedy: best pairs first while the laborer is free and the job has room."""
    t0 = time.perf_counter()
    openings = jobs.col("openings")
    total_openings = int(openings[jobs.col("active") != 0].sum())
    order = np.lexsort((pairs.job, pairs.lab, -pairs.score.astype(np.int64)))
    room = openings.astype(np.int64).copy()
    taken: set[int] = set()
    chosen: list[int] = []
    for i, lab, job in zip(order.tolist(), pairs.lab[order].tolist(), pairs.job[order].tolist(), strict=True):
        if room[job] > 0 and lab not in taken:
            room[job] -= 1
            taken.add(lab)
            chosen.append(i)
    sel = np.array(chosen, dtype=np.int64)
    alloc = Allocation(
        lab=pairs.lab[sel],
        job=pairs.job[sel],
        score=pairs.score[sel],
        openings=total_openings,
        method="greedy",
        n_pairs=len(pairs),
    )
    alloc.seconds["solve"] = time.perf_counter() - t0
    return alloc


def greedy_top_k_blind(pairs: Pairs, jobs: JobArrays, *, k: int) -> tuple[Allocation, np.ndarray]:
    """Capacity-blind baseline: everyone is sent to their k best jobs and takes the best one that is still
    open in their own list order, but jobs only learn of the pile afterwards, so a job keeps at most
    `openings` of those who picked it first. Returns the resulting allocation and the number of candidates
    sent to each job (for congestion)."""
    openings = jobs.col("openings")
    total_openings = int(openings[jobs.col("active") != 0].sum())
    order = np.lexsort((-pairs.score.astype(np.int64), pairs.lab))
    lab, job, score = pairs.lab[order], pairs.job[order], pairs.score[order]
    starts = np.r_[0, np.flatnonzero(np.diff(lab)) + 1] if len(lab) else np.empty(0, dtype=np.int64)
    rank = np.arange(len(lab)) - np.repeat(starts, np.diff(np.r_[starts, len(lab)])) if len(lab) else lab
    shortlist = rank < k
    sent = np.bincount(job[shortlist], minlength=len(jobs))
    first = rank == 0
    # Each job keeps the best-scored of those whose first choice it is, up to its openings.
    f_lab, f_job, f_score = lab[first], job[first], score[first]
    o = np.lexsort((f_lab, -f_score.astype(np.int64), f_job))
    f_lab, f_job, f_score = f_lab[o], f_job[o], f_score[o]
    jstarts = np.r_[0, np.flatnonzero(np.diff(f_job)) + 1] if len(f_job) else np.empty(0, dtype=np.int64)
    jrank = np.arange(len(f_job)) - np.repeat(jstarts, np.diff(np.r_[jstarts, len(f_job)])) if len(f_job) else f_job
    keep = jrank < openings[f_job]
    alloc = Allocation(
        lab=f_lab[keep],
        job=f_job[keep],
        score=f_score[keep],
        openings=total_openings,
        method="greedy_top_k_blind",
        n_pairs=len(pairs),
    )
    return alloc, sent


def allocate(
    laborers: LaborerArrays,
    jobs: JobArrays,
    ctx: ScoreContext,
    *,
    k: int = 8,
    rounds: int = 3,
    repairs: int = 6,
    repair_k: int = 16,
    time_limit: float | None = None,
    options: FilterOptions,
    relation_kind: str = "exact",
    cost_divisor: int = 10,
    progress: ProgressFn | None = None,
) -> Allocation:
    """Mode 3 end to end.

    Round 1: every eligible laborer's top-k jobs, min-cost flow. Later rounds: the laborers still
    unassigned against the jobs that still have room (their top-k among those), flow over the room left.
    Repairs: the unassigned laborers with their top-`repair_k` feasible jobs, the laborers now holding those jobs,
    and those holders' top-k among the jobs with room, in one flow: a holder moves to a job with room so
    that someone with fewer options gets the place (augmenting paths the top-k graph does not contain).

    Why not one flow over a large graph: top-k lists pile onto popular jobs, so one flow over top-k leaves
    out many people whose later choices had room, and a flow over every feasible pair is too big for the
    time budget (tens of millions of arcs at 200k x 10k)."""
    t0 = time.perf_counter()
    state = _State(laborers, jobs, cost_divisor)
    timer = {"candidates": 0.0, "solve": 0.0}
    steps = rounds + repairs
    unassigned: np.ndarray | None = None
    for r in range(rounds):
        t1 = time.perf_counter()
        pairs = candidate_pairs(
            laborers,
            jobs,
            ctx,
            k=k,
            job_factor=0,
            job_extra=0,
            options=options,
            relation_kind=relation_kind,
            lab_subset=unassigned,
            job_subset=np.flatnonzero(state.room > 0),
        )
        timer["candidates"] += time.perf_counter() - t1
        added = state.solve(pairs, timer)
        unassigned = np.setdiff1d(np.unique(pairs.lab) if unassigned is None else unassigned, state.assigned_labs())
        if progress is not None:
            progress(r + 1, steps)
        if added == 0 or len(unassigned) == 0:
            break
    for r in range(repairs):
        if unassigned is None or len(unassigned) == 0:
            break
        if time_limit is not None and time.perf_counter() - t0 > time_limit:
            break  # every repair only adds: stopping early keeps a valid allocation
        t1 = time.perf_counter()
        wanted = candidate_pairs(
            laborers,
            jobs,
            ctx,
            k=repair_k << min(r, 4),  # later repairs: fewer people, look further down their lists
            job_factor=0,
            job_extra=0,
            options=options,
            relation_kind=relation_kind,
            lab_subset=unassigned,
        )
        holders = state.holders_of(np.unique(wanted.job))
        moves = candidate_pairs(
            laborers,
            jobs,
            ctx,
            k=k << min(r, 3),
            job_factor=0,
            job_extra=0,
            options=options,
            relation_kind=relation_kind,
            lab_subset=holders,
            job_subset=np.flatnonzero(state.room > 0),
        )
        timer["candidates"] += time.perf_counter() - t1
        added = state.resolve(wanted, holders, moves, timer)
        unassigned = np.setdiff1d(unassigned, state.assigned_labs())
        if progress is not None:
            progress(rounds + r + 1, steps)
        if added == 0:
            break
    timer["total"] = time.perf_counter() - t0
    return state.result(timer)


class _State:
    """The assignment being built: job of each laborer position (-1 none), score, room left per job."""

    def __init__(self, laborers: LaborerArrays, jobs: JobArrays, cost_divisor: int) -> None:
        self.jobs = jobs
        active = jobs.col("active") != 0
        self.total_openings = int(jobs.col("openings")[active].sum())
        self.room = np.where(active, jobs.col("openings"), 0).astype(np.int64)
        self.job_of = np.full(len(laborers), -1, dtype=np.int64)
        self.score_of = np.zeros(len(laborers), dtype=np.int32)
        self.cost_divisor = cost_divisor
        self.n_pairs = 0

    def assigned_labs(self) -> np.ndarray:
        return np.flatnonzero(self.job_of >= 0)

    def holders_of(self, job_pos: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.isin(self.job_of, job_pos))

    def solve(self, pairs: Pairs, timer: dict[str, float]) -> int:
        """A flow over `pairs` (laborers not yet assigned) into the room left."""
        t = time.perf_counter()
        got = allocate_flow(pairs, self.jobs, capacity=self.room, cost_divisor=self.cost_divisor)
        timer["solve"] += time.perf_counter() - t
        self.n_pairs += len(pairs)
        self.job_of[got.lab] = got.job
        self.score_of[got.lab] = got.score
        np.subtract.at(self.room, got.job, 1)
        return got.filled

    def resolve(self, wanted: Pairs, holders: np.ndarray, moves: Pairs, timer: dict[str, float]) -> int:
        """Re-solve the unassigned of `wanted` with `holders` (current jobs kept as arcs, `moves` added)."""
        held = Pairs(holders, self.job_of[holders], self.score_of[holders])
        pairs = Pairs(
            np.concatenate([wanted.lab, held.lab, moves.lab]).astype(np.int64),
            np.concatenate([wanted.job, held.job, moves.job]).astype(np.int64),
            np.concatenate([wanted.score, held.score, moves.score]).astype(np.int32),
        )
        before = len(holders)
        # Free the holders' places for the solve; the flow may put each back or move it.
        np.add.at(self.room, held.job, 1)
        self.job_of[holders] = -1
        self.score_of[holders] = 0
        filled = self.solve(pairs, timer)
        return filled - before

    def result(self, timer: dict[str, float]) -> Allocation:
        lab = self.assigned_labs()
        return Allocation(
            lab=lab,
            job=self.job_of[lab],
            score=self.score_of[lab],
            openings=self.total_openings,
            method="min_cost_flow",
            seconds=timer,
            n_pairs=self.n_pairs,
        )


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


def _empty(openings: int, method: str) -> Allocation:
    empty = np.empty(0, dtype=np.int64)
    return Allocation(empty, empty, np.empty(0, dtype=np.int32), openings, method)
