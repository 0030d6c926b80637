"""manage.py backup --out DIR: the database, MEDIA_ROOT and a manifest (never the keys); docs/deploy.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）、媒体文件和清单（manifest.json：迁移状态、各表行数、"
        "文件校验和、密钥指纹）。密钥本身不在备份中，须另行保管。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="新的备份目录（不存在或为空）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(out_dir=options["out"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        size = sum(meta["bytes"] for meta in manifest["files"].values())
        self.stdout.write(
            f"备份完成：{options['out']}（{manifest['vendor']}，{len(manifest['row_counts'])} 张表 {rows} 行，"
            f"媒体文件 {len(manifest['media'])} 个，共 {size / 1e6:.1f} MB）。"
            f"ID 密钥指纹 {manifest['keys']['LABORCOOP_ID_KEY']}：恢复时须配置同一组密钥。"
        )
