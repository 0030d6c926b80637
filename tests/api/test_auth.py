"""Token flow, the other authentication paths, and what an anonymous client gets."""

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from laborcoop.accounts.apis import INVALID_CREDENTIALS
from laborcoop.accounts.models import ApiToken
from laborcoop.accounts.tokens import key_digest

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "demo-2026"  # tests.factories.UserFactory


def test_token_flow_gives_a_token_that_authenticates(users: dict[str, Any], rows: dict[str, Any]) -> None:
    # given an officer's username and password
    client = APIClient()
    # when they ask for a token
    response = client.post(TOKEN_URL, {"username": "xian_t", "password": PASSWORD}, format="json")
    # then they get their token, not cached, and it opens the API
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at"}
    stored = ApiToken.objects.get(user=users["county_officer"])
    assert stored.key_hash == key_digest(response.json()["token"])
    assert response.json()["token"] not in {stored.key_hash, stored.key_prefix}
    assert response["Cache-Control"] == "no-store"
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    listing = client.get("/api/v1/laborers/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [rows["luxi_head"].pk]


def test_asking_twice_gives_two_tokens_that_both_work(users: dict[str, Any]) -> None:
    # Only hashes are stored, so an issued key cannot be handed out again: each call issues a new token.
    client = APIClient()
    first = client.post(TOKEN_URL, {"username": "xian_t", "password": PASSWORD}, format="json").json()
    second = client.post(TOKEN_URL, {"username": "xian_t", "password": PASSWORD}, format="json").json()
    assert first["token"] != second["token"]
    assert ApiToken.objects.filter(user=users["county_officer"]).count() == 2
    for body in (first, second):
        client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
        assert client.get("/api/v1/regions/433122000000/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"username": "xian_t", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_wrong_credentials_are_400_in_chinese(users: dict[str, Any], body: dict[str, str]) -> None:
    response = APIClient().post(TOKEN_URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [INVALID_CREDENTIALS]}
    assert ApiToken.objects.count() == 0


def test_inactive_account_gets_no_token(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    officer.is_active = False
    officer.save()
    response = APIClient().post(TOKEN_URL, {"username": "xian_t", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [INVALID_CREDENTIALS]}


def test_missing_fields_are_named_in_chinese(users: dict[str, Any]) -> None:
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}
    assert response.json()["username"] == ["该字段是必填项。"]


@override_settings(AXES_FAILURE_LIMIT=100)  # the sign-in lockout (tests/accounts/test_lockout.py) comes later
def test_token_endpoint_is_throttled(users: dict[str, Any]) -> None:
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": "xian_t", "password": "wrong"}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_anonymous_gets_401_with_token_challenge(rows: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/laborers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "向金花" not in response.content.decode()


def test_unknown_token_is_401(rows: dict[str, Any]) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/v1/laborers/").status_code == 401


def test_session_authentication_works(users: dict[str, Any], rows: dict[str, Any]) -> None:
    client = APIClient()
    client.force_login(users["county_officer"])
    response = client.get(f"/api/v1/laborers/{rows['luxi_head'].pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "向金花"


def test_session_writes_need_the_csrf_token(users: dict[str, Any], rows: dict[str, Any]) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["county_officer"])
    head = rows["luxi_head"]
    response = client.patch(f"/api/v1/laborers/{head.pk}/", {"version": 1, "skills": "竹编"}, format="json")
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.skills == ""
