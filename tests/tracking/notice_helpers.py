"""Shared pieces of the destination notice and reconciliation tests: the input side's users and hires made
through the employment services (so that employment_changed fires as in production)."""

from datetime import date
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from laborcoop.accounts.models import User
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.services import EmploymentData, employment_record_create
from laborcoop.registry.models import Laborer
from tests.conftest import make_user

LIXIA = "370102000000"  # 济南市历下区: the input side of most tests
BAOAN = "440306000000"  # 深圳市宝安区: another input side
FENGHUANG = "433123000000"  # 凤凰县: 省内县外 for a 泸溪县 laborer


def input_users(users: dict[str, User]) -> dict[str, User]:
    """Officers of the input side and around it, next to the conftest users."""
    return {
        **users,
        "lixia_officer": make_user("lixia_t", LIXIA, ["officer"]),
        "lixia_viewer": make_user("lixia_viewer_t", LIXIA, ["viewer"]),
        "shandong_officer": make_user("shandong_t", "370000000000", ["officer"]),
        "baoan_officer": make_user("baoan_t", BAOAN, ["officer"]),
    }


def hire(
    officer: Any,
    laborer: Laborer,
    *,
    county: str = LIXIA,
    start: date = date(2025, 3, 1),
    end: date | None = None,
    enterprise_id: int | None = None,
    employer_name: str = "济南测试制造有限公司",
) -> EmploymentRecord:
    data = EmploymentData(
        start_date=start,
        end_date=end,
        end_reason=ec.EndReason.values[0] if end else "",
        work_county=county,
        employer_name=employer_name,
        enterprise_id=enterprise_id,
        monthly_wage=4500,
        channel=ec.Channel.LABOR_COOPERATION,
    )
    return employment_record_create(acting_user=officer, laborer=laborer, data=data, confirm_warnings=True)


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
