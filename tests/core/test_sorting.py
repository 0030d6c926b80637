"""core.sorting (whitelisted `?sort=`) and core.pagination's totals, on their own."""

from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory

from laborcoop.core.pagination import EXACT_COUNT_CAP, Page, list_total, page_of, planner_rows, round_estimate
from laborcoop.core.sorting import SORT_UNKNOWN, SortColumn, Sorting, parse_sort, sort_of
from laborcoop.registry.models import Household
from tests.factories import HouseholdFactory

SORTING = Sorting(
    columns={
        "name": SortColumn("姓名", ("name",)),
        "born": SortColumn("出生日期", ("birth_date", "-region_id"), descending_first=True),
    },
    default=("region_id", "id"),
)


def request(query: str) -> Any:
    return RequestFactory().get(f"/list/?{query}")


def test_a_declared_key_orders_by_its_fields_then_the_id_and_the_minus_reverses_every_field() -> None:
    assert list(sort_of(request("sort=name"), SORTING).order_by()) == ["name", "id"]
    assert list(sort_of(request("sort=-name"), SORTING).order_by()) == ["-name", "-id"]
    assert list(sort_of(request("sort=born"), SORTING).order_by()) == ["birth_date", "-region_id", "id"]
    assert list(sort_of(request("sort=-born"), SORTING).order_by()) == ["-birth_date", "region_id", "-id"]


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_no_sort_is_the_default_order_without_a_notice(raw: str | None) -> None:
    assert parse_sort(raw, SORTING) == ("", False, True)
    sort = sort_of(request(""), SORTING)
    assert list(sort.order_by()) == ["region_id", "id"]
    assert sort.notice == ""


@pytest.mark.parametrize("raw", ["password", "-id_number_enc", "name;drop", "--name", "-", "region_id"])
def test_an_undeclared_key_never_reaches_order_by_and_says_so_in_chinese(raw: str) -> None:
    sort = sort_of(RequestFactory().get("/list/", {"sort": raw}), SORTING)
    assert sort.key == ""
    assert list(sort.order_by()) == ["region_id", "id"]
    assert sort.notice == SORT_UNKNOWN


def test_headers_keep_the_filters_drop_the_page_and_toggle_the_current_column() -> None:
    sort = sort_of(request("q=%E5%BC%A0&page=3&sort=name"), SORTING)
    name, born = sort.headers["name"], sort.headers["born"]
    assert name.href == "?q=%E5%BC%A0&sort=-name"  # sorted ascending now: the next click sorts descending
    assert name.state == "ascending"
    assert born.href == "?q=%E5%BC%A0&sort=-born"  # dates sort newest first on the first click
    assert born.state == ""
    descending = sort_of(request("sort=-name"), SORTING)
    assert descending.headers["name"].href == "?sort=name"
    assert descending.headers["name"].state == "descending"
    assert descending.value == "-name"


def test_options_list_the_default_then_both_directions_with_the_current_one_selected() -> None:
    options = sort_of(request("sort=-born"), SORTING).options()
    assert [value for value, _, _ in options] == ["", "name", "-name", "born", "-born"]
    assert [value for value, _, selected in options if selected] == ["-born"]
    assert options[4][1] == "出生日期 ↓"


@pytest.mark.parametrize(
    ("n", "shown"), [(7, 7), (99, 99), (12_345, 12_000), (10_001, 10_000), (1_987_654, 2_000_000), (150, 150)]
)
def test_estimates_keep_two_significant_digits(n: int, shown: int) -> None:
    assert round_estimate(n) == shown


def test_total_text_says_exact_or_about() -> None:
    assert Page([], 1, False, False, "", total=12_000, estimated=True).total_text == "约 12,000 条"
    assert Page([], 1, False, False, "", total=3, estimated=False).total_text == "共 3 条"
    assert Page([], 1, False, False, "").total_text == ""


@pytest.mark.django_db
def test_list_total_is_exact_up_to_the_cap_and_estimated_by_postgresql_above_it(regions: Any) -> None:
    for _ in range(5):
        HouseholdFactory()
    HouseholdFactory(region_id="433123109201")
    qs = Household.objects.filter(region_id="433122107201").order_by("household_no")
    assert list_total(qs) == (5, False)
    assert EXACT_COUNT_CAP >= 1000
    total, estimated = list_total(qs, cap=2)
    if connection.vendor == "postgresql":
        assert estimated is True
        assert total >= 3  # never below what the capped count has seen
        assert isinstance(planner_rows(qs), int)
    else:
        assert (total, estimated) == (5, False)  # SQLite has no estimate: exact
        assert planner_rows(qs) is None


@pytest.mark.django_db
def test_page_of_counts_only_when_asked_and_not_at_all_on_a_last_page(
    regions: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        HouseholdFactory()
    qs = Household.objects.order_by("household_no")
    with django_assert_num_queries(1):
        page = page_of(qs, request(""), count=True)  # everything on one page: the total is its length
    assert (page.total, page.estimated) == (3, False)
    with django_assert_num_queries(2):
        page = page_of(qs, request(""), size=2, count=True)  # a next page exists: one capped count
    assert page.total == 3
    with django_assert_num_queries(1):
        page = page_of(qs, request("page=2"), size=2, count=True)  # the last page: 2 before it + 1 on it
    assert page.total == 3
    with django_assert_num_queries(1):
        assert page_of(qs, request(""), size=2).total is None
