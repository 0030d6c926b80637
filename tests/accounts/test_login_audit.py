"""Every successful sign-in leaves an audit row; a failed one does not pretend to have signed in."""

from django.test import Client
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.accounts.services import LOGIN_REASON
from laborcoop.audit.selectors import audit_search
from laborcoop.core.models import AuditEntry
from tests.conftest import make_user

PASSWORD = "Xiangxi-2026!"


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def test_login_page_writes_a_login_audit_row(users: dict[str, User]) -> None:
    user = _with_password(users["county_officer"])

    response = Client().post(reverse("accounts:login"), {"username": "xian_t", "password": PASSWORD})

    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.LOGIN
    assert entry.actor == user
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(user.pk)
    assert entry.region_code == "433122000000"
    assert entry.reason == LOGIN_REASON
    assert entry.changes == {}
    assert PASSWORD not in entry.reason + entry.object_repr


def test_failed_login_writes_no_login_row(users: dict[str, User]) -> None:
    _with_password(users["county_officer"])

    response = Client().post(reverse("accounts:login"), {"username": "xian_t", "password": "wrong-password"})

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_login_row_is_scoped_by_the_users_home_region(users: dict[str, User]) -> None:
    fenghuang_admin = make_user("fenghuang_admin", "433123000000", ["admin"])
    _with_password(users["broker"])

    Client().post(reverse("accounts:login"), {"username": "jjr_t", "password": PASSWORD})

    assert [e.actor for e in audit_search(user=users["prefecture_admin"], action="login")] == [users["broker"]]
    assert list(audit_search(user=fenghuang_admin, action="login")) == []
