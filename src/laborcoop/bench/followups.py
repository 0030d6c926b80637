"""Benchmark of the nightly follow-up plan on PostgreSQL (docs/benchmarks.md, "Tracking").

`bench_prepare` adds synthetic employment records and follow-ups to a seeded database (`manage.py seed`), set
based, once: a record for 60% of the laborers (a third each 县内 / 省内县外 / 省外, a quarter of them ended),
the laborers' employment summary to match, two follow-ups for 30% of the laborers, and registration dates one
to two years back (a fresh seed is registered today, so nobody would be due).

`bench_run` then times, in the same run and alternating which goes first:
- the plan's statements as the nightly run executes them: the first night (no routine task yet, the task table
  freshly analysed: most people are due, the worst case; committed, then the tasks deleted and the table
  vacuumed before the next repetition), and a steady-state night (tonight's tasks kept, the plan run for the
  next day inside a transaction rolled back: only those whose interval ends that day are added);
- the baseline: a bare count(*) over the same SELECT (same joins and filters, no insert); for the first night
  also the write alone: the same rows inserted from a temporary table computed beforehand.
"""

import resource
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import TaskKind
from laborcoop.tracking.followups.plan import due_select, plan_statements
from laborcoop.tracking.models import FollowUp, FollowUpTask
from laborcoop.tracking.settings.selectors import default_tracking_settings

OUT_OF_PROVINCE_COUNTY = "440306000000"  # 深圳市宝安区
IN_PROVINCE_COUNTY = "430102000000"  # 长沙市芙蓉区


class BenchError(Exception):
    pass


@dataclass
class Prepared:
    laborers: int
    records: int
    followups: int
    seconds: float


def bench_prepare() -> Prepared:
    """Add the synthetic records and follow-ups (PostgreSQL only; skipped when records already exist)."""
    if connection.vendor != "postgresql":
        raise BenchError("基准测试只在 PostgreSQL 上运行。")
    laborers = Laborer.objects.count()
    if not laborers:
        raise BenchError("数据库中没有人员，请先运行 manage.py seed --laborers 1000000。")
    started = time.perf_counter()
    if not EmploymentRecord.objects.exists():
        record, laborer = EmploymentRecord._meta.db_table, Laborer._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {record} (created_at, updated_at, laborer_id, region_code, employer_name, start_date,
                    end_date, end_reason, work_region_code, work_area, industry, monthly_wage, contract_term,
                    insurance_types, channel, source, warnings, version)
                SELECT now(), now(), l.id, l.region_code, '基准测试企业', s.start_date,
                    CASE WHEN l.id %% 4 = 0 THEN s.start_date + (20 + l.id %% 10)::integer END,
                    CASE WHEN l.id %% 4 = 0 THEN 'dismissed' ELSE '' END,
                    CASE l.id %% 3 WHEN 0 THEN substr(l.region_code, 1, 6) || '000000'
                        WHEN 1 THEN %s ELSE %s END,
                    CASE l.id %% 3 WHEN 0 THEN '01' WHEN 1 THEN '02' ELSE '03' END,
                    '', 4000, '', '[]', '', 'import', '{{}}', 1
                FROM {laborer} l
                CROSS JOIN LATERAL (SELECT CURRENT_DATE - (30 + (l.id * 7919) %% 700)::integer AS start_date) s
                WHERE l.id %% 10 < 6
                """,  # noqa: S608
                [IN_PROVINCE_COUNTY, OUT_OF_PROVINCE_COUNTY],
            )
            cursor.execute(
                f"""
                UPDATE {laborer} l SET
                    employment_status = CASE WHEN r.end_date IS NULL THEN 'employed' ELSE 'unemployed' END,
                    work_area = CASE WHEN r.end_date IS NULL THEN r.work_area ELSE '' END
                FROM {record} r WHERE r.laborer_id = l.id
                """  # noqa: S608
            )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {record}")
            cursor.execute(f"VACUUM ANALYZE {laborer}")
    if not FollowUp.objects.exists():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {FollowUp._meta.db_table} (created_at, updated_at, laborer_id, region_code, contacted_on,
                    method, outcome, note, failed_streak)
                SELECT now(), now(), l.id, l.region_code, CURRENT_DATE - (g * 25 + (l.id * 37) % 40)::integer,
                    'phone', 'working', '', 0
                FROM {Laborer._meta.db_table} l CROSS JOIN generate_series(1, 2) g
                WHERE l.id % 10 < 3
                """  # noqa: S608
            )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {FollowUp._meta.db_table}")
    if not Laborer.objects.filter(created_at__lt=timezone.now() - timedelta(days=365)).exists():
        # A fresh seed was registered today, so nobody would be due: registrations go two years back, spread
        # over a year (as a registry loaded over time).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Laborer._meta.db_table} SET created_at = created_at - (365 + id %% 365) * interval '1 day'"  # noqa: S608
                " WHERE created_at > now() - interval '365 days'",
                [],
            )
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Laborer._meta.db_table}")
    return Prepared(
        laborers=laborers,
        records=EmploymentRecord.objects.count(),
        followups=FollowUp.objects.count(),
        seconds=time.perf_counter() - started,
    )


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    rows: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class BenchResult:
    first_run: Timing
    first_baseline: Timing
    first_write_only: Timing
    steady_run: Timing
    steady_baseline: Timing
    max_rss_mb: float

    @property
    def first_ratio(self) -> float:
        return self.first_run.median / self.first_baseline.median

    @property
    def steady_ratio(self) -> float:
        return self.steady_run.median / self.steady_baseline.median


def _baseline(today: date) -> tuple[float, int]:
    select, params = due_select(values=default_tracking_settings(), prefixes=[], negate=True, today=today)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({select}) b", params)  # noqa: S608
        rows = cursor.fetchone()[0]
    return time.perf_counter() - started, rows


def _delete_routine_tasks() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FollowUpTask._meta.db_table} WHERE kind = %s", [TaskKind.ROUTINE.value])  # noqa: S608


class _Rollback(Exception):
    pass


def _plan(today: date, *, keep: bool) -> tuple[float, int]:
    """The nightly run's statements, timed up to and including the commit (the deferred foreign-key checks
    run there); rolled back unless `keep` (then timed up to the rollback)."""
    created = 0
    statements = plan_statements(today=today)
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                created += cursor.rowcount
            if not keep:
                raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - started, created


def _reset_tasks() -> None:
    """Untimed: no routine tasks, the table vacuumed and analysed (as on the night the plan goes live)."""
    _delete_routine_tasks()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {FollowUpTask._meta.db_table}")


def _write_only(today: date) -> tuple[float, int]:
    """The floor of the first night: the same rows, computed beforehand into a temporary table (untimed), then
    only written to the task table (timed up to the commit)."""
    select, params = due_select(values=default_tracking_settings(), prefixes=[], negate=True, today=today)
    task = FollowUpTask._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_due")
        cursor.execute(f"CREATE TEMP TABLE bench_due AS {select}", params)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {task} (created_at, updated_at, laborer_id, region_code, kind, due_date, status, note,"  # noqa: S608
            " version) SELECT %s, %s, id, region_code, %s, due, 'open', '', 1 FROM bench_due",
            [now, now, TaskKind.ROUTINE.value],
        )
        rows = cursor.rowcount
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_due")
    return elapsed, rows


def bench_run(*, runs: int = 3) -> BenchResult:
    if connection.vendor != "postgresql":
        raise BenchError("基准测试只在 PostgreSQL 上运行。")
    today = timezone.localdate()
    first_run, first_baseline, first_write_only = Timing(), Timing(), Timing()
    _baseline(today)  # warm the caches once
    for i in range(runs):
        _reset_tasks()
        seconds, first_write_only.rows = _write_only(today)
        first_write_only.seconds.append(seconds)
        _reset_tasks()
        if i % 2:
            seconds, first_baseline.rows = _baseline(today)
            first_baseline.seconds.append(seconds)
        seconds, first_run.rows = _plan(today, keep=True)
        first_run.seconds.append(seconds)
        if not i % 2:
            seconds, first_baseline.rows = _baseline(today)
            first_baseline.seconds.append(seconds)
    # Tonight's tasks exist (the last run kept them); tomorrow only those newly due are added.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {FollowUpTask._meta.db_table}")
    tomorrow = today + timedelta(days=1)
    steady_run, steady_baseline = Timing(), Timing()
    for i in range(runs):
        order: tuple[Any, ...] = (_plan, _baseline) if i % 2 == 0 else (_baseline, _plan)
        for step in order:
            if step is _plan:
                seconds, steady_run.rows = _plan(tomorrow, keep=False)
                steady_run.seconds.append(seconds)
            else:
                seconds, steady_baseline.rows = _baseline(tomorrow)
                steady_baseline.seconds.append(seconds)
    _reset_tasks()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BenchResult(first_run, first_baseline, first_write_only, steady_run, steady_baseline, rss)
