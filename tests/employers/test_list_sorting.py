"""The enterprise and job lists: sortable columns (whitelisted), totals counted in the user's scope."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.sorting import SORT_UNKNOWN
from tests.employers.conftest import client_for
from tests.factories import EnterpriseFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def enterprises(users: dict[str, Any]) -> dict[str, Any]:
    """Three enterprises of 泸溪县 (two townships) with 0, 2 and 1 open jobs; one of 凤凰县 (out of scope)."""
    rows = {
        "乙": EnterpriseFactory(name="乙厂", region_id="433122108000"),
        "甲": EnterpriseFactory(name="甲厂", region_id="433122107000"),
        "丙": EnterpriseFactory(name="丙厂", region_id="433122107000"),
    }
    JobPostingFactory(enterprise=rows["甲"], title="缝纫工", openings=5, wage_min=3000, wage_max=4000,
                      valid_until=TODAY + timedelta(days=30))  # fmt: skip
    JobPostingFactory(enterprise=rows["甲"], title="质检员", openings=1, wage_min=5000, wage_max=6500,
                      valid_until=TODAY + timedelta(days=90))  # fmt: skip
    JobPostingFactory(enterprise=rows["丙"], title="搬运工", openings=12, wage_min=4500, wage_max=5000,
                      valid_until=TODAY + timedelta(days=10))  # fmt: skip
    outside = EnterpriseFactory(name="凤凰外厂", region_id="433123000000")
    JobPostingFactory(enterprise=outside, title="外地岗", openings=99, wage_max=99999)
    return rows


def names(client: Any, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [e.name for e in response.context["page"].rows]


def titles(client: Any, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [j.title for j in response.context["page"].rows]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["丙厂", "乙厂", "甲厂"]),  # code point order: 丙 4E19, 乙 4E59, 甲 7532
        ("-name", ["甲厂", "乙厂", "丙厂"]),
        ("region", ["甲厂", "丙厂", "乙厂"]),  # township 107 before 108, then by id
        ("-region", ["乙厂", "丙厂", "甲厂"]),
        ("-open_jobs", ["甲厂", "丙厂", "乙厂"]),  # 2, 1, 0 open jobs
        ("open_jobs", ["乙厂", "丙厂", "甲厂"]),
    ],
)
def test_enterprises_sort_by_each_column_both_ways(
    users: dict[str, Any], enterprises: dict[str, Any], sort: str, expected: list[str]
) -> None:
    client = client_for(users["county_officer"])
    assert names(client, reverse("employers:enterprise_list") + f"?sort={sort}") == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-openings", ["搬运工", "缝纫工", "质检员"]),
        ("openings", ["质检员", "缝纫工", "搬运工"]),
        ("-wage", ["质检员", "搬运工", "缝纫工"]),
        ("wage", ["缝纫工", "搬运工", "质检员"]),
        ("valid", ["搬运工", "缝纫工", "质检员"]),
        ("-valid", ["质检员", "缝纫工", "搬运工"]),
    ],
)
def test_jobs_sort_by_each_column_both_ways(
    users: dict[str, Any], enterprises: dict[str, Any], sort: str, expected: list[str]
) -> None:
    client = client_for(users["county_officer"])
    assert titles(client, reverse("employers:job_list") + f"?sort={sort}") == expected


def test_an_enterprises_own_jobs_sort_on_its_page(users: dict[str, Any], enterprises: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employers:enterprise_detail", args=[enterprises["甲"].pk])
    assert titles(client, url + "?sort=-wage") == ["质检员", "缝纫工"]
    assert "共 2 条" in client.get(url).content.decode()


def test_unknown_sort_keys_keep_the_default_order_and_say_so(
    users: dict[str, Any], enterprises: dict[str, Any]
) -> None:
    client = client_for(users["county_officer"])
    default = titles(client, reverse("employers:job_list"))
    response = client.get(reverse("employers:job_list") + "?sort=enterprise__contact_phone")
    assert [j.title for j in response.context["page"].rows] == default
    assert SORT_UNKNOWN in response.content.decode()
    response = client.get(reverse("employers:enterprise_list") + "?sort=-uscc")
    assert response.status_code == 200
    assert SORT_UNKNOWN in response.content.decode()


def test_totals_count_only_the_users_scope(users: dict[str, Any], enterprises: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    assert "共 3 条" in client.get(reverse("employers:enterprise_list")).content.decode()
    assert "共 3 条" in client.get(reverse("employers:job_list")).content.decode()
    html = client.get(reverse("employers:job_list") + "?sort=-openings").content.decode()
    assert "外地岗" not in html


def test_the_htmx_rows_carry_the_sortable_headers(users: dict[str, Any], enterprises: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    html = client.get(reverse("employers:job_list") + "?q=工&sort=wage", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-sort-key="wage" aria-sort="ascending"' in html
    assert 'href="?q=%E5%B7%A5&amp;sort=-wage"' in html
    assert "共 3 条" in html
