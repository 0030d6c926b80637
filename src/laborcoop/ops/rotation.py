"""Rotation of the ID encryption key: re-encrypt every stored ciphertext under LABORCOOP_ID_KEY.

During a rotation the processes run with the new key as LABORCOOP_ID_KEY and the previous one in
LABORCOOP_ID_KEY_OLD (core.crypto decrypts with either; new values are written under the new key). This module
walks every encrypted column (`*_enc` text columns, found through the model registry, and the search texts
sealed inside export jobs' filters) in primary-key order, a chunk per transaction with the chunk's rows locked,
and rewrites only the values the current key cannot open. So it is idempotent (a second run changes nothing)
and resumable (a run killed mid-way loses at most its open chunk; the next run skips what is done). Values no
key can open are reported by primary key and left untouched.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from django.db import models, transaction

from laborcoop.core.crypto import decrypt, encrypt, is_current
from laborcoop.exports.models import ExportJob
from laborcoop.ops.backup import encrypted_fields

logger = logging.getLogger(__name__)

DEFAULT_CHUNK = 2000
# laborcoop.exports.filters keeps a sealed search text as {"__sealed__": ciphertext} inside ExportJob.filters.
SEALED_KEY = "__sealed__"

NO_OLD_KEY = (
    "没有配置 LABORCOOP_ID_KEY_OLD：轮换时 LABORCOOP_ID_KEY 是新密钥，LABORCOOP_ID_KEY_OLD 是旧密钥。"
    "/ LABORCOOP_ID_KEY_OLD is not set: during a rotation LABORCOOP_ID_KEY holds the new key and "
    "LABORCOOP_ID_KEY_OLD the previous one."
)


@dataclass
class ColumnReport:
    label: str
    scanned: int = 0
    rotated: int = 0
    current: int = 0
    failed: list[Any] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        """Values still under an old key (a check run counts them; a rotation leaves only failures)."""
        return self.scanned - self.current - len(self.failed) - self.rotated


class _Undecryptable(Exception):
    pass


def _reencrypt(value: str) -> str | None:
    """The value under the current key, or None when it already is; _Undecryptable when no key opens it."""
    if is_current(value):
        return None
    try:
        return encrypt(decrypt(value))
    except (InvalidTag, ValueError) as exc:
        raise _Undecryptable from exc


def _chunks(
    model: type[models.Model], field_name: str, chunk: int, exclude_empty: bool
) -> Iterator[list[tuple[Any, Any]]]:
    """Chunks of (pk, value) in pk order, each read and yielded inside its own transaction with the rows
    locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions hold the write lock)."""
    last_pk: Any = None
    while True:
        with transaction.atomic():
            qs = model._base_manager.order_by("pk")
            if exclude_empty:
                qs = qs.exclude(**{field_name: ""})
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(qs.select_for_update().values_list("pk", field_name)[:chunk])
            if not rows:
                return
            yield rows
        last_pk = rows[-1][0]


def rotate_column(
    model: type[models.Model], field_name: str, *, chunk: int = DEFAULT_CHUNK, dry_run: bool = False
) -> ColumnReport:
    report = ColumnReport(label=f"{model._meta.label}.{field_name}")
    for rows in _chunks(model, field_name, chunk, exclude_empty=True):
        changed = []
        for pk, value in rows:
            report.scanned += 1
            try:
                new = _reencrypt(value)
            except _Undecryptable:
                report.failed.append(pk)
                continue
            if new is None:
                report.current += 1
            else:
                changed.append(model(pk=pk, **{field_name: new}))
        if changed and not dry_run:
            model._base_manager.bulk_update(changed, [field_name])
            report.rotated += len(changed)
    return report


def _rotate_sealed(filters: dict[str, Any]) -> tuple[dict[str, Any], int, int, int]:
    """(new filters, rotated, current, failed) for the sealed values inside one export job's filters."""
    out, rotated, current, failed = dict(filters), 0, 0, 0
    for key, value in filters.items():
        if isinstance(value, dict) and isinstance(value.get(SEALED_KEY), str):
            try:
                new = _reencrypt(value[SEALED_KEY])
            except _Undecryptable:
                failed += 1
                continue
            if new is None:
                current += 1
            else:
                out[key] = {**value, SEALED_KEY: new}
                rotated += 1
    return out, rotated, current, failed


def rotate_sealed_filters(*, chunk: int = DEFAULT_CHUNK, dry_run: bool = False) -> ColumnReport:
    report = ColumnReport(label=f"{ExportJob._meta.label}.filters[{SEALED_KEY}]")
    for rows in _chunks(ExportJob, "filters", chunk, exclude_empty=False):
        changed, values = [], 0
        for pk, filters in rows:
            if not isinstance(filters, dict):
                continue
            new, rotated, current, failed = _rotate_sealed(filters)
            report.scanned += rotated + current + failed
            report.current += current
            report.failed.extend([pk] * failed)
            if rotated:
                changed.append(ExportJob(pk=pk, filters=new))
                values += rotated
        if changed and not dry_run:
            ExportJob._base_manager.bulk_update(changed, ["filters"])
            report.rotated += values
    return report


def rotation_targets() -> list[tuple[str, Callable[..., ColumnReport]]]:
    """(label, runner) of every place holding ciphertexts under the ID key."""
    targets: list[tuple[str, Callable[..., ColumnReport]]] = []
    for model, name in encrypted_fields():

        def run(*, model: type[models.Model] = model, name: str = name, **kw: Any) -> ColumnReport:
            return rotate_column(model, name, **kw)

        targets.append((f"{model._meta.label}.{name}", run))
    targets.append((f"{ExportJob._meta.label}.filters[{SEALED_KEY}]", rotate_sealed_filters))
    return targets


def id_key_rotate(*, chunk: int = DEFAULT_CHUNK, dry_run: bool = False) -> list[ColumnReport]:
    """Re-encrypt everything under the current ID key (dry_run: count only). Idempotent and resumable."""
    reports = []
    for label, run in rotation_targets():
        report = run(chunk=chunk, dry_run=dry_run)
        logger.info(
            "id key rotation %s: scanned %d, rotated %d, current %d, failed %d%s",
            label,
            report.scanned,
            report.rotated,
            report.current,
            len(report.failed),
            " (dry run)" if dry_run else "",
        )
        reports.append(report)
    return reports
