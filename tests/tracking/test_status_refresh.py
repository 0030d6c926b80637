"""Storing the derived status: the receiver of employment_changed (services and the work import), the set-based
refresh, the nightly run (time passing, chunks, subtrees), the province's threshold, insurance months and
follow-ups read from the database, and the command."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from laborcoop.employment.choices import EndReason, TrackStatus
from laborcoop.employment.models import EmploymentState, InsuranceMonth, TrackingSettings
from laborcoop.employment.records.services import EmploymentData, employment_record_create, employment_record_end
from laborcoop.registry.models import Laborer
from laborcoop.tracking.choices import ContactMethod, ContactOutcome
from laborcoop.tracking.models import FollowUp
from laborcoop.tracking.status.services import employment_states_refresh, employment_states_refresh_all
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.intake.helpers import run_file, write_xlsx
from tests.intake.test_import_work import HEADERS, work_row

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
SHENZHEN = "440306000000"
FENGHUANG = "433123000000"


def track(laborer: Laborer) -> EmploymentState:
    return EmploymentState.objects.get(laborer=laborer)


def data(start: date, county: str = "广东省深圳市宝安区", **kw: Any) -> EmploymentData:
    values: dict[str, Any] = {
        "start_date": start,
        "work_county": county,
        "employer_name": "深圳测试电子厂",
        "industry": "C",
        "monthly_wage": 4500,
        "channel": "外出务工",
        "point_to_point": False,
        "contract_signed": True,
        "insurance_types": ("城镇职工养老",),
    }
    values.update(kw)
    return EmploymentData(**values)


# --- the receiver -----------------------------------------------------------------------------------------


def test_services_keep_the_state_current_in_the_same_transaction(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    laborer = LaborerFactory()
    start = timezone.localdate() - timedelta(days=20)
    record = employment_record_create(acting_user=officer, laborer=laborer, data=data(start))
    state = track(laborer)
    assert (state.status, state.since, state.stable_months, state.region_id) == (
        TrackStatus.EMPLOYED,
        start,
        0,
        laborer.region_id,
    )
    assert state.last_work_area == "03"

    end = timezone.localdate() - timedelta(days=2)
    employment_record_end(
        acting_user=officer, record=record, end_date=end, end_reason=EndReason.DISMISSED, expected_version=1
    )
    state = track(laborer)
    assert (state.status, state.since, state.last_end_date, state.last_end_reason, state.last_work_area) == (
        TrackStatus.RETURNED,
        end,
        end,
        EndReason.DISMISSED,
        "03",
    )


def test_ending_a_job_in_the_home_county_makes_the_laborer_unemployed(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    laborer = LaborerFactory()
    start = timezone.localdate() - timedelta(days=200)
    record = employment_record_create(
        acting_user=officer, laborer=laborer, data=data(start, "泸溪县", employer_name="泸溪县合作社")
    )
    assert track(laborer).status == TrackStatus.STABLE  # 6 months, contract, insurance declared
    end = timezone.localdate() - timedelta(days=1)
    employment_record_end(
        acting_user=officer, record=record, end_date=end, end_reason=EndReason.RESIGNED, expected_version=1
    )
    assert (track(laborer).status, track(laborer).since) == (TrackStatus.UNEMPLOYED, end)


def test_work_import_refreshes_the_states_of_the_chunk(users: dict[str, Any], tmp_path: Path) -> None:
    away_id, home_id = fresh_id_number(), fresh_id_number()
    away = LaborerFactory(id_number=away_id, name="张建国")
    home = LaborerFactory(id_number=home_id, name="李秀英")
    untouched = LaborerFactory()
    rows = [
        work_row(away_id, away.name, 开始时间="2023-05-01", 结束时间="2023-12-31", 是否已务工="否"),
        work_row(home_id, home.name, 务工所在县="泸溪县", 就业渠道="帮扶车间", 务工月收入="2200"),
    ]
    job = run_file(users["county_officer"], write_xlsx(tmp_path / "w.xlsx", rows, HEADERS), "work")
    assert job.rows_created == 2
    assert (track(away).status, track(away).since, track(away).last_work_area) == (
        TrackStatus.RETURNED,
        date(2023, 12, 31),
        "03",
    )
    assert (track(home).status, track(home).since) == (TrackStatus.EMPLOYED, date(2024, 3, 1))  # no contract
    assert not EmploymentState.objects.filter(laborer=untouched).exists()  # not in the file: not touched


# --- the set-based refresh --------------------------------------------------------------------------------


def test_refresh_is_a_few_queries_for_any_number_of_laborers(regions: Any, django_assert_max_num_queries: Any) -> None:
    laborers = [LaborerFactory() for _ in range(12)]
    for i, laborer in enumerate(laborers[:8]):
        EmploymentRecordFactory(
            laborer=laborer,
            start_date=date(2024, 1, 1),
            end_date=None if i % 2 else date(2025, 1, 31),
            end_reason="" if i % 2 else EndReason.RESIGNED,
            contract_signed=True,
            insurance_types=["城镇职工养老"],
        )
    # laborers, records, settings, insurance (the stable candidates), follow-ups (the jobless), stored states,
    # one upsert.
    with django_assert_max_num_queries(7):
        written = employment_states_refresh([lab.pk for lab in laborers], today=TODAY)
    assert written == 12
    statuses = dict(EmploymentState.objects.values_list("laborer_id", "status"))
    assert [statuses[lab.pk] for lab in laborers] == ["unemployed", "stable"] * 4 + ["never"] * 4
    with django_assert_max_num_queries(6):
        assert employment_states_refresh([lab.pk for lab in laborers], today=TODAY) == 0  # nothing changed


def test_stable_threshold_comes_from_the_province_settings(regions: Any) -> None:
    laborer = LaborerFactory()
    EmploymentRecordFactory(
        laborer=laborer, start_date=date(2025, 1, 10), contract_signed=True, insurance_types=["工伤"]
    )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert (track(laborer).status, track(laborer).stable_months) == (TrackStatus.STABLE, 5)

    TrackingSettings.objects.create(province_id="430000000000", values={"stable_months": 6})
    assert employment_states_refresh([laborer.pk], today=TODAY) == 1
    assert track(laborer).status == TrackStatus.EMPLOYED
    # Another province's setting does not apply.
    TrackingSettings.objects.filter(province_id="430000000000").delete()
    TrackingSettings.objects.create(province_id="370000000000", values={"stable_months": 12})
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.STABLE


def test_insurance_months_are_evidence_of_insurance(regions: Any) -> None:
    laborer = LaborerFactory()
    record = EmploymentRecordFactory(
        laborer=laborer, start_date=date(2024, 10, 1), contract_signed=True, insurance_types=[]
    )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.EMPLOYED  # nothing declared, nothing paid
    for month in (date(2025, 3, 1), date(2025, 4, 1)):
        InsuranceMonth.objects.create(
            laborer=laborer, record=record, region_id=laborer.region_id, month=month, insurance_type="城镇职工养老"
        )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.STABLE  # April is within the two months before June
    employment_states_refresh([laborer.pk], today=date(2025, 7, 1))
    assert track(laborer).status == TrackStatus.EMPLOYED  # nothing paid for May or June: insurance stopped


def test_follow_ups_after_the_end_are_read(regions: Any, users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    EmploymentRecordFactory(
        laborer=laborer,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 5, 1),
        end_reason=EndReason.RESIGNED,
        work_region_id=SHENZHEN,
    )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.RETURNED
    FollowUp.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        contacted_on=date(2025, 5, 3),
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.NOT_WORKING,
    )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.UNEMPLOYED
    FollowUp.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        contacted_on=date(2025, 4, 3),  # before the end: ignored
        method=ContactMethod.VISIT,
        outcome=ContactOutcome.RETURNED,
    )
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.UNEMPLOYED


def test_deceased_laborers_keep_a_computed_status(regions: Any) -> None:
    laborer = LaborerFactory(vital_status="deceased", vital_status_date=date(2025, 5, 1))
    EmploymentRecordFactory(laborer=laborer, start_date=date(2024, 1, 1), contract_signed=True)
    employment_states_refresh([laborer.pk], today=TODAY)
    assert track(laborer).status == TrackStatus.EMPLOYED


# --- the nightly run --------------------------------------------------------------------------------------


def test_nightly_run_moves_statuses_with_time_and_writes_only_changes(regions: Any) -> None:
    becoming_stable = LaborerFactory()
    EmploymentRecordFactory(
        laborer=becoming_stable, start_date=date(2025, 5, 1), contract_signed=True, insurance_types=["失业"]
    )
    nobody = [LaborerFactory() for _ in range(4)]
    fenghuang = LaborerFactory(household=HouseholdFactory(region_id="433123109201"))
    EmploymentRecordFactory(laborer=fenghuang, start_date=date(2025, 1, 1), work_region_id=FENGHUANG)

    assert employment_states_refresh_all(today=TODAY, batch_size=2) == 6
    assert track(becoming_stable).status == TrackStatus.EMPLOYED
    assert {track(n).status for n in nobody} == {TrackStatus.NEVER}
    assert employment_states_refresh_all(today=TODAY, batch_size=2) == 0
    first_computed = track(becoming_stable).computed_at

    # No write happened, but on 1 August the job has lasted three whole months.
    assert employment_states_refresh_all(today=date(2025, 8, 1), batch_size=2) == 2  # and fenghuang's months
    assert (track(becoming_stable).status, track(becoming_stable).stable_months) == (TrackStatus.STABLE, 3)
    assert track(becoming_stable).computed_at > first_computed


def test_nightly_run_of_a_subtree_leaves_others_alone(regions: Any) -> None:
    luxi = LaborerFactory()
    fenghuang = LaborerFactory(household=HouseholdFactory(region_id="433123109201"))
    assert employment_states_refresh_all(today=TODAY, region_prefix="433123") == 1
    assert list(EmploymentState.objects.values_list("laborer_id", flat=True)) == [fenghuang.pk]
    assert employment_states_refresh_all(today=TODAY, region_prefix="433122", batch_size=1) == 1
    assert track(luxi).status == TrackStatus.NEVER


def test_nightly_run_follows_a_laborer_who_moved_region(regions: Any) -> None:
    laborer = LaborerFactory()
    employment_states_refresh_all(today=TODAY)
    Laborer.objects.filter(pk=laborer.pk).update(region_id="433123109201")
    assert employment_states_refresh_all(today=TODAY) == 1
    assert track(laborer).region_id == "433123109201"


def test_command(regions: Any) -> None:
    laborer = LaborerFactory()
    EmploymentRecordFactory(laborer=laborer, start_date=date(2025, 1, 1))
    out = StringIO()
    call_command("refresh_employment_states", "--today", "2025-06-15", stdout=out)
    assert "就业状态计算完成：写入 1 条" in out.getvalue()
    assert track(laborer).status == TrackStatus.EMPLOYED
    with pytest.raises(CommandError, match="区划代码"):
        call_command("refresh_employment_states", "--region", "湘西")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refresh_employment_states", "--today", "2025/6/15")


def test_nightly_update_never_overwrites_a_row_changed_after_it_was_read(regions: Any) -> None:
    """The nightly run reads the stored rows before the records and updates a row only where it still holds
    what was read: a write whose receiver stored a newer status meanwhile keeps it."""
    from django.db.models import Q

    from laborcoop.tracking.status.store import states_stored, states_update_unless_changed

    laborer, other = LaborerFactory(), LaborerFactory()
    employment_states_refresh([laborer.pk, other.pk], today=TODAY)  # both 无就业记录 (NULL dates)
    read = states_stored(Q(laborer_id__in=[laborer.pk, other.pk]))
    # Meanwhile a write gives `laborer` a job and its receiver stores the new status.
    EmploymentRecordFactory(laborer=laborer, start_date=date(2025, 6, 1))
    employment_states_refresh([laborer.pk], today=TODAY)
    stale = (laborer.region_id, "returned", date(2025, 5, 1), 0, date(2025, 5, 1), "resigned", "03")
    states_update_unless_changed([laborer.pk, other.pk], {laborer.pk: stale, other.pk: stale}, read)
    assert (track(laborer).status, track(laborer).since) == (TrackStatus.EMPLOYED, date(2025, 6, 1))
    assert (track(other).status, track(other).since, track(other).last_end_reason) == (
        TrackStatus.RETURNED,
        date(2025, 5, 1),
        "resigned",
    )


@pytest.fixture
def staged_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large writes (COPY into a staging table on PostgreSQL) for any number of rows."""
    from laborcoop.tracking.status import store as status_store

    monkeypatch.setattr(status_store, "COPY_THRESHOLD", 1)


def test_nightly_run_with_staged_writes(regions: Any, staged_writes: None) -> None:
    test_nightly_run_moves_statuses_with_time_and_writes_only_changes(regions)


def test_conditional_update_with_staged_writes(regions: Any, staged_writes: None) -> None:
    test_nightly_update_never_overwrites_a_row_changed_after_it_was_read(regions)
