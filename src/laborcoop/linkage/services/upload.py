"""Storing a department's list (`comparison_create`) and confirming its column mapping
(`comparison_mapping_confirm`), which queues the run.

The file is read (header row, columns, at least one data row) before anything is saved, so a bad upload
leaves no row and no stored file behind.
"""

import hashlib
import io
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from laborcoop.accounts.access import region_prefix
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.file_crypto import save_encrypted
from laborcoop.core.models import AuditEntry
from laborcoop.intake.readers import (
    CSV_EXTENSION,
    EMPTY_FILE,
    SPREADSHEET_EXTENSIONS,
    UNSUPPORTED_FILE_TYPE,
    ReadError,
    read_table,
)
from laborcoop.linkage.access import require_compare
from laborcoop.linkage.columns import auto_map, check_mapping, expected_headers
from laborcoop.linkage.jobs import COMPARISON_JOB
from laborcoop.linkage.models import Comparison, Department

FILE_REQUIRED = "请选择要上传的名单文件"
FILE_TOO_LARGE = "文件超过 50 MB，请拆分成多个文件后分批比对"
DEPARTMENT_INVALID = "请选择名单来源（部门及名单类型）"
NO_DATA_ROWS = "名单是空的：表头下方没有数据行"
NOT_AWAITING_MAPPING = "该比对已开始或已完成，不能再修改列对应关系"
THRESHOLD_INVALID = "匹配阈值应在 0.5 到 0.99 之间"
NO_HOME_REGION = "您的账号没有所属区划，不能发起数据比对"

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset([*SPREADSHEET_EXTENSIONS, CSV_EXTENSION])


def _read_headers(data: bytes, filename: str, department: str) -> tuple[str, int, list[str]]:
    """(sheet, header row, headers) of the file; ValidationError when unreadable or without data rows."""
    try:
        table = read_table(io.BytesIO(data), filename=filename, expected_headers=expected_headers(department))
        first = next(table.rows, None)
    except ReadError as exc:
        raise ValidationError({"file": [exc.message]}) from exc
    if first is None:
        raise ValidationError({"file": [NO_DATA_ROWS]})
    return table.sheet, table.header_row, table.headers


@transaction.atomic
def comparison_create(*, acting_user: Any, uploaded_file: Any, department: str) -> Comparison:
    """Store an uploaded list with its automatic column mapping, awaiting confirmation (status MAPPING).

    Raises PermissionDeniedError for roles that may not compare, ValidationError with Chinese messages on
    `department` / `file` for a missing, empty, too large, unsupported or unreadable file, or one whose
    name or ID/birth-date column cannot be found.
    """
    require_compare(acting_user, Cap.REGISTRY_EDIT)
    if department not in Department.values:
        raise ValidationError({"department": [DEPARTMENT_INVALID]})
    if region_prefix(acting_user) is None:
        raise ValidationError({"file": [NO_HOME_REGION]})
    if uploaded_file is None:
        raise ValidationError({"file": [FILE_REQUIRED]})
    name = Path(str(uploaded_file.name or "")).name[:200]
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError({"file": [UNSUPPORTED_FILE_TYPE]})
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [FILE_TOO_LARGE]})
    if not uploaded_file.size:
        raise ValidationError({"file": [EMPTY_FILE]})
    uploaded_file.seek(0)
    data = uploaded_file.read()
    sheet, header_row, headers = _read_headers(data, name, department)
    mapping = auto_map(headers, department)
    if not mapping.ok:
        raise ValidationError({"file": mapping.errors})

    sha256 = hashlib.sha256(data).hexdigest()
    comparison = Comparison(
        department=department,
        original_name=name,
        sha256=sha256,
        uploaded_by=acting_user,
        region_id=acting_user.home_region_id,
        sheet=sheet[:100],
        header_row=header_row,
        headers=headers,
        mapping=mapping.by_key,
    )
    # Stored under its digest, not its name: file names may carry people's or villages' names.
    uploaded_file.seek(0)
    save_encrypted(comparison.file, f"{sha256[:20]}{extension}", uploaded_file)
    comparison.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=comparison,
        region_code=comparison.region_id or "",
        changes={"department": department, "file": name, "mapping": mapping.by_key},
    )
    return comparison


@transaction.atomic
def comparison_mapping_confirm(
    *,
    acting_user: Any,
    comparison: Comparison,
    mapping: dict[str, int],
    threshold: float | None = None,
    enqueue: bool = True,
) -> Comparison:
    """Confirm the columns of a comparison the caller fetched through access_comparison(cap=REGISTRY_EDIT)
    and queue its run (after commit)."""
    require_compare(acting_user, Cap.REGISTRY_EDIT)
    locked = Comparison.objects.select_for_update().get(pk=comparison.pk)
    if locked.status != Comparison.Status.MAPPING:
        raise ValidationError({"mapping": [NOT_AWAITING_MAPPING]})
    checked = check_mapping(mapping, list(locked.headers), locked.department)
    if not checked.ok:
        raise ValidationError({"mapping": checked.errors})
    if threshold is not None and not (0.5 <= threshold <= 0.99):
        raise ValidationError({"threshold": [THRESHOLD_INVALID]})
    before = {"mapping": dict(locked.mapping), "threshold": locked.threshold}
    locked.mapping = checked.by_key
    if threshold is not None:
        locked.threshold = threshold
    locked.status = Comparison.Status.QUEUED
    locked.save(update_fields=["mapping", "threshold", "status", "updated_at"])
    changes: dict[str, Any] = {
        "status": [Comparison.Status.MAPPING, Comparison.Status.QUEUED],
        "mapping": [before["mapping"], locked.mapping],
    }
    if before["threshold"] != locked.threshold:  # only the API sets it; the pages never show it
        changes["threshold"] = [before["threshold"], locked.threshold]
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id or "",
        changes=changes,
    )
    if enqueue:
        pk = locked.pk
        transaction.on_commit(lambda: COMPARISON_JOB.enqueue(pk))  # by the task's path: the task imports us
    return locked
