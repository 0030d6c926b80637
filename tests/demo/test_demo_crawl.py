"""Every link a demo role is shown opens: starting from the home page, follow every same-site link two clicks
deep as each of the seven demo logins, and fail on any answer but 200 or a redirect (a 403 means a page offered
a link its user may not follow; a 404 a dead link; a 5xx a defect)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from laborcoop.accounts.models import User
from laborcoop.demo.generator import regions as demo_regions
from laborcoop.regions.models import Region

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#?]*)')
# Links that do something else than show a page: signing out, static files, the API's Swagger UI (its own test).
SKIPPED = ("/accounts/logout", "/static/", "/api/docs")


def _links(html: str) -> set[str]:
    return {href for href in LINK.findall(html) if not href.startswith(SKIPPED)}


def test_every_link_each_demo_role_sees_opens(regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)  # the sample tree stands in for the country
    call_command("demo_setup", laborers=200, stdout=StringIO())
    failures: list[str] = []
    opened = 0
    for user in User.objects.order_by("username"):
        client = Client()
        client.force_login(user)
        seen: set[str] = set()
        frontier = {"/"}
        for _depth in range(3):  # the home page, then two clicks
            following: set[str] = set()
            for href in sorted(frontier - seen):
                seen.add(href)
                response = client.get(href)
                if response.status_code not in (200, 301, 302):
                    failures.append(f"{user.username}: {href} -> {response.status_code}")
                elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    following |= _links(response.content.decode())
            frontier = following
        opened += len(seen)
    assert not failures, "\n".join(failures)
    assert opened > 200  # the walk really went through the platform (every role's menu and the pages behind it)
