"""A seeded synthetic labor market with a hidden true-fit utility, for benchmarks and ranking quality.

Laborers come from one output province (43, 14 prefectures x 8 counties); jobs are partly in it and partly in
input provinces (广东, 浙江, 福建, 江苏). Each laborer has a hidden true occupation (the stated intent is a noisy,
synonym-worded report of it), a hidden mobility and a reservation wage; `true_utility` scores a pair by
those hidden values plus pair noise, which the engine never sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from laborcoop.matching.engine.arrays import (
    REL_SAME_COUNTY,
    ST_EMPLOYED,
    ST_INELIGIBLE,
    ST_LIMITED,
    ST_UNREACHABLE,
    WILL_ANY,
    WILL_IN_COUNTY,
    WILL_IN_PROVINCE,
    JobArrays,
    LaborerArrays,
)
from laborcoop.matching.engine.filters import relation
from laborcoop.matching.engine.score import Side
from laborcoop.matching.engine.taxonomy import Taxonomy

HOME_PROVINCE = 43
INPUT_COUNTIES = (
    440303,
    440304,
    440306,
    441900,
    440106,
    440113,
    330203,
    330206,
    330302,
    350203,
    350211,
    320505,
    320506,
)
AGREEMENTS = frozenset({("4331", "4403"), ("4312", "4419"), ("4307", "3205"), ("4301", "3302"), ("4305", "4401")})


@dataclass
class Market:
    laborers: LaborerArrays
    jobs: JobArrays
    taxonomy: Taxonomy
    today: date
    agreements: frozenset[tuple[str, str]]
    # hidden / raw-text side information (by position)
    true_occ: np.ndarray
    mobility: np.ndarray
    reservation: np.ndarray
    intent_variant: np.ndarray  # synonym index of the stated first intent (-1 none)
    job_variant: np.ndarray  # synonym index of the job's occupation text
    seed: int


def _home_counties() -> np.ndarray:
    return np.array([(HOME_PROVINCE * 100 + p) * 100 + c for p in range(1, 15) for c in range(21, 29)])


def generate(
    n_laborers: int, n_jobs: int, *, openings: int | None = None, seed: int = 7, today: date | None = None
) -> Market:
    rng = np.random.default_rng(seed)
    tax = Taxonomy()
    today = today or date(2025, 6, 30)
    n_occ = tax.n_canonical
    # Occupation popularity (Zipf-like), shared by both sides with a different tilt.
    pop = 1.0 / np.arange(1, n_occ + 1) ** 0.8
    pop_lab = pop / pop.sum()
    job_pop = pop * rng.uniform(0.5, 1.5, n_occ)
    job_pop /= job_pop.sum()
    groups = np.array([tax.groups[i] for i in range(n_occ)])
    n_syn = np.array([1 + len(o.synonyms) for o in tax.canonical])

    # --- laborers
    n = n_laborers
    counties = _home_counties()
    county = rng.choice(counties, n)
    region = county.astype(np.int64) * 10**6 + rng.integers(1, 21, n) * 1000 + rng.integers(1, 31, n)
    age_days = rng.integers(16 * 365, 66 * 365, n)
    birth = today.toordinal() - age_days
    true_occ = rng.choice(n_occ, n, p=pop_lab)
    u = rng.random(n)
    same_group_alt = np.array([rng.choice(np.flatnonzero(groups == groups[t])) for t in range(n_occ)])
    occ1 = np.where(u < 0.72, true_occ, np.where(u < 0.82, same_group_alt[true_occ], rng.choice(n_occ, n, p=pop_lab)))
    occ1 = np.where(u > 0.9, -1, occ1)
    occ2 = np.where((rng.random(n) < 0.45) & (occ1 >= 0), rng.choice(n_occ, n, p=pop_lab), -1)
    intent_variant = np.where(occ1 >= 0, (rng.random(n) * n_syn[np.maximum(occ1, 0)]).astype(np.int64), -1)
    status = np.zeros(n, dtype=np.int8)
    status |= np.where(rng.random(n) < 0.06, ST_INELIGIBLE, 0).astype(np.int8)
    status |= np.where(rng.random(n) < 0.35, ST_EMPLOYED, 0).astype(np.int8)
    status |= np.where(rng.random(n) < 0.03, ST_UNREACHABLE, 0).astype(np.int8)
    labor = rng.choice(3, n, p=[0.78, 0.14, 0.08])
    status |= np.where(labor == 2, ST_LIMITED, 0).astype(np.int8)
    will = rng.choice(
        np.array([WILL_IN_COUNTY, WILL_IN_COUNTY | WILL_IN_PROVINCE, WILL_ANY, WILL_IN_PROVINCE | 4]),
        n,
        p=[0.25, 0.3, 0.35, 0.1],
    )
    has_skill = rng.random(n) < 0.3
    skill_bits = np.where(has_skill, np.left_shift(np.int64(1), true_occ.astype(np.int64)), 0)
    qual = np.where(has_skill, rng.choice(6, n, p=[0.4, 0.25, 0.2, 0.1, 0.04, 0.01]), 0)
    reservation = np.clip(rng.normal(4600, 1200, n), 1800, 12000)
    wage = np.where(rng.random(n) < 0.2, 0, np.round(reservation * rng.normal(1.0, 0.08, n) / 100) * 100)
    laborers = LaborerArrays(
        {
            "id": np.arange(1, n + 1),
            "region": region,
            "county": county,
            "pref": county // 100,
            "prov": county // 10000,
            "birth": birth,
            "sex": rng.integers(1, 3, n),
            "edu": rng.choice(6, n, p=[0.05, 0.2, 0.45, 0.18, 0.08, 0.04]),
            "status": status,
            "will": will,
            "labor": labor,
            "occ1": occ1,
            "occ2": occ2,
            "skill_bits": skill_bits,
            "qual": qual,
            "wage": wage,
        }
    )

    # --- jobs
    m = n_jobs
    inside = rng.random(m) < 0.45
    jcounty = np.where(inside, rng.choice(counties, m), rng.choice(np.array(INPUT_COUNTIES), m))
    jregion = jcounty.astype(np.int64) * 10**6 + rng.integers(1, 21, m) * 1000
    jocc = rng.choice(n_occ, m, p=job_pop)
    jopen = _split_openings(rng, m, openings if openings is not None else 15 * m)
    wage_min = rng.integers(25, 70, m) * 100
    age_max = rng.choice(np.array([45, 50, 55, 60]), m, p=[0.2, 0.3, 0.3, 0.2])
    jobs = JobArrays(
        {
            "id": np.arange(1, m + 1),
            "enterprise": rng.integers(1, max(2, m // 3), m),
            "region": jregion,
            "county": jcounty,
            "pref": jcounty // 100,
            "prov": jcounty // 10000,
            "occ": jocc,
            "canon": jocc,
            "openings": jopen,
            "wage_min": wage_min,
            "wage_max": wage_min + rng.integers(5, 30, m) * 100,
            "age_min": rng.choice(np.array([16, 18]), m),
            "age_max": age_max,
            "sex": rng.choice(3, m, p=[0.75, 0.15, 0.10]),
            "edu_min": rng.choice(np.array([-1, 2, 3]), m, p=[0.7, 0.2, 0.1]),
            "acc": rng.random(m) < 0.6,
            "meals": rng.random(m) < 0.5,
            "low": rng.random(m) < 0.2,
            "assist": rng.random(m) < 0.1,
            "retention": np.where(rng.random(m) < 0.3, np.nan, rng.uniform(0.4, 0.95, m)),
            "sent": np.where(rng.random(m) < 0.2, rng.integers(0, 40, m), 0),
            "active": np.ones(m, dtype=np.int8),
        }
    )
    return Market(
        laborers=laborers,
        jobs=jobs,
        taxonomy=tax,
        today=today,
        agreements=AGREEMENTS,
        true_occ=true_occ,
        mobility=rng.random(n),
        reservation=reservation,
        intent_variant=intent_variant,
        job_variant=(rng.random(m) * n_syn[jocc]).astype(np.int64),
        seed=seed,
    )


def _split_openings(rng: np.random.Generator, m: int, total: int) -> np.ndarray:
    """Lognormal sizes, at least 1 each, summing exactly to `total` (>= m)."""
    w = rng.lognormal(0.0, 0.8, m)
    jopen = np.maximum(1, np.floor(w / w.sum() * (total - m))).astype(np.int64) + (total > m)
    diff = total - int(jopen.sum())
    while diff != 0:
        step = 1 if diff > 0 else -1
        pick = rng.choice(m, min(abs(diff), m), replace=False)
        pick = pick[jopen[pick] + step >= 1]
        jopen[pick] += step
        diff -= step * len(pick)
    return jopen


def _pair_noise(lab_pos: np.ndarray, job_pos: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic N(0, ~0.3)-like noise per pair, from an integer hash."""
    h = (lab_pos.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (
        job_pos.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F) + np.uint64(seed)
    )
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(29)
    return ((h >> np.uint64(11)).astype(np.float64) / float(1 << 53) - 0.5) * 1.0


def true_utility(market: Market, lab_pos: np.ndarray, job_pos: np.ndarray) -> np.ndarray:
    """The hidden fit of (laborer, job) pairs (broadcasting positions); larger is better."""
    lab = Side(market.laborers, lab_pos)
    job = Side(market.jobs, job_pos)
    sim = market.taxonomy.similarity_matrix()
    t = market.true_occ[lab_pos]
    occ_fit = 3.0 * sim[job.occ, t]
    wage_fit = np.clip((job.wage_max - market.reservation[lab_pos]) / 1000.0, -2.0, 1.0)
    rel = relation(lab, job)
    far = rel != REL_SAME_COUNTY
    mob = market.mobility[lab_pos]
    dist_fit = -(1.0 - mob) * rel * 0.6 + far * (0.4 * job.acc + 0.2 * job.meals)
    skill_fit = 0.6 * (((lab.skill_bits >> job.canon.astype(np.int64)) & 1) != 0)
    return occ_fit + wage_fit + dist_fit + skill_fit + _pair_noise(lab_pos, job_pos, market.seed)


def raw_score(market: Market, lab_pos: np.ndarray, job_pos: int) -> np.ndarray:
    """The naive baseline: exact occupation text, offer at least the expectation, same county; 1 point each."""
    lab = Side(market.laborers, lab_pos)
    job = Side(market.jobs, job_pos)
    same_text = (lab.occ1 == job.occ) & (market.intent_variant[lab_pos] == market.job_variant[job_pos])
    wage_ok = (lab.wage > 0) & (job.wage_max >= lab.wage)
    return same_text.astype(np.int32) + wage_ok + (lab.county == job.county)
