"""POST /api/v1/enterprise-reports/{hires,wages,insurance,leavings}/ and the record's wage/insurance API:
201 / 400 (Chinese messages per item, nothing saved) / 401 / 403 / 404, masked identity only."""

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.employment.enterprise_reports import PERSON_NOT_FOUND, REPORTER_NOT_ENTERPRISE
from laborcoop.employment.lines import rules as r
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from tests.api.conftest import NOT_FOUND_BODY, token_client
from tests.employment.lines_helpers import Worker, jinan_enterprise, worker

pytestmark = pytest.mark.django_db

HIRES = reverse("api:enterprise_report_hires")
WAGES = reverse("api:enterprise_report_wages")
INSURANCE = reverse("api:enterprise_report_insurance")
LEAVINGS = reverse("api:enterprise_report_leavings")


@pytest.fixture
def newcomer() -> Worker:
    return worker(None, name="田小花")


@pytest.fixture
def w(users: dict[str, Any]) -> Worker:
    return worker(jinan_enterprise(users))


def hire_item(p: Worker, **kw: Any) -> dict[str, Any]:
    item = {
        "id_number": p.id_number,
        "name": p.laborer.name,
        "start_date": "2024-06-01",
        "monthly_wage": 4200,
        "channel": "劳务协作输出",
        "point_to_point": True,
        "insurance_types": ["企业职工基本养老保险", "工伤"],
    }
    item.update(kw)
    return item


def test_hire_201_with_masked_result(users: dict[str, Any], newcomer: Worker) -> None:
    response = token_client(users["enterprise"]).post(HIRES, {"items": [hire_item(newcomer)]}, format="json")
    assert response.status_code == 201, response.content
    record = EmploymentRecord.objects.get()
    assert response.json() == {
        "results": [
            {
                "kind": "hire",
                "action": "created",
                "record_id": record.pk,
                "masked_name": "田**",
                "id_masked": newcomer.laborer.id_masked,
                "warnings": {},
            }
        ]
    }
    assert record.insurance_types == ["城镇职工养老", "工伤"]
    assert newcomer.id_number not in response.content.decode()
    again = token_client(users["enterprise"]).post(HIRES, {"items": [hire_item(newcomer)]}, format="json")
    assert (again.status_code, again.json()["results"][0]["action"]) == (201, "unchanged")


def test_400_lists_errors_per_item_and_saves_nothing(users: dict[str, Any], newcomer: Worker) -> None:
    stranger = worker(None, name="赵六")
    items = [
        hire_item(newcomer),
        hire_item(stranger, name="赵七"),
        hire_item(newcomer, start_date="2024-13-01", insurance_types=["商业保险"]),
    ]
    response = token_client(users["enterprise"]).post(HIRES, {"items": items}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "items": {
            "2": {
                "start_date": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"],
                "insurance_types": [r.INSURANCE_TYPE_UNKNOWN.format(value="商业保险")],
            }
        }
    }
    response = token_client(users["enterprise"]).post(HIRES, {"items": items[:2]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": {"1": {"id_number": [PERSON_NOT_FOUND]}}}  # item 0 was fine, not saved
    assert EmploymentRecord.objects.count() == 0


def test_400_for_an_empty_batch(users: dict[str, Any]) -> None:
    response = token_client(users["enterprise"]).post(WAGES, {"items": []}, format="json")
    assert response.status_code == 400
    assert "items" in response.json()


def test_wages_insurance_and_leaving(users: dict[str, Any], w: Worker) -> None:
    api = token_client(users["enterprise"])
    person = {"id_number": w.id_number, "name": "向金花"}
    wage = api.post(WAGES, {"items": [{**person, "month": "2024-05", "amount": 380}]}, format="json")
    assert wage.status_code == 201
    assert wage.json()["results"][0]["warnings"] == {"amount": [r.AMOUNT_LOW]}  # accepted, returned
    bad_month = api.post(WAGES, {"items": [{**person, "month": "2024-02", "amount": 3000}]}, format="json")
    assert bad_month.json() == {
        "items": {"0": {"month": [r.MONTH_BEFORE_START.format(month="2024-02", start="2024-03-01")]}}
    }
    ins = api.post(
        INSURANCE, {"items": [{**person, "month": "2024-05", "insurance_types": ["失业保险"]}]}, format="json"
    )
    assert ins.status_code == 201
    leave = api.post(
        LEAVINGS, {"items": [{**person, "end_date": "2024-09-30", "end_reason": "本人辞职"}]}, format="json"
    )
    assert leave.status_code == 201
    w.record.refresh_from_db()
    assert (w.record.end_date, w.record.end_reason) == (date(2024, 9, 30), "resigned")
    assert list(WageMonth.objects.values_list("amount", flat=True)) == [380]
    assert list(InsuranceMonth.objects.values_list("insurance_type", flat=True)) == ["失业"]


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("county_officer", 403), ("province_admin", 403)])
def test_denied(users: dict[str, Any], newcomer: Worker, who: str | None, status: int) -> None:
    response = token_client(users[who] if who else None).post(HIRES, {"items": [hire_item(newcomer)]}, format="json")
    assert response.status_code == status
    if status == 403:
        assert response.json() == {"detail": REPORTER_NOT_ENTERPRISE}
    assert EmploymentRecord.objects.count() == 0


# --- the record's wage and insurance API ------------------------------------------------------------------


def test_record_wages_api(users: dict[str, Any], w: Worker) -> None:
    api = token_client(users["county_officer"])
    url = reverse("api:record_wages", args=[w.record.pk])
    created = api.post(url, {"month": "2024-05", "amount": 3200}, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["month"], created.json()["amount"], created.json()["source"]) == ("2024-05", 3200, "officer")
    updated = api.post(url, {"month": "2024-05", "amount": 3300}, format="json")
    assert (updated.status_code, updated.json()["amount"]) == (200, 3300)
    bad = api.post(url, {"month": "2024-05", "amount": 31000}, format="json")
    assert (bad.status_code, bad.json()) == (400, {"amount": [r.AMOUNT_OUT_OF_RANGE]})
    malformed = api.post(url, {"month": "五月", "amount": 3000}, format="json")
    assert malformed.status_code == 400
    assert malformed.json()["month"] == ["请输入月份，如 2025-05"]
    listed = api.get(url).json()
    assert [(x["month"], x["amount"]) for x in listed] == [("2024-05", 3300)]


def test_record_insurance_api(users: dict[str, Any], w: Worker) -> None:
    api = token_client(users["enterprise"])
    url = reverse("api:record_insurance", args=[w.record.pk])
    body = {"month": "2024-05", "insurance_types": ["城镇职工养老", "职工医疗"]}
    first = api.post(url, body, format="json")
    assert first.status_code == 201
    assert sorted(x["insurance_type"] for x in first.json()) == ["城镇职工养老", "职工医疗"]
    assert api.post(url, body, format="json").status_code == 200
    future = api.post(url, {"month": "2099-01", "insurance_types": ["工伤"]}, format="json")
    assert (future.status_code, future.json()) == (400, {"month": [r.MONTH_IN_FUTURE.format(month="2099-01")]})
    assert InsuranceMonth.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [(None, 401, 401), ("other_county_officer", 404, 404), ("hotline", 200, 403), ("viewer", 200, 403)],
)
def test_record_lines_api_scope(users: dict[str, Any], w: Worker, who: str | None, read: int, write: int) -> None:
    api = token_client(users[who] if who else None)
    url = reverse("api:record_wages", args=[w.record.pk])
    response = api.get(url)
    assert response.status_code == read
    if read == 404:
        assert response.json() == NOT_FOUND_BODY
    assert api.post(url, {"month": "2024-05", "amount": 3000}, format="json").status_code == write
    assert WageMonth.objects.count() == 0


def test_schema_documents_the_report_endpoints(client: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    paths = json.loads(out.getvalue())["paths"]
    for path in ("/api/v1/enterprise-reports/hires/", "/api/v1/enterprise-reports/leavings/"):
        post = paths[path]["post"]
        assert post["tags"] == ["企业报送"]
        assert set(post["responses"]) == {"201", "400", "401", "403", "415"}
    assert "/api/v1/employment-records/{id}/wages/" in paths
