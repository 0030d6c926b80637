"""Warnings follow changes: after the commit of an employment write (employment_changed), a follow-up, a
wage month, a registry save, the affected households are re-evaluated once; a rolled-back write changes
nothing."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.engine import warnings_evaluate
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.employment.models import WageMonth
from laborcoop.employment.records import services as employment_services
from laborcoop.registry.models import Laborer
from laborcoop.tracking.models import FollowUp
from tests.earlywarning.conftest import live
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db


def data(**kw: Any) -> employment_services.EmploymentData:
    values: dict[str, Any] = {
        "start_date": timezone.localdate() - timedelta(days=5),
        "work_county": "凤凰县",
        "employer_name": "凤凰古城旅游公司",
        "industry": "H",
        "monthly_wage": 3200,
        "channel": "外出务工",
        "point_to_point": False,
    }
    values.update(kw)
    return employment_services.EmploymentData(**values)


def test_a_new_job_clears_the_zero_employment_household_after_commit(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    household = HouseholdFactory()
    laborer = LaborerFactory(household=household)
    warnings_evaluate()
    assert set(live("zero_employment")) == {f"H{household.pk}"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        employment_services.employment_record_create(acting_user=users["county_officer"], laborer=laborer, data=data())
    assert len(callbacks) >= 1
    assert live("zero_employment") == {}
    assert EarlyWarning.objects.get(rule="zero_employment").status == WarningStatus.RESOLVED


def test_ending_a_job_raises_zero_employment_at_once(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    household = HouseholdFactory()
    record = EmploymentRecordFactory(
        laborer=LaborerFactory(household=household, employment_status="employed"),
        start_date=timezone.localdate() - timedelta(days=200),
    )
    warnings_evaluate()
    assert live("zero_employment") == {}
    with django_capture_on_commit_callbacks(execute=True):
        employment_services.employment_record_end(
            acting_user=users["county_officer"],
            record=record,
            end_date=timezone.localdate() - timedelta(days=1),
            end_reason="resigned",
            expected_version=record.version,
        )
    assert set(live("zero_employment")) == {f"H{household.pk}"}


def test_nothing_is_evaluated_before_the_commit_nor_after_a_rollback(users: dict[str, Any]) -> None:
    household = HouseholdFactory()
    laborer = LaborerFactory(household=household)
    warnings_evaluate()

    def write_then_fail() -> None:
        with transaction.atomic():
            employment_services.employment_record_create(
                acting_user=users["county_officer"], laborer=laborer, data=data()
            )
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert set(live("zero_employment")) == {f"H{household.pk}"}


def test_a_follow_up_clears_the_leave_without_contact_warning(
    regions: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    record = EmploymentRecordFactory(
        start_date=date(2025, 1, 1), end_date=today - timedelta(days=10), end_reason="other"
    )
    warnings_evaluate()
    assert set(live("leave_no_contact")) == {f"R{record.pk}"}
    with django_capture_on_commit_callbacks(execute=True):
        FollowUp.objects.create(
            laborer=record.laborer,
            region_id=record.region_id,
            contacted_on=today,
            method="phone",
            outcome="not_working",
        )
    assert live("leave_no_contact") == {}


def test_a_wage_month_clears_the_wage_warning(regions: Any, django_capture_on_commit_callbacks: Any) -> None:
    today = timezone.localdate()
    record = EmploymentRecordFactory(start_date=today - timedelta(days=200), enterprise=EnterpriseFactory())
    warnings_evaluate()
    assert set(live("wage_missing")) == {f"R{record.pk}"}
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        WageMonth.objects.create(
            record=record, laborer_id=record.laborer_id, region_id=record.region_id, month=last_month, amount=3000
        )
    assert live("wage_missing") == {}


def test_a_registry_save_re_evaluates_the_household(regions: Any, django_capture_on_commit_callbacks: Any) -> None:
    laborer = LaborerFactory()
    warnings_evaluate()
    assert live("unreachable") == {}
    with django_capture_on_commit_callbacks(execute=True):
        laborer.unreachable = True
        laborer.save()
    assert set(live("unreachable")) == {f"L{laborer.pk}"}


def test_several_writes_in_one_transaction_make_one_evaluation(
    regions: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from laborcoop.earlywarning import receivers

    calls: list[tuple[list[int], list[int], list[str]]] = []

    class FakeTask:
        @staticmethod
        def enqueue(households: list[int], laborers: list[int], rules: list[str]) -> None:
            calls.append((households, laborers, rules))

    monkeypatch.setattr(receivers, "evaluate_warnings", FakeTask)  # count the enqueues the receivers make
    a = LaborerFactory()
    b = LaborerFactory(household=a.household)
    with django_capture_on_commit_callbacks(execute=True):
        for person in (a, b):
            person.unreachable = True
            person.save()
    assert len(calls) == 1
    assert calls[0][0] == [a.household_id]
    assert Laborer.objects.filter(unreachable=True).count() == 2
