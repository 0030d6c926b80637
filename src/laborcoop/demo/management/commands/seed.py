"""Generate a deterministic demo / benchmark data set (households, laborers, enterprises, jobs)."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.demo.generator import (
    DEFAULT_BATCH,
    DEFAULT_SEED,
    MissingRegionsError,
    SeedConfig,
    SeedReport,
    reset_dataset,
    seed_dataset,
)
from laborcoop.registry.models import Laborer

ALREADY_SEEDED = (
    "数据库中已有 {count} 名人员，未生成新数据。"
    "追加生成请加 --append（不会产生重复），清空人员、家庭、企业和岗位后重新生成请加 --reset。"
)
APPEND_AND_RESET = "--append 和 --reset 不能同时使用。"
RESET_CANCELLED = "已取消。"
RESET_CONFIRM = "将删除全部人员、家庭、企业和岗位（共 {count} 名人员），确定吗？输入 yes 继续："
BAD_SIZE = "--laborers 必须是正整数。"
BAD_DATE = "日期格式应为 YYYY-MM-DD。"


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE) from exc


def format_report(report: SeedReport) -> str:
    return (
        f"已生成 {report.laborers} 名人员（{report.households} 户）、{report.enterprises} 家企业、"
        f"{report.jobs} 个岗位；用时 {report.seconds:.1f} 秒，{report.rate:,.0f} 人/秒（{report.method}）。"
    )


class Command(BaseCommand):
    help = (
        "生成演示数据：湖南村庄中的家庭和人员（每个家庭成员都是一条人员记录）、企业和岗位。"
        "同一 --seed 生成相同的数据。已有人员时默认拒绝运行，见 --append / --reset。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laborers", type=int, required=True, help="生成的人员数")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument(
            "--batch",
            type=int,
            default=DEFAULT_BATCH,
            help=f"每批写入的人员数（默认 {DEFAULT_BATCH}，每批一个事务；PostgreSQL 上 10 万人以上的导入整体一个事务）",
        )
        parser.add_argument("--as-of", type=_parse_date, help="计算年龄和岗位有效期的基准日期（默认今天）")
        parser.add_argument(
            "--append", action="store_true", help="已有人员时追加：户编号接续，身份证号与已有数据不重复"
        )
        parser.add_argument("--reset", action="store_true", help="先删除全部人员、家庭、企业和岗位，再生成")
        parser.add_argument("--no-input", action="store_true", help="--reset 时不再询问确认")

    def handle(self, *args: Any, **options: Any) -> None:
        laborers: int = options["laborers"]
        if laborers <= 0:
            raise CommandError(BAD_SIZE)
        if options["append"] and options["reset"]:
            raise CommandError(APPEND_AND_RESET)
        existing = Laborer.objects.count()
        if existing and options["reset"]:
            if not options["no_input"] and input(RESET_CONFIRM.format(count=existing)).strip().lower() != "yes":
                raise CommandError(RESET_CANCELLED)
            started = time.perf_counter()
            counts = reset_dataset()
            deleted = "，".join(f"{label} {n}" for label, n in counts.items())
            self.stdout.write(f"已删除：{deleted}（{time.perf_counter() - started:.1f} 秒）。")
        elif existing and not options["append"]:
            raise CommandError(ALREADY_SEEDED.format(count=existing))

        step = max(laborers // 20, 1)
        started = time.perf_counter()
        next_report = [step]

        def progress(done: int, total: int) -> None:
            if done >= next_report[0] or done == total:
                elapsed = time.perf_counter() - started
                self.stdout.write(f"  {done:>10,} / {total:,}  {elapsed:7.1f} 秒  {done / elapsed:,.0f} 人/秒")
                next_report[0] = done + step

        config = SeedConfig(laborers=laborers, seed=options["seed"], batch=options["batch"], as_of=options["as_of"])
        try:
            report = seed_dataset(config, progress=progress if options["verbosity"] >= 1 else None)
        except MissingRegionsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(format_report(report)))
        if options["verbosity"] >= 2:
            phases = "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in report.phases.items())
            self.stdout.write(f"分阶段用时：{phases}")
