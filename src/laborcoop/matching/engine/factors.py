"""Named score factors. Each returns its contribution in integer centipoints (1/100 of a point), so the
contributions of a pair add up exactly to its score; each has a Chinese explanation for the screen.

All compute functions broadcast like the filters (scalars, pairs, or (n,1) x (1,m) blocks); `lab` and `job`
expose the columns of arrays.LaborerArrays / JobArrays, `rel` is filters.relation().
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from laborcoop.matching.engine.arrays import (
    LABOR_CODE,
    LOW_EDUCATION_MAX_RANK,
    NO_INTENT,
    REL_OTHER_PROVINCE,
    REL_SAME_COUNTY,
    in_intent,
)
from laborcoop.matching.engine.taxonomy import Taxonomy

# Raw value of each factor level, scaled by the weight (points) of the factor.
SECOND_INTENT_DISCOUNT = 0.8
NO_INTENT_VALUE = 0.3  # no stated intent: open to anything, but a stated match ranks above
DISTANCE_VALUE = (1.0, 0.7, 0.45, 0.2)  # by relation: same county, prefecture, province, other province
INTENDED_REGION_VALUE = 1.0  # the job is in a region the laborer asked for (意向地区), however far from home
WAGE_UNKNOWN_VALUE = 0.5
WAGE_SHORTFALL_ZERO = 0.3  # an offer 30% below the expectation earns nothing
QUALIFICATION_STEP = 0.08  # skill match is worth 0.6, plus 0.08 per qualification level (up to 高级技师)
SKILL_BASE_VALUE = 0.6
RETENTION_UNKNOWN = 0.5
CONGESTION_FULL_RATIO = 3.0  # three candidates already sent per opening: full penalty

REL_LABEL = ("同县", "同市（州）", "同省", "跨省")
ERR_AGREEMENT_PREFIX = "劳务协作地区须为2至6位行政区划代码前缀"


@dataclass(frozen=True)
class Weights:
    """Points of each factor at its best (congestion: points taken off at its worst). A provincial admin
    configures them; `from_dict` accepts a stored mapping, ignoring unknown keys."""

    occupation: float = 30.0
    skills: float = 10.0
    wage: float = 15.0
    distance: float = 15.0
    cooperation: float = 8.0
    accommodation: float = 5.0
    low_threshold: float = 5.0
    employer: float = 5.0
    congestion: float = 10.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Weights:
        names = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in data.items() if k in names})

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def cp(points: float | np.ndarray) -> np.ndarray:
    """Points to integer centipoints."""
    return np.rint(np.asarray(points, dtype=np.float64) * 100.0).astype(np.int32)


class ScoreContext:
    """Everything factors need besides the two sides: weights, tables, taxonomy, cooperation pairs.

    `agreements` are (output prefix, input prefix) region-code prefixes of labor-cooperation agreements,
    e.g. ("4331", "4403"): laborers from 湘西州 working in 深圳. Prefixes are 2 to 6 digits (province,
    prefecture or county): the batch allocation groups laborers by home county. `agreement_labels` names a
    pair in the explanation (e.g. "济南市与湘西州有劳务协作协议").
    """

    def __init__(
        self,
        *,
        weights: Weights,
        taxonomy: Taxonomy,
        agreements: frozenset[tuple[str, str]] = frozenset(),
        agreement_labels: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        self.weights = weights
        self.taxonomy = taxonomy
        for prefix in (p for pair in agreements for p in pair):
            if not (prefix.isdigit() and 2 <= len(prefix) <= 6):
                raise ValueError(ERR_AGREEMENT_PREFIX)
        self.agreements = agreements
        self.agreement_labels = dict(agreement_labels or {})
        self._agreement_keys = [
            (10 ** (12 - len(a)), int(a), 10 ** (12 - len(b)), int(b)) for a, b in sorted(agreements) if a and b
        ]
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the tables (after weights change or the taxonomy grows)."""
        w = self.weights
        sim = self.taxonomy.similarity_matrix()
        self.occ_first = cp(w.occupation * sim)
        self.occ_second = cp(w.occupation * SECOND_INTENT_DISCOUNT * sim)
        self.occ_none = int(cp(w.occupation * NO_INTENT_VALUE))
        self.skill_by_qual = cp(w.skills * (SKILL_BASE_VALUE + QUALIFICATION_STEP * np.arange(6)))
        self.distance_by_rel = cp(w.distance * np.array(DISTANCE_VALUE))
        self.distance_intended = int(cp(w.distance * INTENDED_REGION_VALUE))
        self.cooperation_pts = int(cp(w.cooperation))
        # accommodation * 2 + meals -> value
        self.accommodation_by_code = cp(w.accommodation * np.array([0.0, 0.4, 0.6, 1.0]))
        self.low_threshold_pts = int(cp(w.low_threshold))
        self._n_terms = len(self.taxonomy)

    def ensure_fresh(self) -> None:
        if len(self.taxonomy) != self._n_terms:
            self.refresh()

    def cooperation_match(self, lab: Any, job: Any) -> np.ndarray | bool:
        """True where (home, work) falls under an agreement pair."""
        hit: np.ndarray | bool = False
        for out_div, out_code, in_div, in_code in self._agreement_keys:
            hit = hit | ((lab.region // out_div == out_code) & (job.region // in_div == in_code))
        return hit


# --- compute functions -------------------------------------------------------------------------------------


def f_occupation(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    first = ctx.occ_first[job.occ, lab.occ1]
    second = ctx.occ_second[job.occ, lab.occ2]
    return np.where(lab.occ1 < 0, ctx.occ_none, np.maximum(first, second))


def f_skills(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    shift = np.where(job.canon < 0, 63, job.canon).astype(np.int64)
    has = (lab.skill_bits >> shift) & 1
    return has.astype(np.int32) * ctx.skill_by_qual[lab.qual]


def wage_value(expected: Any, offer_max: Any) -> np.ndarray:
    exp = np.asarray(expected, dtype=np.float64)
    short = (exp - offer_max) / (WAGE_SHORTFALL_ZERO * np.maximum(exp, 1.0))
    return np.where(exp <= 0, WAGE_UNKNOWN_VALUE, np.clip(1.0 - short, 0.0, 1.0))


def f_wage(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    return cp(ctx.weights.wage * wage_value(lab.wage, job.wage_max))


def in_intended_region(lab: Any, job: Any) -> np.ndarray:
    """True where the job's work region lies in one of the laborer's intended regions."""
    region = job.region
    return in_intent(region, lab.ir1) | in_intent(region, lab.ir2) | in_intent(region, lab.ir3)


def f_distance(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    """Near home scores more; a job in a region the laborer asked for scores as if at home."""
    by_rel = ctx.distance_by_rel[rel]
    has = lab.ir1 != NO_INTENT
    if not np.any(has):  # nobody here named a region
        return by_rel
    gather = getattr(lab, "gather_where", None)
    if gather is not None and np.ndim(has) == 1 and np.ndim(job.region) == 0 and by_rel.shape == has.shape:
        # One job against many laborers (mode 1): only those who named regions are read further.
        region = job.region
        pos = np.flatnonzero(has)
        hit = in_intent(region, lab.ir1[pos])
        second = gather("ir2", has)
        more = second != NO_INTENT
        if np.any(more):
            hit |= in_intent(region, second)
            third_mask = np.zeros(has.shape, dtype=bool)
            third_mask[pos[more]] = True
            hit[more] |= in_intent(region, gather("ir3", third_mask))
        # by_rel is a fresh array (a gather from the table): raised in place, without a copy.
        won = pos[hit]
        by_rel[won] = np.maximum(by_rel[won], ctx.distance_intended)
        return by_rel
    return np.where(in_intended_region(lab, job), np.maximum(by_rel, ctx.distance_intended), by_rel)


def f_cooperation(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    hit = ctx.cooperation_match(lab, job) & (rel != REL_SAME_COUNTY)
    return np.where(hit, ctx.cooperation_pts, 0).astype(np.int32)


def f_accommodation(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    code = ctx.accommodation_by_code[job.acc * 2 + job.meals]
    return np.where(rel != REL_SAME_COUNTY, code, 0).astype(np.int32)


def needs_low_threshold(lab: Any) -> np.ndarray:
    return ((lab.edu >= 0) & (lab.edu <= LOW_EDUCATION_MAX_RANK)) | (lab.labor == LABOR_CODE["弱劳动力或半劳动力"])


def f_low_threshold(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    return np.where((job.low != 0) & needs_low_threshold(lab), ctx.low_threshold_pts, 0).astype(np.int32)


def employer_value(job: Any) -> np.ndarray:
    retention = np.where(np.isnan(job.retention), RETENTION_UNKNOWN, job.retention)
    return 0.4 * (job.assist != 0) + 0.6 * np.clip(retention, 0.0, 1.0)


def f_employer(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    return np.broadcast_to(cp(ctx.weights.employer * employer_value(job)), rel.shape)


def congestion_ratio(job: Any) -> np.ndarray:
    return np.asarray(job.sent, dtype=np.float64) / np.maximum(job.openings, 1)


def f_congestion(lab: Any, job: Any, rel: np.ndarray, ctx: ScoreContext) -> np.ndarray:
    value = np.minimum(congestion_ratio(job) / CONGESTION_FULL_RATIO, 1.0)
    return np.broadcast_to(-cp(ctx.weights.congestion * value), rel.shape)


# --- explanations ------------------------------------------------------------------------------------------


def x_occupation(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    tax = ctx.taxonomy
    job_name = tax.name(job["occ"])
    if lab["occ1"] < 0:
        return f"未填写意向工种，岗位工种“{job_name}”按一般匹配计"
    sims = [(tax.similarity(job["occ"], o), o) for o in (lab["occ1"], lab["occ2"]) if o >= 0]
    sim, best = max(sims)
    if sim >= 1.0:
        return f"意向工种“{tax.name(best)}”与岗位工种“{job_name}”一致"
    if sim > 0:
        return f"意向工种“{tax.name(best)}”与岗位工种“{job_name}”相近（相似度{sim:.0%}）"
    return f"意向工种“{tax.name(lab['occ1'])}”与岗位工种“{job_name}”不同"


def x_skills(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    canon = job["canon"]
    if canon >= 0 and (lab["skill_bits"] >> canon) & 1:
        levels = ["", "初级技工", "中级技工", "高级技工", "技师", "高级技师"]
        cert = f"，持有{levels[lab['qual']]}职业资格" if lab["qual"] else ""
        return f"具备“{ctx.taxonomy.name(canon)}”相关技能{cert}"
    return "技能与岗位工种无直接对应"


def x_wage(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    offer = f"岗位月薪{job['wage_min']}-{job['wage_max']}元"
    if lab["wage"] <= 0:
        return f"未填写期望收入，{offer}"
    if job["wage_max"] >= lab["wage"]:
        return f"{offer}，达到期望月收入{lab['wage']}元"
    return f"{offer}，低于期望月收入{lab['wage']}元"


def x_distance(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    if bool(in_intended_region(_Row(lab), _Row(job))):
        return f"工作地点在本人意向地区内（与户籍地{REL_LABEL[_rel(lab, job)]}）"
    return f"工作地点与户籍地{REL_LABEL[_rel(lab, job)]}"


def x_cooperation(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    if _rel(lab, job) != REL_SAME_COUNTY and bool(ctx.cooperation_match(_Row(lab), _Row(job))):
        home, work = str(lab["region"]).zfill(12), str(job["region"]).zfill(12)
        for (out_prefix, in_prefix), label in sorted(ctx.agreement_labels.items()):
            if home.startswith(out_prefix) and work.startswith(in_prefix):
                return label
        return "输出地与输入地签有劳务协作协议"
    return "两地无劳务协作协议"


def x_accommodation(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    if _rel(lab, job) == REL_SAME_COUNTY:
        return "县内就业，不计食宿"
    offered = [name for name, flag in (("住宿", job["acc"]), ("餐食", job["meals"])) if flag]
    if offered:
        return f"异地务工，岗位提供{'和'.join(offered)}"
    return "异地务工，岗位不提供食宿"


def x_low_threshold(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    if job["low"] and bool(needs_low_threshold(_Row(lab))):
        return "低门槛岗位，适合文化程度较低或弱劳动力人员"
    return "不适用低门槛加分" if not job["low"] else "低门槛岗位（本人无需照顾）"


def x_employer(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    parts = ["就业帮扶车间/基地"] if job["assist"] else []
    ret = job["retention"]
    parts.append("以往留岗率未知" if np.isnan(ret) else f"以往留岗率{ret:.0%}")
    return "用工单位：" + "，".join(parts)


def x_congestion(lab: Mapping[str, Any], job: Mapping[str, Any], ctx: ScoreContext) -> str:
    ratio = job["sent"] / max(job["openings"], 1)
    return f"已推荐{job['sent']}人，招聘{job['openings']}人（每个岗位{ratio:.1f}人）"


class _Row:
    """Attribute access to one encoded row, so vectorised helpers run on scalars."""

    def __init__(self, row: Mapping[str, Any]) -> None:
        self.__dict__.update(row)


def _rel(lab: Mapping[str, Any], job: Mapping[str, Any]) -> int:
    if lab["county"] == job["county"]:
        return REL_SAME_COUNTY
    if lab["pref"] == job["pref"]:
        return 1
    if lab["prov"] == job["prov"]:
        return 2
    return REL_OTHER_PROVINCE


# --- registry ----------------------------------------------------------------------------------------------

ComputeFn = Callable[[Any, Any, np.ndarray, ScoreContext], np.ndarray]
ExplainFn = Callable[[Mapping[str, Any], Mapping[str, Any], ScoreContext], str]


@dataclass(frozen=True)
class Factor:
    code: str  # also the Weights field
    label: str  # shown on screen
    compute: ComputeFn
    explain: ExplainFn
    job_only: bool = False  # same value for every candidate of one job


FACTORS: tuple[Factor, ...] = (
    Factor("occupation", "工种意向", f_occupation, x_occupation),
    Factor("skills", "技能证书", f_skills, x_skills),
    Factor("wage", "薪资期望", f_wage, x_wage),
    Factor("distance", "就业距离", f_distance, x_distance),
    Factor("cooperation", "劳务协作", f_cooperation, x_cooperation),
    Factor("accommodation", "食宿保障", f_accommodation, x_accommodation),
    Factor("low_threshold", "低门槛岗位", f_low_threshold, x_low_threshold),
    Factor("employer", "用工单位", f_employer, x_employer, job_only=True),
    Factor("congestion", "岗位拥挤度", f_congestion, x_congestion, job_only=True),
)
FACTOR_CODES = tuple(f.code for f in FACTORS)
