"""employment.enterprise_reports: hires, wages, insurance and leavings reported by an enterprise user."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment import choices as c
from laborcoop.employment import lines
from laborcoop.employment.enterprise_reports import (
    INSURANCE_TYPES_REQUIRED,
    NO_RECORD_HERE,
    PERSON_NOT_FOUND,
    REPORTER_NOT_ENTERPRISE,
    Action,
    HireReport,
    InsuranceReport,
    LeaveReport,
    WageReport,
    enterprise_report_submit,
    enterprise_reports_submit,
)
from laborcoop.employment.enterprise_reports import records as rec
from laborcoop.employment.lines import rules as r
from laborcoop.employment.models import EmploymentRecord, InsuranceMonth, WageMonth
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import COUNTY_UNKNOWN
from laborcoop.employment.signals import employment_changed
from laborcoop.matching.receivers import home_region_officer
from laborcoop.registry import choices as rc
from laborcoop.registry.services import NeedsConfirmation
from tests.conftest import make_user
from tests.employment.lines_helpers import Worker, jinan_enterprise, other_enterprise, worker
from tests.factories import JobPostingFactory, fresh_id_number

pytestmark = pytest.mark.django_db

MAY = date(2024, 5, 1)


def hire(w: Worker, **kw: Any) -> HireReport:
    values: dict[str, Any] = {
        "id_number": w.id_number,
        "name": w.laborer.name,
        "start_date": date(2024, 6, 1),
        "monthly_wage": 4200,
        "channel": c.Channel.LABOR_COOPERATION,
        "point_to_point": True,
        "contract_signed": True,
        "contract_term": c.ContractTerm.FIXED,
        "insurance_types": ("城镇职工养老", "工伤"),
    }
    values.update(kw)
    return HireReport(**values)


@pytest.fixture
def newcomer() -> Worker:
    """A 泸溪县 laborer without any record yet."""
    return worker(None, name="田小花")


@pytest.fixture
def w(users: dict[str, Any]) -> Worker:
    return worker(jinan_enterprise(users))


# --- hires -------------------------------------------------------------------------------------------------


def test_hire_creates_a_record_at_the_enterprise(users: dict[str, Any], newcomer: Worker) -> None:
    sent: list[dict[str, Any]] = []
    employment_changed.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="test_hire")
    try:
        result = enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer))
    finally:
        employment_changed.disconnect(dispatch_uid="test_hire")
    record = EmploymentRecord.objects.get()
    assert (result.action, result.record) == (Action.CREATED, record)
    assert (record.enterprise, record.source, record.employer_name) == (
        jinan_enterprise(users),
        c.Source.ENTERPRISE,
        "济南测试制造有限公司",
    )
    assert (record.work_region_id, record.work_area, record.industry) == ("370102000000", "03", "C")
    assert record.insurance_types == ["城镇职工养老", "工伤"]
    newcomer.laborer.refresh_from_db()
    assert (newcomer.laborer.employment_status, newcomer.laborer.employer_name) == (
        rc.EmploymentStatus.EMPLOYED,
        "济南测试制造有限公司",
    )
    audit = AuditEntry.objects.get(object_type="employment.employmentrecord")
    assert (audit.actor_id, audit.reason) == (users["enterprise"].pk, rec.HIRE_REASON)
    assert [(s["created"], s["acting_user"]) for s in sent] == [({record.pk}, users["enterprise"])]


def test_hire_reported_again_is_unchanged(users: dict[str, Any], newcomer: Worker) -> None:
    enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer))
    again = enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer, monthly_wage=5000))
    assert again.action == Action.UNCHANGED
    assert EmploymentRecord.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="employment.employmentrecord").count() == 1


def test_unknown_id_and_wrong_name_get_one_message(users: dict[str, Any], newcomer: Worker) -> None:
    for report in (hire(newcomer, name="田大花"), hire(newcomer, id_number=fresh_id_number("433122"))):
        with pytest.raises(ValidationError) as exc:
            enterprise_report_submit(acting_user=users["enterprise"], report=report)
        assert exc.value.message_dict == {"id_number": [PERSON_NOT_FOUND]}
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer, id_number="12345"))
    assert "id_number" in exc.value.message_dict
    assert EmploymentRecord.objects.count() == 0


def test_traditional_and_full_width_input_still_identifies(users: dict[str, Any]) -> None:
    person = worker(None, name="谢军")
    full_width = person.id_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    result = enterprise_report_submit(
        acting_user=users["enterprise"], report=hire(person, name="謝軍", id_number=full_width)
    )
    assert result.action == Action.CREATED


def test_hire_rules(users: dict[str, Any], newcomer: Worker) -> None:
    cases = [
        (hire(newcomer, start_date=None), {"start_date": [rec.START_REQUIRED]}),
        (hire(newcomer, monthly_wage=50), {"monthly_wage": [v.WAGE_OUT_OF_RANGE]}),
        (
            hire(newcomer, work_county="火星县"),
            {"work_county": [COUNTY_UNKNOWN.format(value="火星县")]},
        ),
        (
            hire(newcomer, channel=c.Channel.PUBLIC_WELFARE),
            {"channel": [v.CHANNEL_NOT_IN_COUNTY.format(channel="公益性岗位", area="省外")]},
        ),
        (hire(newcomer, start_date=timezone.localdate() + timedelta(days=45)), {"start_date": [v.START_TOO_FAR_AHEAD]}),
    ]
    for report, errors in cases:
        with pytest.raises(ValidationError) as exc:
            enterprise_report_submit(acting_user=users["enterprise"], report=report)
        assert exc.value.message_dict == errors
    assert EmploymentRecord.objects.count() == 0


def test_hire_under_16_is_refused(users: dict[str, Any]) -> None:
    child = worker(None, name="田小宝", birth=date(2012, 1, 1))
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=hire(child))
    assert exc.value.message_dict == {"start_date": [v.UNDER_WORKING_AGE.format(age=12)]}


def test_hire_job_must_be_the_enterprise_s(users: dict[str, Any], newcomer: Worker) -> None:
    foreign = JobPostingFactory(enterprise=other_enterprise())
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer, job_id=foreign.pk))
    assert exc.value.message_dict == {"job": [rec.JOB_NOT_HERE]}
    own = JobPostingFactory(enterprise=jinan_enterprise(users))
    result = enterprise_report_submit(acting_user=users["enterprise"], report=hire(newcomer, job_id=own.pk))
    assert result.record.job == own


def test_hire_overlapping_another_employer_does_not_leak_it(users: dict[str, Any]) -> None:
    elsewhere = worker(other_enterprise(), start=date(2024, 1, 1))
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=hire(elsewhere))
    assert exc.value.message_dict == {"start_date": [rec.WORKING_ELSEWHERE]}
    assert "深圳" not in str(exc.value.message_dict)


def test_hire_while_working_here(users: dict[str, Any], w: Worker) -> None:
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=hire(w))
    assert exc.value.message_dict == {"start_date": [rec.ALREADY_WORKING_HERE.format(start="2024-03-01")]}


def test_hire_warnings_need_confirmation(users: dict[str, Any], newcomer: Worker) -> None:
    report = hire(newcomer, channel="", point_to_point=None)
    with pytest.raises(NeedsConfirmation) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=report)
    assert exc.value.issues.warnings == {
        "channel": [v.CURRENT_MISSING.format(label="就业渠道")],
        "point_to_point": [v.CURRENT_MISSING.format(label="是否点对点输送")],
    }
    assert EmploymentRecord.objects.count() == 0
    result = enterprise_report_submit(acting_user=users["enterprise"], report=report, confirm_warnings=True)
    assert result.record.warnings == exc.value.issues.warnings


@pytest.mark.parametrize("who", ["county_officer", "province_admin", "viewer", "hotline"])
def test_only_enterprise_users_report(users: dict[str, Any], newcomer: Worker, who: str) -> None:
    with pytest.raises(PermissionDeniedError):
        enterprise_report_submit(acting_user=users[who], report=hire(newcomer))
    assert EmploymentRecord.objects.count() == 0


def test_enterprise_user_without_enterprise(regions: Any, newcomer: Worker) -> None:
    loose = make_user("qiye3_t", "370102000000", ["enterprise"])
    with pytest.raises(PermissionDeniedError) as exc:
        enterprise_report_submit(acting_user=loose, report=hire(newcomer))
    assert str(exc.value) == REPORTER_NOT_ENTERPRISE


# --- wages and insurance -----------------------------------------------------------------------------------


def test_wage_report_with_insurance(users: dict[str, Any], w: Worker) -> None:
    report = WageReport(id_number=w.id_number, name="向金花", month=MAY, amount=3900, insurance_types=("失业",))
    result = enterprise_report_submit(acting_user=users["enterprise"], report=report)
    assert (result.action, result.record) == (Action.CREATED, w.record)
    assert list(WageMonth.objects.values_list("month", "amount", "source")) == [(MAY, 3900, "enterprise")]
    assert list(InsuranceMonth.objects.values_list("insurance_type", "record_id")) == [("失业", w.record.pk)]
    again = enterprise_report_submit(acting_user=users["enterprise"], report=report)
    assert again.action == Action.UNCHANGED
    changed = enterprise_report_submit(
        acting_user=users["enterprise"], report=WageReport(**{**report.__dict__, "amount": 4000})
    )
    assert changed.action == Action.UPDATED
    assert WageMonth.objects.get().amount == 4000


def test_wage_report_rules(users: dict[str, Any], w: Worker) -> None:
    stranger = worker(other_enterprise(), name="赵六")
    cases = [
        (
            WageReport(id_number=stranger.id_number, name="赵六", month=MAY, amount=3000),
            {"id_number": [NO_RECORD_HERE]},
        ),
        (
            WageReport(id_number=w.id_number, name="向金花", month=date(2024, 1, 1), amount=3000),
            {"month": [r.MONTH_BEFORE_START.format(month="2024-01", start="2024-03-01")]},
        ),
        (WageReport(id_number=w.id_number, name="向金花", month=MAY, amount=None), {"amount": [r.AMOUNT_REQUIRED]}),
        (WageReport(id_number=w.id_number, name="向金花", month=None, amount=3000), {"month": [r.MONTH_REQUIRED]}),
    ]
    for report, errors in cases:
        with pytest.raises(ValidationError) as exc:
            enterprise_report_submit(acting_user=users["enterprise"], report=report)
        assert exc.value.message_dict == errors
    with pytest.raises(NeedsConfirmation):
        enterprise_report_submit(
            acting_user=users["enterprise"],
            report=WageReport(id_number=w.id_number, name="向金花", month=MAY, amount=200),
        )
    assert WageMonth.objects.count() == 0


def test_wage_goes_to_the_record_covering_the_month(users: dict[str, Any]) -> None:
    enterprise = jinan_enterprise(users)
    old = worker(enterprise, start=date(2023, 1, 1), end=date(2023, 12, 31))
    newer = EmploymentRecord.objects.create(
        laborer=old.laborer,
        region_id=old.laborer.region_id,
        enterprise=enterprise,
        employer_name=enterprise.name,
        start_date=date(2024, 3, 1),
        work_region_id="370102000000",
        work_area="03",
    )
    for month, record in ((date(2023, 6, 1), old.record), (MAY, newer)):
        report = WageReport(id_number=old.id_number, name="向金花", month=month, amount=3000)
        assert enterprise_report_submit(acting_user=users["enterprise"], report=report).record == record


def test_insurance_report(users: dict[str, Any], w: Worker) -> None:
    report = InsuranceReport(
        id_number=w.id_number, name="向金花", month=MAY, insurance_types=("城镇职工养老", "职工医疗")
    )
    result = enterprise_report_submit(acting_user=users["enterprise"], report=report)
    assert result.action == Action.CREATED
    assert InsuranceMonth.objects.filter(record=w.record, source="enterprise").count() == 2
    with pytest.raises(ValidationError) as exc:
        enterprise_report_submit(acting_user=users["enterprise"], report=InsuranceReport(w.id_number, "向金花", MAY))
    assert exc.value.message_dict == {"insurance_types": [INSURANCE_TYPES_REQUIRED]}


# --- leavings ----------------------------------------------------------------------------------------------


def test_leave_ends_the_record_and_rematches_as_the_home_officer(
    users: dict[str, Any], w: Worker, django_capture_on_commit_callbacks: Any
) -> None:
    w.laborer.employment_status = rc.EmploymentStatus.EMPLOYED
    w.laborer.save()
    report = LeaveReport(id_number=w.id_number, name="向金花", end_date=date(2024, 8, 31), end_reason="resigned")
    with django_capture_on_commit_callbacks() as callbacks:
        result = enterprise_report_submit(acting_user=users["enterprise"], report=report)
    matched = [callback.args for callback in callbacks if "match_laborer" in repr(callback)]
    w.record.refresh_from_db()
    assert (result.action, w.record.end_date, w.record.end_reason, w.record.version) == (
        Action.UPDATED,
        date(2024, 8, 31),
        "resigned",
        2,
    )
    w.laborer.refresh_from_db()
    assert w.laborer.employment_status == rc.EmploymentStatus.UNEMPLOYED
    # The broker of 黑塘村 is the closest staff member who may edit the registry there.
    assert matched == [(w.laborer.pk, users["broker"].pk)]
    with django_capture_on_commit_callbacks() as callbacks:
        again = enterprise_report_submit(acting_user=users["enterprise"], report=report)
    assert again.action == Action.UNCHANGED
    assert not [callback for callback in callbacks if "match_laborer" in repr(callback)]


def test_leave_rules(users: dict[str, Any], w: Worker) -> None:
    stranger = worker(other_enterprise(), name="赵六")
    cases = [
        (LeaveReport(stranger.id_number, "赵六", date(2024, 8, 31), "resigned"), {"end_date": [rec.NO_ONGOING_HERE]}),
        (
            LeaveReport(w.id_number, "向金花", date(2024, 2, 1), "resigned"),
            {"end_date": [rec.END_BEFORE_START_HERE.format(start="2024-03-01")]},
        ),
        (
            LeaveReport(w.id_number, "向金花", None, ""),
            {"end_date": ["请填写结束时间"], "end_reason": ["请选择结束原因"]},
        ),
        (LeaveReport(w.id_number, "向金花", date(2024, 8, 31), "跑路"), {"end_reason": ["结束原因“跑路”不在代码表中"]}),
        (
            LeaveReport(w.id_number, "向金花", timezone.localdate() + timedelta(days=1), "resigned"),
            {"end_date": [v.END_IN_FUTURE]},
        ),
    ]
    for report, errors in cases:
        with pytest.raises(ValidationError) as exc:
            enterprise_report_submit(acting_user=users["enterprise"], report=report)
        assert exc.value.message_dict == errors
    w.record.refresh_from_db()
    assert w.record.end_date is None


def test_home_region_officer_prefers_the_closest(users: dict[str, Any], w: Worker) -> None:
    assert home_region_officer(w.laborer) == users["broker"]
    users["broker"].is_active = False
    users["broker"].save()
    assert home_region_officer(w.laborer) == users["township_officer"]


# --- batches (the API's all or nothing) --------------------------------------------------------------------


def test_batch_is_all_or_nothing(users: dict[str, Any], newcomer: Worker, w: Worker) -> None:
    good = [
        hire(newcomer),
        WageReport(id_number=newcomer.id_number, name="田小花", month=date(2024, 6, 1), amount=4200),
    ]
    bad = WageReport(id_number=w.id_number, name="向金花", month=MAY, amount=99)
    with pytest.raises(lines.ItemsInvalid) as exc:
        enterprise_reports_submit(acting_user=users["enterprise"], reports=[*good, bad])
    assert exc.value.item_errors == {2: {"amount": [r.AMOUNT_OUT_OF_RANGE]}}
    assert (EmploymentRecord.objects.count(), WageMonth.objects.count()) == (1, 0)  # only w's fixture record
    results = enterprise_reports_submit(acting_user=users["enterprise"], reports=good)
    assert [x.action for x in results] == [Action.CREATED, Action.CREATED]
    assert WageMonth.objects.get().record == results[0].record  # the wage found the hire of the same batch
