"""job_create / job_update / job_set_status: validation, scope, roles, optimistic version, audit."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employers import choices as ec
from laborcoop.employers import services as s
from laborcoop.employers.models import Enterprise, JobPosting
from tests.employers.conftest import job_data

pytestmark = pytest.mark.django_db

TODAY = date.today()


def audit_rows(job: JobPosting) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="employers.jobposting", object_id=str(job.pk)).order_by("id"))


# --- create -----------------------------------------------------------------------------------------------


def test_officer_posts_a_job_in_a_partner_province(users: dict[str, Any], luxi: Enterprise) -> None:
    officer = users["county_officer"]

    job = s.job_create(acting_user=officer, enterprise=luxi, data=job_data())

    job.refresh_from_db()
    assert job.enterprise == luxi
    assert job.region_id == "433122107000"
    assert job.work_region_id == "440306000000"
    assert (job.title, job.occupation, job.openings) == ("电子装配工", "普工", 20)
    assert (job.wage_min, job.wage_max, job.age_min, job.age_max) == (4500, 6500, 18, 50)
    assert job.education_min == "初中"
    assert job.provides_accommodation is True
    assert job.status == ec.JobStatus.OPEN
    assert job.version == 1
    [entry] = audit_rows(job)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == officer
    assert entry.region_code == "433122107000"
    assert entry.changes["title"] == [None, "电子装配工"]
    assert entry.changes["work_region"] == [None, "440306000000"]
    assert entry.changes["status"] == [None, "open"]


def test_job_region_is_copied_from_the_enterprise_never_from_input(users: dict[str, Any], luxi: Enterprise) -> None:
    data = job_data(region="433123000000", region_id="433123000000", region_code="433123000000")

    job = s.job_create(acting_user=users["county_officer"], enterprise=luxi, data=data)

    assert job.region_id == luxi.region_id == "433122107000"


def test_missing_ages_take_the_defaults(users: dict[str, Any], luxi: Enterprise) -> None:
    job = s.job_create(acting_user=users["county_officer"], enterprise=luxi, data=job_data(age_min=None, age_max=None))

    assert (job.age_min, job.age_max) == (16, 60)


@pytest.mark.parametrize(
    "over",
    [
        {"age_min": 16, "age_max": 70},
        {"age_min": 30, "age_max": 30},
        {"wage_min": 1, "wage_max": 100000},
        {"wage_min": 5000, "wage_max": 5000},
        {"openings": 1},
        {"valid_from": TODAY, "valid_until": TODAY},
        {"work_region_code": "433122108201"},
        {"work_region_code": "370102"},
        {"sex_requirement": "2", "education_min": ""},
    ],
)
def test_boundary_values_are_accepted(users: dict[str, Any], luxi: Enterprise, over: dict[str, Any]) -> None:
    job = s.job_create(acting_user=users["county_officer"], enterprise=luxi, data=job_data(**over))

    assert job.pk is not None


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"title": " "}, "title", s.TITLE_REQUIRED),
        ({"occupation": ""}, "occupation", s.OCCUPATION_REQUIRED),
        ({"openings": None}, "openings", s.OPENINGS_REQUIRED),
        ({"openings": 0}, "openings", s.OPENINGS_TOO_FEW),
        ({"openings": -3}, "openings", s.OPENINGS_TOO_FEW),
        ({"wage_min": None}, "wage_min", s.WAGE_REQUIRED),
        ({"wage_max": None}, "wage_max", s.WAGE_REQUIRED),
        ({"wage_min": 0}, "wage_min", s.WAGE_NOT_POSITIVE),
        ({"wage_min": 7000, "wage_max": 6000}, "wage_min", s.WAGE_RANGE),
        ({"wage_max": 100001}, "wage_max", s.WAGE_TOO_HIGH),
        ({"age_min": 15}, "age_min", s.AGE_TOO_LOW),
        ({"age_max": 71}, "age_max", s.AGE_TOO_HIGH),
        ({"age_min": 45, "age_max": 40}, "age_min", s.AGE_RANGE),
        ({"valid_from": None}, "valid_from", s.VALIDITY_REQUIRED),
        ({"valid_until": None}, "valid_until", s.VALIDITY_REQUIRED),
        ({"valid_from": TODAY, "valid_until": TODAY - timedelta(days=1)}, "valid_until", s.VALIDITY_RANGE),
        ({"work_region_code": ""}, "work_region_code", s.REGION_REQUIRED),
        ({"work_region_code": "440306999999"}, "work_region_code", s.REGION_UNKNOWN),
        ({"work_region_code": "440300000000"}, "work_region_code", s.REGION_TOO_HIGH),
        ({"work_region_code": "440000000000"}, "work_region_code", s.REGION_TOO_HIGH),
        ({"sex_requirement": "3"}, "sex_requirement", s.SEX_REQUIREMENT_INVALID),
        ({"education_min": "博士"}, "education_min", s.EDUCATION_INVALID),
    ],
)
def test_create_rejects_invalid_input_and_saves_nothing(
    users: dict[str, Any], luxi: Enterprise, over: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        s.job_create(acting_user=users["county_officer"], enterprise=luxi, data=job_data(**over))

    assert exc.value.message_dict == {field: [message]}
    assert JobPosting.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_enterprise_user_posts_for_own_enterprise(users: dict[str, Any], jinan: Enterprise) -> None:
    job = s.job_create(acting_user=users["enterprise"], enterprise=jinan, data=job_data(work_region_code="370102"))

    assert job.enterprise == jinan
    assert job.region_id == "370102000000"
    assert audit_rows(job)[0].actor == users["enterprise"]


@pytest.mark.parametrize(("role", "error"), [("enterprise", ObjectNotFound), ("other_county_officer", ObjectNotFound)])
def test_posting_for_an_enterprise_out_of_scope_is_not_found(
    users: dict[str, Any], luxi: Enterprise, role: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        s.job_create(acting_user=users[role], enterprise=luxi, data=job_data())

    assert JobPosting.objects.count() == 0


@pytest.mark.parametrize("role", ["viewer", "broker", "hotline"])
def test_roles_without_jobs_edit_cannot_post(users: dict[str, Any], luxi: Enterprise, role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        s.job_create(acting_user=users[role], enterprise=luxi, data=job_data())

    assert JobPosting.objects.count() == 0


# --- update -----------------------------------------------------------------------------------------------


def test_update_writes_old_and_new_and_bumps_the_version(users: dict[str, Any], luxi_job: JobPosting) -> None:
    officer = users["county_officer"]

    saved = s.job_update(
        acting_user=officer,
        job=luxi_job,
        data=job_data(title="缝纫工", occupation="缝纫工", openings=15, wage_min=4000, wage_max=6000),
        expected_version=1,
    )

    luxi_job.refresh_from_db()
    assert luxi_job.openings == 15
    assert luxi_job.version == 2 == saved.version
    [entry] = audit_rows(luxi_job)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["openings"] == [10, 15]
    assert entry.changes["age_min"] == [16, 18]
    assert "title" not in entry.changes
    assert "status" not in entry.changes


def test_update_keeps_enterprise_region_and_status(users: dict[str, Any], luxi_job: JobPosting) -> None:
    luxi_job.status = ec.JobStatus.PAUSED
    luxi_job.save()

    s.job_update(
        acting_user=users["county_officer"],
        job=luxi_job,
        data=job_data(region_code="433123000000", status="open", enterprise=999),
        expected_version=1,
    )

    luxi_job.refresh_from_db()
    assert luxi_job.region_id == "433122107000"
    assert luxi_job.status == ec.JobStatus.PAUSED
    assert luxi_job.enterprise.name == "泸溪白沙制衣有限公司"


def test_update_rejects_invalid_input_and_changes_nothing(users: dict[str, Any], luxi_job: JobPosting) -> None:
    with pytest.raises(ValidationError) as exc:
        s.job_update(
            acting_user=users["county_officer"], job=luxi_job, data=job_data(wage_max=200000), expected_version=1
        )

    assert exc.value.message_dict == {"wage_max": [s.WAGE_TOO_HIGH]}
    luxi_job.refresh_from_db()
    assert (luxi_job.wage_max, luxi_job.version) == (6000, 1)
    assert audit_rows(luxi_job) == []


def test_stale_version_is_a_conflict(users: dict[str, Any], luxi_job: JobPosting) -> None:
    with pytest.raises(ConflictError):
        s.job_update(acting_user=users["county_officer"], job=luxi_job, data=job_data(), expected_version=2)

    luxi_job.refresh_from_db()
    assert (luxi_job.title, luxi_job.version) == ("缝纫工", 1)
    assert audit_rows(luxi_job) == []


@pytest.mark.parametrize("role", ["enterprise", "other_county_officer"])
def test_update_out_of_scope_is_not_found(users: dict[str, Any], luxi_job: JobPosting, role: str) -> None:
    with pytest.raises(ObjectNotFound):
        s.job_update(acting_user=users[role], job=luxi_job, data=job_data(), expected_version=1)

    luxi_job.refresh_from_db()
    assert luxi_job.title == "缝纫工"


def test_enterprise_user_updates_own_job(users: dict[str, Any], jinan_job: JobPosting) -> None:
    s.job_update(acting_user=users["enterprise"], job=jinan_job, data=job_data(openings=3), expected_version=1)

    jinan_job.refresh_from_db()
    assert jinan_job.openings == 3


# --- status -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target"),
    [("open", "paused"), ("open", "closed"), ("paused", "open"), ("closed", "open"), ("paused", "closed")],
)
def test_status_changes_are_audited(users: dict[str, Any], luxi_job: JobPosting, start: str, target: str) -> None:
    JobPosting.objects.filter(pk=luxi_job.pk).update(status=start)

    s.job_set_status(acting_user=users["county_officer"], job=luxi_job, status=target, expected_version=1)

    luxi_job.refresh_from_db()
    assert (luxi_job.status, luxi_job.version) == (target, 2)
    [entry] = audit_rows(luxi_job)
    assert entry.changes == {"status": [start, target]}
    assert entry.actor == users["county_officer"]


def test_setting_the_same_status_changes_nothing(users: dict[str, Any], luxi_job: JobPosting) -> None:
    s.job_set_status(acting_user=users["county_officer"], job=luxi_job, status="open")

    luxi_job.refresh_from_db()
    assert luxi_job.version == 1
    assert audit_rows(luxi_job) == []


def test_unknown_status_is_rejected(users: dict[str, Any], luxi_job: JobPosting) -> None:
    with pytest.raises(ValidationError) as exc:
        s.job_set_status(acting_user=users["county_officer"], job=luxi_job, status="deleted")

    assert exc.value.message_dict == {"status": [s.STATUS_INVALID]}


def test_status_change_on_a_stale_page_is_a_conflict(users: dict[str, Any], luxi_job: JobPosting) -> None:
    with pytest.raises(ConflictError):
        s.job_set_status(acting_user=users["county_officer"], job=luxi_job, status="closed", expected_version=5)

    luxi_job.refresh_from_db()
    assert luxi_job.status == "open"


@pytest.mark.parametrize(("role", "error"), [("enterprise", ObjectNotFound), ("viewer", PermissionDeniedError)])
def test_status_change_denied(users: dict[str, Any], luxi_job: JobPosting, role: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        s.job_set_status(acting_user=users[role], job=luxi_job, status="closed")

    luxi_job.refresh_from_db()
    assert luxi_job.status == "open"
    assert audit_rows(luxi_job) == []


def test_enterprise_user_closes_own_job(users: dict[str, Any], jinan_job: JobPosting) -> None:
    s.job_set_status(acting_user=users["enterprise"], job=jinan_job, status="closed")

    jinan_job.refresh_from_db()
    assert jinan_job.status == "closed"
