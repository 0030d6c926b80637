"""The enterprise report page (企业报送): a tab per kind, Chinese messages, masked results, enterprise only."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.employment.enterprise_reports import PERSON_NOT_FOUND, REPORTER_NOT_ENTERPRISE
from laborcoop.employment.models import EmploymentRecord, WageMonth
from tests.employment.lines_helpers import Worker, jinan_enterprise, worker

pytestmark = pytest.mark.django_db

URL = reverse("employment:enterprise_report")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def newcomer() -> Worker:
    return worker(None, name="田小花")


def hire_post(p: Worker, **kw: str) -> dict[str, str]:
    body = {
        "kind": "hire",
        "id_number": p.id_number,
        "name": p.laborer.name,
        "start_date": "2024-06-01",
        "monthly_wage": "4200",
        "channel": "劳务协作输出",
        "point_to_point": "false",
    }
    body.update(kw)
    return body


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("county_officer", REPORTER_NOT_ENTERPRISE),  # may edit enterprises, but reports are the enterprise's
        ("province_admin", REPORTER_NOT_ENTERPRISE),
        ("viewer", "您的角色无权执行此操作。"),
    ],
)
def test_staff_get_403(users: dict[str, Any], who: str, message: str) -> None:
    response = client_for(users[who]).get(URL)
    assert response.status_code == 403
    assert message in response.content.decode()


def test_tabs_and_form(users: dict[str, Any]) -> None:
    body = client_for(users["enterprise"]).get(URL, {"kind": "leave"}).content.decode()
    assert "企业报送：济南测试制造有限公司" in body
    assert 'name="end_reason"' in body
    assert 'name="start_date"' not in body


def test_hire_then_named_success_message_with_masked_id(users: dict[str, Any], newcomer: Worker) -> None:
    client = client_for(users["enterprise"])
    response = client.post(URL, hire_post(newcomer))
    assert response.status_code == 302
    assert EmploymentRecord.objects.get().enterprise == jinan_enterprise(users)
    page = client.get(response["Location"]).content.decode()
    assert f"已报送入职：田小花（{newcomer.laborer.id_masked}）" in page  # now its staff: named
    assert newcomer.id_number not in page


def test_errors_are_shown_and_nothing_saved(users: dict[str, Any], newcomer: Worker) -> None:
    response = client_for(users["enterprise"]).post(URL, hire_post(newcomer, name="田大花"))
    assert response.status_code == 400
    assert PERSON_NOT_FOUND in response.content.decode()
    assert EmploymentRecord.objects.count() == 0


def test_warnings_need_the_checkbox(users: dict[str, Any], newcomer: Worker) -> None:
    client = client_for(users["enterprise"])
    body = hire_post(newcomer, point_to_point="")
    first = client.post(URL, body)
    assert first.status_code == 400
    assert "在岗人员应填写是否点对点输送" in first.content.decode()
    assert EmploymentRecord.objects.count() == 0
    second = client.post(URL, {**body, "confirm_warnings": "on"})
    assert second.status_code == 302
    assert EmploymentRecord.objects.count() == 1


def test_wage_tab(users: dict[str, Any]) -> None:
    w = worker(jinan_enterprise(users))
    client = client_for(users["enterprise"])
    body = {"kind": "wage", "id_number": w.id_number, "name": "向金花", "month": "2024-05", "amount": "3600"}
    response = client.post(URL, body)
    assert response.status_code == 302
    assert list(WageMonth.objects.values_list("month", "amount")) == [(date(2024, 5, 1), 3600)]
    again = client.get(client.post(URL, body)["Location"]).content.decode()
    assert "工资报送与已有记录一致，未做修改" in again
