"""manage.py restore DIR: a backup into an empty database and MEDIA_ROOT, verified; docs/deploy.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "把 manage.py backup 的备份恢复到空数据库和媒体目录，并按清单核对行数、文件和密钥。"
        "当前运行的密钥与备份的密钥指纹不一致时拒绝恢复。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup_dir", type=Path, help="备份目录（含 manifest.json）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或媒体目录已有内容时仍然恢复（替换数据库的全部内容）"
        )
        parser.add_argument(
            "--accept-secret-key-change",
            action="store_true",
            help="允许 DJANGO_SECRET_KEY 与备份时不同（已登录会话和签名链接失效）；ID 与摘要密钥仍须一致",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(
                backup_dir=options["backup_dir"],
                alias=options["database"],
                force=options["force"],
                accept_secret_key_change=options["accept_secret_key_change"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"恢复完成并已核对：{report.tables} 张表 {report.rows} 行，媒体文件 {report.media_files} 个，"
            f"抽样解密 {report.decrypted} 个加密值。"
        )
        if report.newer_migrations:
            pending = ", ".join(f"{app}.{name}" for app, names in report.newer_migrations.items() for name in names)
            self.stdout.write(f"备份早于当前代码，请运行 manage.py migrate（待应用：{pending}）。")
