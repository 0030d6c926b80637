"""Export fixtures: laborers and households in two villages of 泸溪县 (the county officer's) and one in 凤凰县
(the other county's), enterprises and jobs on both sides, and helpers that read the exported files back."""

import csv
import io
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client

from laborcoop.employers import choices as ec
from laborcoop.registry import choices as rc
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number

HEITANG = "433122107201"  # 泸溪县/武溪镇/黑塘村
HUANGJIAQIAO = "433122108201"  # 泸溪县/浦市镇/黄家桥村
MIANZHAI = "433123109201"  # 凤凰县/沱江镇/棉寨村


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response: HttpResponse | StreamingHttpResponse) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    if hasattr(response, "streaming_content"):  # FileResponse
        return b"".join(response.streaming_content)
    return response.content


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "csv must start with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> dict[str, list[list[Any]]]:
    """Sheet name -> rows (values; trailing empty cells kept as None)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def table(data: bytes, fmt: str) -> list[list[Any]]:
    """Header + rows of a one-sheet list export, cells as text ('' for empty)."""
    if fmt == "csv":
        return read_csv(data)
    sheets = read_xlsx(data)
    assert len(sheets) == 1
    rows = next(iter(sheets.values()))
    return [["" if v is None else str(v) for v in row] for row in rows]


def person(region: str, name: str, phone: str, **extra: Any) -> Any:
    household = extra.pop("household", None) or HouseholdFactory(
        region_id=region, household_no=f"{region}{LaborerFactory._meta.model.objects.count():06d}"
    )
    id_number = fresh_id_number(county=region[:6])
    laborer = LaborerFactory(
        household=household, name=name, id_number=id_number, phone=phone, phone_last4=phone[-4:], **extra
    )
    laborer.clear_id = id_number
    return laborer


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    a = person(HEITANG, "向金花", "13712340001", employment_status=rc.EmploymentStatus.EMPLOYED, work_area="03")
    b = person(
        HEITANG,
        "向银生",
        "13712340002",
        household=a.household,
        relation=rc.Relation.SPOUSE,
        labor_skill=rc.LaborSkill.SKILLED,
        training_needs=[rc.TrainingNeed.WELDER, rc.TrainingNeed.DRIVER],
    )
    c = person(HUANGJIAQIAO, "符秋菊", "13712340003", employer_name="浦市镇扶贫车间", employment_status="employed")
    old = person(
        HUANGJIAQIAO,
        "符老汉",
        "13712340004",
        labor_skill=rc.LaborSkill.LOST,
        relation=rc.Relation.FATHER,
        household=c.household,
        employment_status=rc.EmploymentStatus.NOT_IN_LABOR_FORCE,
    )
    other = person(MIANZHAI, "龙凤英", "13712340009", employment_status=rc.EmploymentStatus.EMPLOYED, work_area="02")
    return {"a": a, "b": b, "c": c, "old": old, "other": other}


@pytest.fixture
def firms(users: dict[str, Any]) -> dict[str, Any]:
    luxi = EnterpriseFactory(
        name="泸溪白沙制衣有限公司", region_id="433122107000", contact_phone="13907430001", is_assist_workshop=True
    )
    fenghuang = EnterpriseFactory(name="凤凰沱江食品有限公司", region_id="433123000000", contact_phone="13907430009")
    today = date.today()
    sew = JobPostingFactory(
        enterprise=luxi, title="缝纫工", openings=20, wage_min=3500, wage_max=5000, work_region_id="440306000000"
    )
    pack = JobPostingFactory(enterprise=luxi, title="包装工", openings=5, wage_min=3000, wage_max=4000)
    closed = JobPostingFactory(enterprise=luxi, title="已招满岗位", status=ec.JobStatus.CLOSED)
    expired = JobPostingFactory(
        enterprise=luxi, title="过期岗位", valid_from=today - timedelta(days=90), valid_until=today - timedelta(days=1)
    )
    cook = JobPostingFactory(enterprise=fenghuang, title="面点师")
    return {
        "luxi": luxi,
        "fenghuang": fenghuang,
        "sew": sew,
        "pack": pack,
        "closed": closed,
        "expired": expired,
        "cook": cook,
    }


@pytest.fixture
def unmasker(users: dict[str, Any]) -> Any:
    officer = users["county_officer"]
    officer.can_unmask_id = True
    officer.save(update_fields=["can_unmask_id"])
    return officer


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Background jobs are enqueued on commit; the test settings run them at once (ImmediateBackend)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
