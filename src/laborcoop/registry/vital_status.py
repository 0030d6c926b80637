"""Recording what other departments report about a person's registration: deceased, moved away, normal.

A flag, never a deletion: the laborer row, its household and its history stay; pages show a badge. The
change is audited like every registry write.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from laborcoop.accounts.access import require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff
from laborcoop.core.models import AuditEntry
from laborcoop.registry.models import Laborer, VitalStatus

VITAL_STATUS_INVALID = "户籍状态无效。"
VITAL_DATE_IN_FUTURE = "死亡/迁出日期不能晚于今天。"
VITAL_FIELDS = ("vital_status", "vital_status_date", "vital_status_source")


@transaction.atomic
def laborer_vital_status_set(
    *,
    acting_user: Any,
    laborer: Laborer,
    status: str,
    on: date | None,
    source: str,
    reason: str = "",
) -> Laborer:
    """Set the vital status of a laborer the caller fetched through access_laborer(cap=REGISTRY_EDIT).

    `source` says where the information comes from (e.g. "公安户籍比对 #12"). NORMAL clears the date.
    """
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, laborer.region_id)
    if status not in VitalStatus.values:
        raise ValidationError({"vital_status": [VITAL_STATUS_INVALID]})
    if on is not None and on > date.today():
        raise ValidationError({"vital_status_date": [VITAL_DATE_IN_FUTURE]})
    locked = Laborer.objects.select_for_update().get(pk=laborer.pk)
    before = {name: getattr(locked, name) for name in VITAL_FIELDS}
    locked.vital_status = status
    locked.vital_status_date = None if status == VitalStatus.NORMAL else on
    locked.vital_status_source = source.strip()[:200]
    after = {name: getattr(locked, name) for name in VITAL_FIELDS}
    if before == after:
        return locked
    locked.version += 1
    locked.save(update_fields=[*VITAL_FIELDS, "version", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id,
        changes=diff(before, after),
        reason=reason,
    )
    return locked
