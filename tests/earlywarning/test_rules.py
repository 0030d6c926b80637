"""Each warning rule with a positive and a negative case (issue 5), and thresholds taken from the settings.

Rows are written directly (factories): the rules must also catch data the services would refuse (imports of
old data, merges). The run day is fixed (conftest.TODAY = 2026-11-22)."""

from datetime import date, timedelta
from typing import Any

import pytest

from laborcoop.earlywarning.models import WarningSettings
from laborcoop.employment import choices as ec
from laborcoop.employment.models import EmploymentState, InsuranceMonth, WageMonth
from laborcoop.matching.models import Recommendation
from laborcoop.registry import choices as rc
from laborcoop.registry.models import VitalStatus
from laborcoop.tracking.models import FollowUp
from tests.earlywarning.conftest import TODAY, live, run
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory

pytestmark = pytest.mark.django_db

FENGHUANG = "433123000000"  # another county of the same province: 省内县外 for 泸溪县 people


def state(laborer: Any, status: str, since: date) -> EmploymentState:
    return EmploymentState.objects.create(laborer=laborer, region_id=laborer.region_id, status=status, since=since)


def wage(record: Any, month: date, amount: int = 3000) -> WageMonth:
    return WageMonth.objects.create(
        record=record, laborer_id=record.laborer_id, region_id=record.region_id, month=month, amount=amount
    )


def settings_for(values: dict[str, dict[str, Any]]) -> WarningSettings:
    return WarningSettings.objects.create(province_id="430000000000", values=values)


# --- 零就业家庭 ----------------------------------------------------------------------------------------------


def test_zero_employment_household_with_labor_and_nobody_working(regions: Any) -> None:
    household = HouseholdFactory()
    LaborerFactory(household=household)
    LaborerFactory(household=household, relation=rc.Relation.SPOUSE, labor_skill=rc.LaborSkill.NONE)
    run()
    warning = live("zero_employment")[f"H{household.pk}"]
    assert warning.household_id == household.pk
    assert warning.laborer_id is None
    assert warning.region_id == household.region_id
    assert warning.severity == "high"
    assert warning.due_date == TODAY + timedelta(days=30)
    assert warning.detail == "家庭有劳动力 1 人，无人在岗就业"


def test_zero_employment_cleared_by_one_ongoing_record(regions: Any) -> None:
    household = HouseholdFactory()
    LaborerFactory(household=household)
    EmploymentRecordFactory(laborer=LaborerFactory(household=household, relation=rc.Relation.SON))
    run()
    assert live("zero_employment") == {}


def test_zero_employment_status_employed_without_record_still_counts_as_nobody_working(regions: Any) -> None:
    """The records are the truth: a status of 已就业 without a record does not clear the household."""
    household = HouseholdFactory()
    LaborerFactory(household=household, employment_status=rc.EmploymentStatus.EMPLOYED)
    run()
    assert set(live("zero_employment")) == {f"H{household.pk}"}


@pytest.mark.parametrize(
    "member",
    [
        {"labor_skill": rc.LaborSkill.LOST},
        {"student_status": rc.StudentStatus.SENIOR_2, "education": ""},
        {"birth_date": date(1960, 1, 1)},  # 66: beyond working age
        {"birth_date": date(2011, 1, 1)},  # 15
        {"vital_status": VitalStatus.DECEASED},
        {"unreachable": True, "unreachable_since": TODAY - timedelta(days=91)},  # left the list (3 months)
    ],
)
def test_zero_employment_no_labor_to_place_is_no_warning(regions: Any, member: dict[str, Any]) -> None:
    household = HouseholdFactory()
    LaborerFactory(household=household, **member)
    run()
    assert live("zero_employment") == {}


def test_zero_employment_not_when_a_member_farms(regions: Any) -> None:
    """Issue 13 item 19: 务农 is a form of employment (就业形式); 无就业需求 is no labor to place."""
    farming = HouseholdFactory()
    LaborerFactory(household=farming)
    LaborerFactory(household=farming, relation=rc.Relation.SPOUSE, employment_status=rc.EmploymentStatus.FARMING)
    no_need = HouseholdFactory()
    LaborerFactory(household=no_need, employment_status=rc.EmploymentStatus.NOT_IN_LABOR_FORCE)
    unemployed = HouseholdFactory()
    LaborerFactory(household=unemployed, employment_status=rc.EmploymentStatus.UNEMPLOYED)
    run()
    assert set(live("zero_employment")) == {f"H{unemployed.pk}"}


def test_zero_employment_member_who_refused_three_referrals_leaves_the_list(regions: Any) -> None:
    household = HouseholdFactory()
    laborer = LaborerFactory(household=household)
    for _ in range(3):
        Recommendation.objects.create(
            job=JobPostingFactory(), laborer=laborer, region_id=laborer.region_id, score=50, state="declined"
        )
    run()
    assert live("zero_employment") == {}


def test_zero_employment_due_days_from_settings(regions: Any) -> None:
    settings_for({"zero_employment": {"due_days": 10}})
    household = HouseholdFactory()
    LaborerFactory(household=household)
    run()
    assert live("zero_employment")[f"H{household.pk}"].due_date == TODAY + timedelta(days=10)


# --- 失业超过期限 --------------------------------------------------------------------------------------------


def test_long_unemployed_after_the_threshold(regions: Any) -> None:
    laborer = LaborerFactory()
    state(laborer, ec.TrackStatus.RETURNED, TODAY - timedelta(days=31))
    run()
    warning = live("long_unemployed")[f"L{laborer.pk}"]
    assert warning.laborer_id == laborer.pk
    assert warning.household_id == laborer.household_id
    assert warning.detail == "返乡，自 2026-10-22 起无在岗就业记录"


def test_long_unemployed_not_before_the_threshold_nor_when_employed(regions: Any) -> None:
    state(LaborerFactory(), ec.TrackStatus.UNEMPLOYED, TODAY - timedelta(days=30))
    state(LaborerFactory(), ec.TrackStatus.EMPLOYED, TODAY - timedelta(days=300))
    state(LaborerFactory(vital_status=VitalStatus.MOVED), ec.TrackStatus.UNEMPLOYED, TODAY - timedelta(days=90))
    run()
    assert live("long_unemployed") == {}


def test_long_unemployed_not_for_farming_or_no_need(regions: Any) -> None:
    """Issue 13 item 19: back on the family land (务农) or 无就业需求 is not unemployment to act on."""
    farming = LaborerFactory(employment_status=rc.EmploymentStatus.FARMING)
    state(farming, ec.TrackStatus.RETURNED, TODAY - timedelta(days=90))
    no_need = LaborerFactory(employment_status=rc.EmploymentStatus.NOT_IN_LABOR_FORCE)
    state(no_need, ec.TrackStatus.UNEMPLOYED, TODAY - timedelta(days=90))
    unemployed = LaborerFactory(employment_status=rc.EmploymentStatus.UNEMPLOYED)
    state(unemployed, ec.TrackStatus.UNEMPLOYED, TODAY - timedelta(days=90))
    run()
    assert set(live("long_unemployed")) == {f"L{unemployed.pk}"}


def test_long_unemployed_days_from_settings(regions: Any) -> None:
    settings_for({"long_unemployed": {"days": 10}})
    laborer = LaborerFactory()
    state(laborer, ec.TrackStatus.UNEMPLOYED, TODAY - timedelta(days=11))
    run()
    assert set(live("long_unemployed")) == {f"L{laborer.pk}"}


# --- 离岗未及时联系 ------------------------------------------------------------------------------------------


def ended(laborer: Any = None, days_ago: int = 10, **kw: Any) -> Any:
    end = TODAY - timedelta(days=days_ago)
    return EmploymentRecordFactory(
        laborer=laborer or LaborerFactory(), start_date=date(2025, 1, 1), end_date=end, end_reason="resigned", **kw
    )


def test_leave_no_contact_after_seven_days(regions: Any) -> None:
    record = ended(days_ago=8)
    FollowUp.objects.create(
        laborer=record.laborer,
        region_id=record.region_id,
        contacted_on=TODAY - timedelta(days=5),
        method="phone",
        outcome="not_reached",  # an attempt is not a contact
    )
    run()
    warning = live("leave_no_contact")[f"R{record.pk}"]
    assert warning.laborer_id == record.laborer_id
    assert warning.due_date == record.end_date + timedelta(days=7)
    assert "7 天内无成功联系的寻访记录" in warning.detail


def test_leave_no_contact_not_when_contacted_or_within_the_deadline_or_working_again(regions: Any) -> None:
    contacted = ended(days_ago=20)
    FollowUp.objects.create(
        laborer=contacted.laborer,
        region_id=contacted.region_id,
        contacted_on=TODAY - timedelta(days=15),
        method="visit",
        outcome="not_working",
    )
    ended(days_ago=7)  # the deadline (end + 7) is today: not passed yet
    again = ended(days_ago=30)
    EmploymentRecordFactory(laborer=again.laborer, start_date=TODAY - timedelta(days=20))
    ended(days_ago=400)  # older than the look-back
    run()
    assert live("leave_no_contact") == {}


def test_leave_no_contact_days_from_the_tracking_settings(regions: Any) -> None:
    from laborcoop.employment.models import TrackingSettings

    TrackingSettings.objects.create(province_id="430000000000", values={"leave_contact_days": 14})
    early = ended(days_ago=10)
    late = ended(days_ago=15)
    run()
    assert set(live("leave_no_contact")) == {f"R{late.pk}"}
    assert early.pk != late.pk


# --- 工资连续未报、工资低于标准 --------------------------------------------------------------------------------


def test_wage_missing_for_two_complete_months(regions: Any) -> None:
    record = EmploymentRecordFactory(start_date=date(2026, 6, 1))
    wage(record, date(2026, 8, 1))
    run()
    warning = live("wage_missing")[f"R{record.pk}"]
    assert warning.detail == "泸溪县测试农业合作社：2026年9月至2026年10月无工资发放记录"


def test_wage_missing_not_with_a_recent_wage_a_young_job_or_self_employment(regions: Any) -> None:
    paid = EmploymentRecordFactory(start_date=date(2026, 6, 1))
    wage(paid, date(2026, 10, 1))
    EmploymentRecordFactory(start_date=date(2026, 10, 5))
    EmploymentRecordFactory(start_date=date(2026, 1, 1), channel=ec.Channel.SELF_EMPLOYED)
    EmploymentRecordFactory(start_date=date(2026, 1, 1), end_date=date(2026, 8, 31), end_reason="resigned")
    run()
    assert live("wage_missing") == {}


def test_wage_missing_only_where_wages_are_reported(regions: Any) -> None:
    """Issue 13 item 19: casual work never reported is not checked; a platform enterprise's job is, and so is
    a job whose reports stopped."""
    EmploymentRecordFactory(start_date=date(2026, 6, 1))  # never reported, no enterprise on the platform
    at_enterprise = EmploymentRecordFactory(start_date=date(2026, 6, 1), enterprise=EnterpriseFactory())
    run()
    assert set(live("wage_missing")) == {f"R{at_enterprise.pk}"}


def test_wage_missing_months_from_settings(regions: Any) -> None:
    settings_for({"wage_missing": {"months": 1}})
    record = EmploymentRecordFactory(start_date=date(2026, 6, 1))
    wage(record, date(2026, 9, 1))
    run()
    assert live("wage_missing")[f"R{record.pk}"].detail == "泸溪县测试农业合作社：2026年10月无工资发放记录"


def test_wage_low_latest_month_or_stated_wage_below_400(regions: Any) -> None:
    paid_low = EmploymentRecordFactory(start_date=date(2026, 1, 1))
    wage(paid_low, date(2026, 9, 1), 3000)
    wage(paid_low, date(2026, 10, 1), 350)
    stated_low = EmploymentRecordFactory(start_date=date(2026, 1, 1), monthly_wage=300)
    run()
    found = live("wage_low")
    assert set(found) == {f"R{paid_low.pk}", f"R{stated_low.pk}"}
    assert found[f"R{paid_low.pk}"].detail == "2026年10月实发工资 350 元，低于 400 元"
    assert found[f"R{stated_low.pk}"].detail == "登记月收入 300 元，低于 400 元"


def test_wage_low_not_when_the_latest_wage_is_normal(regions: Any) -> None:
    record = EmploymentRecordFactory(start_date=date(2026, 1, 1), monthly_wage=300)
    wage(record, date(2026, 9, 1), 350)
    wage(record, date(2026, 10, 1), 3200)  # the latest month counts, not the stated wage
    EmploymentRecordFactory(start_date=date(2026, 1, 1), monthly_wage=3000)
    run()
    assert live("wage_low") == {}


def test_wage_low_threshold_from_settings(regions: Any) -> None:
    settings_for({"wage_low": {"threshold": 3500}})
    record = EmploymentRecordFactory(start_date=date(2026, 1, 1), monthly_wage=3000)
    run()
    assert live("wage_low")[f"R{record.pk}"].detail == "登记月收入 3000 元，低于 3500 元"


# --- 在岗未参保 ---------------------------------------------------------------------------------------------


def test_insurance_missing_for_a_worker(regions: Any) -> None:
    record = EmploymentRecordFactory(start_date=date(2026, 5, 1), contract_signed=True)
    run()
    assert "未登记参保险种" in live("insurance_missing")[f"R{record.pk}"].detail


def test_insurance_missing_not_for_casual_work_without_a_labor_contract(regions: Any) -> None:
    """Issue 13 item 19: only a labor contract makes employee insurance compulsory (the checkers' practice)."""
    EmploymentRecordFactory(start_date=date(2026, 5, 1), contract_signed=False)
    EmploymentRecordFactory(start_date=date(2026, 5, 1), contract_signed=None)
    run()
    assert live("insurance_missing") == {}


def test_insurance_missing_not_with_types_or_months_or_a_new_job(regions: Any) -> None:
    EmploymentRecordFactory(
        start_date=date(2026, 5, 1), insurance_types=[ec.InsuranceType.WORK_INJURY], contract_signed=True
    )
    reported = EmploymentRecordFactory(start_date=date(2026, 5, 1), contract_signed=True)
    InsuranceMonth.objects.create(
        laborer=reported.laborer,
        record=reported,
        region_id=reported.region_id,
        month=date(2026, 10, 1),
        insurance_type=ec.InsuranceType.WORK_INJURY,
    )
    EmploymentRecordFactory(start_date=date(2026, 9, 1), contract_signed=True)  # not three months yet
    run()
    assert live("insurance_missing") == {}


# --- 无法联系 ----------------------------------------------------------------------------------------------


def test_unreachable(regions: Any) -> None:
    laborer = LaborerFactory(unreachable=True, unreachable_since=date(2026, 10, 1))
    LaborerFactory(unreachable=True, vital_status=VitalStatus.DECEASED)
    LaborerFactory()
    run()
    found = live("unreachable")
    assert set(found) == {f"L{laborer.pk}"}
    assert found[f"L{laborer.pk}"].detail == "自 2026-10-01 起无法联系"


# --- 就业记录重叠、矛盾 ------------------------------------------------------------------------------------


def test_record_overlap(regions: Any) -> None:
    laborer = LaborerFactory(employment_status=rc.EmploymentStatus.EMPLOYED)
    a = EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    b = EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 5, 1), end_date=date(2024, 12, 31))
    run()
    warning = live("record_overlap")[f"L{laborer.pk}"]
    assert warning.data == {"records": sorted([a.pk, b.pk])}
    assert warning.detail == "2 条就业记录的时间段相互重叠"


def test_record_handover_on_one_day_is_no_overlap(regions: Any) -> None:
    laborer = LaborerFactory(employment_status=rc.EmploymentStatus.EMPLOYED)
    EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 6, 30))
    run()
    assert live("record_overlap") == {}


def test_channel_outside_the_county(regions: Any) -> None:
    wrong = EmploymentRecordFactory(channel=ec.Channel.PUBLIC_WELFARE, work_region_id=FENGHUANG)
    EmploymentRecordFactory(channel=ec.Channel.ASSIST_WORKSHOP)  # 泸溪县 itself: fine
    EmploymentRecordFactory(channel=ec.Channel.MIGRANT, work_region_id=FENGHUANG)
    run()
    found = live("channel_contradiction")
    assert set(found) == {f"R{wrong.pk}"}
    assert found[f"R{wrong.pk}"].detail == "就业渠道为“公益性岗位”，但务工地域为“省内县外”（该渠道只能在县内）"


def test_status_contradicts_the_records(regions: Any) -> None:
    employed_without = LaborerFactory(employment_status=rc.EmploymentStatus.EMPLOYED)
    unemployed_with = EmploymentRecordFactory(laborer=LaborerFactory()).laborer
    consistent = EmploymentRecordFactory(laborer=LaborerFactory(employment_status=rc.EmploymentStatus.EMPLOYED)).laborer
    LaborerFactory(employment_status=rc.EmploymentStatus.FARMING)
    run()
    found = live("status_contradiction")
    assert set(found) == {f"L{employed_without.pk}", f"L{unemployed_with.pk}"}
    assert found[f"L{unemployed_with.pk}"].detail == "有在岗的就业记录，但就业状态为“未就业”"
    assert f"L{consistent.pk}" not in found


# --- 在校生或未满16周岁务工、公益岗人员年龄超限 --------------------------------------------------------------------


def test_student_or_minor_working(regions: Any) -> None:
    student = EmploymentRecordFactory(
        laborer=LaborerFactory(student_status=rc.StudentStatus.SENIOR_3, education=""), start_date=date(2026, 7, 1)
    )
    minor = EmploymentRecordFactory(laborer=LaborerFactory(birth_date=date(2010, 12, 1)), start_date=date(2026, 6, 1))
    run()
    found = live("minor_working")
    assert set(found) == {f"R{student.pk}", f"R{minor.pk}"}
    assert found[f"R{minor.pk}"].detail == "开始务工时（2026-06-01）未满16周岁（15 周岁）"
    assert found[f"R{student.pk}"].detail == "在校生（普通高中三年级）登记为在岗务工"


def test_adult_worker_and_ended_student_job_are_not_warned(regions: Any) -> None:
    EmploymentRecordFactory(laborer=LaborerFactory(birth_date=date(2010, 6, 1)), start_date=date(2026, 6, 1))  # 16
    EmploymentRecordFactory(
        laborer=LaborerFactory(student_status=rc.StudentStatus.SENIOR_3, education=""),
        start_date=date(2026, 7, 1),
        end_date=date(2026, 8, 31),
        end_reason="seasonal",
    )
    run()
    assert live("minor_working") == {}


def test_public_welfare_holder_aged_70(regions: Any) -> None:
    old = EmploymentRecordFactory(
        laborer=LaborerFactory(birth_date=date(1956, 11, 22)), channel=ec.Channel.PUBLIC_WELFARE
    )
    EmploymentRecordFactory(laborer=LaborerFactory(birth_date=date(1956, 11, 23)), channel=ec.Channel.PUBLIC_WELFARE)
    EmploymentRecordFactory(laborer=LaborerFactory(birth_date=date(1950, 1, 1)), channel=ec.Channel.MIGRANT)
    run()
    found = live("public_welfare_elderly")
    assert set(found) == {f"R{old.pk}"}
    assert found[f"R{old.pk}"].data == {"record": old.pk, "age": 70}


def test_public_welfare_age_from_settings(regions: Any) -> None:
    settings_for({"public_welfare_elderly": {"age": 65}})
    record = EmploymentRecordFactory(
        laborer=LaborerFactory(birth_date=date(1960, 1, 1)), channel=ec.Channel.PUBLIC_WELFARE
    )
    run()
    assert set(live("public_welfare_elderly")) == {f"R{record.pk}"}


# --- 户主不唯一、电话多户共用、监测户无帮扶措施 --------------------------------------------------------------------


def test_household_without_exactly_one_head(regions: Any) -> None:
    two = HouseholdFactory()
    LaborerFactory(household=two)
    LaborerFactory(household=two)
    none = HouseholdFactory()
    LaborerFactory(household=none, relation=rc.Relation.HEAD, vital_status=VitalStatus.DECEASED)
    LaborerFactory(household=none, relation=rc.Relation.SPOUSE)
    one = HouseholdFactory()
    LaborerFactory(household=one)
    LaborerFactory(household=one, relation=rc.Relation.SON)
    run()
    found = live("household_head")
    assert set(found) == {f"H{two.pk}", f"H{none.pk}"}
    assert found[f"H{two.pk}"].detail == "家庭中有 2 名户主"
    assert found[f"H{none.pk}"].detail == "家庭在世成员中没有户主"


def test_phone_shared_across_households(regions: Any) -> None:
    a, b, c = HouseholdFactory(), HouseholdFactory(phone="13900000001"), HouseholdFactory()
    LaborerFactory(household=a, phone="13900000001")
    LaborerFactory(household=b, phone="13700000002")
    LaborerFactory(household=c, phone="13600000003")
    run()
    found = live("shared_phone")
    assert set(found) == {f"H{a.pk}", f"H{b.pk}"}
    assert found[f"H{a.pk}"].detail == "电话 139****0001 同时登记在 2 户"
    assert "13900000001" not in found[f"H{b.pk}"].detail + str(found[f"H{b.pk}"].data)


def test_phone_of_one_household_only_is_not_shared(regions: Any) -> None:
    household = HouseholdFactory(phone="13900000001")
    LaborerFactory(household=household, phone="13900000001")
    LaborerFactory(household=household, phone="13900000001", relation=rc.Relation.SPOUSE)
    LaborerFactory(household=HouseholdFactory(), phone="13900000001", vital_status=VitalStatus.DECEASED)
    run()
    assert live("shared_phone") == {}


def test_monitored_household_without_measure_after_six_months(regions: Any) -> None:
    household = HouseholdFactory(monitor_category=rc.MonitorCategory.UNSTABLE, identified_on=date(2026, 3, 1))
    member = LaborerFactory(household=household)
    EmploymentRecordFactory(laborer=member, start_date=date(2025, 1, 1), end_date=date(2026, 2, 1), end_reason="other")
    run()
    warning = live("monitored_no_measure")[f"H{household.pk}"]
    assert warning.due_date == date(2026, 9, 1)
    assert warning.detail == "脱贫不稳定户，2026-03-01 识别，6 个月内未落实就业等开发式帮扶措施"


def test_monitored_household_with_measure_or_recent_or_eliminated(regions: Any) -> None:
    working = HouseholdFactory(monitor_category=rc.MonitorCategory.MARGINAL, identified_on=date(2026, 1, 1))
    member = LaborerFactory(household=working)
    EmploymentRecordFactory(laborer=member, start_date=date(2025, 1, 1), end_date=date(2026, 4, 1), end_reason="other")
    recent = HouseholdFactory(monitor_category=rc.MonitorCategory.MARGINAL, identified_on=date(2026, 6, 1))
    LaborerFactory(household=recent)
    eliminated = HouseholdFactory(
        monitor_category=rc.MonitorCategory.MARGINAL, identified_on=date(2025, 1, 1), risk_eliminated=True
    )
    LaborerFactory(household=eliminated)
    LaborerFactory(household=HouseholdFactory(identified_on=date(2025, 1, 1)))  # not monitored
    run()
    assert live("monitored_no_measure") == {}


def test_a_disabled_rule_raises_nothing(regions: Any) -> None:
    settings_for({"unreachable": {"enabled": False}})
    LaborerFactory(unreachable=True)
    run()
    assert live("unreachable") == {}


def test_severity_from_settings(regions: Any) -> None:
    settings_for({"unreachable": {"severity": "high"}})
    laborer = LaborerFactory(unreachable=True)
    run()
    assert live("unreachable")[f"L{laborer.pk}"].severity == "high"


def test_settings_of_another_province_do_not_apply(regions: Any) -> None:
    WarningSettings.objects.create(province_id="370000000000", values={"unreachable": {"enabled": False}})
    laborer = LaborerFactory(unreachable=True)
    run()
    assert set(live("unreachable")) == {f"L{laborer.pk}"}
