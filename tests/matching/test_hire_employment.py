"""已上岗 creates the laborer's employment record in the same transaction; a record the employment rules refuse
refuses the transition (nothing saved), on the page and in the API."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.idcard import age_on
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment.choices import Channel, Source
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import OVERLAP, UNDER_WORKING_AGE
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation, RecommendationEvent
from laborcoop.matching.services import recommendation_transition
from laborcoop.matching.services.transitions import ERR_ENTERPRISE_ONLY_RESULTS, hire_channel
from laborcoop.registry.choices import EmploymentStatus, WorkArea
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, JobPostingFactory, LaborerFactory, fresh_id_number
from tests.matching.test_recommendations_setup import Market, api_client, build_market, page_client

pytestmark = pytest.mark.django_db

HIRE = date.today() - timedelta(days=2)


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    return build_market(users)


def hired(job: JobPosting, laborer: Laborer) -> Recommendation:
    """A recommendation the employer has accepted (录用), waiting for the start."""
    return Recommendation.objects.create(
        job=job,
        laborer=laborer,
        region_id=laborer.region_id,
        score=60,
        factors=[{"key": "occupation", "label": "工种意向", "points": 60, "explanation": "意向工种一致"}],
        state=RecState.HIRED,
        hire_date=HIRE,
    )


def start(user: Any, rec: Recommendation, hire_date: date | None = HIRE) -> Recommendation:
    return recommendation_transition(
        acting_user=user,
        recommendation=rec,
        to_state=RecState.STARTED,
        expected_version=rec.version,
        hire_date=hire_date,
    )


def test_a_start_creates_one_employment_record_with_the_jobs_terms(users: dict[str, Any], market: Market) -> None:
    officer, laborer, job = users["county_officer"], market.luxi[0], market.luxi_job
    rec = hired(job, laborer)

    saved = start(officer, rec)

    record = EmploymentRecord.objects.get(laborer=laborer)
    assert saved.employment_record == record
    assert Recommendation.objects.get(pk=rec.pk).employment_record_id == record.pk
    assert (record.enterprise, record.job, record.employer_name) == (job.enterprise, job, job.enterprise.name)
    assert (record.start_date, record.end_date) == (HIRE, None)
    assert (record.work_region_id, record.work_area) == ("433122000000", WorkArea.IN_COUNTY)
    assert (record.monthly_wage, record.channel, record.source) == (4000, Channel.MIGRANT, Source.REFERRAL)
    assert record.region_id == laborer.region_id
    assert set(record.warnings) == {"point_to_point"}  # stored for the officer to complete, not refused
    laborer.refresh_from_db()
    assert laborer.employment_status == EmploymentStatus.EMPLOYED
    assert laborer.get_employment_status_display() == "已就业"
    assert laborer.employer_name == job.enterprise.name
    created = AuditEntry.objects.get(object_type="employment.employmentrecord", action=AuditEntry.Action.CREATE)
    assert (created.actor, created.object_id) == (officer, str(record.pk))
    rec_audit = AuditEntry.objects.filter(object_type="matching.recommendation", object_id=str(rec.pk)).get()
    assert rec_audit.changes["state"] == [RecState.HIRED, RecState.STARTED]
    assert rec_audit.changes["employment_record"] == [None, record.pk]
    event = RecommendationEvent.objects.get(recommendation=rec)
    assert (event.from_state, event.to_state, event.actor) == (RecState.HIRED, RecState.STARTED, officer)


def test_the_start_date_defaults_to_the_hire_date(users: dict[str, Any], market: Market) -> None:
    rec = hired(market.luxi_job, market.luxi[0])

    start(users["county_officer"], rec, hire_date=None)

    assert EmploymentRecord.objects.get(laborer=market.luxi[0]).start_date == HIRE


def test_work_outside_the_home_county_is_labor_cooperation(users: dict[str, Any], market: Market) -> None:
    rec = hired(market.jinan_job, market.luxi[0])  # 济南历下区

    start(users["county_officer"], rec)

    record = EmploymentRecord.objects.get(laborer=market.luxi[0])
    assert (record.work_region_id, record.work_area) == ("370102000000", WorkArea.OUT_OF_PROVINCE)
    assert record.channel == Channel.LABOR_COOPERATION


def test_an_assist_workshop_in_the_home_county_is_its_own_channel(users: dict[str, Any], market: Market) -> None:
    Enterprise.objects.filter(pk=market.luxi_job.enterprise_id).update(is_assist_workshop=True)
    rec = hired(JobPosting.objects.select_related("enterprise").get(pk=market.luxi_job.pk), market.luxi[0])

    start(users["county_officer"], rec)

    assert EmploymentRecord.objects.get(laborer=market.luxi[0]).channel == Channel.ASSIST_WORKSHOP


@pytest.mark.parametrize(
    ("home", "work", "workshop", "channel"),
    [
        ("433122108201", "433122107000", False, Channel.MIGRANT),
        ("433122108201", "433122107000", True, Channel.ASSIST_WORKSHOP),
        ("433122108201", "433123000000", True, Channel.LABOR_COOPERATION),  # 凤凰县: another county
        ("433122108201", "441900003000", False, Channel.LABOR_COOPERATION),  # 东莞: no counties
    ],
)
def test_hire_channel(home: str, work: str, workshop: bool, channel: str) -> None:
    assert hire_channel(home_code=home, work_code=work, assist_workshop=workshop) == channel


@pytest.mark.parametrize(("wage_min", "wage_max"), [(50, 80), (30001, 40000)])
def test_a_wage_outside_the_records_range_is_left_blank(
    users: dict[str, Any], market: Market, wage_min: int, wage_max: int
) -> None:
    job = JobPostingFactory(
        enterprise=EnterpriseFactory(region_id="433122107000"), wage_min=wage_min, wage_max=wage_max
    )
    rec = hired(job, market.luxi[0])

    start(users["county_officer"], rec)

    record = EmploymentRecord.objects.get(laborer=market.luxi[0])
    assert record.monthly_wage is None
    assert "monthly_wage" in record.warnings


def _unchanged(rec: Recommendation) -> None:
    current = Recommendation.objects.get(pk=rec.pk)
    assert (current.state, current.version, current.employment_record_id) == (RecState.HIRED, rec.version, None)
    assert not RecommendationEvent.objects.filter(recommendation=rec).exists()
    assert not AuditEntry.objects.filter(object_type="matching.recommendation").exists()


def test_a_start_for_someone_already_employed_is_refused_and_changes_nothing(
    users: dict[str, Any], market: Market
) -> None:
    laborer = market.luxi[0]
    ongoing = EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 3, 1), end_date=None)
    rec = hired(market.luxi_job, laborer)

    with pytest.raises(ValidationError) as caught:
        start(users["county_officer"], rec)

    assert caught.value.message_dict == {"hire_date": [OVERLAP.format(start="2024-03-01", end="至今")]}
    assert "时间重叠" in caught.value.messages[0]
    assert list(EmploymentRecord.objects.filter(laborer=laborer)) == [ongoing]
    _unchanged(rec)


def test_a_start_under_working_age_is_refused(users: dict[str, Any], market: Market) -> None:
    birth = date.today() - timedelta(days=14 * 365)
    child = LaborerFactory(household=market.luxi[0].household, relation="子", id_number=fresh_id_number(birth=birth))
    rec = hired(market.luxi_job, child)

    with pytest.raises(ValidationError) as caught:
        start(users["county_officer"], rec)

    assert caught.value.message_dict == {"hire_date": [UNDER_WORKING_AGE.format(age=age_on(birth, HIRE))]}
    assert age_on(birth, HIRE) in (13, 14)
    assert not EmploymentRecord.objects.exists()
    _unchanged(rec)


def test_a_start_too_far_ahead_is_refused(users: dict[str, Any], market: Market) -> None:
    rec = hired(market.luxi_job, market.luxi[0])

    with pytest.raises(ValidationError) as caught:
        start(users["county_officer"], rec, hire_date=timezone.localdate() + timedelta(days=40))

    assert caught.value.message_dict == {"hire_date": ["开始时间不能晚于今天一个月以上"]}
    assert not EmploymentRecord.objects.exists()
    assert Recommendation.objects.get(pk=rec.pk).hire_date == HIRE


def test_an_enterprise_user_cannot_record_the_start(users: dict[str, Any], market: Market) -> None:
    rec = hired(market.jinan_job, market.luxi[0])

    with pytest.raises(PermissionDeniedError) as caught:
        start(users["enterprise"], rec)

    assert caught.value.message == ERR_ENTERPRISE_ONLY_RESULTS
    assert not EmploymentRecord.objects.exists()
    _unchanged(rec)


def test_the_api_refuses_a_second_job_with_400_and_the_message(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 3, 1), end_date=None)
    rec = hired(market.luxi_job, laborer)
    url = reverse("api:recommendation_transition", args=[rec.pk])

    response = api_client(users["county_officer"]).post(
        url, {"state": "started", "version": rec.version, "hire_date": HIRE.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"hire_date": [OVERLAP.format(start="2024-03-01", end="至今")]}
    _unchanged(rec)


def test_the_api_start_returns_the_started_row(users: dict[str, Any], market: Market) -> None:
    rec = hired(market.luxi_job, market.luxi[0])
    url = reverse("api:recommendation_transition", args=[rec.pk])

    response = api_client(users["county_officer"]).post(
        url, {"state": "started", "version": rec.version, "hire_date": HIRE.isoformat()}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["hire_date"]) == ("started", HIRE.isoformat())
    assert EmploymentRecord.objects.filter(laborer=market.luxi[0], recommendation__pk=rec.pk).count() == 1


def test_the_page_shows_the_refusal_and_keeps_the_state(users: dict[str, Any], market: Market) -> None:
    laborer = market.luxi[0]
    EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 3, 1), end_date=None)
    rec = hired(market.luxi_job, laborer)
    client = page_client(users["county_officer"])

    response = client.post(
        reverse("matching:transition", args=[rec.pk]),
        {"state": "started", "version": rec.version, "hire_date": HIRE.isoformat()},
        follow=True,
    )

    assert response.status_code == 200
    assert OVERLAP.format(start="2024-03-01", end="至今") in response.content.decode()
    _unchanged(rec)
