"""Benchmark the nightly follow-up plan on PostgreSQL (docs/benchmarks.md, "Tracking"); see bench.followups."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.bench.followups import BenchError, bench_prepare, bench_run


class Command(BaseCommand):
    help = "寻访计划夜间任务的性能基准（PostgreSQL；先用 manage.py seed 生成人员）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=3, help="每项测量的次数（取中位数）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            prepared = bench_prepare()
            self.stdout.write(
                f"数据：人员 {prepared.laborers:,}，就业记录 {prepared.records:,}，寻访记录 {prepared.followups:,}"
                f"（准备 {prepared.seconds:.1f} 秒）"
            )
            result = bench_run(runs=options["runs"])
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        for label, run, base, ratio in (
            ("首次运行（大多数人到期）", result.first_run, result.first_baseline, result.first_ratio),
            ("日常运行（次日新到期）", result.steady_run, result.steady_baseline, result.steady_ratio),
        ):
            runs = " / ".join(f"{s:.2f}" for s in run.seconds)
            bases = " / ".join(f"{s:.2f}" for s in base.seconds)
            self.stdout.write(
                f"{label}：生成任务 {run.rows:,} 条，用时中位数 {run.median:.2f} 秒（{runs}）；"
                f"基线 count(*) {base.rows:,} 行，中位数 {base.median:.2f} 秒（{bases}）；比值 {ratio:.2f}"
            )
        writes = " / ".join(f"{s:.2f}" for s in result.first_write_only.seconds)
        self.stdout.write(
            f"首次运行的写入下限（同样 {result.first_write_only.rows:,} 行从临时表写入）："
            f"中位数 {result.first_write_only.median:.2f} 秒（{writes}）；"
            f"寻访计划 / 写入下限 = {result.first_run.median / result.first_write_only.median:.2f}"
        )
        self.stdout.write(f"进程峰值内存 {result.max_rss_mb:.0f} MB")
