"""API tokens: hashed at rest, expire, revoked on password change (every path), deactivation and by their owner,
listed (masked) on the owner's page, last use stamped at most once a minute."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from laborcoop.accounts import services as s
from laborcoop.accounts.models import ApiToken, User
from laborcoop.accounts.tokens import (
    TOKEN_EXPIRED,
    TOKEN_INVALID,
    TOKENS_REVOKED_REASON,
    api_token_issue,
    key_digest,
)
from laborcoop.core.models import AuditEntry

PASSWORD = "demo-2026"  # tests.factories.UserFactory
NEW_PASSWORD = "Xiangxi-2027!"
PROBE = "/api/v1/regions/433122000000/"
TOKEN_URL = "/api/v1/auth/token/"


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _page(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_hash_is_stored(users: dict[str, User]) -> None:
    issued = api_token_issue(user=users["county_officer"])
    row = ApiToken.objects.get()
    assert row.key_hash == key_digest(issued.key)
    assert row.key_prefix == issued.key[:4]
    assert issued.key not in {row.key_hash, row.key_prefix, row.password_fingerprint}
    assert _client(issued.key).get(PROBE).status_code == 200


def test_token_endpoint_audits_the_api_sign_in(users: dict[str, User]) -> None:
    response = APIClient().post(TOKEN_URL, {"username": "xian_t", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == users["county_officer"]
    assert response.json()["token"] not in entry.reason
    assert response.json()["token"][:4] in entry.reason


@override_settings(LABORCOOP_API_TOKEN_TTL_DAYS=30)
def test_token_expires_after_the_ttl(users: dict[str, User]) -> None:
    issued = api_token_issue(user=users["county_officer"])
    assert issued.token.expires_at - issued.token.created_at == pytest.approx(timedelta(days=30), abs=timedelta(1))
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _client(issued.key).get(PROBE)
    assert response.status_code == 401
    assert response.json() == {"detail": TOKEN_EXPIRED}
    assert response["WWW-Authenticate"] == "Token"


def test_unknown_token_is_401_in_chinese(users: dict[str, User]) -> None:
    response = _client("0123456789abcdef0123456789abcdef01234567").get(PROBE)
    assert response.status_code == 401
    assert response.json() == {"detail": TOKEN_INVALID}


def test_admin_password_reset_revokes_the_tokens(users: dict[str, User]) -> None:
    officer, admin = users["county_officer"], users["prefecture_admin"]
    keys = [api_token_issue(user=officer).key for _ in range(2)]
    other = api_token_issue(user=users["broker"]).key

    s.user_set_password(acting_user=admin, target=officer, password=NEW_PASSWORD)

    assert not ApiToken.objects.filter(user=officer).exists()
    for key in keys:
        assert _client(key).get(PROBE).json() == {"detail": TOKEN_INVALID}
    assert _client(other).get(PROBE).status_code == 200
    entry = AuditEntry.objects.get(reason=TOKENS_REVOKED_REASON.format(why=s.PASSWORD_RESET_REASON, count=2))
    assert entry.actor == admin
    assert entry.object_id == str(officer.pk)


def test_own_password_change_revokes_the_tokens(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    key = api_token_issue(user=officer).key
    client = _page(officer)
    response = client.post(
        reverse("accounts:my_password"),
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:me")).status_code == 200  # this session stays signed in
    assert _client(key).get(PROBE).status_code == 401
    assert not ApiToken.objects.filter(user=officer).exists()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(actor=officer, reason=s.OWN_PASSWORD_REASON).count() == 1


def test_own_password_change_needs_the_current_password(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    key = api_token_issue(user=officer).key
    response = _page(officer).post(
        reverse("accounts:my_password"),
        {"old_password": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert s.OLD_PASSWORD_WRONG in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert _client(key).get(PROBE).status_code == 200


def test_a_password_changed_any_other_way_revokes_the_tokens_too(users: dict[str, User]) -> None:
    # e.g. `manage.py changepassword` or the Django admin: no service runs, the fingerprint no longer matches
    officer = users["county_officer"]
    key = api_token_issue(user=officer).key
    officer.set_password(NEW_PASSWORD)
    officer.save()
    assert _client(key).get(PROBE).json() == {"detail": TOKEN_INVALID}


@pytest.mark.parametrize("path", ["set_active", "update"])
def test_deactivation_revokes_the_tokens(users: dict[str, User], path: str) -> None:
    officer, admin = users["county_officer"], users["prefecture_admin"]
    key = api_token_issue(user=officer).key
    if path == "set_active":
        s.user_set_active(acting_user=admin, target=officer, is_active=False)
    else:
        s.user_update(acting_user=admin, target=officer, is_active=False)
    assert not ApiToken.objects.filter(user=officer).exists()
    assert _client(key).get(PROBE).status_code == 401
    assert AuditEntry.objects.filter(
        reason=TOKENS_REVOKED_REASON.format(why=s.DEACTIVATED_REASON, count=1), object_id=str(officer.pk)
    ).exists()


def test_inactive_account_token_is_refused_even_if_the_row_survived(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    key = api_token_issue(user=officer).key
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert _client(key).get(PROBE).status_code == 401


def test_owner_lists_masked_tokens_and_revokes_one(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    kept, revoked = api_token_issue(user=officer), api_token_issue(user=officer)
    client = _page(officer)

    page = client.get(reverse("accounts:me")).content.decode()

    for issued in (kept, revoked):
        assert f"{issued.key[:4]}…" in page
        assert issued.key not in page
        assert issued.key[:5] not in page.replace(issued.key[:4] + "…", "")
        assert issued.token.key_hash not in page
    assert "未使用" in page

    response = client.post(reverse("accounts:my_token_revoke", args=[revoked.token.pk]))

    assert response.status_code == 302
    assert _client(revoked.key).get(PROBE).status_code == 401
    assert _client(kept.key).get(PROBE).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_type="accounts.apitoken")
    assert entry.actor == officer
    assert entry.object_id == str(revoked.token.pk)


def test_nobody_else_revokes_or_sees_a_token(users: dict[str, User]) -> None:
    issued = api_token_issue(user=users["county_officer"])
    admin = _page(users["prefecture_admin"])
    assert issued.key[:4] + "…" not in admin.get(reverse("accounts:me")).content.decode()
    assert admin.post(reverse("accounts:my_token_revoke", args=[issued.token.pk])).status_code == 404
    assert admin.get(reverse("accounts:my_token_revoke", args=[issued.token.pk])).status_code == 405
    assert _client(issued.key).get(PROBE).status_code == 200


def test_last_use_is_written_at_most_once_a_minute(users: dict[str, User]) -> None:
    issued = api_token_issue(user=users["county_officer"])
    client = _client(issued.key)
    assert issued.token.last_used_at is None

    with CaptureQueriesContext(connection) as first:
        client.get(PROBE)
    stamped = ApiToken.objects.get().last_used_at
    with CaptureQueriesContext(connection) as second:
        client.get(PROBE)

    assert stamped is not None
    assert ApiToken.objects.get().last_used_at == stamped
    assert sum("UPDATE" in q["sql"] for q in first.captured_queries) == 1
    assert sum("UPDATE" in q["sql"] for q in second.captured_queries) == 0
    ApiToken.objects.update(last_used_at=stamped - timedelta(seconds=61))
    client.get(PROBE)
    assert ApiToken.objects.get().last_used_at > stamped


@override_settings(LABORCOOP_API_TOKENS_PER_USER=3)
def test_tokens_per_account_are_capped_oldest_first(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    issued = [api_token_issue(user=officer) for _ in range(5)]
    assert set(ApiToken.objects.values_list("pk", flat=True)) == {i.token.pk for i in issued[2:]}
    assert _client(issued[0].key).get(PROBE).status_code == 401


def test_expired_tokens_are_dropped_on_the_next_issue(users: dict[str, User]) -> None:
    officer = users["county_officer"]
    old = api_token_issue(user=officer)
    ApiToken.objects.filter(pk=old.token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = _page(officer).get(reverse("accounts:me")).content.decode()
    assert "已过期" in page
    api_token_issue(user=officer)
    assert not ApiToken.objects.filter(pk=old.token.pk).exists()


def test_every_account_reaches_its_own_page(users: dict[str, User]) -> None:
    for user in users.values():
        response = _page(user).get(reverse("accounts:me"))
        assert response.status_code == 200
        assert user.username in response.content.decode()
    assert Client().get(reverse("accounts:me")).status_code == 302


def test_schema_keeps_the_token_security_scheme(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["viewer"])
    schema = client.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["type"] == "apiKey"
    assert scheme["in"] == "header"
    assert scheme["name"] == "Authorization"
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/laborers/"]["get"]["security"]
    token_op = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(token_op["responses"]) >= {"200", "400", "429"}
