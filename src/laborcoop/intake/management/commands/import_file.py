"""Import a spreadsheet from the command line, synchronously, as a given user (scope and audit are theirs).

manage.py import_file PATH --kind persons --user USERNAME
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.accounts.models import User
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, import_run


class Command(BaseCommand):
    help = "导入 Excel/CSV 文件（同步执行），以指定账号的管辖范围和身份导入并记录审计。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="xlsx、xls、ods 或 csv 文件")
        parser.add_argument("--kind", required=True, choices=ImportKind.values, help="导入类型")
        parser.add_argument("--user", required=True, help="执行导入的账号（用户名）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = User.objects.filter(username=options["user"]).select_related("home_region").first()
        if user is None:
            raise CommandError(f"账号不存在：{options['user']}")
        try:
            with path.open("rb") as fh:
                job = import_create(
                    acting_user=user, uploaded_file=File(fh, name=path.name), kind=options["kind"], enqueue=False
                )
        except PermissionDeniedError as exc:
            raise CommandError(exc.message) from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        job = import_run(job_id=job.pk)
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(f"导入失败（任务 {job.pk}）：{job.error}")
        self.stdout.write(
            f"导入完成（任务 {job.pk}）：共 {job.rows_total} 行，新增 {job.rows_created} 行，"
            f"更新 {job.rows_updated} 行，无变化 {job.rows_unchanged} 行，"
            f"拒绝 {job.rows_rejected} 行，有提示 {job.rows_warned} 行。"
        )
        if job.report:
            on_disk = isinstance(job.report.storage, FileSystemStorage)
            self.stdout.write(f"问题报告：{job.report.path if on_disk else job.report.name}")
