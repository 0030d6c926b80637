"""Writing and reading the audit trail. Services call `audit_record` inside their transaction."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from laborcoop.core.masking import mask_id_number, mask_phone
from laborcoop.core.models import AuditEntry

# Field names whose values are personal: audit rows keep them masked.
_MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "contact_phone": mask_phone,
}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _masked(field: str, value: Any) -> Any:
    masker = _MASKERS.get(field)
    if masker and isinstance(value, str):
        return masker(value)
    return _plain(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` on `instance`, for diffing before and after a change (FKs by id)."""
    values: dict[str, Any] = {}
    for name in fields:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a property standing for stored columns (registry's encrypted `phone`)
            values[name] = getattr(instance, name)
            continue
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields that changed, personal values masked."""
    changes: dict[str, list[Any]] = {}
    for name in after:
        old, new = before.get(name), after[name]
        if _plain(old) != _plain(new):
            changes[name] = [_masked(name, old), _masked(name, new)]
    return changes


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    region_code: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    actor_id = getattr(actor, "pk", None) if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        region_code=region_code,
        changes=dict(changes or {}),
        reason=reason[:500],
    )
