"""Encrypt uploaded files stored before uploads were encrypted (once, after the upgrade; idempotent)."""

import tempfile
from typing import Any

from django.core.management.base import BaseCommand

from laborcoop.core.file_crypto import encrypt_stream, is_encrypted
from laborcoop.core.uploads import retained_upload_models


class Command(BaseCommand):
    help = "加密升级前以明文保存的上传原始文件（可重复执行，已加密的跳过）。"

    def handle(self, *args: Any, **options: Any) -> None:
        for model in retained_upload_models():
            done = 0
            for row in model.objects.exclude(file="").order_by("pk").iterator(chunk_size=500):
                storage, name = row.file.storage, row.file.name
                if not storage.exists(name):
                    continue
                with storage.open(name, "rb") as stored:
                    if is_encrypted(stored):
                        continue
                    with tempfile.TemporaryFile() as sealed:
                        encrypt_stream(stored, sealed)
                        sealed.seek(0)
                        _replace(storage, name, sealed)
                done += 1
            self.stdout.write(f"{model._meta.label}: {done}")


def _replace(storage: Any, name: str, content: Any) -> None:
    """Overwrite the file in place (same name: the row keeps pointing at it). On a file system, through a
    temporary neighbour and an atomic rename, so a crash never leaves half a file."""
    import os

    from django.core.files.storage import FileSystemStorage

    if isinstance(storage, FileSystemStorage):
        path = storage.path(name)
        with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as out:
            while piece := content.read(1 << 20):
                out.write(piece)
        os.replace(out.name, path)
        return
    storage.delete(name)
    storage.save(name, content)
