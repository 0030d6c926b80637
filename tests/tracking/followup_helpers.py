"""Shared pieces of the follow-up tests: employment writes through the real services (so employment_changed
fires as in production), the work import, and clients."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.services import EmploymentData, employment_record_create, employment_record_end
from laborcoop.intake.models import ImportJob
from laborcoop.registry.models import Laborer
from tests.intake.helpers import run_file, write_xlsx

WORK_HEADERS = [
    "证件号码",
    "姓名",
    "是否已务工",
    "开始时间",
    "结束时间",
    "务工所在县",
    "务工月收入",
    "务工企业名称",
    "就业渠道",
]


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def hire(
    officer: Any,
    laborer: Laborer,
    *,
    start: date,
    end: date | None = None,
    county: str = "440306",
    employer: str = "深圳测试电子厂",
) -> EmploymentRecord:
    data = EmploymentData(
        start_date=start,
        end_date=end,
        end_reason=ec.EndReason.DISMISSED if end else "",
        work_county=county,
        employer_name=employer,
        monthly_wage=4500,
        channel=ec.Channel.MIGRANT,
    )
    return employment_record_create(acting_user=officer, laborer=laborer, data=data, confirm_warnings=True)


def end(officer: Any, record: EmploymentRecord, *, on: date, reason: str = ec.EndReason.DISMISSED) -> EmploymentRecord:
    record.refresh_from_db()
    return employment_record_end(
        acting_user=officer, record=record, end_date=on, end_reason=reason, expected_version=record.version
    )


def work_row(id_number: str, name: str, *, start: date, end: date | None = None, **extra: str) -> dict[str, str]:
    row = {
        "证件号码": id_number,
        "姓名": name,
        "是否已务工": "否" if end else "是",
        "开始时间": start.isoformat(),
        "结束时间": end.isoformat() if end else "",
        "务工所在县": "广东省深圳市宝安区",
        "务工月收入": "4500",
        "务工企业名称": "深圳测试电子厂",
        "就业渠道": "外出务工",
    }
    row.update(extra)
    return row


def import_work(user: Any, rows: list[dict[str, str]], tmp_path: Path, name: str = "已外出务工.xlsx") -> ImportJob:
    job = run_file(user, write_xlsx(tmp_path / name, rows, WORK_HEADERS), "work")
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    return job


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
