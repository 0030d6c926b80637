"""Deployments are intranets without internet: no page may load anything from another host (CDN)."""

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ASSET_RE = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["']([^"']+)["']""")


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/registry/laborers/", "/api/docs/"])
def test_pages_load_assets_only_from_this_server(users: dict[str, Any], path: str) -> None:
    client = Client()
    if path != "/accounts/login/":
        client.force_login(users["prefecture_admin"])
    response = client.get(path)
    assert response.status_code == 200
    assets = ASSET_RE.findall(response.content.decode())
    assert assets, path
    for url in assets:
        assert not url.startswith(("http://", "https://", "//")), url
