"""An enterprise reports that a candidate it hired (录用) started (已上岗) from the candidate's page, without
typing an ID number (issue 13 item 1): the employment record is its hire report; bad input saves nothing."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.employment.choices import Source
from laborcoop.employment.models import EmploymentRecord
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services import recommendations_for_job
from laborcoop.matching.services.enterprise_start import ERR_NOT_HIRED
from laborcoop.registry.choices import EmploymentStatus
from laborcoop.registry.models import Laborer
from tests.factories import EnterpriseFactory, UserFactory
from tests.matching.test_recommendations_setup import Market, build_market, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(users: dict[str, Any]) -> Market:
    build = build_market(users)
    recommendations_for_job(acting_user=users["enterprise"], job=build.jinan_job)
    return build


def in_state(market: Market, state: str) -> Recommendation:
    rec = Recommendation.objects.get(job=market.jinan_job, laborer=market.luxi[0])
    Recommendation.objects.filter(pk=rec.pk).update(state=state, hire_date=timezone.localdate())
    return Recommendation.objects.get(pk=rec.pk)


def start(user: Any, rec: Recommendation, **fields: str) -> Any:
    data = {"version": str(rec.version), "hire_date": timezone.localdate().isoformat(), "monthly_wage": "4800"}
    data.update(fields)
    return page_client(user).post(f"/matching/recommendations/{rec.pk}/start/", data)


def test_enterprise_reports_the_start_of_a_hired_candidate(users: dict[str, Any], market: Market) -> None:
    rec = in_state(market, RecState.HIRED)

    page = page_client(users["enterprise"]).get(f"/matching/recommendations/{rec.pk}/").content.decode()
    response = start(users["enterprise"], rec)

    assert 'id="start-form"' in page
    assert 'name="id_number"' not in page
    assert response.status_code == 302
    saved = Recommendation.objects.get(pk=rec.pk)
    assert saved.state == RecState.STARTED
    record = EmploymentRecord.objects.get(laborer=market.luxi[0])
    assert saved.employment_record == record
    assert (record.enterprise, record.job, record.source, record.monthly_wage, record.end_date) == (
        market.jinan_job.enterprise,
        market.jinan_job,
        Source.ENTERPRISE,
        4800,
        None,
    )
    assert Laborer.objects.get(pk=market.luxi[0].pk).employment_status == EmploymentStatus.EMPLOYED
    roster = page_client(users["enterprise"]).get("/employment/enterprise/staff/").content.decode()
    assert "张三丰" in roster


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hire_date": ""}, "请填写上岗日期。"),
        ({"hire_date": "明天"}, "请填写正确的上岗日期，如 2026-12-10"),
        ({"monthly_wage": "四千"}, "请填写整数金额"),
    ],
)
def test_bad_input_saves_nothing(users: dict[str, Any], market: Market, fields: dict[str, str], message: str) -> None:
    rec = in_state(market, RecState.HIRED)

    response = start(users["enterprise"], rec, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.HIRED
    assert not EmploymentRecord.objects.exists()


def test_a_start_the_employment_rules_refuse_saves_nothing(users: dict[str, Any], market: Market) -> None:
    rec = in_state(market, RecState.HIRED)
    future = (timezone.localdate() + timedelta(days=400)).isoformat()

    response = start(users["enterprise"], rec, hire_date=future)

    assert response.status_code == 400
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.HIRED
    assert not EmploymentRecord.objects.exists()


def test_only_hired_candidates_start(users: dict[str, Any], market: Market) -> None:
    rec = in_state(market, RecState.INTERVIEW)
    response = start(users["enterprise"], rec)
    assert response.status_code == 400
    assert ERR_NOT_HIRED in response.content.decode()
    assert not EmploymentRecord.objects.exists()


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("other_enterprise", 404), ("county_officer", 404)])
def test_who_may_not_report_the_start(users: dict[str, Any], market: Market, who: Any, status: int) -> None:
    rec = in_state(market, RecState.HIRED)
    if who == "other_enterprise":
        user: Any = UserFactory(roles=["enterprise"], enterprise=EnterpriseFactory(region_id="370102000000"))
    else:
        user = users[who] if who else None

    response = start(user, rec)

    assert response.status_code in (status, 403)
    assert Recommendation.objects.get(pk=rec.pk).state == RecState.HIRED
    assert not EmploymentRecord.objects.exists()
