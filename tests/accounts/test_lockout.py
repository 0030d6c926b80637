"""Sign-in lockout (django-axes) on every path: the login page, the API token endpoint, the Django admin.

Failed sign-ins are counted per account and per client address; a rotating X-Forwarded-For from a client that
is not a trusted proxy changes nothing; the right password is refused while locked; the lock is audited; an
admin of the account's region unlocks it (audited), an admin of another region gets 404.
"""

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from laborcoop.accounts.lockout import LOCKED_OUT, LOCKOUT_REASON, UNLOCK_REASON, is_locked_out, lockout_message
from laborcoop.accounts.models import User
from laborcoop.core.models import AuditEntry
from tests.conftest import make_user

PASSWORD = "demo-2026"  # tests.factories.UserFactory
LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture(autouse=True)
def _no_throttle_history() -> Any:
    """The token endpoint's throttle counts in the cache; these tests are about the lockout."""
    cache.clear()
    yield
    cache.clear()


def _page_login(client: Client, username: str, password: str, forwarded_for: str = "") -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _api_login(client: APIClient, username: str, password: str, forwarded_for: str = "") -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def _lock_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, reason__startswith="登录失败次数过多"))


def test_message_names_the_cooloff_in_minutes() -> None:
    assert lockout_message() == LOCKED_OUT.format(minutes=30)
    assert lockout_message() == "登录失败次数过多，账号已暂时锁定，请于30分钟后再试或联系管理员解锁。"


def test_login_page_locks_after_the_limit_with_rotating_forwarded_for(users: dict[str, User]) -> None:
    # given a client that rotates its X-Forwarded-For on every attempt (no proxy is trusted)
    client = Client()
    statuses = [
        _page_login(client, "xian_t", f"wrong-{n}", forwarded_for=f"203.0.113.{n}").status_code for n in range(30)
    ]
    # then the first LIMIT - 1 attempts get the form again and every later one the 429 lockout page
    assert statuses == [200] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    locked = _page_login(client, "xian_t", PASSWORD, forwarded_for="198.51.100.7")
    assert locked.status_code == 429
    assert lockout_message() in locked.content.decode()
    assert locked["Cache-Control"] == "no-store"
    assert "_auth_user_id" not in client.session
    # the attempts were all counted against the one real address
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_token_endpoint_locks_after_the_limit_with_rotating_forwarded_for(users: dict[str, User]) -> None:
    client = APIClient()
    responses = [_api_login(client, "xian_t", "wrong", forwarded_for=f"10.9.8.{n}") for n in range(LIMIT + 2)]
    assert [r.status_code for r in responses] == [400] * (LIMIT - 1) + [429] * 3
    assert responses[-1].json() == {"detail": lockout_message()}
    # the right password is refused too, and no token is issued
    right = _api_login(client, "xian_t", PASSWORD, forwarded_for="10.9.8.200")
    assert right.status_code == 429
    assert right.json() == {"detail": lockout_message()}
    assert not users["county_officer"].api_tokens.exists()


def test_thirty_wrong_passwords_on_the_token_endpoint(users: dict[str, User]) -> None:
    client = APIClient()
    responses = [_api_login(client, "xian_t", f"wrong-{n}", forwarded_for=f"172.16.0.{n}") for n in range(30)]
    assert [r.status_code for r in responses] == [400] * (LIMIT - 1) + [429] * (30 - LIMIT + 1)
    # locked from the limit on; from the 11th request on the throttle answers first (same client address)
    assert {r.json()["detail"] for r in responses[LIMIT - 1 : 10]} == {lockout_message()}
    assert all(r.json()["detail"] != lockout_message() for r in responses[10:])
    assert is_locked_out(username="xian_t")
    assert not users["county_officer"].api_tokens.exists()


@override_settings(AXES_FAILURE_LIMIT=100)
def test_rotating_forwarded_for_does_not_escape_the_token_throttle(users: dict[str, User]) -> None:
    client = APIClient()
    statuses = [
        _api_login(client, f"nobody{n}", "wrong", forwarded_for=f"203.0.113.{n}").status_code for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_page_and_api_failures_share_the_account_counter(users: dict[str, User]) -> None:
    # failures from two different addresses against one account
    for _ in range(LIMIT - 1):
        _page_login(Client(REMOTE_ADDR="192.0.2.1"), "xian_t", "wrong")
    response = _api_login(APIClient(REMOTE_ADDR="192.0.2.2"), "xian_t", "wrong")
    assert response.status_code == 429
    # and the account is locked from a third address with the right password
    assert _page_login(Client(REMOTE_ADDR="192.0.2.3"), "xian_t", PASSWORD).status_code == 429
    assert is_locked_out(username="xian_t")


def test_an_address_guessing_many_accounts_is_locked(users: dict[str, User]) -> None:
    client = Client(REMOTE_ADDR="192.0.2.50")
    for n in range(LIMIT):
        _page_login(client, f"nobody{n}", "wrong")
    # a real account with its right password, from that address, is refused
    assert _page_login(client, "jjr_t", PASSWORD).status_code == 429
    # from another address it signs in
    assert _page_login(Client(REMOTE_ADDR="192.0.2.51"), "jjr_t", PASSWORD).status_code == 302


@override_settings(LABORCOOP_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(users: dict[str, User]) -> None:
    # the proxy (127.0.0.1) appends the real client to what the client sent
    for n in range(LIMIT):
        _page_login(Client(), f"nobody{n}", "wrong", forwarded_for=f"10.0.0.{n}, 198.51.100.9")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    # that client is locked; another client behind the same proxy is not
    assert _page_login(Client(), "jjr_t", PASSWORD, forwarded_for="198.51.100.9").status_code == 429
    assert _page_login(Client(), "jjr_t", PASSWORD, forwarded_for="198.51.100.10").status_code == 302


def test_admin_site_login_is_locked_too(users: dict[str, User]) -> None:
    staff = make_user("yunwei_t", "430000000000", ["admin"], is_staff=True)
    client = Client()
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": staff.username, "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert lockout_message() in response.content.decode()


def test_the_lock_is_audited_once_against_the_account(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    for _ in range(LIMIT + 3):
        _page_login(Client(), "xian_t", "wrong")
    entries = _lock_entries()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor is None
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(officer.pk)
    assert entry.region_code == "433122000000"
    assert entry.reason == LOCKOUT_REASON.format(failures=LIMIT, ip="127.0.0.1")
    # no sign-in row: nobody signed in
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, actor=officer).exists()


def test_a_lock_of_an_unknown_name_is_audited_against_the_attempts(users: dict[str, User]) -> None:
    for _ in range(LIMIT):
        _page_login(Client(), "ghost", "wrong")
    [entry] = _lock_entries()
    assert entry.object_type == "axes.accessattempt"
    assert entry.region_code == ""


def _lock(username: str) -> None:
    for _ in range(LIMIT):
        _page_login(Client(REMOTE_ADDR="192.0.2.99"), username, "wrong")
    assert is_locked_out(username=username)


def test_admin_unlocks_from_the_account_page_and_it_is_audited(users: dict[str, User]) -> None:
    officer, admin = users["county_officer"], users["prefecture_admin"]
    _lock("xian_t")
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(reverse("accounts:user_detail", args=[officer.pk])).content.decode()
    assert "已锁定" in page
    assert reverse("accounts:user_unlock", args=[officer.pk]) in page

    response = admin_client.post(reverse("accounts:user_unlock", args=[officer.pk]))

    assert response.status_code == 302
    assert not is_locked_out(username="xian_t")
    assert not AccessAttempt.objects.filter(username="xian_t").exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERMISSION, reason=UNLOCK_REASON)
    assert entry.actor == admin
    assert entry.object_id == str(officer.pk)
    assert entry.region_code == "433122000000"
    assert entry.changes == {"login_failures": [LIMIT, 0]}
    # the officer signs in again, from the address that was used for the guesses too
    assert _page_login(Client(REMOTE_ADDR="192.0.2.99"), "xian_t", PASSWORD).status_code == 302


def test_admin_of_another_region_cannot_unlock(users: dict[str, User]) -> None:
    fenghuang_admin = make_user("fenghuang_admin", "433123000000", ["admin"])
    _lock("xian_t")
    client = Client()
    client.force_login(fenghuang_admin)
    response = client.post(reverse("accounts:user_unlock", args=[users["county_officer"].pk]))
    missing = client.post(reverse("accounts:user_unlock", args=[999999]))
    assert response.status_code == missing.status_code == 404
    assert is_locked_out(username="xian_t")
    assert not AuditEntry.objects.filter(reason=UNLOCK_REASON).exists()


@pytest.mark.parametrize("who", ["county_officer", "viewer", "broker"])
def test_non_admins_cannot_unlock(users: dict[str, User], who: str) -> None:
    _lock("xian_t")
    client = Client()
    client.force_login(users[who])
    response = client.post(reverse("accounts:user_unlock", args=[users["county_officer"].pk]))
    assert response.status_code == 403
    assert is_locked_out(username="xian_t")


def test_unlock_needs_post(users: dict[str, User]) -> None:
    _lock("xian_t")
    client = Client()
    client.force_login(users["prefecture_admin"])
    assert client.get(reverse("accounts:user_unlock", args=[users["county_officer"].pk])).status_code == 405
    assert is_locked_out(username="xian_t")


def test_a_success_does_not_clear_the_failures_of_its_address(users: dict[str, User]) -> None:
    # an attacker with an account of their own cannot reset the counters by signing in between guesses
    client = Client(REMOTE_ADDR="192.0.2.77")
    for _ in range(LIMIT - 1):
        _page_login(client, "xian_t", "wrong")
    assert _page_login(Client(REMOTE_ADDR="192.0.2.77"), "jjr_t", PASSWORD).status_code == 302
    assert _page_login(client, "xian_t", "wrong").status_code == 429
