"""Employment pages: the list with filters, the section on the laborer page, add / edit / end forms."""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from tests.conftest import make_user
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def record(users: dict[str, Any]) -> EmploymentRecord:
    return EmploymentRecordFactory(laborer=LaborerFactory(name="向金花"), employer_name="泸溪县浦市蔬菜合作社")


def add_post(**kw: Any) -> dict[str, Any]:
    body = {
        "start_date": "2024-05-01",
        "work_county": "凤凰县",
        "employer_name": "凤凰古城旅游公司",
        "industry": "H",
        "monthly_wage": "3200",
        "channel": "外出务工",
        "point_to_point": "false",
    }
    body.update(kw)
    return body


# --- the list page: the scope matrix -----------------------------------------------------------------------


def test_list_anonymous_is_sent_to_login(record: EmploymentRecord) -> None:
    response = client_for(None).get(reverse("employment:record_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_list_wrong_role_is_forbidden(users: dict[str, Any], record: EmploymentRecord) -> None:
    response = client_for(users["enterprise"]).get(reverse("employment:record_list"))
    assert response.status_code == 403
    assert "向金花" not in response.content.decode()


def test_list_other_region_sees_nothing(users: dict[str, Any], record: EmploymentRecord) -> None:
    response = client_for(users["other_county_officer"]).get(reverse("employment:record_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "向金花" not in body
    assert "没有符合条件的就业记录" in body


@pytest.mark.parametrize("role", ["county_officer", "township_officer", "broker", "viewer", "prefecture_admin"])
def test_list_right_region_sees_the_record(users: dict[str, Any], record: EmploymentRecord, role: str) -> None:
    response = client_for(users[role]).get(reverse("employment:record_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "向金花" in body
    assert "泸溪县浦市蔬菜合作社" in body
    assert record.laborer.id_masked in body


def test_list_filters_and_pages(users: dict[str, Any], record: EmploymentRecord) -> None:
    EmploymentRecordFactory(
        laborer=LaborerFactory(name="田小梅"),
        start_date=date(2021, 1, 1),
        end_date=date(2021, 6, 30),
        end_reason="other",
    )
    client = client_for(users["county_officer"])
    ongoing = client.get(reverse("employment:record_list"), {"status": "ongoing"}).content.decode()
    assert "向金花" in ongoing
    assert "田小梅" not in ongoing
    ended = client.get(reverse("employment:record_list"), {"status": "ended"}).content.decode()
    assert "田小梅" in ended
    assert "向金花" not in ended
    assert "向金花" not in client.get(reverse("employment:record_list"), {"work_area": "03"}).content.decode()
    for i in range(20):
        EmploymentRecordFactory(laborer=LaborerFactory(household=HouseholdFactory(region_id="433122108201")))
    first = client.get(reverse("employment:record_list")).content.decode()
    assert "page=2" in first
    second = client.get(reverse("employment:record_list"), {"page": 2})
    assert second.status_code == 200
    assert "上一页" in second.content.decode()


def test_input_list_is_masked(users: dict[str, Any]) -> None:
    EmploymentRecordFactory(laborer=LaborerFactory(name="向金花"), work_region_id="370102000000")
    jinan = make_user("jinan_t", "370102000000", ["officer"])
    body = client_for(jinan).get(reverse("employment:input_list")).content.decode()
    assert "向**" in body
    assert "向金花" not in body
    assert client_for(users["broker"]).get(reverse("employment:input_list")).status_code == 403


# --- the laborer page --------------------------------------------------------------------------------------


def test_laborer_page_shows_the_section(users: dict[str, Any], record: EmploymentRecord) -> None:
    body = (
        client_for(users["county_officer"])
        .get(reverse("registry:laborer_detail", args=[record.laborer_id]))
        .content.decode()
    )
    assert 'id="employment-records"' in body
    # The section's forms carry the page's CSRF token (the inclusion tag passes it on).
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{32,}"', body.split('id="employment-records"')[1])
    assert "泸溪县浦市蔬菜合作社" in body
    assert "在岗" in body
    assert reverse("employment:record_end", args=[record.pk]) in body
    assert reverse("employment:record_create", args=[record.laborer_id]) in body
    viewer = (
        client_for(users["viewer"]).get(reverse("registry:laborer_detail", args=[record.laborer_id])).content.decode()
    )
    assert "泸溪县浦市蔬菜合作社" in viewer
    assert reverse("employment:record_create", args=[record.laborer_id]) not in viewer


def test_add_from_the_page(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    response = client_for(users["county_officer"]).post(
        reverse("employment:record_create", args=[laborer.pk]), add_post()
    )
    assert response.status_code == 302
    record = EmploymentRecord.objects.get(laborer=laborer)
    assert (record.work_area, record.monthly_wage, record.source, record.point_to_point) == (
        "02",
        3200,
        "officer",
        False,
    )
    laborer.refresh_from_db()
    assert laborer.employment_status == "employed"


def test_add_with_a_bad_wage_saves_nothing(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    response = client_for(users["county_officer"]).post(
        reverse("employment:record_create", args=[laborer.pk]), add_post(monthly_wage="50000")
    )
    assert response.status_code == 400
    assert v.WAGE_OUT_OF_RANGE in response.content.decode()
    assert EmploymentRecord.objects.count() == 0


def test_add_low_wage_asks_for_confirmation(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    client = client_for(users["county_officer"])
    url = reverse("employment:record_create", args=[laborer.pk])
    first = client.post(url, add_post(monthly_wage="300"))
    assert first.status_code == 400
    assert v.WAGE_LOW in first.content.decode()
    assert EmploymentRecord.objects.count() == 0
    assert client.post(url, add_post(monthly_wage="300", confirm_warnings="on")).status_code == 302
    assert EmploymentRecord.objects.get().warnings == {"monthly_wage": [v.WAGE_LOW]}


def test_add_out_of_scope_is_404_and_viewer_403(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    url = reverse("employment:record_create", args=[laborer.pk])
    assert client_for(users["other_county_officer"]).post(url, add_post()).status_code == 404
    assert client_for(users["viewer"]).post(url, add_post()).status_code == 403
    assert EmploymentRecord.objects.count() == 0


def test_end_from_the_page(users: dict[str, Any], record: EmploymentRecord) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:record_end", args=[record.pk])
    bad = client.post(url, {"end_date": "2024-02-01", "end_reason": "resigned", "version": 1})
    assert bad.status_code == 400
    assert v.END_BEFORE_START in bad.content.decode()
    response = client.post(url, {"end_date": "2024-08-31", "end_reason": "resigned", "version": 1})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.end_date, record.end_reason) == (date(2024, 8, 31), "resigned")
    stale = client.post(url, {"end_date": "2024-09-30", "end_reason": "resigned", "version": 1})
    assert stale.status_code == 409


def test_edit_page(users: dict[str, Any], record: EmploymentRecord) -> None:
    client = client_for(users["county_officer"])
    url = reverse("employment:record_edit", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="433122"' in page.content.decode()
    response = client.post(
        url, add_post(start_date="2024-03-01", work_county="433122", monthly_wage="3500", version="1")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.monthly_wage, record.version, record.work_area) == (3500, 2, "01")
    entry = AuditEntry.objects.get(object_type="employment.employmentrecord", object_id=str(record.pk))
    assert entry.changes["monthly_wage"] == [3000, 3500]
    assert client_for(users["other_county_officer"]).get(url).status_code == 404


def test_record_access_is_not_found_for_other_region(users: dict[str, Any], record: EmploymentRecord) -> None:
    from laborcoop.employment.access import access_employment_record

    with pytest.raises(ObjectNotFound):
        access_employment_record(user=users["other_county_officer"], record_id=record.pk)


def test_inline_add_form_passes_csrf(users: dict[str, Any]) -> None:
    """The add form on the laborer page works with CSRF enforced, as in a browser."""
    laborer = LaborerFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county_officer"])
    page = client.get(reverse("registry:laborer_detail", args=[laborer.pk])).content.decode()
    section = page.split('id="employment-add"')[1]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', section)
    assert match is not None
    url = reverse("employment:record_create", args=[laborer.pk])
    assert client.post(url, add_post()).status_code == 403  # no token
    assert client.post(url, add_post(csrfmiddlewaretoken=match.group(1))).status_code == 302
    assert EmploymentRecord.objects.filter(laborer=laborer).count() == 1
