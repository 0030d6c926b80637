"""Mode 3: batch allocation that respects openings: each laborer at most one job, no job more laborers than
its openings, as many openings filled as the related feasible pairs allow and, among those fillings, a high
total score.

Building blocks:
- Candidate lists (`candidates.candidate_pairs`): a laborer's top-k feasible related jobs, optionally among a
  subset of jobs (those with room left).
- Min-cost flow (`flow.allocate_flow`, OR-Tools): max fill, then max total score, over a candidate graph.
- Augmenting passes (`augment.augmenting_pass`).

`allocate` (see its docstring) runs flows over top-k lists, then augmenting passes that move placed laborers to
jobs with room so that those whose few jobs are all taken get a place. Baselines: capacity-aware greedy by
score, and the capacity-blind greedy top-K (everyone sent to their best jobs), which is what piles shortlists
onto the same few jobs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from laborcoop.matching.engine.arrays import JobArrays, LaborerArrays
from laborcoop.matching.engine.augment import (
    MAX_DEPTH,
    AssignmentState,
    CandidateLists,
    augmenting_pass,
    keep_pairs,
)
from laborcoop.matching.engine.candidates import Pairs, keep_best
from laborcoop.matching.engine.factors import ScoreContext
from laborcoop.matching.engine.filters import FilterOptions
from laborcoop.matching.engine.flow import Allocation, allocate_exact, allocate_flow, max_fill

__all__ = [
    "Allocation",
    "allocate",
    "allocate_exact",
    "allocate_flow",
    "allocate_greedy",
    "greedy_top_k_blind",
    "max_fill",
]

ProgressFn = Callable[[int, int], None]
# A pass that places fewer than 1 in STALLED of those still unassigned makes the next pass look further.
STALLED = 10


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
    k: int = 6,
    rounds: int = 3,
    repairs: int = 10,
    repair_k: int = 8,
    job_depth: float = 4.0,
    time_limit: float | None = None,
    options: FilterOptions,
    relation_kind: str = "exact",
    cost_divisor: int = 10,
    progress: ProgressFn | None = None,
    full_first_pass: bool = False,
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
    Each pass also looks into the jobs not seen yet (closed clusters whose holders list each other's jobs),
    picks the paths with a plain max flow (~10x faster than a min-cost flow) and re-solves only the laborers on
    them with the unassigned. With `full_first_pass`, the first pass (most of the moves) instead re-solves every
    holder on some path in one min-cost flow, so the total score decides who moves: +0.25% score per placement,
    ~1-2 s more at 200k x 10k (measured 2026-12-06: the cheaper first pass reaches 99-100% of the optimum fill
    within the benchmark's 8.5 s where the full one stopped at 95-99%). A pass that places under 1 in
    `STALLED` of those left makes the next one's lists 16x longer; a pass over complete lists (every feasible
    related job) that places nobody proves the fill is the optimum's.

    Why not one flow over a large graph: top-k lists pile onto popular jobs, so one flow over top-k leaves out
    many people whose later choices had room, and a flow over every feasible pair is too big for the time
    budget (43M arcs at 200k x 10k: ~3 minutes)."""
    t0 = time.perf_counter()
    state = AssignmentState(laborers, jobs, cost_divisor)
    timer = {"candidates": 0.0, "solve": 0.0}
    graph = CandidateLists(laborers, jobs, ctx, options, relation_kind, state, timer)
    steps = rounds + repairs
    reach = graph.top(k, None, room_only=True)  # every eligible laborer with a feasible job has arcs here
    placeable = np.unique(reach.lab)
    state.solve(keep_pairs(reach, keep_best(reach.score, reach.job, np.ceil(job_depth * state.room))), timer)
    if progress is not None:
        progress(1, steps)
    for r in range(1, rounds):
        unassigned = state.free(placeable)
        added = state.solve(graph.top(k, unassigned, room_only=True), timer) if len(unassigned) else 0
        if progress is not None:
            progress(r + 1, steps)
        if added == 0:
            break
    # Effort 0 (a full first pass): top-k lists, every holder on a path re-solved. 1: also lists into the jobs
    # not seen yet, only the laborers on max-flow paths re-solved. 2 and more: lists 16x longer each time.
    effort = 0 if full_first_pass else 1
    for r in range(repairs):
        unassigned = state.free(placeable)
        if len(unassigned) == 0 or (time_limit is not None and time.perf_counter() - t0 > time_limit):
            break
        width = min(k << 4 * max(effort - 1, 0), len(jobs))
        added = augmenting_pass(
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
