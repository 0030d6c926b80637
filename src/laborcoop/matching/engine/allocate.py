"""Mode 3: batch allocation that respects openings: each laborer at most one job, no job more laborers than
its openings, as many openings filled as the related feasible pairs allow and, among those fillings, a high
total score.

Building blocks:
- Candidate lists (`candidates.candidate_pairs`): a laborer's top-k feasible related jobs, optionally among a
  subset of jobs (those with room left).
- Min-cost flow (OR-Tools SimpleMinCostFlow): supply 1 at each laborer, demand = capacity at each job, arc
  cost = -score; `solve_max_flow_with_min_cost` fills as many places as the arcs allow and, among those
  fillings, maximises the total score.

`allocate` (see its docstring) runs flows over top-k lists, then augmenting passes that move placed laborers to
jobs with room so that those whose few jobs are all taken get a place. Baselines: capacity-aware greedy by
score, and the capacity-blind greedy top-K (everyone sent to their best jobs), which is what piles shortlists
onto the same few jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import Pairs, candidate_pairs, keep_best
from laborcoop.matching.engine.factors import ScoreContext
from laborcoop.matching.engine.filters import FilterOptions

ProgressFn = Callable[[int, int], None]
# Layers of placed laborers an augmenting pass looks through (free -> taken job -> its holder -> ...) while
# the candidate lists are short; a pass over complete lists looks through as many as there are.
MAX_DEPTH = 6
# A pass that places fewer than 1 in STALLED of those still unassigned makes the next pass look further.
STALLED = 10


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
    repairs: int = 10,
    repair_k: int = 8,
    job_depth: float = 4.0,
    time_limit: float | None = None,
    options: FilterOptions,
    relation_kind: str = "exact",
    cost_divisor: int = 10,
    progress: ProgressFn | None = None,
) -> Allocation:
    """Mode 3 end to end.

    Round 1: every eligible laborer's top-k jobs, each job keeping its best `job_depth` x openings applicants
    (an arc further down a popular job's pile is almost never in the optimum, and the flow is ~2x faster
    without them), min-cost flow. Later rounds: the laborers still unassigned, their top-k among the jobs with
    room, flow into the room left.

    Then augmenting passes (`repairs` at most; none starts after `time_limit` seconds, and each only adds, so
    stopping early keeps a valid allocation). Whoever is still unassigned wants jobs that are all taken; a pass
    looks from them through layers of holders (`MAX_DEPTH`): the holders of the jobs they want, those holders'
    moves to jobs with room (top `repair_k`, more in later passes), for holders with no such move their own
    top-k jobs, the holders of those, and so on, and keeps the holders on some path to a job with room.
    The first pass (most of the moves) re-solves all of those with the unassigned in one min-cost flow, so the
    total score decides who moves. Later passes (a few thousand left, mostly in closed clusters whose holders
    list each other's jobs) also look into the jobs not seen yet, pick the paths with a plain max flow (~10x
    faster) and re-solve only the laborers on them. A pass that places under 1 in `STALLED` of those left makes
    the next one's lists 16x longer; a pass over complete lists (every feasible related job) that places nobody
    proves the fill is the optimum's.

    Why not one flow over a large graph: top-k lists pile onto popular jobs, so one flow over top-k leaves out
    many people whose later choices had room, and a flow over every feasible pair is too big for the time
    budget (43M arcs at 200k x 10k: ~3 minutes)."""
    t0 = time.perf_counter()
    state = _State(laborers, jobs, cost_divisor)
    timer = {"candidates": 0.0, "solve": 0.0}
    graph = _Lists(laborers, jobs, ctx, options, relation_kind, state, timer)
    steps = rounds + repairs
    reach = graph.top(k, None, room_only=True)  # every eligible laborer with a feasible job has arcs here
    placeable = np.unique(reach.lab)
    state.solve(_keep(reach, keep_best(reach.score, reach.job, np.ceil(job_depth * state.room))), timer)
    if progress is not None:
        progress(1, steps)
    for r in range(1, rounds):
        unassigned = state.free(placeable)
        added = state.solve(graph.top(k, unassigned, room_only=True), timer) if len(unassigned) else 0
        if progress is not None:
            progress(r + 1, steps)
        if added == 0:
            break
    # Effort 0 (the first pass): top-k lists, every holder on a path re-solved. 1: also lists into the jobs not
    # seen yet, only the laborers on max-flow paths re-solved. 2 and more: lists 16x longer each time.
    effort = 0
    for r in range(repairs):
        unassigned = state.free(placeable)
        if len(unassigned) == 0 or (time_limit is not None and time.perf_counter() - t0 > time_limit):
            break
        width = min(k << 4 * max(effort - 1, 0), len(jobs))
        added = _augment(
            state,
            graph,
            reach if width == k else None,
            unassigned,
            width=width,
            room_width=max(repair_k << min(r, 2), width),
            depth=len(jobs) if width == len(jobs) else MAX_DEPTH,
            escape=effort > 0,
        )
        if progress is not None:
            progress(rounds + r + 1, steps)
        if added * STALLED < len(unassigned):
            if added == 0 and width == len(jobs):
                break  # complete lists and no augmenting path: the fill is the optimum's
            effort += 1
        effort = max(effort, 1)
    timer["total"] = time.perf_counter() - t0
    return state.result(timer)


def _augment(
    state: _State,
    graph: _Lists,
    reach: Pairs | None,
    free: np.ndarray,
    *,
    width: int,
    room_width: int,
    depth: int,
    escape: bool,
) -> int:
    """One augmenting pass around the unassigned `free` (see `allocate`); returns how many more are placed.
    `reach`, each laborer's top-`width` jobs if already at hand, saves generating those lists again."""

    def best_jobs(labs: np.ndarray) -> Pairs:
        return _subset(reach, labs) if reach is not None else graph.top(width, labs, room_only=False)

    n_labs, n_jobs = len(state.job_of), len(state.room)
    wanted = best_jobs(free)
    seen_job = np.zeros(n_jobs, dtype=bool)
    seen_lab = _mask(free, n_labs)
    frontier = _taken(state, wanted.job)
    moves: list[Pairs] = []
    onward: list[Pairs] = []
    for level in range(depth):
        seen_job[frontier] = True
        holders = state.holders_of(frontier)
        holders = holders[~seen_lab[holders]]
        seen_lab[holders] = True
        # Level 0 also gives the unassigned their jobs with room (one list generation for both).
        asked = np.concatenate([free, holders]) if level == 0 else holders
        if len(asked) == 0:
            break
        moves.append(graph.top(room_width, asked, room_only=True))
        if escape and len(np.unique(_union(*moves).lab)) >= 2 * len(free):
            break  # enough laborers who can move to room for all the paths this pass can find
        stuck = holders[~_mask(moves[-1].lab, n_labs)[holders]]
        further = best_jobs(stuck)
        if escape and len(stuck):
            unseen = np.flatnonzero(~seen_job & (state.room == 0))
            further = _union(further, graph.top(room_width, stuck, room_only=False, jobs=unseen))
        further = _keep(further, (state.room[further.job] == 0) & (further.job != state.job_of[further.lab]))
        onward.append(further)
        frontier = np.unique(further.job)
        frontier = frontier[~seen_job[frontier]]
    move, ahead = _union(*moves), _union(*onward)
    # Keep the holders on a path to room: those with a move, then those with an arc into a job whose holder
    # is kept, until nothing changes. Every other holder keeps its place and stays out of the flow.
    kept = _mask(move.lab, n_labs)
    while True:
        kept_job = _mask(state.job_of[np.flatnonzero(kept & (state.job_of >= 0))], n_jobs)
        via = ahead.lab[kept_job[ahead.job] & ~kept[ahead.lab]]
        if len(via) == 0:
            break
        kept[via] = True
    freed = np.flatnonzero(kept & (state.job_of >= 0))
    is_free = state.job_of[move.lab] < 0
    start = _union(_keep(wanted, kept_job[wanted.job] | (state.room[wanted.job] > 0)), _keep(move, is_free))
    arcs = _union(_keep(move, ~is_free), _keep(ahead, kept[ahead.lab] & kept_job[ahead.job]))
    if escape:
        on = _on_paths(state, start, freed, arcs)
        start, arcs, freed = _keep(start, on[start.lab]), _keep(arcs, on[arcs.lab]), freed[on[freed]]
    return state.resolve(start, freed, arcs, timer=graph.timer)


def _on_paths(state: _State, start: Pairs, freed: np.ndarray, arcs: Pairs) -> np.ndarray:
    """Mask of the laborers on some augmenting path of a maximum set of them (a plain max flow over the
    residual graph: unassigned -> job -> its freed holder -> another job ... -> a job with room), so that the
    min-cost flow that follows only has to weigh those."""
    n_labs, n_jobs = len(state.job_of), len(state.room)
    if len(start) == 0:
        return np.zeros(n_labs, dtype=bool)
    source, sink = n_labs + n_jobs, n_labs + n_jobs + 1
    room_jobs = np.flatnonzero(state.room > 0)
    free_labs = np.unique(start.lab)
    lab_job = _union(start, arcs)
    smf = max_flow.SimpleMaxFlow()
    tails = np.concatenate(
        [np.full(len(free_labs), source), lab_job.lab, n_labs + state.job_of[freed], n_labs + room_jobs]
    )
    heads = np.concatenate([free_labs, n_labs + lab_job.job, freed, np.full(len(room_jobs), sink)])
    caps = np.concatenate([np.ones(len(tails) - len(room_jobs), dtype=np.int64), state.room[room_jobs]])
    arc_ids = smf.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps)
    if smf.solve(source, sink) != smf.OPTIMAL:
        raise RuntimeError("max flow failed")
    first = len(free_labs)
    used = np.asarray(smf.flows(arc_ids[first : first + len(lab_job)])) > 0
    return _mask(lab_job.lab[used], n_labs)


class _Lists:
    """Candidate lists for the allocation's laborers, against every job or only those with room left."""

    def __init__(
        self,
        laborers: LaborerArrays,
        jobs: JobArrays,
        ctx: ScoreContext,
        options: FilterOptions,
        relation_kind: str,
        state: _State,
        timer: dict[str, float],
    ) -> None:
        self.laborers, self.jobs, self.ctx, self.options = laborers, jobs, ctx, options
        self.relation_kind, self.state, self.timer = relation_kind, state, timer

    def top(self, k: int, labs: np.ndarray | None, *, room_only: bool, jobs: np.ndarray | None = None) -> Pairs:
        t = time.perf_counter()
        pairs = candidate_pairs(
            self.laborers,
            self.jobs,
            self.ctx,
            k=k,
            job_factor=0,
            job_extra=0,
            options=self.options,
            relation_kind=self.relation_kind,
            lab_subset=labs,
            job_subset=np.flatnonzero(self.state.room > 0) if room_only else jobs,
        )
        self.timer["candidates"] += time.perf_counter() - t
        return pairs


def _taken(state: _State, job_pos: np.ndarray) -> np.ndarray:
    """The jobs among `job_pos` with no room left."""
    u = np.unique(job_pos)
    return u[state.room[u] == 0]


def _subset(pairs: Pairs, labs: np.ndarray) -> Pairs:
    """The pairs of the laborers `labs`."""
    return _keep(pairs, _mask(labs, int(pairs.lab.max(initial=-1)) + 1)[pairs.lab])


def _mask(positions: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[positions[positions < size]] = True
    return mask


def _keep(pairs: Pairs, mask: np.ndarray) -> Pairs:
    return Pairs(pairs.lab[mask], pairs.job[mask], pairs.score[mask])


def _union(*parts: Pairs) -> Pairs:
    if not parts:
        return Pairs(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32))
    return Pairs(
        np.concatenate([p.lab for p in parts]).astype(np.int64),
        np.concatenate([p.job for p in parts]).astype(np.int64),
        np.concatenate([p.score for p in parts]).astype(np.int32),
    )


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

    def free(self, labs: np.ndarray) -> np.ndarray:
        return labs[self.job_of[labs] < 0]

    def holders_of(self, job_pos: np.ndarray) -> np.ndarray:
        return np.flatnonzero(_mask(job_pos, len(self.room) + 1)[self.job_of])  # job -1 (none) is never set

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

    def resolve(self, wanted: Pairs, holders: np.ndarray, moves: Pairs, *, timer: dict[str, float]) -> int:
        """Re-solve the unassigned of `wanted` with `holders` (current jobs kept as arcs, `moves` added).
        The holders' current places are a feasible solution of this flow, so it never places fewer."""
        held = Pairs(holders, self.job_of[holders], self.score_of[holders])
        # Free the holders' places for the solve; the flow may put each back or move it.
        np.add.at(self.room, held.job, 1)
        self.job_of[holders] = -1
        self.score_of[holders] = 0
        return self.solve(_union(wanted, held, moves), timer) - len(holders)

    def result(self, timer: dict[str, float]) -> Allocation:
        lab = np.flatnonzero(self.job_of >= 0)
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
