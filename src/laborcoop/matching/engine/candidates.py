"""Candidate graph for the batch allocation (mode 3).

The graph is the union of
- each eligible laborer's top-K feasible jobs (what they would be recommended), and
- each job's top-L feasible laborers, L = job_factor * openings + job_extra (so that jobs nobody ranks first
  still have arcs, which is what lets the min-cost flow fill them),
among the *related* pairs: the job's occupation is one of the laborer's intents (or, with `relation="group"`,
of the same family), or one the laborer has skills for, or — for laborers with no stated intent — a generic
occupation (普工/装卸/保洁/保安/建筑小工/公益岗). `relation="all"` drops the occupation condition (small
instances: this is the exact graph).

Speed: jobs are bucketed by occupation, so occupation and skill points are one number per laborer and bucket;
the factors that depend only on the home county, willingness and the job (distance, cooperation, accommodation,
employer, congestion, and region feasibility) are computed once per (county, willingness) group and gathered
by row. The filters on age, sex, education and limited labor and the wage and low-threshold points depend on the
laborer only through a few attributes (age band between the bucket's age limits, sex, education, limited labor;
expected wage, needs a low threshold): they are evaluated once per class of laborers sharing those, on one member
of it, and gathered by row, so a dense block is gathers and adds (2x faster than evaluating every pair).
The integer scores equal `score.score_pairs` exactly (the same factor functions produce every part).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import (
    INTENT_SLOTS,
    NO_INTENT,
    REL_WILL_BIT,
    ST_EMPLOYED,
    ST_INELIGIBLE,
    ST_LIMITED,
    ST_UNREACHABLE,
    WILL_OUT_OF_PROVINCE,
    JobArrays,
    LaborerArrays,
)
from laborcoop.matching.engine.factors import (
    ScoreContext,
    f_accommodation,
    f_congestion,
    f_cooperation,
    f_distance,
    f_employer,
    f_low_threshold,
    f_occupation,
    f_skills,
    f_wage,
    needs_low_threshold,
)
from laborcoop.matching.engine.filters import MAX_AGE, FilterOptions, birth_cutoffs, relation
from laborcoop.matching.engine.score import Side

INTENT_COLUMNS = tuple(f"ir{i + 1}" for i in range(INTENT_SLOTS))
BLOCK_ELEMENTS = 1 << 20  # pairs per dense block (laborer side only)
BUCKET_THREADS = min(os.cpu_count() or 1, 4)  # occupation buckets scored at once
JOB_SIDE_BLOCK_ELEMENTS = 1 << 23  # larger blocks when jobs keep their top-L: fewer partial lists to merge
INFEASIBLE = np.int32(-(1 << 30))
RELATIONS = ("exact", "group", "all")
# Sex as bits: a laborer of unknown sex (0) passes only jobs without a requirement.
LAB_SEX_BITS = np.array([4, 1, 2], dtype=np.int8)
JOB_SEX_BITS = np.array([7, 1, 2], dtype=np.int8)

ProgressFn = Callable[[int, int], None]


@dataclass
class Pairs:
    """Candidate (laborer position, job position, score in centipoints) triples, one per pair."""

    lab: np.ndarray
    job: np.ndarray
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.lab)


class _Cols:
    """A plain attribute bag of arrays, shaped like a Side."""

    def __init__(self, **cols: Any) -> None:
        self.__dict__.update(cols)


class _Ranks:
    """Dense ranks of the home county and expected wage of the laborers in play (by position), so that the
    classes of a bucket are found with lookups instead of sorts."""

    def __init__(self, laborers: LaborerArrays, lab_pos: np.ndarray) -> None:
        self.county = self._rank(laborers.col("county"), lab_pos)
        self.wage = self._rank(laborers.col("wage"), lab_pos)
        self.intent = self._intent_rank(laborers, lab_pos)

    @staticmethod
    def _intent_rank(laborers: LaborerArrays, lab_pos: np.ndarray) -> np.ndarray:
        """0 for laborers without intended regions, else 1 + the rank of their set of intended regions."""
        out = np.zeros(len(laborers), dtype=np.int64)
        with_intent = lab_pos[laborers.col("ir1")[lab_pos] != NO_INTENT]
        if len(with_intent):
            sets = np.stack([laborers.col(name)[with_intent] for name in INTENT_COLUMNS], axis=1)
            out[with_intent] = np.unique(sets, axis=0, return_inverse=True)[1].ravel() + 1
        return out

    @staticmethod
    def _rank(values: np.ndarray, lab_pos: np.ndarray) -> np.ndarray:
        out = np.zeros(len(values), dtype=np.int64)
        out[lab_pos] = np.unique(values[lab_pos], return_inverse=True)[1]
        return out


def eligible_laborers(laborers: LaborerArrays, options: FilterOptions) -> np.ndarray:
    blocked = ST_INELIGIBLE
    if not options.include_employed:
        blocked |= ST_EMPLOYED
    if not options.include_unreachable:
        blocked |= ST_UNREACHABLE
    return np.flatnonzero((laborers.col("status") & blocked) == 0)


def related_laborers(
    laborers: LaborerArrays, lab_pos: np.ndarray, occ: int, ctx: ScoreContext, relation_kind: str
) -> np.ndarray:
    """Which of `lab_pos` relate to occupation `occ` (see the module docstring)."""
    if relation_kind == "all":
        return lab_pos
    sim = ctx.taxonomy.similarity_matrix()[occ]
    threshold = 1.0 if relation_kind == "exact" else 1e-9
    occ1 = laborers.col("occ1")[lab_pos]
    occ2 = laborers.col("occ2")[lab_pos]
    rel = (sim[occ1] >= threshold) | (sim[occ2] >= threshold)
    canon = ctx.taxonomy.canonical_of(occ)
    if canon >= 0:
        rel |= ((laborers.col("skill_bits")[lab_pos] >> canon) & 1) != 0
        if canon in set(ctx.taxonomy.generic_ids.tolist()):
            rel |= occ1 < 0
    return lab_pos[rel]


def _member(values: np.ndarray, subset: np.ndarray, size: int) -> np.ndarray:
    """Mask of `values` that are in `subset` (positions below `size`): a lookup, not a sort."""
    inside = np.zeros(size, dtype=bool)
    inside[subset] = True
    return inside[values]


def _classes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of one member of each class, class of each element) for non-negative integer keys."""
    if len(key) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    n = int(key.max()) + 1
    if n > 4 * len(key) + 1024:  # a sparse key space (many intended-region sets): sort instead of a table
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return first.astype(np.int64), inverse.ravel().astype(np.int64)
    first = np.full(n, len(key), dtype=np.int64)
    np.minimum.at(first, key, np.arange(len(key)))
    present = first < len(key)
    class_of = np.cumsum(present) - 1
    return first[present], class_of[key]


def _mixed_radix(*columns: np.ndarray) -> np.ndarray:
    """One non-negative int64 key per row that is equal exactly where all the integer columns are equal."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        col = col.astype(np.int64)
        low = int(col.min()) if len(col) else 0
        key = key * (int(col.max()) - low + 1 if len(col) else 1) + (col - low)
    return key


def _top_rows(total: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest per row (all columns when there are no more than k)."""
    n, m = total.shape
    if m <= k:
        return np.broadcast_to(np.arange(m), (n, m))
    return np.argpartition(-total, k - 1, axis=1)[:, :k]


def _top_cols(total: np.ndarray, k: int) -> np.ndarray:
    n, m = total.shape
    if n <= k:
        return np.broadcast_to(np.arange(n)[:, None], (n, m))
    return np.argpartition(-total, k - 1, axis=0)[:k, :]


def keep_best(score: np.ndarray, key: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Mask keeping, for each value of `key`, its `limit[key]` best scores (stable: earlier entries win ties,
    and entries arrive in a deterministic order)."""
    composite = key.astype(np.int64) * (1 << 32) + ((1 << 31) - 1 - score.astype(np.int64))
    order = np.argsort(composite, kind="stable")
    sorted_key = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep = np.zeros(len(order), dtype=bool)
    keep[order] = rank < limit[sorted_key]
    return keep


def candidate_pairs(
    laborers: LaborerArrays,
    jobs: JobArrays,
    ctx: ScoreContext,
    *,
    k: int,
    options: FilterOptions,
    job_factor: float = 2.0,
    job_extra: int = 2,
    relation_kind: str = "exact",
    lab_subset: np.ndarray | None = None,
    job_subset: np.ndarray | None = None,
    progress: ProgressFn | None = None,
) -> Pairs:
    """The candidate graph (see the module docstring). `job_factor=0, job_extra=0` gives laborer top-K only.
    `lab_subset` / `job_subset` (positions) restrict both sides, e.g. to the unassigned and the jobs with room."""
    if relation_kind not in RELATIONS:
        raise ValueError(relation_kind)
    ctx.ensure_fresh()
    lab_all = eligible_laborers(laborers, options)
    if lab_subset is not None:
        lab_all = lab_all[_member(lab_all, lab_subset, len(laborers))]
    active = np.flatnonzero(jobs.col("active") != 0) if options.only_active_jobs else np.arange(len(jobs))
    if job_subset is not None:
        active = active[_member(active, job_subset, len(jobs))]
    occs = jobs.col("occ")[active]
    order = np.argsort(occs, kind="stable")
    buckets = np.split(active[order], np.flatnonzero(np.diff(occs[order])) + 1) if len(order) else []
    job_limit = (np.ceil(job_factor * jobs.col("openings")) + job_extra).astype(np.int64)
    ranks = _Ranks(laborers, lab_all)
    lab_out: list[np.ndarray] = []
    job_out: list[np.ndarray] = []
    score_out: list[np.ndarray] = []
    from_jobs: list[np.ndarray] = []
    ctx.taxonomy.similarity_matrix()  # built once, before the threads share it

    def one_bucket(jpos: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        lpos = related_laborers(laborers, lab_all, int(jobs.col("occ")[jpos[0]]), ctx, relation_kind)
        return _bucket(laborers, jobs, lpos, jpos, ctx, options, k, job_limit, ranks) if len(lpos) else []

    # The buckets are independent and numpy releases the GIL in their heavy steps: one thread per core.
    with ThreadPoolExecutor(max_workers=BUCKET_THREADS) as pool:
        for b, results in enumerate(pool.map(one_bucket, buckets)):
            for parts in results:
                lab_out.append(parts[0])
                job_out.append(parts[1])
                score_out.append(parts[2])
                from_jobs.append(parts[3])
            if progress is not None:
                progress(b + 1, len(buckets))
    if not lab_out:
        empty = np.empty(0, dtype=np.int64)
        return Pairs(empty, empty, np.empty(0, dtype=np.int32))
    lab = np.concatenate(lab_out)
    job = np.concatenate(job_out)
    score = np.concatenate(score_out)
    if k >= len(jobs) and not job_limit.any():
        return Pairs(lab, job, score)  # every feasible pair, each once: nothing to cut
    lab, job = lab.astype(np.int64), job.astype(np.int64)
    by_job = np.concatenate(from_jobs)
    # Laborer side: each laborer's k best over all buckets. Job side: each job's L best over all chunks.
    keep = np.zeros(len(lab), dtype=bool)
    for side, key, limit in ((~by_job, lab, np.full(len(laborers), k)), (by_job, job, job_limit)):
        idx = np.flatnonzero(side)
        keep[idx] = keep_best(score[idx], key[idx], limit)
    lab, job, score = lab[keep], job[keep], score[keep]
    if not job_limit.any():
        return Pairs(lab, job, score)
    # The same pair may come from both sides: keep one.
    _, first = np.unique(lab * len(jobs) + job, return_index=True)
    first.sort()
    return Pairs(lab[first], job[first], score[first])


def _bucket(
    laborers: LaborerArrays,
    jobs: JobArrays,
    lpos: np.ndarray,
    jpos: np.ndarray,
    ctx: ScoreContext,
    options: FilterOptions,
    k: int,
    job_limit: np.ndarray,
    ranks: _Ranks,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    lab1 = Side(laborers, lpos)
    job0 = Side(jobs, jpos[0])  # occupation and canon are the bucket's
    occ_pts = f_occupation(lab1, job0, np.zeros(len(lpos), dtype=np.int8), ctx)
    occ_pts = occ_pts + f_skills(lab1, job0, np.zeros(len(lpos), dtype=np.int8), ctx)
    # (county, willingness, intended regions) groups: region feasibility and region/job-only points.
    g_rep, ginv = _classes(_mixed_radix(ranks.county[lpos], lab1.will, ranks.intent[lpos]))
    g_county = lab1.county[g_rep].astype(np.int64)
    grp: Any = _Cols(
        county=g_county[:, None],
        pref=(g_county // 100)[:, None],
        prov=(g_county // 10000)[:, None],
        region=(g_county * 10**6)[:, None],
        will=lab1.will[g_rep][:, None],
        **{name: getattr(lab1, name)[g_rep][:, None] for name in INTENT_COLUMNS},
    )
    job = Side(jobs, jpos[None, :])
    rel = relation(grp, job)
    region_pts = (
        f_distance(grp, job, rel, ctx)
        + f_cooperation(grp, job, rel, ctx)
        + f_accommodation(grp, job, rel, ctx)
        + f_employer(grp, job, rel, ctx)
        + f_congestion(grp, job, rel, ctx)
    )
    region_pts = np.where((grp.will & REL_WILL_BIT[rel]) != 0, region_pts, INFEASIBLE).astype(np.int32)
    # Per-job filter thresholds.
    cut = birth_cutoffs(options.as_of)
    oldest = cut[np.clip(job.age_max, 0, MAX_AGE) + 1]
    youngest = cut[np.clip(job.age_min, 0, MAX_AGE)]
    sex_ok_bits = JOB_SEX_BITS[job.sex]
    limited_blocked = (job.low == 0) if options.limited_low_threshold_only else np.zeros_like(job.low, dtype=bool)
    # Laborers who are not willing to leave their province only meet jobs in a home province.
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    stays = (lab1.will & WILL_OUT_OF_PROVINCE) == 0
    home_provs = np.unique(lab1.prov[stays])
    in_home = np.isin(job.prov[0], home_provs)
    for rows, cols in ((~stays, np.arange(len(jpos))), (stays, np.flatnonzero(in_home))):
        ridx = np.flatnonzero(rows)
        if len(ridx) == 0 or len(cols) == 0:
            continue
        jsub = jpos[cols]
        jside = Side(jobs, jsub[None, :])
        rp = region_pts[:, cols]
        o_, y_, s_, lb_ = oldest[:, cols], youngest[:, cols], sex_ok_bits[:, cols], limited_blocked[:, cols]
        # Laborer classes: the per-pair filters and points depend on a few laborer attributes, so they are
        # evaluated once per class (on one member of it) and gathered by row.
        lpg = lpos[ridx]
        lab_g = Side(laborers, lpg)
        band = np.searchsorted(np.unique(np.concatenate([o_.ravel(), y_.ravel()])), lab_g.birth)
        f_rep, f_inv = _classes(_mixed_radix(band, lab_g.sex, lab_g.edu, (lab_g.status & ST_LIMITED) != 0))
        rep = Side(laborers, lpg[f_rep][:, None])
        ok_by_class = (rep.birth > o_) & (rep.birth <= y_)
        ok_by_class &= (LAB_SEX_BITS[rep.sex] & s_) != 0
        ok_by_class &= rep.edu >= jside.edu_min
        ok_by_class &= ~(((rep.status & ST_LIMITED) != 0) & lb_)
        p_rep, p_inv = _classes(_mixed_radix(ranks.wage[lpg], needs_low_threshold(lab_g)))
        rep = Side(laborers, lpg[p_rep][:, None])
        dummy_rel = np.zeros((len(p_rep), len(cols)), dtype=np.int8)
        pts_by_class = f_wage(rep, jside, dummy_rel, ctx) + f_low_threshold(rep, jside, dummy_rel, ctx)
        block = JOB_SIDE_BLOCK_ELEMENTS if job_limit[jsub].max() > 0 else BLOCK_ELEMENTS
        step = max(1, block // len(cols))
        for start in range(0, len(ridx), step):
            r = ridx[start : start + step]
            lpc = lpos[r]
            total = rp[ginv[r]]
            ok = ok_by_class[f_inv[start : start + step]]
            ok &= total != INFEASIBLE
            total += pts_by_class[p_inv[start : start + step]]
            total += occ_pts[r][:, None]
            total = np.where(ok, total, INFEASIBLE)
            limit = int(job_limit[jsub].max())
            for by_job, top in ((False, _top_rows(total, k)), (True, None)):
                if by_job and limit <= 0:
                    continue
                if by_job:
                    rows_top = _top_cols(total, limit)
                    s = np.take_along_axis(total, rows_top, axis=0)
                    # Keep each job's own L (not the bucket's largest) of this block.
                    rank = np.argsort(np.argsort(-s, axis=0, kind="stable"), axis=0, kind="stable")
                    s = np.where(rank < job_limit[jsub][None, :], s, INFEASIBLE)
                    li = lpc[rows_top]
                    ji = np.broadcast_to(jsub[None, :], rows_top.shape)
                else:
                    assert top is not None
                    s = np.take_along_axis(total, top, axis=1)
                    li = np.broadcast_to(lpc[:, None], top.shape)
                    ji = jsub[top]
                good = s != INFEASIBLE
                out.append(
                    (
                        li[good].astype(np.int32),
                        ji[good].astype(np.int32),
                        s[good].astype(np.int32),
                        np.full(int(good.sum()), by_job),
                    )
                )
    return out
