"""The navigation menu (accounts.navigation): built from the access layer, per role."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.accounts.navigation import capabilities_of, navigation_for

pytestmark = pytest.mark.django_db


def _links(user: Any) -> set[str]:
    return {link.url_name for group in navigation_for(user) for link in group.links}


def test_every_menu_link_resolves(users: dict[str, Any]) -> None:
    for user in users.values():
        for name in _links(user):
            reverse(name)


def test_enterprise_user_gets_its_own_pages_and_no_registry(users: dict[str, Any]) -> None:
    links = _links(users["enterprise"])
    assert {"employment:enterprise_report", "employment:enterprise_payroll", "tracking:notice_input_list"} <= links
    assert "registry:laborer_list" not in links
    assert "employment:record_list" not in links


def test_matching_weights_only_for_a_province_admin(users: dict[str, Any]) -> None:
    assert "matching:weights" in _links(users["province_admin"])
    assert "matching:weights" not in _links(users["prefecture_admin"])
    assert "matching:weights" not in _links(users["county_officer"])


def test_capabilities_follow_user_can(users: dict[str, Any]) -> None:
    hotline = capabilities_of(users["hotline"])
    assert hotline["REGISTRY_VIEW"]
    assert not hotline["REGISTRY_EDIT"]
    assert not hotline["WARNINGS_VIEW"]
