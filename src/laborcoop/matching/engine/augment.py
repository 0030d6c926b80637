"""Augmenting passes of mode 3 (see `allocate.allocate`): from the laborers still unassigned, through layers of
holders of the jobs they want, to jobs with room; the holders on such paths are re-solved with the unassigned
in one min-cost flow (or, in later passes, only those on the paths a plain max flow picks)."""

from __future__ import annotations

import time

import numpy as np
from ortools.graph.python import max_flow

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.candidates import Pairs, candidate_pairs
from laborcoop.matching.engine.factors import ScoreContext
from laborcoop.matching.engine.filters import FilterOptions
from laborcoop.matching.engine.flow import Allocation, allocate_flow

# Layers of placed laborers an augmenting pass looks through (free -> taken job -> its holder -> ...) while
# the candidate lists are short; a pass over complete lists looks through as many as there are.
MAX_DEPTH = 6


def augmenting_pass(
    state: AssignmentState,
    graph: CandidateLists,
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
        return subset_pairs(reach, labs) if reach is not None else graph.top(width, labs, room_only=False)

    n_labs, n_jobs = len(state.job_of), len(state.room)
    wanted = best_jobs(free)
    seen_job = np.zeros(n_jobs, dtype=bool)
    seen_lab = position_mask(free, n_labs)
    frontier = taken_jobs(state, wanted.job)
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
        if escape and len(np.unique(union_pairs(*moves).lab)) >= 2 * len(free):
            break  # enough laborers who can move to room for all the paths this pass can find
        stuck = holders[~position_mask(moves[-1].lab, n_labs)[holders]]
        further = best_jobs(stuck)
        if escape and len(stuck):
            unseen = np.flatnonzero(~seen_job & (state.room == 0))
            further = union_pairs(further, graph.top(room_width, stuck, room_only=False, jobs=unseen))
        further = keep_pairs(further, (state.room[further.job] == 0) & (further.job != state.job_of[further.lab]))
        onward.append(further)
        frontier = np.unique(further.job)
        frontier = frontier[~seen_job[frontier]]
    move, ahead = union_pairs(*moves), union_pairs(*onward)
    # Keep the holders on a path to room: those with a move, then those with an arc into a job whose holder
    # is kept, until nothing changes. Every other holder keeps its place and stays out of the flow.
    kept = position_mask(move.lab, n_labs)
    while True:
        kept_job = position_mask(state.job_of[np.flatnonzero(kept & (state.job_of >= 0))], n_jobs)
        via = ahead.lab[kept_job[ahead.job] & ~kept[ahead.lab]]
        if len(via) == 0:
            break
        kept[via] = True
    freed = np.flatnonzero(kept & (state.job_of >= 0))
    is_free = state.job_of[move.lab] < 0
    start = union_pairs(
        keep_pairs(wanted, kept_job[wanted.job] | (state.room[wanted.job] > 0)), keep_pairs(move, is_free)
    )
    arcs = union_pairs(keep_pairs(move, ~is_free), keep_pairs(ahead, kept[ahead.lab] & kept_job[ahead.job]))
    if escape:
        on = on_augmenting_paths(state, start, freed, arcs)
        start, arcs, freed = keep_pairs(start, on[start.lab]), keep_pairs(arcs, on[arcs.lab]), freed[on[freed]]
    return state.resolve(start, freed, arcs, timer=graph.timer)


def on_augmenting_paths(state: AssignmentState, start: Pairs, freed: np.ndarray, arcs: Pairs) -> np.ndarray:
    """Mask of the laborers on some augmenting path of a maximum set of them (a plain max flow over the
    residual graph: unassigned -> job -> its freed holder -> another job ... -> a job with room), so that the
    min-cost flow that follows only has to weigh those."""
    n_labs, n_jobs = len(state.job_of), len(state.room)
    if len(start) == 0:
        return np.zeros(n_labs, dtype=bool)
    source, sink = n_labs + n_jobs, n_labs + n_jobs + 1
    room_jobs = np.flatnonzero(state.room > 0)
    free_labs = np.unique(start.lab)
    lab_job = union_pairs(start, arcs)
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
    return position_mask(lab_job.lab[used], n_labs)


class CandidateLists:
    """Candidate lists for the allocation's laborers, against every job or only those with room left."""

    def __init__(
        self,
        laborers: LaborerArrays,
        jobs: JobArrays,
        ctx: ScoreContext,
        options: FilterOptions,
        relation_kind: str,
        state: AssignmentState,
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


def taken_jobs(state: AssignmentState, job_pos: np.ndarray) -> np.ndarray:
    """The jobs among `job_pos` with no room left."""
    u = np.unique(job_pos)
    return u[state.room[u] == 0]


def subset_pairs(pairs: Pairs, labs: np.ndarray) -> Pairs:
    """The pairs of the laborers `labs`."""
    return keep_pairs(pairs, position_mask(labs, int(pairs.lab.max(initial=-1)) + 1)[pairs.lab])


def position_mask(positions: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[positions[positions < size]] = True
    return mask


def keep_pairs(pairs: Pairs, mask: np.ndarray) -> Pairs:
    return Pairs(pairs.lab[mask], pairs.job[mask], pairs.score[mask])


def union_pairs(*parts: Pairs) -> Pairs:
    if not parts:
        return Pairs(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32))
    return Pairs(
        np.concatenate([p.lab for p in parts]).astype(np.int64),
        np.concatenate([p.job for p in parts]).astype(np.int64),
        np.concatenate([p.score for p in parts]).astype(np.int32),
    )


class AssignmentState:
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
        return np.flatnonzero(position_mask(job_pos, len(self.room) + 1)[self.job_of])  # job -1 (none) is never set

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
        return self.solve(union_pairs(wanted, held, moves), timer) - len(holders)

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
