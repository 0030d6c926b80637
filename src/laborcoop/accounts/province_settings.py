"""Settings rows kept per province (matching weights, tracking thresholds, warning rules): who may change them
and how a change is stored. Each model has `province` (one row per province), `values` (JSON), `updated_by`
and `version` (optimistic: the version the form was loaded with, 0 for none yet)."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from laborcoop.accounts.access import can_administer_province
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ConflictError, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.regions.models import Region, RegionLevel

ERR_NOT_PROVINCE = "请选择一个省级行政区。"

Row = TypeVar("Row", bound=models.Model)
Changes = dict[str, list[Any]]


def province_settings_check(*, acting_user: Any, province_code: str, denied_message: str) -> None:
    """403 with `denied_message` unless the user administers the province; a code that is not a province in
    the region tree is a validation error."""
    if not can_administer_province(user=acting_user, province_code=province_code):
        raise PermissionDeniedError(denied_message)
    if not Region.objects.filter(pk=province_code, level=RegionLevel.PROVINCE).exists():
        raise ValidationError(ERR_NOT_PROVINCE)


def province_settings_save(
    *,
    model: type[Row],
    acting_user: Any,
    province_code: str,
    expected_version: int,
    merge: Callable[[Row | None], tuple[dict[str, Any], Changes]],
    skip_unchanged: bool = False,
) -> tuple[Row, Changes]:
    """Lock the province's row, check the version, store `merge(row)`'s new values with the next version and
    an audit row of its changes; returns the row and the changes. With `skip_unchanged`, a save that changes
    nothing keeps the row as it is (no new version, no audit row). Call after `province_settings_check`."""
    manager: Any = model._default_manager
    try:
        with transaction.atomic():
            row = manager.select_for_update().filter(province_id=province_code).first()
            if (row.version if row is not None else 0) != expected_version:
                raise ConflictError()
            new, changes = merge(row)
            if row is not None and skip_unchanged and not changes:
                return row, changes
            if row is None:
                row = manager.create(province_id=province_code, values=new, updated_by=acting_user, version=1)
                action = AuditEntry.Action.CREATE
            else:
                row.values, row.updated_by, row.version = new, acting_user, row.version + 1
                row.save(update_fields=["values", "updated_by", "version", "updated_at"])
                action = AuditEntry.Action.UPDATE
            audit_record(actor=acting_user, action=action, instance=row, region_code=province_code, changes=changes)
    except IntegrityError as exc:  # a row created concurrently for the same province
        raise ConflictError() from exc
    return row, changes
