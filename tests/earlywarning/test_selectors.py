"""Reads of warnings: the summary card, the per-region drill-down, the laborer section, owner choices, and
the number of queries of the API list."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.selectors import (
    WarningFilters,
    laborer_warnings,
    owner_candidates,
    warning_region_counts,
    warning_summary,
)
from tests.earlywarning.conftest import run
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_townships(regions: Any) -> dict[str, Any]:
    """武溪镇 黑塘村: two unreachable people in two households; 浦市镇 黄家桥村: one."""
    a = LaborerFactory(unreachable=True, phone="13900000001")
    b = LaborerFactory(unreachable=True, phone="13900000002")
    c = LaborerFactory(unreachable=True, phone="13900000003", household=HouseholdFactory(region_id="433122108201"))
    run(today=timezone.localdate())
    return {"a": a, "b": b, "c": c}


def test_summary_counts_per_rule_and_severity(users: dict[str, Any], two_townships: dict[str, Any]) -> None:
    summary = warning_summary(user=users["county_officer"], filters=WarningFilters(rule="unreachable"))
    by_rule = {r.code: r.by_severity for r in summary.rules}
    assert by_rule == {"unreachable": {"medium": 3}, "zero_employment": {"high": 3}}  # rule filter ignored
    assert summary.by_severity == {"high": 3, "medium": 3, "low": 0}
    assert summary.total == 6
    assert summary.overdue == 0
    EarlyWarning.objects.filter(rule="zero_employment").update(due_date=timezone.localdate().replace(year=2020))
    assert warning_summary(user=users["county_officer"]).overdue == 3


def test_region_counts_drill_down(users: dict[str, Any], two_townships: dict[str, Any]) -> None:
    EarlyWarning.objects.filter(laborer=two_townships["b"]).update(status=WarningStatus.HANDLED)
    rows = {r.name: r for r in warning_region_counts(user=users["county_officer"])}
    assert set(rows) == {"武溪镇", "浦市镇"}
    assert (rows["武溪镇"].open, rows["武溪镇"].handled, rows["武溪镇"].high) == (3, 1, 2)
    assert (rows["浦市镇"].open, rows["浦市镇"].live) == (2, 2)
    villages = warning_region_counts(user=users["county_officer"], filters=WarningFilters(region="433122107000"))
    assert [(r.name, r.live) for r in villages] == [("黑塘村", 4)]
    assert warning_region_counts(user=users["other_county_officer"]) == []


def test_laborer_section_lists_own_and_household_warnings(users: dict[str, Any], two_townships: dict[str, Any]) -> None:
    a = two_townships["a"]
    rules = sorted(w.rule for w in laborer_warnings(user=users["broker"], laborer=a))
    assert rules == ["unreachable", "zero_employment"]
    assert laborer_warnings(user=users["hotline"], laborer=a) == []


def test_owner_candidates_are_in_scope_and_may_act(users: dict[str, Any]) -> None:
    names = [u.username for u in owner_candidates(user=users["county_officer"])]
    assert names[0] == "xian_t"
    assert set(names) == {"xian_t", "xiang_t", "jjr_t"}  # not the viewer, not other counties or levels above


def test_api_list_query_count_does_not_grow(users: dict[str, Any], regions: Any) -> None:
    client = APIClient()
    client.force_authenticate(users["county_officer"])
    LaborerFactory(unreachable=True)
    run(today=timezone.localdate())
    client.get(reverse("api:warning_list"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:warning_list"))
    for _ in range(4):
        LaborerFactory(unreachable=True, household=HouseholdFactory())
    run(today=timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("api:warning_list"))
    assert len(response.json()["results"]) == EarlyWarning.objects.count() == 15  # 5 households x 3 rules
    assert len(many) == len(few) == 1
