"""The follow-up plan (寻访计划): how often each laborer is followed up, and the nightly run that opens a routine
task (定期寻访) for everyone whose follow-up is due.

Who is planned: laborers with labor ability (普通/技能/弱劳动力), registered normally (not reported deceased or
moved away), who are employed or unemployed (farmers and people without employment needs are not).

The interval comes from the province's tracking settings (employment.tracking_settings_for): by 务工地域 for
the employed (省外 30 days, 省内县外 60, 县内 90 by default; an unknown area counts as 省内县外), and
`followup_days_unemployed` (30) for the unemployed.

The clock starts at the latest of: the last follow-up, the last start or end of an employment record, and the
day the laborer was registered. A routine task is due at that date plus the interval; the plan opens it once
that day has come and the laborer has no open routine task (a database constraint keeps it to one).

`followup_plan_run` is one INSERT ... SELECT per group of provinces with the same settings: no rows travel to
Python, so a million laborers cost one scan of the laborers, the follow-ups and the records (see
docs/benchmarks.md, "Tracking").
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from laborcoop.employment.models import EmploymentRecord, TrackingSettings
from laborcoop.regions.scope import code_range
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer, VitalStatus
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import FollowUp, FollowUpTask
from laborcoop.tracking.settings.selectors import default_tracking_settings, tracking_settings_for

PLANNED_STATUSES = (rc.EmploymentStatus.EMPLOYED, rc.EmploymentStatus.UNEMPLOYED)

# 务工地域 -> the settings key of its interval (employed laborers).
AREA_INTERVAL_KEYS: dict[str, str] = {
    rc.WorkArea.OUT_OF_PROVINCE: "followup_days_out_of_province",
    rc.WorkArea.IN_PROVINCE: "followup_days_in_province",
    rc.WorkArea.IN_COUNTY: "followup_days_in_county",
}
UNKNOWN_AREA_KEY = "followup_days_in_province"
UNEMPLOYED_KEY = "followup_days_unemployed"


def interval_days(*, employment_status: str, work_area: str, values: dict[str, int]) -> int | None:
    """Days between routine follow-ups of one laborer under the thresholds `values`; None: not planned."""
    if employment_status == rc.EmploymentStatus.EMPLOYED:
        return values[AREA_INTERVAL_KEYS.get(work_area, UNKNOWN_AREA_KEY)]
    if employment_status == rc.EmploymentStatus.UNEMPLOYED:
        return values[UNEMPLOYED_KEY]
    return None


def is_planned(laborer: Laborer) -> bool:
    return (
        laborer.labor_skill in rc.HAS_LABOR
        and laborer.vital_status == VitalStatus.NORMAL
        and laborer.employment_status in PLANNED_STATUSES
    )


@dataclass(frozen=True)
class NextFollowUp:
    """When one laborer is next due for a follow-up, and why."""

    due: date
    basis: date  # the date the interval counts from
    interval: int


def next_followup(laborer: Laborer) -> NextFollowUp | None:
    """The plan for one laborer (the same rule as followup_plan_run, for the laborer page); None: not planned."""
    if not is_planned(laborer):
        return None
    days = interval_days(
        employment_status=laborer.employment_status,
        work_area=laborer.work_area,
        values=tracking_settings_for(laborer.region_id),
    )
    assert days is not None
    dates = [timezone.localtime(laborer.created_at).date()]
    last_followup = (
        FollowUp.objects.filter(laborer_id=laborer.pk)
        .order_by("-contacted_on")
        .values_list("contacted_on", flat=True)[:1]
    )
    dates.extend(last_followup)
    for start, end in EmploymentRecord.objects.filter(laborer_id=laborer.pk).values_list("start_date", "end_date"):
        dates.append(end or start)
    basis = max(dates)
    return NextFollowUp(due=basis + timedelta(days=days), basis=basis, interval=days)


# --- the nightly run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanResult:
    created: int
    statements: int
    seconds: float


def _groups() -> list[tuple[dict[str, int], list[str]]]:
    """(thresholds, province prefixes) per distinct set of thresholds; the defaults apply to every province
    without settings, which the empty prefix list stands for (the complement of the others)."""
    custom: dict[tuple[tuple[str, int], ...], list[str]] = {}
    defaults = default_tracking_settings()
    for code in TrackingSettings.objects.values_list("province_id", flat=True):
        values = tracking_settings_for(code)
        if values != defaults:
            custom.setdefault(tuple(sorted(values.items())), []).append(code[:2])
    return [(dict(key), prefixes) for key, prefixes in custom.items()]


def _add_days(expr: str, days: str) -> str:
    if connection.vendor == "postgresql":
        return f"({expr} + CAST({days} AS integer))"
    return f"date({expr}, '+' || {days} || ' days')"


def _greatest(*exprs: str) -> str:
    return f"{'GREATEST' if connection.vendor == 'postgresql' else 'MAX'}({', '.join(exprs)})"


def _created_day(column: str) -> str:
    """The local date of a timestamp column (SQLite stores UTC text: shifted by the zone's current offset)."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %s)::date"
    offset = timezone.localtime().utcoffset() or timedelta()
    return f"date({column}, '{int(offset.total_seconds()):+d} seconds')"


def _range_sql(column: str, prefixes: list[str], *, negate: bool) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for prefix in prefixes:
        parts.append(f"{column} BETWEEN %s AND %s")
        params.extend(code_range(prefix))
    if not parts:
        return ("1=1", []) if negate else ("1=0", [])
    joined = " OR ".join(parts)
    return (f"NOT ({joined})", params) if negate else (f"({joined})", params)


def due_select(*, values: dict[str, int], prefixes: list[str], negate: bool, today: date) -> tuple[str, list[Any]]:
    """The SELECT of the laborers of `prefixes` (or of every province but those, with `negate`) who are due a
    routine follow-up by `today` under the thresholds `values`: columns `id`, `region_code`, `due`. Public for
    the benchmark, which counts it as the baseline.

    Those who already have an open routine task are left to the insert's ON CONFLICT (the partial unique index
    task_one_open_routine): an anti-join on the task table here is planned as a nested loop over a sequential
    scan while the table is small or freshly analysed (the first run after going live), and then rescans the
    rows being inserted for every laborer, which took over ten minutes at 1M laborers."""
    laborer, followup = Laborer._meta.db_table, FollowUp._meta.db_table
    record = EmploymentRecord._meta.db_table
    scope_l, scope_l_params = _range_sql("l.region_code", prefixes, negate=negate)
    scope_f, scope_f_params = _range_sql("region_code", prefixes, negate=negate)
    scope_r, scope_r_params = _range_sql("region_code", prefixes, negate=negate)
    created = _created_day("l.created_at")
    days_case = (
        "CASE WHEN l.employment_status = %s THEN CASE l.work_area WHEN %s THEN %s WHEN %s THEN %s WHEN %s THEN %s "
        "ELSE %s END ELSE %s END"
    )
    days_params: list[Any] = [rc.EmploymentStatus.EMPLOYED]
    for area, key in AREA_INTERVAL_KEYS.items():
        days_params += [area, values[key]]
    days_params += [values[UNKNOWN_AREA_KEY], values[UNEMPLOYED_KEY]]
    skills = list(rc.HAS_LABOR)
    due = _add_days("p.basis", "p.days")
    # Only table names from the models' Meta and fixed fragments are formatted in; every value is a parameter.
    sql = f"""
        SELECT p.id, p.region_code, {due} AS due
        FROM (
            SELECT l.id, l.region_code, {days_case} AS days,
                   {_greatest(f"COALESCE(f.last_on, {created})", f"COALESCE(r.last_on, {created})", created)}
                       AS basis
            FROM {laborer} l
            LEFT JOIN (
                SELECT laborer_id, MAX(contacted_on) AS last_on FROM {followup} WHERE {scope_f} GROUP BY laborer_id
            ) f ON f.laborer_id = l.id
            LEFT JOIN (
                SELECT laborer_id, MAX(COALESCE(end_date, start_date)) AS last_on FROM {record}
                WHERE {scope_r} GROUP BY laborer_id
            ) r ON r.laborer_id = l.id
            WHERE {scope_l}
              AND l.employment_status IN (%s, %s)
              AND l.labor_skill IN ({", ".join(["%s"] * len(skills))})
              AND l.vital_status = %s
        ) p
        WHERE {due} <= %s
    """  # noqa: S608
    tz_params = [settings.TIME_ZONE] if connection.vendor == "postgresql" else []
    params: list[Any] = [*days_params]
    params += tz_params * 3  # the three created-day expressions of `basis`, in order
    params += scope_f_params + scope_r_params + scope_l_params
    params += [p.value for p in PLANNED_STATUSES] + [s.value for s in skills] + [VitalStatus.NORMAL.value]
    params += [today]
    return sql, params


def plan_statement(*, values: dict[str, int], prefixes: list[str], negate: bool, today: date) -> tuple[str, list[Any]]:
    """The INSERT ... SELECT opening the routine tasks of due_select; the partial unique index on open routine
    tasks skips the laborers who have one (also against a concurrent run)."""
    select, select_params = due_select(values=values, prefixes=prefixes, negate=negate, today=today)
    task = FollowUpTask._meta.db_table
    sql = f"""
        INSERT INTO {task} (created_at, updated_at, laborer_id, region_code, kind, due_date, status, note, version)
        SELECT %s, %s, q.id, q.region_code, %s, q.due, %s, '', 1 FROM ({select}) q
        WHERE 1=1
        ON CONFLICT DO NOTHING
    """  # noqa: S608
    now = timezone.now()
    return sql, [now, now, TaskKind.ROUTINE.value, TaskStatus.OPEN.value, *select_params]


def plan_statements(*, today: date) -> list[tuple[str, list[Any]]]:
    """One statement per group of provinces with their own thresholds, then one for all the others."""
    groups = _groups()
    statements = [plan_statement(values=v, prefixes=p, negate=False, today=today) for v, p in groups]
    custom = [prefix for _, prefixes in groups for prefix in prefixes]
    statements.append(plan_statement(values=default_tracking_settings(), prefixes=custom, negate=True, today=today))
    return statements


def followup_plan_run(*, today: date | None = None) -> PlanResult:
    """Open the routine tasks that are due by `today` (default: today). Idempotent: a second run the same day
    opens nothing. Returns how many tasks were opened."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    statements = plan_statements(today=today)
    created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            created += max(cursor.rowcount, 0)
    return PlanResult(created=created, statements=len(statements), seconds=time.perf_counter() - started)
