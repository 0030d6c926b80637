"""manage.py rotate_id_key: re-encrypt every stored ciphertext under LABORCOOP_ID_KEY (docs/deploy.md)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from laborcoop.core.crypto import key_fingerprints
from laborcoop.ops.rotation import DEFAULT_CHUNK, NO_OLD_KEY, id_key_rotate


class Command(BaseCommand):
    help = (
        "轮换证件号码加密密钥：把仍用旧密钥（LABORCOOP_ID_KEY_OLD）加密的值改用新密钥（LABORCOOP_ID_KEY）重新加密。"
        "分批、每批一个事务；可重复运行，中断后再运行即从未完成处继续。--check 只统计不写入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help=f"每批行数（默认 {DEFAULT_CHUNK}）")
        parser.add_argument("--check", action="store_true", help="只统计仍用旧密钥的值，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["check"] and not settings.LABORCOOP_ID_KEY_OLD.strip():
            raise CommandError(NO_OLD_KEY)
        if options["chunk"] < 1:
            raise CommandError("--chunk 须为正整数。")
        keys = key_fingerprints()
        self.stdout.write(
            f"当前密钥指纹 {keys['LABORCOOP_ID_KEY']}，旧密钥指纹 {', '.join(keys['LABORCOOP_ID_KEY_OLD']) or '无'}。"
        )
        reports = id_key_rotate(chunk=options["chunk"], dry_run=options["check"])
        remaining = failed = 0
        for r in reports:
            remaining += r.remaining
            failed += len(r.failed)
            line = f"{r.label}: 检查 {r.scanned}，已是新密钥 {r.current}，重新加密 {r.rotated}"
            if options["check"]:
                line += f"，待轮换 {r.remaining}"
            if r.failed:
                shown = ", ".join(str(pk) for pk in r.failed[:20])
                line += f"，无法解密 {len(r.failed)}（主键 {shown}{' …' if len(r.failed) > 20 else ''}）"
            self.stdout.write(line)
        if failed:
            raise CommandError(
                f"{failed} 个值无法用当前或旧密钥解密，未改动。/ {failed} values could not be decrypted with any key."
            )
        if options["check"]:
            done = (
                "全部已用新密钥加密。未配置 LABORCOOP_FILE_KEY 时，轮换前上传的文件仍用旧密钥的子密钥加密，"
                "须在其保留期满（purge_uploads 删除）后再移除 LABORCOOP_ID_KEY_OLD。"
            )
            self.stdout.write(f"待轮换 {remaining} 个值。" if remaining else done)
        else:
            self.stdout.write("轮换完成：全部已用新密钥加密（上传文件除外，见 docs/deploy.md 第 7 节）。")
