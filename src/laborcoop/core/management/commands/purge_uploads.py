"""Delete uploaded files past their retention (nightly): `manage.py purge_uploads [--days N]`."""

from typing import Any

from django.core.management.base import BaseCommand

from laborcoop.core.uploads import purge_expired, retained_upload_models


class Command(BaseCommand):
    help = "删除超过保留期限的上传原始文件（导入文件、比对名单）；任务记录和问题报告保留。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="保留天数（默认 LABORCOOP_UPLOAD_RETENTION_DAYS）")

    def handle(self, *args: Any, **options: Any) -> None:
        for model in retained_upload_models():
            count = purge_expired(model, days=options["days"])
            self.stdout.write(f"{model._meta.label}: {count}")
