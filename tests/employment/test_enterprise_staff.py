"""The enterprise's staff roster (员工名册) and whose names an enterprise sees (issue 13 item 1).

An enterprise sees by name the people it employs now (an ongoing record there) and the candidates who showed
interest in its jobs; everyone else stays masked (surname only); ID numbers stay masked for all of them."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.accounts.access import enterprise_named_ids, enterprise_named_q
from laborcoop.core.models import AuditEntry
from laborcoop.employment.enterprise_reports.records import END_BEFORE_START_HERE
from laborcoop.employment.enterprise_reports.staff import enterprise_staff_rows
from laborcoop.employment.models import EmploymentRecord
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.registry.choices import EmploymentStatus
from laborcoop.registry.models import Laborer
from tests.employment.lines_helpers import Worker, jinan_enterprise, other_enterprise, worker
from tests.factories import JobPostingFactory, UserFactory

pytestmark = pytest.mark.django_db

ROSTER = reverse("employment:enterprise_staff")


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Worker]:
    here = jinan_enterprise(users)
    elsewhere = other_enterprise()
    return {
        "staff": worker(here, name="韩梅梅"),
        "left": worker(here, name="廖小勇", start=date(2023, 3, 1), end=date(2024, 3, 31)),
        "other": worker(elsewhere, name="周大福"),
        "stranger": worker(None, name="吴有才"),
    }


def recommend(users: dict[str, Any], laborer: Laborer, state: str) -> Recommendation:
    job = JobPostingFactory(enterprise=jinan_enterprise(users), title="电子厂操作工")
    return Recommendation.objects.create(job=job, laborer=laborer, region_id=laborer.region_id, score=50, state=state)


# --- the access layer's rule ---------------------------------------------------------------------------------


def test_enterprise_sees_its_staff_by_name_and_nobody_else(users: dict[str, Any], people: dict[str, Worker]) -> None:
    ids = {key: p.laborer.pk for key, p in people.items()}

    named = enterprise_named_ids(users["enterprise"], ids.values())

    assert named == {ids["staff"]}
    assert set(Laborer.objects.filter(enterprise_named_q(users["enterprise"], laborer_field="pk"))) == {
        people["staff"].laborer
    }


@pytest.mark.parametrize(
    ("state", "named"),
    [
        (RecState.RECOMMENDED, False),
        (RecState.NOTIFIED, False),
        (RecState.DECLINED, False),
        (RecState.INTERESTED, True),
        (RecState.INTERVIEW, True),
        (RecState.HIRED, True),
    ],
)
def test_candidates_are_named_once_they_showed_interest(
    users: dict[str, Any], people: dict[str, Worker], state: str, named: bool
) -> None:
    stranger = people["stranger"].laborer
    recommend(users, stranger, state)

    assert (stranger.pk in enterprise_named_ids(users["enterprise"], [stranger.pk])) is named


@pytest.mark.parametrize("who", [None, "county_officer", "province_admin", "hotline", "other_enterprise"])
def test_nobody_else_gets_names_by_this_rule(users: dict[str, Any], people: dict[str, Worker], who: str | None) -> None:
    if who == "other_enterprise":
        user: Any = UserFactory(roles=["enterprise"], enterprise=other_enterprise())
    else:
        user = users[who] if who else None
    laborer = people["staff"].laborer

    assert enterprise_named_ids(user, [laborer.pk]) == set()
    assert not Laborer.objects.filter(enterprise_named_q(user, laborer_field="pk")).exists()


def test_an_unbound_enterprise_user_sees_no_names(people: dict[str, Worker]) -> None:
    unbound = UserFactory(roles=["enterprise"], enterprise=None)
    assert enterprise_named_ids(unbound, [people["staff"].laborer.pk]) == set()


# --- the roster --------------------------------------------------------------------------------------------------


def test_roster_lists_the_staff_by_name_with_masked_ids(
    users: dict[str, Any], people: dict[str, Worker], django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["enterprise"])
    with django_assert_max_num_queries(8):
        response = client.get(ROSTER)

    page = response.content.decode()
    assert response.status_code == 200
    assert "韩梅梅" in page
    assert people["staff"].laborer.id_masked in page
    assert people["staff"].id_number not in page
    for absent in ("廖小勇", "廖**", "周大福", "吴有才"):
        assert absent not in page
    record = people["staff"].record.pk
    assert reverse("employment:enterprise_staff_leave", args=[record]) in page
    assert reverse("employment:record_lines", args=[record]) in page


def test_roster_search_by_name(users: dict[str, Any], people: dict[str, Worker]) -> None:
    worker(jinan_enterprise(users), name="陈建国")
    page = client_for(users["enterprise"]).get(ROSTER, {"q": "建国"}).content.decode()
    assert "陈建国" in page
    assert "韩梅梅" not in page


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("county_officer", 403), ("hotline", 403)])
def test_roster_is_for_enterprise_users(
    users: dict[str, Any], people: dict[str, Worker], who: Any, status: int
) -> None:
    response = client_for(users[who] if who else None).get(ROSTER)
    assert response.status_code == status
    assert "韩梅梅" not in response.content.decode()


def test_payroll_names_the_staff_but_not_who_left(users: dict[str, Any], people: dict[str, Worker]) -> None:
    page = client_for(users["enterprise"]).get(reverse("employment:enterprise_payroll"), {"month": "2024-03"})
    text = page.content.decode()
    assert "韩梅梅" in text
    assert "廖**" in text  # worked there in March 2024, but left: masked again
    assert "廖小勇" not in text


# --- report leaving from the roster ------------------------------------------------------------------------------


def leave_url(p: Worker) -> str:
    return reverse("employment:enterprise_staff_leave", args=[p.record.pk])


def test_report_leaving_ends_the_record(users: dict[str, Any], people: dict[str, Worker]) -> None:
    staff = people["staff"]
    client = client_for(users["enterprise"])

    form = client.get(leave_url(staff)).content.decode()
    response = client.post(leave_url(staff), {"end_date": "2024-06-30", "end_reason": "resigned"})

    assert "报送离职：韩梅梅" in form
    assert response.status_code == 302
    record = EmploymentRecord.objects.get(pk=staff.record.pk)
    assert (record.end_date, record.end_reason) == (date(2024, 6, 30), "resigned")
    assert Laborer.objects.get(pk=staff.laborer.pk).employment_status == EmploymentStatus.UNEMPLOYED
    audit = AuditEntry.objects.filter(object_id=str(record.pk), reason="企业报送离职")
    assert audit.get().actor == users["enterprise"]
    roster = client.get(response["Location"]).content.decode()
    assert "已报送离职：韩梅梅，2024-06-30（本人辞职）" in roster
    assert f'id="staff-{record.pk}"' not in roster  # off the roster


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ({"end_date": "2024-06-30", "end_reason": ""}, "请选择离职原因"),
        ({"end_date": "", "end_reason": "resigned"}, "请填写离职日期"),
        ({"end_date": "30/06/2024x", "end_reason": "resigned"}, "请填写正确的离职日期，如 2026-12-01"),
        ({"end_date": "2024-06-30", "end_reason": "fired"}, "请从列表中选择离职原因"),
        ({"end_date": "2024-02-01", "end_reason": "resigned"}, END_BEFORE_START_HERE.format(start="2024-03-01")),
    ],
)
def test_bad_leaving_input_saves_nothing(
    users: dict[str, Any], people: dict[str, Worker], body: dict[str, str], field_message: str
) -> None:
    staff = people["staff"]

    response = client_for(users["enterprise"]).post(leave_url(staff), body)

    assert response.status_code == 400
    assert field_message in response.content.decode()
    record = EmploymentRecord.objects.get(pk=staff.record.pk)
    assert (record.end_date, record.end_reason) == (None, "")
    assert not AuditEntry.objects.filter(reason="企业报送离职").exists()


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        (None, "staff", 302),
        ("county_officer", "staff", 403),
        ("enterprise", "other", 404),  # another enterprise's worker
        ("enterprise", "left", 404),  # no longer on the roster
        ("other_enterprise", "staff", 404),
    ],
)
def test_leaving_matrix(users: dict[str, Any], people: dict[str, Worker], who: Any, target: str, status: int) -> None:
    if who == "other_enterprise":
        user: Any = UserFactory(roles=["enterprise"], enterprise=other_enterprise())
    else:
        user = users[who] if who else None
    p = people[target]

    response = client_for(user).post(leave_url(p), {"end_date": "2024-06-30", "end_reason": "resigned"})

    assert response.status_code == status
    assert EmploymentRecord.objects.get(pk=p.record.pk).end_date == p.record.end_date


def test_a_wage_is_due_only_from_who_worked_last_month(users: dict[str, Any], people: dict[str, Worker]) -> None:
    today = timezone.localdate()
    worker(jinan_enterprise(users), name="陈新来", start=today.replace(day=1))

    rows = {r["name"]: r for r in enterprise_staff_rows(user=users["enterprise"], today=today)}
    page = client_for(users["enterprise"]).get(ROSTER).content.decode()

    assert (rows["韩梅梅"]["wage_due"], rows["陈新来"]["wage_due"]) == (True, False)
    assert "其中 1 人" in page
