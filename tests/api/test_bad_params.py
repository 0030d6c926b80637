"""Bad query parameters on /api/v1/ are the client's error: 400 in the API's error shape with a Chinese message,
never a 500 (page=99999999999999999999 overflowed the database driver) and never the HTML 404 page (a
non-integer id in the path)."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from laborcoop.core.api.fields import ID_INVALID, MAX_DAYS, NUMBER_INVALID
from laborcoop.core.api.pagination import PAGE_NOT_FOUND, PAGE_PAST_THE_END, PAGE_SIZE_NOT_VALID
from laborcoop.core.errors import ObjectNotFound
from laborcoop.demo.generator import regions as demo_regions
from tests.api.conftest import NOT_FOUND_BODY, token_client

BAD_PAGES = ["99999999999999999999", "-1", "abc", "0", "1.5"]
HUGE = "99999999999999999999"

pytestmark = pytest.mark.django_db


def api_list_paths() -> list[str]:
    """Every route of /api/v1/ without a path parameter (lists, and the few actions that take none), found in
    the URL resolver so that a new list is walked without touching this test."""
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and not route.startswith("^"):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if p.startswith("/api/v1/") and p != "/api/v1/auth/token/"})


@pytest.fixture
def demo(regions: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    call_command("demo_setup", laborers=300, stdout=StringIO())


def admin_client() -> APIClient:
    from laborcoop.accounts.models import User

    return token_client(User.objects.get(username="sheng"))


def test_every_api_list_refuses_bad_pages_with_400(demo: None) -> None:
    client = admin_client()
    paths = api_list_paths()
    paginated = []
    for path in paths:
        first = client.get(path)
        if first.status_code != 200 or not isinstance(first.json(), dict) or "results" not in first.json():
            assert first.status_code < 500, (path, first.status_code)
            continue
        paginated.append(path)
        for bad in BAD_PAGES:
            response = client.get(path, {"page": bad})
            assert response.status_code == 400, (path, bad, response.status_code, response.content[:200])
            assert response.json() == {"page": [PAGE_NOT_FOUND]}, (path, bad)
        response = client.get(path, {"page_size": HUGE})
        assert (response.status_code, response.json()) == (400, {"page_size": [PAGE_SIZE_NOT_VALID]}), path
    # The 7 lists that answered 500 before (and every other one): the walk found them all.
    assert len(paginated) >= 12, paginated


def test_a_page_past_the_end_is_400(demo: None) -> None:
    response = admin_client().get("/api/v1/laborers/", {"page": "999999"})
    assert (response.status_code, response.json()) == (400, {"page": [PAGE_PAST_THE_END]})
    response = admin_client().get("/api/v1/enterprises/", {"page": "999999"})
    assert (response.status_code, response.json()) == (400, {"page": [PAGE_PAST_THE_END]})


def test_warning_filters_are_bounded(demo: None) -> None:
    """Regression: min_age=99999999999 overflowed the date arithmetic (500); a huge id overflowed SQLite."""
    client = admin_client()
    response = client.get("/api/v1/warnings/", {"min_age": "99999999999"})
    assert (response.status_code, response.json()) == (400, {"min_age": [NUMBER_INVALID.format(min=1, max=MAX_DAYS)]})
    for name in ("laborer", "household"):
        response = client.get("/api/v1/warnings/", {name: HUGE})
        assert (response.status_code, response.json()) == (400, {name: [ID_INVALID]})
    assert client.get("/api/v1/warnings/", {"min_age": str(MAX_DAYS)}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/laborers/abc/",
        "/api/v1/households/1.5/",
        "/api/v1/jobs/-1/status/",
        "/api/v1/warnings/x/handle/",
        "/api/v1/no-such-thing/",
    ],
)
def test_unmatched_api_paths_answer_the_json_404(users: dict[str, Any], path: str) -> None:
    """Regression: a non-integer id answered Django's HTML 404 page."""
    response = token_client(users["county_officer"]).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND_BODY == {"detail": ObjectNotFound.message}


def test_json_404_is_byte_identical_for_missing_out_of_scope_and_malformed_ids(
    users: dict[str, Any], rows: dict[str, Any]
) -> None:
    client = token_client(users["county_officer"])
    out_of_scope = client.get(f"/api/v1/laborers/{rows['fh_head'].pk}/")
    missing = client.get("/api/v1/laborers/987654321/")
    malformed = client.get("/api/v1/laborers/abc/")
    assert out_of_scope.status_code == missing.status_code == malformed.status_code == 404
    assert out_of_scope.content == missing.content == malformed.content


def test_pages_keep_the_html_404(users: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(users["county_officer"])
    response = client.get("/registry/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
