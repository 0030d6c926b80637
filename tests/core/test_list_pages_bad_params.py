"""Every page without a path parameter, walked as an admin on the demo data with bad `page` values: never a
5xx; a list shows page 1 with a Chinese message instead (page=99999999999999999999 answered 500 on 19 lists).
The pages are found in the URL resolver, so a new list is walked without touching this test."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from laborcoop.accounts.models import User
from laborcoop.core.pagination import PAGE_INVALID, PAGE_PAST_THE_END, Page
from laborcoop.demo.generator import regions as demo_regions

BAD_PAGES = ["99999999999999999999", "-1", "abc", "0", "²"]
# Not pages: the API (tests/api/test_bad_params.py), the admin site, sign-out, probes, file downloads.
SKIP_PREFIXES = ("/api/", "/admin/", "/accounts/logout/", "/healthz", "/static/")

pytestmark = pytest.mark.django_db


def parameterless_page_paths() -> list[str]:
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and p.name and "<" not in route and not route.startswith("^"):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if not p.startswith(SKIP_PREFIXES)})


@pytest.fixture
def admin(regions: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    call_command("demo_setup", laborers=300, stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="sheng"))
    return client


def listed_page(response: Any) -> Page | None:
    context = response.context
    if context is None:
        return None
    page = context.get("page")
    return page if isinstance(page, Page) else None


def test_no_page_answers_5xx_for_a_bad_page_and_lists_say_so(admin: Client) -> None:
    lists = []
    for path in parameterless_page_paths():
        first = admin.get(path)
        assert first.status_code < 500, (path, first.status_code)
        is_list = listed_page(first) is not None
        if is_list:
            lists.append(path)
        for bad in BAD_PAGES:
            response = admin.get(path, {"page": bad})
            assert response.status_code < 500, (path, bad, response.status_code)
            if is_list and response.status_code == 200:
                page = listed_page(response)
                assert page is not None, (path, bad)
                assert (page.number, page.notice) == (1, PAGE_INVALID), (path, bad)
                # The pager (core/pager.html) carries the message; an empty list has no pager.
                assert PAGE_INVALID in response.content.decode() or not page.rows, (path, bad)
    assert len(lists) >= 19, lists


def test_a_page_past_the_end_shows_page_one_with_a_message(admin: Client) -> None:
    response = admin.get("/registry/laborers/", {"page": "5000"})
    assert response.status_code == 200
    page = listed_page(response)
    assert page is not None
    assert page.number == 1
    assert page.rows
    assert PAGE_PAST_THE_END.format(number=5000) in response.content.decode()
