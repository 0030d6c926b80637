"""Prepare the demo database (what `make demo` runs after migrate): regions, seed data, demo logins."""

import time
import unicodedata
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.accounts.roles import Role
from laborcoop.demo.cooperation_demo import demo_cooperation_ensure
from laborcoop.demo.desks_demo import demo_desks_ensure
from laborcoop.demo.generator import (
    DEFAULT_SEED,
    MissingRegionsError,
    SeedConfig,
    ensure_regions,
    seed_dataset,
)
from laborcoop.demo.linkage_demo import demo_linkage_ensure
from laborcoop.demo.management.commands.seed import format_report
from laborcoop.demo.matching_demo import demo_matching_ensure
from laborcoop.demo.tracking_demo import demo_tracking_ensure
from laborcoop.demo.users import DEMO_PASSWORD, DemoSetupError, demo_logins_ensure
from laborcoop.registry.models import Laborer

DEFAULT_LABORERS = 20000
ROLE_LABELS = dict(Role.choices)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "准备演示环境：行政区划不完整时载入，没有人员时生成演示数据，创建或更新演示账号（密码 demo-2026）。"
        "重复运行不改变已有数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--laborers", type=int, default=DEFAULT_LABORERS, help=f"生成的人员数（默认 {DEFAULT_LABORERS}）"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if ensure_regions():
            self.stdout.write(f"已载入行政区划（{time.perf_counter() - started:.1f} 秒）。")
        if Laborer.objects.exists():
            self.stdout.write(f"已有 {Laborer.objects.count()} 名人员，不再生成演示数据。")
        else:
            try:
                report = seed_dataset(SeedConfig(laborers=options["laborers"], seed=options["seed"]))
            except MissingRegionsError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(format_report(report))
        try:
            results = demo_logins_ensure()
        except DemoSetupError as exc:
            raise CommandError(str(exc)) from exc

        self._linkage_demo()
        self._cooperation_demo()
        self._matching_demo()
        self._tracking_demo()
        self._nightly_jobs()
        self._desks_demo()

        rows = []
        for r in results:
            user = r.user
            note = "新建" if r.created else "已更新" if r.changed else "未变"
            extra = []
            if user.enterprise_id:
                extra.append(str(user.enterprise))
            if user.can_unmask_id:
                extra.append("可查看完整证件号")
            role = "、".join(str(ROLE_LABELS.get(code, code)) for code in user.roles)
            rows.append([user.username, DEMO_PASSWORD, role, r.region_path, "；".join(extra), note])
        self.stdout.write("")
        self.stdout.write(format_table(["用户名", "密码", "角色", "所属区划", "说明", "状态"], rows))
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示环境已就绪（{time.perf_counter() - started:.1f} 秒）。"))

    def _cooperation_demo(self) -> None:
        r = demo_cooperation_ensure()
        done = "已生成" if r.created else "已有"
        self.stdout.write(f"{done}劳务协作协议：生效 {r.in_force} 份，待对方确认 {r.pending} 份")

    def _matching_demo(self) -> None:

        started = time.perf_counter()
        report = demo_matching_ensure()
        done = "已生成" if report.created else "已有"
        states = "，".join(f"{label}{count}条" for label, count in report.states.items())
        self.stdout.write(f"{done}人岗匹配演示：{states}（{time.perf_counter() - started:.1f} 秒）")

    def _tracking_demo(self) -> None:

        started = time.perf_counter()
        r = demo_tracking_ensure()
        done = "已生成" if r.created else "已有"
        self.stdout.write(
            f"{done}就业跟踪演示：在岗 {r.ongoing} 条、已结束 {r.ended} 条就业记录"
            f"（劳动年龄人员中 {r.share_with_records:.0%} 有记录），工资 {r.wage_months} 条，"
            f"参保 {r.insurance_months} 条，寻访 {r.followups} 条，企业答复去向通报 {r.notices_answered} 条"
            f"（{time.perf_counter() - started:.1f} 秒）"
        )

    def _desks_demo(self) -> None:
        """The broker's "today" and the hotline's console have work at once (after the nightly plan)."""
        r = demo_desks_ensure()
        self.stdout.write(
            f"经纪人今日工作：到期寻访 {r.due_tasks} 项、待登记新劳动力 {r.new_workers} 人、"
            f"待转告岗位 {r.jobs_to_pass} 条；12333 来电记录 {r.calls} 条"
        )

    def _nightly_jobs(self) -> None:
        """What cron runs every night, run once so the state list, the follow-up tasks and the warning lists
        have content at once (each is idempotent)."""
        for command in ("expire_job_postings", "refresh_employment_states", "plan_followups", "run_warnings"):
            call_command(command, stdout=self.stdout)

    def _linkage_demo(self) -> None:
        """A finished persons import and a finished 公安 户籍 comparison of 泸溪县, once."""
        started = time.perf_counter()
        report = demo_linkage_ensure()
        job, comparison = report.import_job, report.comparison
        if job is not None:
            verb = "已生成" if report.import_created else "已有"
            self.stdout.write(
                f"{verb}演示导入：新增 {job.rows_created} 行，"
                f"拒绝 {job.rows_rejected} 行，有提示 {job.rows_warned} 行。"
            )
        if comparison is not None:
            verb = "已生成" if report.comparison_created else "已有"
            self.stdout.write(
                f"{verb}演示数据比对（{comparison.get_status_display()}）：匹配 {comparison.matched_count} 人，"
                f"仅本库有 {comparison.only_ours_count} 人，仅对方有 {comparison.only_theirs_count} 人，"
                f"建议变更 {comparison.changes_count} 条。"
            )
        if report.import_created or report.comparison_created:
            self.stdout.write(f"（演示导入与比对用时 {time.perf_counter() - started:.1f} 秒）")
