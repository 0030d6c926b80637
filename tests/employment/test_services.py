"""employment.records.services: create / update / end, audit rows, the laborer's summary, scope and conflicts."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records import validation as v
from laborcoop.employment.records.counties import COUNTY_UNKNOWN
from laborcoop.employment.records.services import (
    ALREADY_ENDED,
    EmploymentData,
    NeedsConfirmation,
    employment_record_create,
    employment_record_end,
    employment_record_update,
)
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, LaborerFactory, fresh_id_number

pytestmark = pytest.mark.django_db

RECORD = "employment.employmentrecord"


def data(**kw: Any) -> EmploymentData:
    values: dict[str, Any] = {
        "start_date": date(2024, 3, 1),
        "work_county": "泸溪县",
        "employer_name": "泸溪县测试农业合作社",
        "industry": "A",
        "monthly_wage": 3000,
        "channel": "外出务工",
        "point_to_point": False,
    }
    values.update(kw)
    return EmploymentData(**values)


def _laborer_audits(laborer: Laborer) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="registry.laborer", object_id=str(laborer.pk)).order_by("id"))


@pytest.mark.parametrize(
    ("county", "code", "area"),
    [
        ("泸溪县", "433122000000", "01"),
        ("凤凰县", "433123000000", "02"),
        ("广东省深圳市宝安区", "440306000000", "03"),
        ("440306", "440306000000", "03"),
    ],
)
def test_create_derives_work_area(users: dict[str, Any], county: str, code: str, area: str) -> None:
    laborer = LaborerFactory()

    record = employment_record_create(
        acting_user=users["county_officer"], laborer=laborer, data=data(work_county=county)
    )

    assert (record.work_region_id, record.work_area, record.region_id) == (code, area, "433122107201")
    assert record.laborer_id == laborer.pk
    assert record.version == 1
    assert record.warnings == {}


def test_create_writes_audit_and_syncs_the_laborer(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    laborer = LaborerFactory()
    assert laborer.employment_status == "unemployed"

    record = employment_record_create(acting_user=officer, laborer=laborer, data=data(work_county="凤凰县"))

    entry = AuditEntry.objects.get(object_type=RECORD, object_id=str(record.pk))
    assert (entry.action, entry.actor, entry.region_code) == ("create", officer, "433122107201")
    assert entry.changes["start_date"] == [None, "2024-03-01"]
    assert entry.changes["work_region"] == [None, "433123000000"]
    assert entry.changes["monthly_wage"] == [None, 3000]
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.employer_name, laborer.work_area) == (
        "employed",
        "泸溪县测试农业合作社",
        "02",
    )
    assert laborer.version == 2
    [sync] = _laborer_audits(laborer)
    assert sync.changes == {
        "employment_status": ["unemployed", "employed"],
        "employer_name": ["", "泸溪县测试农业合作社"],
        "work_area": ["", "02"],
    }
    assert sync.actor == officer


def test_enterprise_fills_name_and_industry(users: dict[str, Any]) -> None:
    enterprise = EnterpriseFactory(name="济南测试电子有限公司", industry="C")
    record = employment_record_create(
        acting_user=users["county_officer"],
        laborer=LaborerFactory(),
        data=data(enterprise_id=enterprise.pk, employer_name="", industry="", work_county="历下区"),
    )
    assert (record.enterprise_id, record.employer_name, record.industry, record.work_area) == (
        enterprise.pk,
        "济南测试电子有限公司",
        "C",
        "03",
    )


def test_overlap_is_rejected_and_nothing_saved(users: dict[str, Any]) -> None:
    first = EmploymentRecordFactory(start_date=date(2024, 1, 1))
    audits = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as exc:
        employment_record_create(acting_user=users["county_officer"], laborer=first.laborer, data=data())

    assert exc.value.message_dict == {"start_date": [v.OVERLAP.format(start="2024-01-01", end=v.ONGOING)]}
    assert EmploymentRecord.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_a_job_after_the_previous_ended_is_accepted(users: dict[str, Any]) -> None:
    first = EmploymentRecordFactory(start_date=date(2023, 1, 1), end_date=date(2024, 2, 29), end_reason="resigned")
    record = employment_record_create(acting_user=users["county_officer"], laborer=first.laborer, data=data())
    assert record.pk
    assert EmploymentRecord.objects.filter(laborer=first.laborer).count() == 2


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"monthly_wage": 31000}, {"monthly_wage": [v.WAGE_OUT_OF_RANGE]}),
        (
            {"channel": "公益性岗位", "work_county": "凤凰县"},
            {"channel": [v.CHANNEL_NOT_IN_COUNTY.format(channel="公益性岗位", area="省内县外")]},
        ),
        ({"end_date": date(2024, 2, 1), "end_reason": "resigned"}, {"end_date": [v.END_BEFORE_START]}),
        ({"start_date": date.today() + timedelta(days=40)}, {"start_date": [v.START_TOO_FAR_AHEAD]}),
        ({"work_county": "火星县"}, {"work_county": [COUNTY_UNKNOWN.format(value="火星县")]}),
    ],
)
def test_invalid_data_is_rejected(users: dict[str, Any], kw: dict[str, Any], errors: dict[str, list[str]]) -> None:
    laborer = LaborerFactory()
    with pytest.raises(ValidationError) as exc:
        employment_record_create(acting_user=users["county_officer"], laborer=laborer, data=data(**kw))
    assert exc.value.message_dict == errors
    assert EmploymentRecord.objects.count() == 0
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.version) == ("unemployed", 1)


def test_under_16_is_rejected(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(id_number=fresh_id_number(birth=date(2010, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        employment_record_create(
            acting_user=users["county_officer"], laborer=laborer, data=data(start_date=date(2025, 6, 1))
        )
    assert exc.value.message_dict == {"start_date": [v.UNDER_WORKING_AGE.format(age=15)]}


def test_low_wage_needs_confirmation(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    with pytest.raises(NeedsConfirmation) as exc:
        employment_record_create(acting_user=users["county_officer"], laborer=laborer, data=data(monthly_wage=350))
    assert exc.value.issues.warnings == {"monthly_wage": [v.WAGE_LOW]}
    assert EmploymentRecord.objects.count() == 0

    record = employment_record_create(
        acting_user=users["county_officer"], laborer=laborer, data=data(monthly_wage=350), confirm_warnings=True
    )
    assert record.warnings == {"monthly_wage": [v.WAGE_LOW]}


def test_scope_and_role(users: dict[str, Any]) -> None:
    laborer = LaborerFactory()
    with pytest.raises(ObjectNotFound):
        employment_record_create(acting_user=users["other_county_officer"], laborer=laborer, data=data())
    with pytest.raises(PermissionDeniedError):
        employment_record_create(acting_user=users["viewer"], laborer=laborer, data=data())
    assert EmploymentRecord.objects.count() == 0
    # The village broker of the laborer's village may record jobs.
    assert employment_record_create(acting_user=users["broker"], laborer=laborer, data=data()).pk


def test_update_audits_the_change_and_checks_the_version(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    record = employment_record_create(acting_user=officer, laborer=LaborerFactory(), data=data())

    updated = employment_record_update(
        acting_user=officer, record=record, data=data(monthly_wage=4200), expected_version=1
    )

    assert (updated.monthly_wage, updated.version) == (4200, 2)
    entry = AuditEntry.objects.get(object_type=RECORD, object_id=str(record.pk), action="update")
    assert entry.changes == {"monthly_wage": [3000, 4200]}
    with pytest.raises(ConflictError):
        employment_record_update(acting_user=officer, record=record, data=data(monthly_wage=5000), expected_version=1)
    record.refresh_from_db()
    assert record.monthly_wage == 4200


def test_update_without_changes_writes_nothing(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    record = employment_record_create(acting_user=officer, laborer=LaborerFactory(), data=data())
    audits = AuditEntry.objects.count()
    same = employment_record_update(acting_user=officer, record=record, data=data(), expected_version=1)
    assert same.version == 1
    assert AuditEntry.objects.count() == audits


def test_end_makes_the_laborer_unemployed(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    laborer = LaborerFactory()
    record = employment_record_create(acting_user=officer, laborer=laborer, data=data())

    ended = employment_record_end(
        acting_user=officer,
        record=record,
        end_date=date(2024, 9, 30),
        end_reason="contract_expired",
        expected_version=1,
    )

    assert (ended.end_date, ended.end_reason, ended.version) == (date(2024, 9, 30), "contract_expired", 2)
    entry = AuditEntry.objects.get(object_type=RECORD, object_id=str(record.pk), action="update")
    assert entry.reason == "结束就业"
    assert entry.changes == {"end_date": [None, "2024-09-30"], "end_reason": ["", "contract_expired"]}
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.employer_name, laborer.work_area, laborer.version) == (
        "unemployed",
        "",
        "",
        3,
    )
    with pytest.raises(ValidationError) as exc:
        employment_record_end(
            acting_user=officer, record=ended, end_date=date(2024, 10, 1), end_reason="resigned", expected_version=2
        )
    assert exc.value.message_dict == {"end_date": [ALREADY_ENDED]}


def test_end_before_start_is_rejected(users: dict[str, Any]) -> None:
    record = EmploymentRecordFactory(start_date=date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        employment_record_end(
            acting_user=users["county_officer"],
            record=record,
            end_date=date(2024, 2, 1),
            end_reason="resigned",
            expected_version=1,
        )
    assert exc.value.message_dict == {"end_date": [v.END_BEFORE_START]}
    record.refresh_from_db()
    assert record.end_date is None


def test_past_job_does_not_touch_a_farmer(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(employment_status="farming")
    employment_record_create(
        acting_user=users["county_officer"],
        laborer=laborer,
        data=data(start_date=date(2020, 1, 1), end_date=date(2020, 12, 31), end_reason="seasonal"),
    )
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.version) == ("farming", 1)
    assert _laborer_audits(laborer) == []
