"""Security headers on every kind of response (docs/architecture.md, "Security headers"): a page, an API
answer (session and token), the login page, the laborer's personal-link page, error pages, the API docs with
their own style relaxation, and a static file (cacheable, no no-store). The browser side: tests/browser/test_csp.py.
"""

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from laborcoop.accounts.tokens import api_token_issue
from laborcoop.core.security_headers import PERMISSIONS_POLICY, SecurityHeadersMiddleware
from laborcoop.matching.tokens import personal_link_token
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db

STRICT_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy(response: Any) -> dict[str, set[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: set(values) for name, *values in directives}


def assert_document_headers(response: Any, *, referrer: str = "same-origin") -> None:
    """What every response Django renders carries (static files excepted)."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == referrer
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"].split(", ")
    assert "private" in response["Cache-Control"].split(", ")
    assert response["Pragma"] == "no-cache"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page(users: dict[str, Any]) -> None:
    response = Client().get(reverse("accounts:login"))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert_document_headers(response)


@pytest.mark.parametrize("path", ["/", "/registry/laborers/", "/employers/jobs/", "/tracking/", "/notifications/"])
def test_pages_of_a_logged_in_user(users: dict[str, Any], path: str) -> None:
    response = logged_in(users["county_officer"]).get(path)

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert_document_headers(response)


def test_htmx_partial_carries_the_same_headers(users: dict[str, Any]) -> None:
    response = logged_in(users["county_officer"]).get("/employers/jobs/?q=x", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert_document_headers(response)


def test_api_answer_by_session_and_by_token(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(region_id="433122107201")
    by_session = logged_in(users["county_officer"]).get(f"/api/v1/laborers/{laborer.pk}/")
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=users['county_officer']).key}")
    by_token = token_client.get(f"/api/v1/laborers/{laborer.pk}/")

    for response in (by_session, by_token):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert policy(response) == STRICT_POLICY
        assert_document_headers(response)


def test_anonymous_api_refusal_is_not_cached_either(users: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/laborers/")

    assert response.status_code == 401
    assert_document_headers(response)


def test_personal_link_page_keeps_the_token_out_of_every_referer(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(region_id="433122107201")

    response = Client().get(reverse("matching:personal", args=[personal_link_token(laborer_id=laborer.pk)]))

    assert response.status_code == 200
    assert policy(response) == STRICT_POLICY
    assert_document_headers(response, referrer="strict-origin")  # origin only: never the path with the token
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_personal_link_answer_and_redirect_too(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(region_id="433122107201")
    token = personal_link_token(laborer_id=laborer.pk)

    response = Client().post(reverse("matching:personal_respond", args=[token, 999999]), {"state": "interested"})

    assert response.status_code == 404
    assert_document_headers(response, referrer="strict-origin")


def test_error_pages(users: dict[str, Any]) -> None:
    missing = logged_in(users["county_officer"]).get("/registry/laborers/999999/")
    forbidden = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x"})

    assert missing.status_code == 404
    assert forbidden.status_code == 403
    for response in (missing, forbidden):
        assert policy(response) == STRICT_POLICY
        assert_document_headers(response)


def test_api_docs_relax_only_inline_styles(users: dict[str, Any]) -> None:
    client = logged_in(users["county_officer"])
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert page.status_code == 200
    assert policy(page) == {**STRICT_POLICY, "style-src": {"'self'", "'unsafe-inline'"}}
    html = page.content.decode()
    assert "SwaggerUIBundle(" not in html  # the start-up script is loaded from ?script, not inlined
    assert '<script src="/api/docs/?script=' in html
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle(" in script.content.decode()
    assert_document_headers(script)  # it holds the user's CSRF token: never cached


def test_static_file_is_cacheable_and_not_sniffed(settings: Any) -> None:
    settings.WHITENOISE_USE_FINDERS = True  # the test settings have no collectstatic

    response = Client().get("/static/css/app.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def test_no_store_wins_over_a_view_that_allows_caching() -> None:
    def view(request: Any) -> HttpResponse:
        response = HttpResponse("个人数据")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = SecurityHeadersMiddleware(view)(RequestFactory().get("/"))

    assert "max-age=3600" not in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["Pragma"] == "no-cache"
