"""Reading the audit trail, scoped like the data it describes."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from laborcoop.accounts.access import region_prefix, require_cap, scope_q
from laborcoop.accounts.access_audit import audit_entries_visible
from laborcoop.accounts.access_users import access_managed_user
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry
from laborcoop.employers.access import access_enterprise, access_job
from laborcoop.registry.access import access_household, access_laborer


@dataclass(frozen=True)
class HistoryKind:
    label: str
    model_label: str
    fetch: Callable[[Any, int], Model]


def _laborer(user: Any, pk: int) -> Model:
    return access_laborer(user=user, laborer_id=pk)


def _household(user: Any, pk: int) -> Model:
    return access_household(user=user, household_id=pk)


def _enterprise(user: Any, pk: int) -> Model:
    return access_enterprise(user=user, enterprise_id=pk)


def _job(user: Any, pk: int) -> Model:
    return access_job(user=user, job_id=pk)


def _user(user: Any, pk: int) -> Model:
    return access_managed_user(user=user, target_id=pk)


HISTORY_KINDS: dict[str, HistoryKind] = {
    "laborer": HistoryKind("人员", "registry.laborer", _laborer),
    "household": HistoryKind("家庭", "registry.household", _household),
    "enterprise": HistoryKind("企业", "employers.enterprise", _enterprise),
    "job": HistoryKind("岗位", "employers.jobposting", _job),
    "user": HistoryKind("账号", "accounts.user", _user),
}


def object_history(*, user: Any, kind: str, pk: int) -> tuple[Model, QuerySet[AuditEntry]]:
    """The audit entries of one object that `user` may read (audit_entries_visible); the object is fetched
    through its access function first."""
    spec = HISTORY_KINDS.get(kind)
    if spec is None:
        raise ObjectNotFound
    obj = spec.fetch(user, pk)
    entries = AuditEntry.objects.filter(object_type=spec.model_label, object_id=str(obj.pk)).select_related("actor")
    return obj, audit_entries_visible(user=user, entries=entries).order_by("-at", "-id")


def audit_search(
    *,
    user: Any,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries about objects in the admin's subtree."""
    require_cap(user, Cap.AUDIT_VIEW)
    prefix = region_prefix(user)
    if prefix is None:
        raise ObjectNotFound
    qs = AuditEntry.objects.filter(scope_q(user, region_field="region_code"))
    if actor:
        qs = qs.filter(actor__username=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.select_related("actor").order_by("-at", "-id")
