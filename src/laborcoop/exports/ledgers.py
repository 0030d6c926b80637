"""The standard ledgers (台账): grouped rows with a subtotal after each group and a total at the end.

A ledger is a stream of lines (group heading, data row, subtotal, total) that exports.writers lays out as an
xlsx sheet under title rows (ledger name, region, date). Rows come from the list pages' scoped selectors, so a
ledger covers exactly what the user may see, optionally narrowed to a sub-region.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Q, QuerySet

from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.selectors import enterprise_list, job_list
from laborcoop.exports.choices import ExportKind
from laborcoop.exports.chunks import iter_chunked
from laborcoop.exports.columns import (
    ExportContext,
    day,
    label,
    labels,
    laborer_id_number,
    person_phone,
    shown,
    yes_no,
)
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer
from laborcoop.registry.selectors import LaborerFilters, laborer_list

LineKind = Literal["group", "row", "subtotal", "total"]
OnChunk = Callable[[int], None] | None

SUBTOTAL = "小计"
TOTAL = "合计"


@dataclass(frozen=True)
class LedgerLine:
    kind: LineKind
    values: list[Any]


@dataclass
class Ledger:
    kind: str
    title: str
    region_code: str  # the region the ledger covers ("" for the whole country), named in its title rows
    header: list[str]
    widths: list[int]
    queryset: QuerySet[Any]  # the rows counted to decide between a direct download and a background job
    build: Callable[["Ledger", ExportContext, OnChunk], Iterator[LedgerLine]] = field(repr=False)
    open_jobs: QuerySet[JobPosting] | None = None  # 企业用工台账: the postings listed under each enterprise

    def count(self) -> int:
        return self.queryset.count()

    def lines(self, ctx: ExportContext, on_chunk: OnChunk = None) -> Iterator[LedgerLine]:
        return self.build(self, ctx, on_chunk)


def _is_region_code(value: str) -> bool:
    return len(value) == 12 and value.isdigit()


def _title_region(user: Any, region: str) -> str:
    if _is_region_code(region):
        return region
    return str(user.home_region_id or "")


# --- 劳动力资源登记台账 ----------------------------------------------------------------------------------------

LABOR_HEADER = [
    "序号",
    "姓名",
    "性别",
    "证件号码",
    "出生日期",
    "与户主关系",
    "文化程度",
    "健康状况",
    "劳动技能",
    "就业状态",
    "务工地域",
    "联系电话",
    "培训需求",
]
LABOR_WIDTHS = [6, 10, 6, 22, 12, 10, 12, 12, 16, 10, 10, 14, 20]


def _labor_lines(ledger: Ledger, ctx: ExportContext, on_chunk: OnChunk) -> Iterator[LedgerLine]:
    """One block per village: heading, its laborers, '小计 N 人 / 其中已就业 M 人'; then the total."""
    village: str | None = None
    n = employed = total = total_employed = 0
    for p in iter_chunked(ledger.queryset, ctx, on_chunk=on_chunk):
        if p.region_id != village:
            if village is not None:
                yield LedgerLine("subtotal", [SUBTOTAL, f"{n} 人", f"其中已就业 {employed} 人"])
            village = p.region_id
            n = employed = 0
            yield LedgerLine("group", [f"所在村：{ctx.regions.path(village)}"])
        n += 1
        total += 1
        if p.employment_status == rc.EmploymentStatus.EMPLOYED:
            employed += 1
            total_employed += 1
        yield LedgerLine(
            "row",
            [
                n,
                p.name,
                shown(p, "sex"),
                laborer_id_number(p, ctx),
                day(p.birth_date),
                shown(p, "relation"),
                label(p.education, rc.Education),
                labels(p.health, rc.Health),
                shown(p, "labor_skill"),
                shown(p, "employment_status"),
                label(p.work_area, rc.WorkArea),
                person_phone(p, ctx),
                labels(p.training_needs, rc.TrainingNeed),
            ],
        )
    if village is not None:
        yield LedgerLine("subtotal", [SUBTOTAL, f"{n} 人", f"其中已就业 {employed} 人"])
    yield LedgerLine("total", [TOTAL, f"{total} 人", f"其中已就业 {total_employed} 人"])


def labor_ledger_rows(*, user: Any, region: str = "") -> QuerySet[Laborer]:
    """Household members with labor ability (普通/技能/弱劳动力) in the user's scope, by village."""
    laborers = laborer_list(user=user, filters=LaborerFilters(region=region))
    return laborers.filter(labor_skill__in=rc.HAS_LABOR).prefetch_related(None)


# --- 转移就业人员台账 ------------------------------------------------------------------------------------------

TRANSFER_HEADER = ["序号", "姓名", "证件号码", "所在村", "务工地域", "务工单位", "联系电话"]
TRANSFER_WIDTHS = [6, 10, 22, 16, 10, 30, 14]
TRANSFER_AREAS = (rc.WorkArea.IN_PROVINCE, rc.WorkArea.OUT_OF_PROVINCE)


def _township_of(village_code: str) -> str:
    return village_code[:9] + "000"


def _transfer_lines(ledger: Ledger, ctx: ExportContext, on_chunk: OnChunk) -> Iterator[LedgerLine]:
    """One block per township: heading, its transferred laborers, '小计 N 人 / 其中省外 M 人'; then the total."""
    township: str | None = None
    n = outside = total = total_outside = 0
    for p in iter_chunked(ledger.queryset, ctx, on_chunk=on_chunk):
        if _township_of(p.region_id) != township:
            if township is not None:
                yield LedgerLine("subtotal", [SUBTOTAL, f"{n} 人", f"其中省外 {outside} 人"])
            township = _township_of(p.region_id)
            n = outside = 0
            yield LedgerLine("group", [f"乡镇：{ctx.regions.path(township)}"])
        n += 1
        total += 1
        if p.work_area == rc.WorkArea.OUT_OF_PROVINCE:
            outside += 1
            total_outside += 1
        yield LedgerLine(
            "row",
            [
                n,
                p.name,
                laborer_id_number(p, ctx),
                ctx.regions.name(p.region_id),
                label(p.work_area, rc.WorkArea),
                p.employer_name,
                person_phone(p, ctx),
            ],
        )
    if township is not None:
        yield LedgerLine("subtotal", [SUBTOTAL, f"{n} 人", f"其中省外 {outside} 人"])
    yield LedgerLine("total", [TOTAL, f"{total} 人", f"其中省外 {total_outside} 人"])


def transfer_ledger_rows(*, user: Any, region: str = "") -> QuerySet[Laborer]:
    """Employed laborers working outside their county (省内县外/省外) or for a named employer."""
    laborers = laborer_list(
        user=user, filters=LaborerFilters(region=region, employment_status=rc.EmploymentStatus.EMPLOYED)
    )
    transferred = Q(work_area__in=TRANSFER_AREAS) | ~Q(employer_name="")
    return laborers.filter(transferred).prefetch_related(None)


# --- 企业用工台账 ----------------------------------------------------------------------------------------------

ENTERPRISE_HEADER = ["序号", "岗位名称", "工种", "招聘人数", "月薪范围（元）", "工作地点", "有效期至"]
ENTERPRISE_WIDTHS = [6, 24, 14, 10, 14, 36, 12]
NO_OPEN_JOBS = "暂无招聘中岗位"


def _enterprise_lines(ledger: Ledger, ctx: ExportContext, on_chunk: OnChunk) -> Iterator[LedgerLine]:
    """One block per enterprise (heading with its 帮扶 flags), its open jobs, '小计 N 个岗位' with the openings
    summed under 招聘人数; then the total. The open jobs of each chunk of enterprises come in one query."""
    open_jobs = ledger.open_jobs
    assert open_jobs is not None
    jobs_of: dict[int, list[JobPosting]] = {}

    def load_jobs(enterprises: list[Enterprise]) -> None:
        jobs_of.clear()
        grouped: dict[int, list[JobPosting]] = defaultdict(list)
        for job in open_jobs.filter(enterprise_id__in=[e.pk for e in enterprises]):
            grouped[job.enterprise_id].append(job)
        ctx.regions.load(job.work_region_id for jobs in grouped.values() for job in jobs)
        jobs_of.update(grouped)

    total_enterprises = total_jobs = total_openings = 0
    for e in iter_chunked(ledger.queryset, ctx, on_chunk=on_chunk, before_chunk=load_jobs):
        total_enterprises += 1
        yield LedgerLine(
            "group",
            [
                f"{e.name}（{e.uscc}）　所在地区：{ctx.regions.path(e.region_id)}　"
                f"就业帮扶车间：{yes_no(e.is_assist_workshop)}　就业帮扶基地：{yes_no(e.is_assist_base)}"
            ],
        )
        jobs = jobs_of.get(e.pk, [])
        if not jobs:
            yield LedgerLine("row", ["", NO_OPEN_JOBS])
        openings = 0
        for seq, job in enumerate(jobs, start=1):
            openings += job.openings
            yield LedgerLine(
                "row",
                [
                    seq,
                    job.title,
                    job.occupation,
                    job.openings,
                    f"{job.wage_min}-{job.wage_max}",
                    ctx.regions.path(job.work_region_id),
                    day(job.valid_until),
                ],
            )
        total_jobs += len(jobs)
        total_openings += openings
        yield LedgerLine("subtotal", [SUBTOTAL, f"{len(jobs)} 个岗位", "", openings])
    yield LedgerLine("total", [TOTAL, f"{total_enterprises} 家企业，{total_jobs} 个岗位", "", total_openings])


def enterprise_ledger_rows(*, user: Any, region: str = "") -> tuple[QuerySet[Enterprise], QuerySet[JobPosting]]:
    """The enterprises in the user's scope (narrowed to `region`) and the open postings to list under them."""
    enterprises = enterprise_list(user=user).select_related(None)
    if _is_region_code(region):
        enterprises = enterprises.filter(in_subtree_q(prefix_of_code(region)))
    jobs = job_list(user=user, open_only=True).select_related(None).order_by("enterprise_id", "-valid_from", "id")
    return enterprises, jobs


# --- entry point -------------------------------------------------------------------------------------------


def ledger_for(*, user: Any, kind: str, region: str = "") -> Ledger:
    """The ledger of `kind` for `user` (PermissionDeniedError if their role may not see its rows)."""
    title_region = _title_region(user, region)
    if kind == ExportKind.LEDGER_LABOR:
        return Ledger(
            kind,
            str(ExportKind.LEDGER_LABOR.label),
            title_region,
            LABOR_HEADER,
            LABOR_WIDTHS,
            labor_ledger_rows(user=user, region=region),
            _labor_lines,
        )
    if kind == ExportKind.LEDGER_TRANSFER:
        return Ledger(
            kind,
            str(ExportKind.LEDGER_TRANSFER.label),
            title_region,
            TRANSFER_HEADER,
            TRANSFER_WIDTHS,
            transfer_ledger_rows(user=user, region=region),
            _transfer_lines,
        )
    if kind == ExportKind.LEDGER_ENTERPRISE:
        enterprises, jobs = enterprise_ledger_rows(user=user, region=region)
        return Ledger(
            kind,
            str(ExportKind.LEDGER_ENTERPRISE.label),
            title_region,
            ENTERPRISE_HEADER,
            ENTERPRISE_WIDTHS,
            enterprises,
            _enterprise_lines,
            open_jobs=jobs,
        )
    raise ValueError(kind)
