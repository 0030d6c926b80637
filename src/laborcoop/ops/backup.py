"""Backup and restore of one deployment: the database, the media files and a manifest (docs/deploy.md).

A backup is a directory:

    manifest.json     what was saved and how to check it (written last: a directory without it is incomplete)
    database.dump     PostgreSQL: `pg_dump --format=custom` of a snapshot whose row counts the manifest holds
    database.sqlite3  SQLite: a copy made with the online backup API (sqlite3.Connection.backup)
    media.tar         MEDIA_ROOT (uploads, reports, exports)

The manifest holds the time, the database vendor, the applied migrations per app, the row count of every
table, the sha256 of every file (the backup's and each media file's) and the fingerprints of the running
keys (core.crypto.key_fingerprint), never the keys: LABORCOOP_ID_KEY, LABORCOOP_HASH_KEY and DJANGO_SECRET_KEY
are kept by the operator apart from the backups. A restore refuses a backup whose key fingerprints the
running keys do not match, a target database that already holds tables (unless forced), and files whose
sha256 differs; after restoring it checks the row counts, the media files and that the encrypted columns
decrypt.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from laborcoop.core.crypto import decrypt, key_fingerprints

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar"
DECRYPT_SAMPLE = 50  # values per encrypted column decrypted after a restore
_CHUNK = 1 << 20

# Messages (Chinese for the operator, English for the log reader); tests assert them.
OUT_NOT_EMPTY = "备份目录已存在且不为空：{path}。请指定新的目录。/ The backup directory exists and is not empty."
NO_MANIFEST = "{path} 中没有 manifest.json，不是完整的备份。/ No manifest.json: not a complete backup."
BAD_FORMAT = "不支持的备份格式版本 {version}。/ Unsupported backup format version."
FILE_MISSING = "备份文件缺失：{name}。/ A file of the backup is missing."
FILE_CORRUPT = "备份文件校验失败（sha256 不符）：{name}。/ A file of the backup does not match its sha256."
KEY_MISMATCH = (
    "备份使用的密钥与当前运行的密钥不一致（{names}），拒绝恢复：请先配置备份时使用的密钥"
    "（指纹见 manifest.json 的 keys）再恢复。/ The backup's key fingerprints do not match the running keys "
    "({names}); refusing to restore. Configure the keys the backup was made with (see manifest.json, keys)."
)
VENDOR_MISMATCH = (
    "备份来自 {backup} 数据库，当前数据库是 {target}，不能跨数据库类型恢复。/ The backup is from {backup}; "
    "the target database is {target}."
)
TARGET_NOT_EMPTY = (
    "目标数据库已有 {count} 张表，拒绝覆盖。确认要用备份替换其全部内容时加 --force。/ The target database "
    "already has tables; refusing to overwrite it (use --force to replace everything in it)."
)
MEDIA_NOT_EMPTY = (
    "媒体目录 {path} 已有文件，拒绝覆盖。确认要替换时加 --force。/ MEDIA_ROOT already holds files; refusing "
    "to overwrite them (use --force)."
)
KEYS_CANNOT_READ = (
    "当前运行的密钥无法解密数据库中的加密字段（{columns}），拒绝备份：这样的备份会记录错误的密钥指纹。"
    "/ The running keys cannot decrypt the database's encrypted columns; refusing to make a backup that would "
    "record the wrong key fingerprints."
)
SQLITE_MEMORY = "不能恢复到内存数据库，请把 DATABASE_URL 指向一个文件。/ Cannot restore into an in-memory database."
TOOL_FAILED = "{tool} 失败（退出码 {code}）：{stderr}"
VERIFY_FAILED = "恢复后的校验失败 / Verification after the restore failed:\n{problems}"


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why (Chinese / English)."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    decrypted: int = 0
    newer_migrations: dict[str, list[str]] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _connection(alias: str) -> BaseDatabaseWrapper:
    return connections[alias]


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq environment for pg_dump / pg_restore (the password never appears on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(TOOL_FAILED.format(tool=args[0], code=result.returncode, stderr=result.stderr.strip()))


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (names from introspection)
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    state: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        state.setdefault(app, []).append(name)
    return state


# --- backup -------------------------------------------------------------------------------------------------


def backup_create(*, out_dir: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup of the database `alias` and MEDIA_ROOT into the new directory `out_dir`."""
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupError(OUT_NOT_EMPTY.format(path=out_dir))
    # The manifest names the keys that read this data: check that they do, before writing anything.
    _, unreadable = _decrypt_sample(alias)
    if unreadable:
        raise BackupError(KEYS_CANNOT_READ.format(columns=", ".join(unreadable)))
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out_dir, 0o700)  # personal data (ciphertexts, names, masked numbers): the operator only
    conn = _connection(alias)
    if conn.vendor == "postgresql":
        db_file, counts, migrations = _backup_postgresql(conn, out_dir / PG_DUMP)
    elif conn.vendor == "sqlite":
        db_file, counts, migrations = _backup_sqlite(conn, out_dir / SQLITE_COPY)
    else:  # pragma: no cover - the project runs on these two
        raise BackupError(VENDOR_MISMATCH.format(backup=conn.vendor, target="postgresql/sqlite"))
    media_files = _backup_media(Path(settings.MEDIA_ROOT), out_dir / MEDIA_TAR)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "vendor": conn.vendor,
        "database_file": db_file.name,
        "migrations": migrations,
        "row_counts": counts,
        "files": {p.name: {"sha256": _sha256(p), "bytes": p.stat().st_size} for p in (db_file, out_dir / MEDIA_TAR)},
        "media": media_files,
        "keys": key_fingerprints(),
    }
    tmp = out_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    for path in out_dir.iterdir():
        os.chmod(path, 0o600)
    tmp.replace(out_dir / MANIFEST)
    return manifest


def _backup_postgresql(conn: BaseDatabaseWrapper, target: Path) -> tuple[Path, dict[str, int], dict[str, list[str]]]:
    """pg_dump of an exported snapshot, counted inside the same snapshot (the counts match the dump exactly)."""
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = conn.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables, conn.ops.quote_name)
        migrations = _migrations(cursor)
        settings_dict = conn.settings_dict
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                str(settings_dict["NAME"]),
            ],
            _pg_env(settings_dict),
        )
    return target, counts, migrations


def _backup_sqlite(conn: BaseDatabaseWrapper, target: Path) -> tuple[Path, dict[str, int], dict[str, list[str]]]:
    """An online copy through the backup API; counted on the copy (a consistent snapshot)."""
    conn.ensure_connection()
    source: sqlite3.Connection = conn.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        counts, migrations = _sqlite_state(copy)
    finally:
        copy.close()
    return target, counts, migrations


def _sqlite_state(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, list[str]]]:
    cursor = db.cursor()
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    tables = [row[0] for row in cursor.fetchall()]
    counts = _count_rows(cursor, tables, lambda name: '"' + name.replace('"', '""') + '"')
    return counts, _migrations(cursor)


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def _backup_media(root: Path, target: Path) -> dict[str, dict[str, Any]]:
    """Tar of MEDIA_ROOT (regular files only) and the sha256 of each file as it was archived."""
    listing: dict[str, dict[str, Any]] = {}
    with tarfile.open(target, "w") as tar:
        for path in _media_files(root):
            name = path.relative_to(root).as_posix()
            data = path.read_bytes()  # one read: the archived bytes are the hashed bytes
            info = tar.gettarinfo(str(path), arcname=name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            listing[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return listing


# --- restore ------------------------------------------------------------------------------------------------


def manifest_read(backup_dir: Path) -> dict[str, Any]:
    path = backup_dir / MANIFEST
    if not path.is_file():
        raise BackupError(NO_MANIFEST.format(path=backup_dir))
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(BAD_FORMAT.format(version=manifest.get("format")))
    return manifest


def files_check(backup_dir: Path, manifest: dict[str, Any]) -> None:
    for name, meta in manifest["files"].items():
        path = backup_dir / name
        if not path.is_file():
            raise BackupError(FILE_MISSING.format(name=name))
        if _sha256(path) != meta["sha256"]:
            raise BackupError(FILE_CORRUPT.format(name=name))


def keys_check(manifest: dict[str, Any], *, accept_secret_key_change: bool = False) -> None:
    """Refuse unless the running keys can read the backup: the same hash key (lookups, uniqueness), every ID
    key the backup may hold ciphertexts of (its current and previous keys) among the running ones, and the
    same Django secret key unless the operator accepts that sessions and signed links become invalid."""
    saved, running = manifest["keys"], key_fingerprints()
    wrong = []
    running_id = {running["LABORCOOP_ID_KEY"], *running["LABORCOOP_ID_KEY_OLD"]}
    if not {saved["LABORCOOP_ID_KEY"], *saved.get("LABORCOOP_ID_KEY_OLD", [])} <= running_id:
        wrong.append("LABORCOOP_ID_KEY")
    if saved["LABORCOOP_HASH_KEY"] != running["LABORCOOP_HASH_KEY"]:
        wrong.append("LABORCOOP_HASH_KEY")
    # A dedicated file key must be the same; "" (uploads under subkeys of the ID keys) is covered above.
    if saved.get("LABORCOOP_FILE_KEY") and saved["LABORCOOP_FILE_KEY"] != running["LABORCOOP_FILE_KEY"]:
        wrong.append("LABORCOOP_FILE_KEY")
    if saved["DJANGO_SECRET_KEY"] != running["DJANGO_SECRET_KEY"] and not accept_secret_key_change:
        wrong.append("DJANGO_SECRET_KEY")
    if wrong:
        raise BackupError(KEY_MISMATCH.format(names=", ".join(wrong)))


def backup_restore(
    *,
    backup_dir: Path,
    alias: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    accept_secret_key_change: bool = False,
) -> RestoreReport:
    """Restore `backup_dir` into the database `alias` (empty unless `force`) and MEDIA_ROOT, then verify."""
    manifest = manifest_read(backup_dir)
    files_check(backup_dir, manifest)
    keys_check(manifest, accept_secret_key_change=accept_secret_key_change)
    conn = _connection(alias)
    if manifest["vendor"] != conn.vendor:
        raise BackupError(VENDOR_MISMATCH.format(backup=manifest["vendor"], target=conn.vendor))
    media_root = Path(settings.MEDIA_ROOT)
    with conn.cursor() as cursor:
        existing = conn.introspection.table_names(cursor)
    if existing and not force:
        raise BackupError(TARGET_NOT_EMPTY.format(count=len(existing)))
    if any(_media_files(media_root)) and not force:
        raise BackupError(MEDIA_NOT_EMPTY.format(path=media_root))

    if conn.vendor == "postgresql":
        _restore_postgresql(conn, backup_dir / manifest["database_file"], drop_existing=bool(existing))
    else:
        _restore_sqlite(conn, backup_dir / manifest["database_file"])
    _restore_media(backup_dir / MEDIA_TAR, media_root)
    return backup_verify(manifest=manifest, alias=alias)


def _restore_postgresql(conn: BaseDatabaseWrapper, dump: Path, *, drop_existing: bool) -> None:
    if drop_existing:
        with conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    conn.close()
    settings_dict = conn.settings_dict
    # One transaction: a failure leaves the target as it was (empty), never half-restored.
    _run(
        [
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        _pg_env(settings_dict),
    )


def _restore_sqlite(conn: BaseDatabaseWrapper, copy: Path) -> None:
    name = str(conn.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError(SQLITE_MEMORY)
    conn.close()
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = sqlite3.connect(name)
    try:
        source.backup(target)  # replaces the whole target database, in one step
    finally:
        source.close()
        target.close()


def _restore_media(tar_path: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as staging:
        with tarfile.open(tar_path) as tar:
            tar.extractall(staging, filter="data")  # no absolute paths, no "..", no links out
        for path in _media_files(Path(staging)):
            dest = media_root / path.relative_to(staging)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), dest)


def backup_verify(*, manifest: dict[str, Any], alias: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Compare the restored database and MEDIA_ROOT with the manifest; BackupError lists every difference."""
    conn = _connection(alias)
    problems: list[str] = []
    with conn.cursor() as cursor:
        tables = conn.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables, conn.ops.quote_name)
        migrations = _migrations(cursor)
    for table, expected in manifest["row_counts"].items():
        if counts.get(table) != expected:
            problems.append(f"表 {table}: 备份 {expected} 行，恢复后 {counts.get(table)} 行")
    if migrations != manifest["migrations"]:
        problems.append("迁移记录（django_migrations）与备份不一致")
    media_root = Path(settings.MEDIA_ROOT)
    for name, meta in manifest["media"].items():
        path = media_root / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            problems.append(f"媒体文件 {name} 缺失或内容不符")
    decrypted, undecryptable = _decrypt_sample(alias)
    problems.extend(f"{label} 无法用当前密钥解密" for label in undecryptable)
    if problems:
        raise BackupError(VERIFY_FAILED.format(problems="\n".join(problems)))
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    newer: dict[str, list[str]] = {}
    for app_label, name in sorted(known):
        if name not in manifest["migrations"].get(app_label, []):
            newer.setdefault(app_label, []).append(name)
    return RestoreReport(
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=len(manifest["media"]),
        decrypted=decrypted,
        newer_migrations=newer,
    )


def encrypted_fields() -> list[tuple[type[Any], str]]:
    """Every encrypted column of the project: concrete text fields named `*_enc` (core.crypto ciphertexts)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if f.name.endswith("_enc"):
                found.append((model, f.name))
    return found


def _decrypt_sample(alias: str) -> tuple[int, list[str]]:
    """Decrypt a few values of every encrypted column: the restored data is readable with the running keys."""
    done, problems = 0, []
    for model, name in encrypted_fields():
        values = model._default_manager.using(alias).exclude(**{name: ""}).order_by("pk").values_list(name, flat=True)
        for value in values[:DECRYPT_SAMPLE]:
            try:
                decrypt(value)
            except Exception:
                problems.append(f"{model._meta.label}.{name}")
                break
            done += 1
    return done, problems
