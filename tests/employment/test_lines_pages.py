"""The 工资与社保 section of a record (htmx add / edit / delete) and the enterprise's 本月工资报送 page."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.models import AuditEntry
from laborcoop.employment import lines
from laborcoop.employment.lines import rules as r
from laborcoop.employment.lines.selectors import PAYROLL_ENTERPRISE_ONLY, enterprise_payroll_rows
from laborcoop.employment.models import InsuranceMonth, WageMonth
from tests.conftest import make_user
from tests.employment.lines_helpers import Worker, jinan_enterprise, other_enterprise, worker

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def w(users: dict[str, Any]) -> Worker:
    return worker(jinan_enterprise(users))


def lines_url(w: Worker) -> str:
    return reverse("employment:record_lines", args=[w.record.pk])


# --- the record's section: who sees what -------------------------------------------------------------------


def test_anonymous_is_sent_to_login(w: Worker) -> None:
    response = client_for(None).get(lines_url(w))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("hotline", 200, 403),  # reads the registry of the province, writes nothing
        ("other_county_officer", 404, 404),
        ("jinan_officer", 404, 404),  # the input region does not write the lines
        ("other_enterprise", 404, 404),
    ],
)
def test_scope(users: dict[str, Any], w: Worker, who: str, read: int, write: int) -> None:
    extra = {
        "jinan_officer": lambda: make_user("lixia_t", "370102000000", ["officer"]),
        "other_enterprise": lambda: make_user("qiye2_t", "440306000000", ["enterprise"], enterprise=other_enterprise()),
    }
    client = client_for(extra[who]() if who in extra else users[who])
    response = client.get(lines_url(w))
    assert response.status_code == read
    if read == 404:
        assert "向金花" not in response.content.decode()
    post = client.post(
        reverse("employment:record_wage_save", args=[w.record.pk]), {"month": "2024-05", "amount": "3000"}
    )
    assert post.status_code == write
    assert WageMonth.objects.count() == 0


def test_staff_sees_the_name_and_the_forms(users: dict[str, Any], w: Worker) -> None:
    WageMonth.objects.create(
        record=w.record, laborer=w.laborer, region_id=w.laborer.region_id, month=date(2024, 5, 1), amount=3200
    )
    body = client_for(users["county_officer"]).get(lines_url(w)).content.decode()
    assert "工资与社保：向金花" in body
    assert w.laborer.id_masked in body
    assert w.id_number not in body
    assert "3200 元" in body
    assert 'id="wage-form"' in body
    assert "删除工资" in body


def test_viewer_reads_without_forms(users: dict[str, Any], w: Worker) -> None:
    body = client_for(users["viewer"]).get(lines_url(w)).content.decode()
    assert "工资与社保：向金花" in body
    assert 'id="wage-form"' not in body


def test_enterprise_sees_its_worker_by_name_masked_id_and_no_delete(users: dict[str, Any], w: Worker) -> None:
    WageMonth.objects.create(
        record=w.record, laborer=w.laborer, region_id=w.laborer.region_id, month=date(2024, 5, 1), amount=3200
    )
    response = client_for(users["enterprise"]).get(lines_url(w))
    body = response.content.decode()
    assert response.status_code == 200
    assert "工资与社保：向金花" in body  # its own staff (an ongoing record there): named, the ID stays masked
    assert w.id_number not in body
    assert 'id="wage-form"' in body
    assert "删除工资" not in body


# --- htmx add / edit ----------------------------------------------------------------------------------------


def test_htmx_add_then_edit_a_wage(users: dict[str, Any], w: Worker) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:record_wage_save", args=[w.record.pk])
    response = client.post(url, {"month": "2024-05", "amount": "3200"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section class="card" id="lines-section">')
    assert "已保存 2024-05 的工资：3200 元。" in body
    edit = client.get(f"{lines_url(w)}?edit=2024-05", **HTMX).content.decode()
    assert 'value="3200"' in edit
    client.post(url, {"month": "2024-05", "amount": "3600"}, **HTMX)
    assert list(WageMonth.objects.values_list("month", "amount")) == [(date(2024, 5, 1), 3600)]
    assert AuditEntry.objects.filter(object_type="employment.wagemonth").count() == 2


def test_htmx_errors_come_back_in_the_section(users: dict[str, Any], w: Worker) -> None:
    url = reverse("employment:record_wage_save", args=[w.record.pk])
    response = client_for(users["county_officer"]).post(url, {"month": "2024-02", "amount": "50"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps 2xx only
    assert r.MONTH_BEFORE_START.format(month="2024-02", start="2024-03-01") in body
    assert WageMonth.objects.count() == 0


def test_plain_post_errors_are_400_with_the_page(users: dict[str, Any], w: Worker) -> None:
    url = reverse("employment:record_wage_save", args=[w.record.pk])
    response = client_for(users["county_officer"]).post(url, {"month": "2024-05", "amount": "50000"})
    assert response.status_code == 400
    assert r.AMOUNT_OUT_OF_RANGE in response.content.decode()


def test_low_wage_asks_for_confirmation(users: dict[str, Any], w: Worker) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:record_wage_save", args=[w.record.pk])
    body = client.post(url, {"month": "2024-05", "amount": "380"}, **HTMX).content.decode()
    assert r.AMOUNT_LOW in body
    assert "confirm_warnings" in body
    assert WageMonth.objects.count() == 0
    client.post(url, {"month": "2024-05", "amount": "380", "confirm_warnings": "on"}, **HTMX)
    assert WageMonth.objects.get().amount == 380


def test_insurance_form_and_delete(users: dict[str, Any], w: Worker) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:record_insurance_save", args=[w.record.pk])
    body = client.post(url, {"month": "2024-05", "insurance_types": ["城镇职工养老", "工伤"]}, **HTMX).content.decode()
    assert "城镇职工养老保险" in body
    assert InsuranceMonth.objects.count() == 2
    missing = client.post(url, {"month": "2024-05"}, **HTMX).content.decode()
    assert "请至少选择一个险种" in missing
    item = InsuranceMonth.objects.get(insurance_type="工伤")
    client.post(reverse("employment:insurance_delete", args=[item.pk]), **HTMX)
    assert list(InsuranceMonth.objects.values_list("insurance_type", flat=True)) == ["城镇职工养老"]


def test_enterprise_cannot_delete(users: dict[str, Any], w: Worker) -> None:
    wage = WageMonth.objects.create(
        record=w.record, laborer=w.laborer, region_id=w.laborer.region_id, month=date(2024, 5, 1), amount=3200
    )
    response = client_for(users["enterprise"]).post(reverse("employment:wage_delete", args=[wage.pk]))
    assert response.status_code == 403
    assert WageMonth.objects.count() == 1


# --- 本月工资报送 -------------------------------------------------------------------------------------------


def test_payroll_lists_the_month_s_workers_with_masked_ids(users: dict[str, Any], w: Worker) -> None:
    enterprise = jinan_enterprise(users)
    worker(enterprise, name="李四", start=date(2024, 6, 1))  # not yet hired in May
    worker(enterprise, name="王五", end=date(2024, 4, 30))  # gone before May
    worker(other_enterprise(), name="赵六")
    response = client_for(users["enterprise"]).get(reverse("employment:enterprise_payroll"), {"month": "2024-05"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "向金花" in body  # its own staff: named
    assert w.laborer.id_masked in body
    for hidden in ("李**", "王**", "赵**", "赵六", w.id_number):
        assert hidden not in body
    assert f'name="amount_{w.record.pk}"' in body


def test_payroll_query_count(users: dict[str, Any], django_assert_num_queries: Any) -> None:
    enterprise = jinan_enterprise(users)
    for name in ("甲一", "乙二", "丙三", "丁四"):
        worker(enterprise, name=name)
    with django_assert_num_queries(2):
        rows = enterprise_payroll_rows(user=users["enterprise"], month=date(2024, 5, 1))
    assert len(rows) == 4


def test_payroll_saves_in_one_transaction(users: dict[str, Any], w: Worker) -> None:
    second = worker(jinan_enterprise(users), name="李四")
    client = client_for(users["enterprise"])
    url = reverse("employment:enterprise_payroll")
    bad = client.post(url, {"month": "2024-05", f"amount_{w.record.pk}": "3000", f"amount_{second.record.pk}": "40000"})
    assert bad.status_code == 400
    assert r.AMOUNT_OUT_OF_RANGE in bad.content.decode()
    assert WageMonth.objects.count() == 0
    good = client.post(url, {"month": "2024-05", f"amount_{w.record.pk}": "3000", f"amount_{second.record.pk}": ""})
    assert good.status_code == 302
    assert list(WageMonth.objects.values_list("record_id", "amount", "source")) == [(w.record.pk, 3000, "enterprise")]
    page = client.get(good["Location"]).content.decode()
    assert "新增 1 人" in page
    assert 'value="3000"' in page


def test_payroll_saved_with_no_amount_says_so(users: dict[str, Any], w: Worker) -> None:
    """Regression: saving the payroll with every amount blank answered 500 (the service's ValidationError)."""
    url = reverse("employment:enterprise_payroll")
    response = client_for(users["enterprise"]).post(url, {"month": "2024-05", f"amount_{w.record.pk}": ""})
    assert response.status_code == 400
    assert lines.NOTHING_TO_SAVE in response.content.decode()
    assert WageMonth.objects.count() == 0


def test_payroll_low_wage_needs_the_checkbox(users: dict[str, Any], w: Worker) -> None:
    client = client_for(users["enterprise"])
    url = reverse("employment:enterprise_payroll")
    response = client.post(url, {"month": "2024-05", f"amount_{w.record.pk}": "300"})
    assert r.AMOUNT_LOW in response.content.decode()
    assert WageMonth.objects.count() == 0
    client.post(url, {"month": "2024-05", f"amount_{w.record.pk}": "300", "confirm_warnings": "on"})
    assert WageMonth.objects.get().amount == 300


@pytest.mark.parametrize("who", ["county_officer", "province_admin"])
def test_payroll_is_for_enterprise_users(users: dict[str, Any], who: str) -> None:
    response = client_for(users[who]).get(reverse("employment:enterprise_payroll"))
    assert response.status_code == 403
    assert PAYROLL_ENTERPRISE_ONLY in response.content.decode()


def test_payroll_defaults_to_this_month(users: dict[str, Any], w: Worker) -> None:
    body = client_for(users["enterprise"]).get(reverse("employment:enterprise_payroll")).content.decode()
    assert timezone.localdate().strftime("%Y-%m") in body
    assert "向金花" in body  # the record is ongoing
