"""Who revealed a person's ID number, and why, is for the readers of the audit trail (admins) only: every other
role that may see the person sees the change history without the reveal rows. One rule
(accounts.access_audit.audit_entries_visible) for the history selector, the history page and the front desk's
services-received summary. No API endpoint returns audit rows."""

import pytest
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.audit.selectors import object_history
from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.frontdesk.contacts import services_received
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import laborer_reveal_id
from tests.audit.conftest import client_for
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REVEAL_REASON = "来电核实身份用于社保转移"
REVEALER = "hecha_t"
CHANGE_REASON = "户籍底册更正"
SEES_REVEALS = {"admin": True, "officer": False, "viewer": False, "broker": False, "hotline": False}
ROLE_USERS = {
    "admin": "prefecture_admin",
    "officer": "county_officer",
    "viewer": "viewer",
    "broker": "broker",
    "hotline": "hotline",
}


@pytest.fixture
def history(users: dict[str, User], luxi_laborer: Laborer) -> dict[str, AuditEntry]:
    """A name change by the county officer, then an ID reveal by an officer granted can_unmask_id."""
    change = audit_record(
        actor=users["county_officer"],
        action=AuditEntry.Action.UPDATE,
        instance=luxi_laborer,
        region_code=luxi_laborer.region_id,
        changes={"name": ["旧名字", "新名字"]},
        reason=CHANGE_REASON,
    )
    revealer = make_user(REVEALER, "433122000000", ["officer"], can_unmask_id=True)
    laborer_reveal_id(acting_user=revealer, laborer=luxi_laborer, reason=REVEAL_REASON)
    reveal = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    return {"change": change, "reveal": reveal}


@pytest.mark.parametrize("role", SEES_REVEALS)
def test_the_history_selector_shows_reveals_to_admins_only(
    users: dict[str, User], luxi_laborer: Laborer, history: dict[str, AuditEntry], role: str
) -> None:
    _, entries = object_history(user=users[ROLE_USERS[role]], kind="laborer", pk=luxi_laborer.pk)

    expected = [history["reveal"], history["change"]] if SEES_REVEALS[role] else [history["change"]]
    assert list(entries) == expected


@pytest.mark.parametrize("role", SEES_REVEALS)
def test_the_history_page_shows_reveals_to_admins_only(
    users: dict[str, User], luxi_laborer: Laborer, history: dict[str, AuditEntry], role: str
) -> None:
    response = client_for(users[ROLE_USERS[role]]).get(reverse("audit:history", args=["laborer", luxi_laborer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "新名字" in page
    assert CHANGE_REASON in page
    for secret in ("查看完整证件号", REVEAL_REASON, REVEALER):
        assert (secret in page) is SEES_REVEALS[role], secret


def test_the_history_page_is_refused_to_the_enterprise_role(
    users: dict[str, User], luxi_laborer: Laborer, history: dict[str, AuditEntry]
) -> None:
    response = client_for(users["enterprise"]).get(reverse("audit:history", args=["laborer", luxi_laborer.pk]))

    page = response.content.decode()
    assert response.status_code == 403
    for secret in ("新名字", "查看完整证件号", REVEAL_REASON, REVEALER):
        assert secret not in page


@pytest.mark.parametrize("role", SEES_REVEALS)
def test_services_received_counts_reveals_for_admins_only(
    users: dict[str, User], luxi_laborer: Laborer, history: dict[str, AuditEntry], role: str
) -> None:
    lines = {line.label: line.count for line in services_received(user=users[ROLE_USERS[role]], laborer=luxi_laborer)}

    expected = {"修改": 1, "查看完整证件号": 1} if SEES_REVEALS[role] else {"修改": 1}
    assert lines == expected


def test_no_api_operation_returns_audit_rows() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = " ".join(schema["paths"])
    names = " ".join(schema["components"]["schemas"])
    assert "audit" not in paths.lower()
    assert "history" not in paths.lower()
    assert "Audit" not in names
