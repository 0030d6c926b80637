"""enterprise_list / job_list: scope, filters, order and query counts."""

from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employers.selectors import enterprise_list, job_list
from tests.conftest import make_user
from tests.factories import EnterpriseFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def world(luxi: Enterprise, fenghuang: Enterprise, jinan: Enterprise) -> dict[str, Any]:
    """Enterprises in 泸溪县 (three), 凤凰县 and 济南; jobs for each."""
    village = EnterpriseFactory(name="浦市村帮扶车间", region_id="433122107201", is_assist_workshop=True)
    base = EnterpriseFactory(
        name="泸溪就业帮扶基地", region_id="433122000000", is_assist_base=True, industry=ec.Industry.A
    )
    jobs = {
        "luxi_open": JobPostingFactory(enterprise=luxi, title="缝纫工", valid_from=TODAY - timedelta(days=1)),
        "luxi_paused": JobPostingFactory(enterprise=luxi, title="熨烫工", status=ec.JobStatus.PAUSED),
        "luxi_expired": JobPostingFactory(
            enterprise=luxi,
            title="包装工",
            valid_from=TODAY - timedelta(days=90),
            valid_until=TODAY - timedelta(days=1),
        ),
        "luxi_future": JobPostingFactory(
            enterprise=luxi,
            title="质检员",
            valid_from=TODAY + timedelta(days=5),
            valid_until=TODAY + timedelta(days=60),
        ),
        "village": JobPostingFactory(enterprise=village, title="手工编织", occupation="编织工"),
        "base": JobPostingFactory(enterprise=base, title="采茶工", occupation="茶农", status=ec.JobStatus.CLOSED),
        "fenghuang": JobPostingFactory(enterprise=fenghuang, title="面点师"),
        "jinan": JobPostingFactory(enterprise=jinan, title="装配工"),
    }
    return {"luxi": luxi, "village": village, "base": base, "fenghuang": fenghuang, "jinan": jinan, "jobs": jobs}


def names(rows: Any) -> set[str]:
    return {r.name for r in rows}


def titles(rows: Any) -> set[str]:
    return {r.title for r in rows}


# --- enterprises ------------------------------------------------------------------------------------------


def test_county_officer_sees_only_his_subtree(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = enterprise_list(user=users["county_officer"])

    assert names(rows) == {"泸溪白沙制衣有限公司", "浦市村帮扶车间", "泸溪就业帮扶基地"}


def test_prefecture_admin_sees_both_counties(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = enterprise_list(user=users["prefecture_admin"])

    assert names(rows) == {"泸溪白沙制衣有限公司", "浦市村帮扶车间", "泸溪就业帮扶基地", "凤凰沱江食品有限公司"}


def test_broker_sees_no_enterprises(users: dict[str, Any], world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        enterprise_list(user=users["broker"])


def test_enterprise_user_sees_only_own_enterprise(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert list(enterprise_list(user=users["enterprise"])) == [world["jinan"]]


def test_enterprise_user_without_an_enterprise_sees_nothing(users: dict[str, Any], world: dict[str, Any]) -> None:
    orphan = make_user("qiye_orphan", "370102000000", ["enterprise"])

    assert list(enterprise_list(user=orphan)) == []


def test_order_is_region_then_id(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = list(enterprise_list(user=users["county_officer"]))

    assert [r.region_id for r in rows] == ["433122000000", "433122107000", "433122107201"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "白沙"}, {"泸溪白沙制衣有限公司"}),
        ({"q": "帮扶"}, {"浦市村帮扶车间", "泸溪就业帮扶基地"}),
        ({"is_assist_workshop": True}, {"泸溪白沙制衣有限公司", "浦市村帮扶车间"}),
        ({"is_assist_base": True}, {"泸溪就业帮扶基地"}),
        ({"is_assist_workshop": False}, {"泸溪就业帮扶基地"}),
        ({"industry": ec.Industry.A}, {"泸溪就业帮扶基地"}),
        ({"industry": ec.Industry.C, "is_assist_workshop": True}, {"泸溪白沙制衣有限公司", "浦市村帮扶车间"}),
    ],
)
def test_enterprise_filters(
    users: dict[str, Any], world: dict[str, Any], params: dict[str, Any], expected: set[str]
) -> None:
    assert names(enterprise_list(user=users["county_officer"], **params)) == expected


def test_search_by_credit_code_is_exact_and_tolerates_case_and_spaces(
    users: dict[str, Any], world: dict[str, Any]
) -> None:
    code = world["luxi"].uscc

    assert names(enterprise_list(user=users["county_officer"], q=f" {code.lower()} ")) == {"泸溪白沙制衣有限公司"}
    assert names(enterprise_list(user=users["county_officer"], q=code[:10])) == set()


def test_search_does_not_reach_outside_the_subtree(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert names(enterprise_list(user=users["county_officer"], q=world["fenghuang"].uscc)) == set()
    assert names(enterprise_list(user=users["county_officer"], q="凤凰")) == set()


def test_open_jobs_counts_postings_open_today(users: dict[str, Any], world: dict[str, Any]) -> None:
    counts = {e.name: e.open_jobs for e in enterprise_list(user=users["county_officer"])}

    # 白沙: one open and valid today; the paused, the expired and the not-yet-valid ones do not count.
    assert counts == {"泸溪白沙制衣有限公司": 1, "浦市村帮扶车间": 1, "泸溪就业帮扶基地": 0}


def test_enterprise_list_is_one_query(
    users: dict[str, Any], world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    user = users["prefecture_admin"]
    assert user.scope_prefix == "4331"  # the user's home region is loaded once per request, before the list

    with django_assert_num_queries(1):
        rows = list(enterprise_list(user=user))
        shown = [(e.name, e.region.name, e.open_jobs, e.get_industry_display()) for e in rows]

    assert len(shown) == 4


# --- jobs -------------------------------------------------------------------------------------------------


def test_county_officer_sees_the_jobs_of_his_subtree(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = job_list(user=users["county_officer"])

    assert titles(rows) == {"缝纫工", "熨烫工", "包装工", "质检员", "手工编织", "采茶工"}


def test_other_county_officer_sees_only_his_jobs(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert titles(job_list(user=users["other_county_officer"])) == {"面点师"}


def test_broker_sees_the_jobs_of_his_village(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert titles(job_list(user=users["broker"])) == {"手工编织"}


def test_hotline_sees_the_whole_province(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert titles(job_list(user=users["hotline"])) == {
        "缝纫工",
        "熨烫工",
        "包装工",
        "质检员",
        "手工编织",
        "采茶工",
        "面点师",
    }


def test_enterprise_user_sees_only_own_jobs(users: dict[str, Any], world: dict[str, Any]) -> None:
    assert list(job_list(user=users["enterprise"])) == [world["jobs"]["jinan"]]
    assert list(job_list(user=users["enterprise"], enterprise_id=world["luxi"].pk)) == []


def test_user_without_roles_cannot_list_jobs(users: dict[str, Any], world: dict[str, Any]) -> None:
    nobody = make_user("nobody_t", "433122000000", [])

    with pytest.raises(PermissionDeniedError):
        job_list(user=nobody)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"open_only": True}, {"缝纫工", "手工编织"}),
        ({"status": "paused"}, {"熨烫工"}),
        ({"status": "closed"}, {"采茶工"}),
        ({"q": "茶"}, {"采茶工"}),
        ({"q": "编织工"}, {"手工编织"}),
        ({"q": "白沙制衣"}, {"缝纫工", "熨烫工", "包装工", "质检员"}),
        ({"q": "面点"}, set()),
    ],
)
def test_job_filters(users: dict[str, Any], world: dict[str, Any], params: dict[str, Any], expected: set[str]) -> None:
    assert titles(job_list(user=users["county_officer"], **params)) == expected


def test_jobs_of_one_enterprise(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = job_list(user=users["county_officer"], enterprise_id=world["village"].pk)

    assert list(rows) == [world["jobs"]["village"]]


def test_jobs_are_newest_first(users: dict[str, Any], world: dict[str, Any]) -> None:
    rows = list(job_list(user=users["county_officer"]))

    keys = [(j.valid_from, j.pk) for j in rows]
    assert keys == sorted(keys, reverse=True)
    assert rows[0].title == "质检员"


def test_job_list_is_one_query(users: dict[str, Any], world: dict[str, Any], django_assert_num_queries: Any) -> None:
    user = users["hotline"]
    assert user.scope_prefix == "43"

    with django_assert_num_queries(1):
        rows = list(job_list(user=user))
        shown = [(j.title, j.enterprise.name, j.region.name, j.work_region.name, j.get_status_display()) for j in rows]

    assert len(shown) == 7


def test_job_list_for_enterprise_user_is_one_query(
    users: dict[str, Any], world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    JobPostingFactory.create_batch(4, enterprise=world["jinan"])

    with django_assert_num_queries(1):
        rows = [(j.title, j.enterprise.name, j.work_region.name) for j in job_list(user=users["enterprise"])]

    assert len(rows) == 5
    assert isinstance(rows[0][1], str)
    assert JobPosting.objects.filter(enterprise=world["jinan"]).count() == 5
