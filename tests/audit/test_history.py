"""Reading the audit trail: an object's history only for users who may see the object, and the audit
search only for admins, within their subtree."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.audit.selectors import audit_search, object_history
from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.registry.models import Laborer
from tests.audit.conftest import client_for
from tests.conftest import make_user


def _entry(actor: User, obj: Any, action: str = AuditEntry.Action.UPDATE, **extra: Any) -> AuditEntry:
    return audit_record(actor=actor, action=action, instance=obj, region_code=obj.region_id, **extra)


# --- object_history ----------------------------------------------------------------------------------------


def test_history_lists_the_laborers_entries_newest_first(users: dict[str, User], luxi_laborer: Laborer) -> None:
    officer = users["county_officer"]
    first = _entry(officer, luxi_laborer, AuditEntry.Action.CREATE)
    second = _entry(officer, luxi_laborer, changes={"name": ["甲", "乙"]})
    _entry(officer, luxi_laborer.household)  # another object: not in this history

    obj, entries = object_history(user=officer, kind="laborer", pk=luxi_laborer.pk)

    assert obj == luxi_laborer
    assert list(entries) == [second, first]


@pytest.mark.parametrize("who", ["county_officer", "township_officer", "broker", "viewer", "hotline"])
def test_history_for_users_in_scope(users: dict[str, User], luxi_laborer: Laborer, who: str) -> None:
    entry = _entry(users["county_officer"], luxi_laborer)

    _, entries = object_history(user=users[who], kind="laborer", pk=luxi_laborer.pk)

    assert list(entries) == [entry]


def test_history_outside_scope_is_not_found(users: dict[str, User], luxi_laborer: Laborer) -> None:
    _entry(users["county_officer"], luxi_laborer)
    fenghuang_admin = make_user("fenghuang_admin", "433123000000", ["admin"])

    for user in (users["other_county_officer"], fenghuang_admin):
        with pytest.raises(ObjectNotFound):
            object_history(user=user, kind="laborer", pk=luxi_laborer.pk)


def test_history_for_a_role_without_registry_access_is_denied(users: dict[str, User], luxi_laborer: Laborer) -> None:
    with pytest.raises(PermissionDeniedError):
        object_history(user=users["enterprise"], kind="laborer", pk=luxi_laborer.pk)


def test_history_of_a_missing_object_or_kind_is_not_found(users: dict[str, User]) -> None:
    with pytest.raises(ObjectNotFound):
        object_history(user=users["county_officer"], kind="laborer", pk=999999)
    with pytest.raises(ObjectNotFound):
        object_history(user=users["county_officer"], kind="payroll", pk=1)


def test_history_page_matrix(users: dict[str, User], luxi_laborer: Laborer) -> None:
    _entry(users["county_officer"], luxi_laborer, changes={"name": ["旧名字", "新名字"]})
    url = reverse("audit:history", args=["laborer", luxi_laborer.pk])

    assert Client().get(url).status_code == 302
    allowed = client_for(users["county_officer"]).get(url)
    other_county = client_for(users["other_county_officer"]).get(url)
    wrong_role = client_for(users["enterprise"]).get(url)

    assert allowed.status_code == 200
    assert "新名字" in allowed.content.decode()
    assert other_county.status_code == 404
    assert "新名字" not in other_county.content.decode()
    assert wrong_role.status_code == 403
    assert "新名字" not in wrong_role.content.decode()


# --- audit_search ------------------------------------------------------------------------------------------


@pytest.fixture
def entries(users: dict[str, User], luxi_laborer: Laborer, fenghuang_laborer: Laborer) -> dict[str, AuditEntry]:
    officer = users["county_officer"]
    shaoyang = make_user("shaoyang_t", "430523000000", ["officer"])
    return {
        "luxi": _entry(officer, luxi_laborer),
        "fenghuang": _entry(users["other_county_officer"], fenghuang_laborer, AuditEntry.Action.CREATE),
        "shaoyang": AuditEntry.objects.create(
            actor=shaoyang,
            action=AuditEntry.Action.UPDATE,
            object_type="registry.laborer",
            object_id="1",
            region_code="430523100203",
        ),
    }


@pytest.mark.parametrize("who", ["county_officer", "viewer", "broker", "hotline", "enterprise"])
def test_audit_search_is_admin_only(users: dict[str, User], entries: dict[str, AuditEntry], who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        audit_search(user=users[who])


def test_audit_search_is_scoped_to_the_admins_subtree(users: dict[str, User], entries: dict[str, AuditEntry]) -> None:
    county_admin = make_user("luxi_admin", "433122000000", ["admin"])

    province = set(audit_search(user=users["province_admin"]))
    prefecture = set(audit_search(user=users["prefecture_admin"]))
    county = set(audit_search(user=county_admin))

    assert province == set(entries.values())
    assert prefecture == {entries["luxi"], entries["fenghuang"]}
    assert county == {entries["luxi"]}


def test_audit_search_filters(users: dict[str, User], entries: dict[str, AuditEntry]) -> None:
    admin = users["province_admin"]
    tomorrow = timezone.localdate() + timedelta(days=1)

    assert list(audit_search(user=admin, action="create")) == [entries["fenghuang"]]
    assert list(audit_search(user=admin, actor="xian_t")) == [entries["luxi"]]
    assert set(audit_search(user=admin, object_type="registry.laborer")) == set(entries.values())
    assert list(audit_search(user=admin, date_from=tomorrow)) == []
    assert len(audit_search(user=admin, date_to=timezone.localdate())) == 3


def test_audit_search_without_home_region_is_not_found(users: dict[str, User]) -> None:
    nowhere = make_user("nowhere_admin", None, ["admin"])

    with pytest.raises(ObjectNotFound):
        audit_search(user=nowhere)


def test_audit_page_matrix(users: dict[str, User], entries: dict[str, AuditEntry]) -> None:
    url = reverse("audit:search")

    anonymous = Client().get(url)
    officer = client_for(users["county_officer"]).get(url)
    prefecture = client_for(users["prefecture_admin"]).get(url)

    assert anonymous.status_code == 302
    assert officer.status_code == 403
    assert prefecture.status_code == 200
    rows = {e for e in prefecture.context["page"].rows if e.action != AuditEntry.Action.LOGIN}
    assert rows == {entries["luxi"], entries["fenghuang"]}
    assert "shaoyang_t" not in prefecture.content.decode()
