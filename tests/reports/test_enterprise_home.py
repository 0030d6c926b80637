"""The enterprise user's home page is its to-do list (issue 13 item 3): candidates who showed interest,
interviews, arrivals to confirm, last month's wages due, jobs about to expire; counts are its own rows only."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.employers.choices import JobStatus
from laborcoop.employment.enterprise_reports.staff import previous_month
from laborcoop.employment.models import WageMonth
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.reports.enterprise_home import enterprise_todo
from laborcoop.tracking.models import DestinationNotice
from tests.employment.lines_helpers import jinan_enterprise, other_enterprise, worker
from tests.factories import JobPostingFactory, LaborerFactory, UserFactory
from tests.tracking.notice_helpers import LIXIA, client_for, hire

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(users: dict[str, Any]) -> dict[str, Any]:
    """The enterprise's day: two interested candidates, an interview tomorrow and one last week (result to
    record), a worker whose arrival is to confirm, two workers of whom one was paid last month, a job ending
    in five days; and the same kinds of rows at another enterprise, which must not count."""
    today = timezone.localdate()
    here, elsewhere = jinan_enterprise(users), other_enterprise()
    job = JobPostingFactory(enterprise=here, title="电子厂操作工", valid_until=today + timedelta(days=5))
    JobPostingFactory(enterprise=here, title="仓库管理员", valid_until=today + timedelta(days=40))
    JobPostingFactory(
        enterprise=here, title="已关闭岗位", valid_until=today + timedelta(days=3), status=JobStatus.CLOSED
    )
    other_job = JobPostingFactory(enterprise=elsewhere, title="外企岗位", valid_until=today + timedelta(days=2))

    def rec(name: str, state: str, on: Any = job, at: Any = None) -> Recommendation:
        laborer = LaborerFactory(name=name)
        return Recommendation.objects.create(
            job=on, laborer=laborer, region_id=laborer.region_id, score=60, state=state, interview_at=at
        )

    rec("张三丰", RecState.INTERESTED)
    rec("李四光", RecState.INTERESTED)
    rec("王五福", RecState.NOTIFIED)  # not yet interested: not a to-do, and masked
    rec("赵六顺", RecState.INTERVIEW, at=timezone.now() + timedelta(days=1))
    rec("钱七宝", RecState.INTERVIEW, at=timezone.now() - timedelta(days=7))
    rec("孙八方", RecState.INTERESTED, on=other_job)
    rec("吴九州", RecState.HIRED)
    start = previous_month(today) - timedelta(days=40)
    paid = worker(here, name="韩梅梅", start=start)
    worker(here, name="廖小勇", start=start)
    worker(elsewhere, name="周大福", start=start)
    WageMonth.objects.create(
        record=paid.record,
        laborer=paid.laborer,
        region_id=paid.laborer.region_id,
        month=previous_month(today),
        amount=4000,
    )
    newcomer = LaborerFactory(name="田小花")
    hire(users["county_officer"], newcomer, county=LIXIA, start=today - timedelta(days=3), enterprise_id=here.pk)
    return {"today": today}


def test_todo_counts_are_the_enterprises_own(users: dict[str, Any], desk: dict[str, Any]) -> None:
    todo = enterprise_todo(user=users["enterprise"])

    assert todo.interested_count == 2
    assert {c["name"] for c in todo.interested} == {"张三丰", "李四光"}
    assert (todo.interviews_upcoming, todo.interviews_to_record) == (1, 1)
    assert [c["name"] for c in todo.interviews] == ["钱七宝", "赵六顺"]  # the one whose result is due first
    assert todo.interviews[0]["past"] is True
    assert (todo.hired_count, [c["name"] for c in todo.hired]) == (1, ["吴九州"])
    assert todo.arrivals_to_confirm == DestinationNotice.objects.filter(status="sent").count() == 1
    assert (todo.wage_month, todo.wages_due) == (previous_month(desk["today"]), 1)  # 廖小勇 (田小花 started after)
    assert todo.staff == 3
    assert [j["title"] for j in todo.expiring] == ["电子厂操作工"]
    assert todo.expiring[0]["days_left"] == 5
    assert not todo.nothing_to_do


def test_home_page_is_the_todo_list(
    users: dict[str, Any], desk: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["enterprise"])
    with django_assert_max_num_queries(25):
        response = client.get("/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "今日待办" in page
    assert "数据概览" not in page
    for text in (
        "张三丰",
        "李四光",
        "赵六顺",
        "钱七宝",
        "电子厂操作工",
        "登记面试结果",
        "安排面试",
        "5 天",
        "吴九州",
        "报送上岗",
    ):
        assert text in page
    for absent in ("王五福", "孙八方", "周大福", "外企岗位", "仓库管理员", "已关闭岗位"):
        assert absent not in page
    month = previous_month(desk["today"])
    assert f"/employment/enterprise/payroll/?month={month:%Y-%m}" in page
    assert "/notices/input/?status=sent" in page


def test_an_empty_day_says_so(users: dict[str, Any]) -> None:
    page = client_for(users["enterprise"]).get("/").content.decode()
    assert "今天没有待办事项" in page


@pytest.mark.parametrize("who", ["county_officer", "province_admin"])
def test_staff_keep_their_statistics_home(users: dict[str, Any], who: str) -> None:
    page = client_for(users[who]).get("/").content.decode()
    assert "数据概览" in page
    assert "今日待办" not in page


def test_an_unbound_enterprise_user_gets_no_todo(users: dict[str, Any]) -> None:
    unbound = UserFactory(roles=["enterprise"], enterprise=None, home_region_id="370102000000")
    response = client_for(unbound).get("/")
    assert response.status_code == 200
    assert "今日待办" not in response.content.decode()


def test_anonymous_goes_to_login() -> None:
    response = client_for(None).get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_date_helper_sanity() -> None:
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
