"""Hard filters, vectorised. Every function broadcasts: laborer columns and job columns may be scalars, 1-d
arrays of the same length (pairs), or (n, 1) against (1, m) blocks.

A pair is feasible when all hold:
- the laborer is not in school, has labor ability (not 丧失/无劳动力) and is not reported deceased/moved;
- the laborer is not employed and not unreachable, unless `FilterOptions` asks for them;
- weak/half labor or 患有大病 only for low-threshold jobs (unless `limited_low_threshold_only` is off);
- age on `as_of` within the job's [age_min, age_max] (computed like Laborer.age_on, birthdays exact);
- the job's sex requirement, if any; the education minimum, if any (blank education fails a minimum);
- the laborer's work-region willingness covers the job's work region relative to the home county
  (same county -> 县内, same province -> 省内县外, else 省外).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import (
    REL_WILL_BIT,
    ST_EMPLOYED,
    ST_INELIGIBLE,
    ST_LIMITED,
    ST_UNREACHABLE,
)

MAX_AGE = 130


@dataclass(frozen=True)
class FilterOptions:
    as_of: date = field(default_factory=date.today)
    include_employed: bool = False
    include_unreachable: bool = False
    limited_low_threshold_only: bool = True
    only_active_jobs: bool = True  # modes 2 and 3 skip paused, closed and expired postings


@lru_cache(maxsize=8)
def birth_cutoffs(as_of: date) -> np.ndarray:
    """cutoffs[a] = the latest birth ordinal of someone aged >= a on `as_of` (int32, a in 0..MAX_AGE+1)."""
    out = np.empty(MAX_AGE + 2, dtype=np.int32)
    for a in range(MAX_AGE + 2):
        year = as_of.year - a
        try:
            out[a] = date(year, as_of.month, as_of.day).toordinal()
        except ValueError:  # 29 February in a common year: born up to 28 February counts
            out[a] = date(year, 2, 28).toordinal()
    return out


def relation(lab: Any, job: Any) -> np.ndarray:
    """REL_* code (0 same county, 1 same prefecture, 2 same province, 3 other province), int8."""
    same_prov = lab.prov == job.prov
    same_pref = lab.pref == job.pref
    same_county = lab.county == job.county
    rel = np.full(np.broadcast(same_prov, same_pref).shape, 3, dtype=np.int8)
    rel -= same_prov
    rel -= same_pref
    rel -= same_county
    return rel


def blocked_status_bits(job: Any, options: FilterOptions) -> np.ndarray:
    bits = ST_INELIGIBLE
    if not options.include_employed:
        bits |= ST_EMPLOYED
    if not options.include_unreachable:
        bits |= ST_UNREACHABLE
    blocked = np.asarray(bits, dtype=np.int8)
    if options.limited_low_threshold_only:
        blocked = blocked | np.where(np.asarray(job.low) != 0, 0, ST_LIMITED).astype(np.int8)
    return blocked


def feasible(lab: Any, job: Any, options: FilterOptions) -> tuple[np.ndarray, np.ndarray]:
    """(mask, rel): the boolean feasibility of each (laborer, job) pair and the region relation."""
    cut = birth_cutoffs(options.as_of)
    age_min = np.clip(job.age_min, 0, MAX_AGE)
    age_max = np.clip(job.age_max, 0, MAX_AGE)
    oldest = cut[age_max + 1]  # born after this: younger than age_max + 1
    youngest = cut[age_min]  # born on or before this: at least age_min
    ok = (lab.status & blocked_status_bits(job, options)) == 0
    ok &= lab.birth > oldest
    ok &= lab.birth <= youngest
    ok &= (job.sex == 0) | (lab.sex == job.sex)
    ok &= lab.edu >= job.edu_min
    rel = relation(lab, job)
    ok &= (lab.will & REL_WILL_BIT[rel]) != 0
    if options.only_active_jobs:
        ok &= job.active != 0
    return ok, rel
