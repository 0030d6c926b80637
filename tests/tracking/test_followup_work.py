"""The visit form records the employer and the monthly wage learned on the call: through the employment services
(audited record, laborer summary), in the follow-up's transaction (a refusal saves nothing), Chinese messages."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import WAGE_OUT_OF_RANGE
from laborcoop.registry.choices import EmploymentStatus
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactOutcome, TaskKind
from laborcoop.tracking.followups.forms import WAGE_INVALID
from laborcoop.tracking.followups.work import COUNTY_REQUIRED, WORK_ONLY_WHEN_WORKING
from laborcoop.tracking.models import FollowUp, FollowUpTask
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory, fresh_id_number
from tests.tracking.followup_helpers import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEW_JOB = {"employer_name": "湘西新厂", "work_county": "泸溪县"}


@pytest.fixture
def laborer(users: dict[str, Any]) -> Laborer:
    return LaborerFactory(name="向金花", id_number=fresh_id_number())


@pytest.fixture
def task(laborer: Laborer) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer, region_id=laborer.region_id, kind=TaskKind.ROUTINE, due_date=TODAY() - timedelta(days=1)
    )


def body(**kw: Any) -> dict[str, Any]:
    data = {"contacted_on": TODAY().isoformat(), "method": "phone", "outcome": ContactOutcome.WORKING, "note": ""}
    data.update(kw)
    return data


def test_a_new_job_learned_on_the_call_becomes_an_employment_record(
    users: dict[str, Any], laborer: Laborer, task: FollowUpTask
) -> None:
    client = client_for(users["broker"])
    response = client.post(
        reverse("tracking:phone_log", args=[task.pk]),
        body(employer_name="东莞鼎盛服饰有限公司", monthly_wage="4800", work_county="泸溪县"),
    )
    assert response.status_code == 302
    record = EmploymentRecord.objects.get(laborer=laborer)
    assert (record.employer_name, record.monthly_wage, record.start_date, record.end_date) == (
        "东莞鼎盛服饰有限公司",
        4800,
        TODAY(),
        None,
    )
    assert record.work_region_id == "433122000000"
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.employer_name) == (EmploymentStatus.EMPLOYED, "东莞鼎盛服饰有限公司")
    assert AuditEntry.objects.filter(
        object_type="employment.employmentrecord", object_id=str(record.pk), action=AuditEntry.Action.CREATE
    ).exists()
    assert FollowUp.objects.filter(laborer=laborer, outcome=ContactOutcome.WORKING).count() == 1


def test_a_wage_learned_at_the_same_employer_updates_the_ongoing_record(
    users: dict[str, Any], laborer: Laborer, task: FollowUpTask
) -> None:
    record = EmploymentRecordFactory(laborer=laborer, employer_name="泸溪县测试农业合作社", monthly_wage=3000)
    client = client_for(users["broker"])
    response = client.post(reverse("tracking:phone_log", args=[task.pk]), body(monthly_wage="3600"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.monthly_wage, record.version, record.end_date) == (3600, 2, None)
    assert EmploymentRecord.objects.filter(laborer=laborer).count() == 1
    entry = AuditEntry.objects.get(
        object_type="employment.employmentrecord", object_id=str(record.pk), action=AuditEntry.Action.UPDATE
    )
    assert entry.changes["monthly_wage"] == [3000, 3600]


def test_another_employer_ends_the_old_record_and_starts_a_new_one(
    users: dict[str, Any], laborer: Laborer, task: FollowUpTask
) -> None:
    old = EmploymentRecordFactory(laborer=laborer, employer_name="泸溪县测试农业合作社")
    client = client_for(users["broker"])
    response = client.post(
        reverse("tracking:phone_log", args=[task.pk]),
        body(employer_name="湘西新厂", monthly_wage="5000", work_county="泸溪县"),
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.end_date == TODAY() - timedelta(days=1)
    current = EmploymentRecord.objects.get(laborer=laborer, end_date__isnull=True)
    assert (current.employer_name, current.monthly_wage, current.start_date) == ("湘西新厂", 5000, TODAY())


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"monthly_wage": "四千", **NEW_JOB}, "monthly_wage", WAGE_INVALID),
        ({"monthly_wage": "50", **NEW_JOB}, "monthly_wage", WAGE_OUT_OF_RANGE),
        ({"employer_name": "湘西新厂"}, "work_county", COUNTY_REQUIRED),
        (
            {"outcome": ContactOutcome.NOT_REACHED, "employer_name": "湘西新厂", "monthly_wage": "4000"},
            "employer_name",
            WORK_ONLY_WHEN_WORKING,
        ),
    ],
)
def test_bad_work_facts_get_a_chinese_message_and_nothing_is_saved(
    users: dict[str, Any], laborer: Laborer, task: FollowUpTask, extra: dict[str, str], field: str, message: str
) -> None:
    client = client_for(users["broker"])
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("tracking:phone_log", args=[task.pk]), body(**extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field] == [message]
    assert not FollowUp.objects.filter(laborer=laborer).exists()
    assert not EmploymentRecord.objects.filter(laborer=laborer).exists()
    task.refresh_from_db()
    assert task.status == "open"
    assert AuditEntry.objects.count() == audit_before


def test_a_refusal_by_the_employment_rules_rolls_the_follow_up_back(
    users: dict[str, Any], laborer: Laborer, task: FollowUpTask
) -> None:
    """A record the employment service refuses (an unknown county slips past the form as text) leaves no
    follow-up behind: one transaction."""
    client = client_for(users["broker"])
    response = client.post(
        reverse("tracking:phone_log", args=[task.pk]),
        body(employer_name="湘西新厂", monthly_wage="4000", work_county="不存在县"),
    )
    assert response.status_code == 400
    assert not FollowUp.objects.filter(laborer=laborer).exists()
    assert not EmploymentRecord.objects.filter(laborer=laborer).exists()


def test_the_api_takes_the_work_facts_too(users: dict[str, Any], laborer: Laborer) -> None:
    client = APIClient()
    client.force_authenticate(users["broker"])
    url = reverse("api:laborer_followups", args=[laborer.pk])
    bad = client.post(url, {**body(), "employer_name": "湘西新厂", "work_county": "泸溪县", "monthly_wage": 50})
    assert bad.status_code == 400
    assert WAGE_OUT_OF_RANGE in bad.content.decode()
    assert not FollowUp.objects.exists()
    ok = client.post(url, {**body(), "employer_name": "湘西新厂", "work_county": "泸溪县", "monthly_wage": 4200})
    assert ok.status_code == 201
    record = EmploymentRecord.objects.get(laborer=laborer)
    assert (record.employer_name, record.monthly_wage) == ("湘西新厂", 4200)
