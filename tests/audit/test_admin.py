"""The audit trail in the Django admin: scoped to the admin's subtree, read-only."""

from typing import Any

from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.core.models import AuditEntry
from tests.audit.conftest import client_for
from tests.conftest import make_user


def _admin_url(model: type, view: str, *args: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


# --- audit entries ------------------------------------------------------------------------------------------


def test_audit_admin_is_scoped_and_read_only(users: dict[str, User]) -> None:
    staff_prefecture_admin = make_user("zhou_staff", "433100000000", ["admin"], is_staff=True)
    inside = AuditEntry.objects.create(
        action="update", object_type="registry.laborer", object_id="1", region_code="433122107201"
    )
    outside = AuditEntry.objects.create(
        action="update", object_type="registry.laborer", object_id="2", region_code="430523100203"
    )
    client = client_for(staff_prefecture_admin)

    listing = client.get(_admin_url(AuditEntry, "changelist"))
    foreign = client.get(_admin_url(AuditEntry, "change", outside.pk))
    delete = client.post(_admin_url(AuditEntry, "delete", inside.pk), {"post": "yes"})
    change = client.post(_admin_url(AuditEntry, "change", inside.pk), {"reason": "篡改"})

    rows = {e for e in listing.context["cl"].result_list if e.action != AuditEntry.Action.LOGIN}
    assert rows == {inside}
    assert foreign.status_code == 302
    assert (delete.status_code, change.status_code) == (403, 403)
    inside.refresh_from_db()
    assert inside.reason == ""
