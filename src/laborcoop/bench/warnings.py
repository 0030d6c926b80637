"""Benchmark the nightly warning run (issue 5: 1M laborers, 600k employment records, under 2 minutes on
PostgreSQL), with its time and peak memory.

Data: the seed's laborers (demo.generator, appended when fewer than --laborers) and synthetic tracking data
written server-side (bench.warnings_data). Runs a first nightly run on an empty warning table (everything
is raised) and, after a small day-to-day change (about one ongoing job in 400 ends), a second run (few
changes). Each run is a child process (`--measure`), so its peak RSS is its own and not the data build's.
Baseline, measured in the same session: one sequential scan of the laborer table and one count over laborers
joined with their records; ratio = run time / laborer scan.

Use a dedicated database: --reset empties the employment, tracking and warning tables (TRUNCATE).
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from laborcoop.bench import warnings_data
from laborcoop.bench.machine import machine_info
from laborcoop.demo.generator import MissingRegionsError, SeedConfig, ensure_regions, seed_dataset
from laborcoop.demo.management.commands.seed import format_report
from laborcoop.earlywarning.engine import warnings_evaluate
from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.models import Laborer

NOT_POSTGRES = "bench_warnings 只在 PostgreSQL 上运行（性能预算针对生产数据库）。请设置 DATABASE_URL=postgres://…"
HAS_RECORDS = (
    "库中已有 {count} 条就业记录。重新生成请加 --reset（清空就业、跟踪和预警数据，仅用于专用基准测试库），"
    "沿用现有数据请加 --reuse。"
)
BUDGET_SECONDS = 120.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(sql: str, runs: int = 3) -> float:
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(today: date) -> dict[str, Any]:
    """One nightly run in this process: its time, peak memory and counts (`bench_warnings --measure`)."""
    rss_before = _peak_rss_mb()
    t0 = time.perf_counter()
    result = warnings_evaluate(today=today)
    seconds = time.perf_counter() - t0
    c = result.counts
    out = {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_after_setup_mb": round(rss_before, 1),
        "staged": c.staged,
        "raised": c.raised,
        "resolved": c.resolved,
        "kept": c.kept,
        "live": c.live,
        "diff_seconds": round(result.diff_seconds, 2),
        "commit_seconds": round(result.commit_seconds, 2),
        "rule_seconds": {k: round(v, 2) for k, v in result.rule_seconds.items()},
        "rule_findings": result.rule_findings,
    }
    return out


def prepare(*, laborers: int, records: int, reset: bool, reuse: bool, today: date, log: Any) -> dict[str, Any]:
    """Seed the laborers and build the tracking data (or reuse them); empty the warning tables."""
    try:
        ensure_regions()
    except MissingRegionsError as exc:
        raise CommandError(str(exc)) from exc
    existing = Laborer.objects.count()
    if existing < laborers:
        log.write(f"库中有 {existing} 名人员，追加生成 {laborers - existing} 名……")
        log.write(format_report(seed_dataset(SeedConfig(laborers=laborers - existing))))
    existing_records = EmploymentRecord.objects.count()
    built: dict[str, Any] = {"reused": False}
    if existing_records and not (reset or reuse):
        raise CommandError(HAS_RECORDS.format(count=existing_records))
    if existing_records and reuse:
        built["reused"] = True
    else:
        t0 = time.perf_counter()
        warnings_data.tracking_data_reset()
        report = warnings_data.tracking_data_build(records=records, today=today)
        warnings_data.analyze_tracking_tables()
        built.update(report.__dict__)
        built["seconds"] = round(time.perf_counter() - t0, 1)
        log.write(
            f"已生成就业记录 {report.ongoing + report.ended:,} 条"
            f"（在岗 {report.ongoing:,}，已结束 {report.ended:,}），"
            f"工资月 {report.wage_months:,}，参保月 {report.insurance_months:,}，寻访 {report.followups:,}；"
            f"用时 {built['seconds']} 秒。"
        )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE earlywarning_earlywarning, earlywarning_warningrun")
    return built


def _child(today: date) -> dict[str, Any]:
    manage = os.path.join(settings.BASE_DIR, "manage.py")
    proc = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, manage, "bench_warnings", "--measure", "--date", today.isoformat()],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    if proc.returncode != 0:
        raise CommandError(proc.stderr[-2000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def bench(today: date, build: dict[str, Any], log: Any) -> dict[str, Any]:
    laborers = Laborer.objects.count()
    records = EmploymentRecord.objects.count()
    scan = _timed("SELECT COUNT(*), SUM(length(name)) FROM registry_laborer")
    joined = _timed("SELECT COUNT(*) FROM registry_laborer l JOIN employment_employmentrecord r ON r.laborer_id = l.id")
    first = _child(today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE earlywarning_earlywarning")  # as autovacuum would after a big insert
    changed = warnings_data.small_change(today=today)
    second = _child(today)
    for run in (first, second):
        run["ratio_to_scan"] = round(run["seconds"] / scan, 1) if scan else None
        run["ok"] = run["seconds"] <= BUDGET_SECONDS
    machine = machine_info()
    _print(log, laborers, records, scan, joined, first, second, changed, machine)
    return {
        "date": today.isoformat(),
        "laborers": laborers,
        "records": records,
        "build": build,
        "baseline": {"laborer_scan_seconds": round(scan, 3), "laborer_record_join_seconds": round(joined, 3)},
        "first_run": first,
        "second_run": {**second, "records_ended_before": changed},
        "budget_seconds": BUDGET_SECONDS,
        "machine": machine,
    }


def _print(
    log: Any, laborers: int, records: int, scan: float, joined: float,
    first: dict[str, Any], second: dict[str, Any], changed: int, machine: dict[str, Any],
) -> None:  # fmt: skip
    log.write(
        f"人员 {laborers:,} 名，就业记录 {records:,} 条；{machine['cpus']} 核，负载 {machine['load_average']}，"
        f"PostgreSQL {machine['postgresql']}。"
    )
    log.write(f"基准：人员表顺序扫描 {scan:.2f} 秒，人员与就业记录连接计数 {joined:.2f} 秒。")
    for label, run in (("第一次运行（全部新增）", first), (f"第二次运行（{changed} 条记录离岗后）", second)):
        log.write(
            f"{label}：{run['seconds']:.1f} 秒（比值 {run['ratio_to_scan']}x），"
            f"内存峰值 {run['peak_rss_mb']:.0f} MB；"
            f"新增 {run['raised']:,}，消除 {run['resolved']:,}，保持 {run['kept']:,}，现有 {run['live']:,}；"
            f"比对 {run['diff_seconds']:.1f} 秒，提交 {run['commit_seconds']:.1f} 秒。"
            f"预算 {BUDGET_SECONDS:.0f} 秒：{'达标' if run['ok'] else '未达标'}。"
        )
        slowest = sorted(run["rule_seconds"].items(), key=lambda kv: -kv[1])[:6]
        log.write(
            "  最慢的规则：" + "，".join(f"{k} {v:.1f}s（{run['rule_findings'].get(k, 0):,}）" for k, v in slowest)
        )
