"""Registry services: validation, scope, audit, optimistic locking, nothing half-saved."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.registry import services
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.household import NO_HEAD
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

HEAD_ID = make_id_number("433122", date(1978, 3, 15), 31)  # male
WIFE_ID = make_id_number("433122", date(1980, 6, 2), 42)  # female


def household_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "household_no": "433122108201000001",
        "region_code": "433122108201",
        "household_type": "脱贫户",
        "poverty_attribute": "一般脱贫户",
        "monitor_category": "",
        "identified_on": None,
        "risk_eliminated": None,
        "poverty_causes": ["因病"],
        "phone": "13912345678",
        "address": "黄家桥村3组",
    }
    data.update(overrides)
    return data


def member_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "向大山",
        "id_number": HEAD_ID,
        "relation": "户主",
        "education": "初中",
        "student_status": "",
        "health": ["健康"],
        "labor_skill": "普通劳动力",
        "political_status": "群众",
        "employment_status": "unemployed",
        "phone": "138 1234 5678",
        "work_region_willingness": ["01", "03"],
        "intended_occupations": ["普工"],
        "expected_wage": 4500,
        "training_needs": [],
        "unreachable": False,
    }
    data.update(overrides)
    return data


def test_household_create_writes_row_and_audit(users: dict[str, Any]) -> None:
    household = services.household_create(acting_user=users["county_officer"], data=household_data())
    assert household.region_id == "433122108201"
    entry = AuditEntry.objects.get(object_type="registry.household", object_id=str(household.pk))
    assert entry.action == "create"
    assert entry.actor == users["county_officer"]
    assert entry.changes["phone"] == [None, "139****5678"]


def test_household_outside_scope_is_rejected(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.household_create(acting_user=users["other_county_officer"], data=household_data())
    assert exc.value.message_dict["region"] == [services.REGION_OUT_OF_SCOPE]
    assert Household.objects.count() == 0


def test_household_must_be_in_a_village(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        services.household_create(acting_user=users["county_officer"], data=household_data(region_code="433122108000"))
    assert exc.value.message_dict["region"] == [services.HOUSEHOLD_REGION_NOT_VILLAGE]


def test_viewer_cannot_create(users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        services.household_create(acting_user=users["viewer"], data=household_data())
    assert Household.objects.count() == 0


def test_register_head_then_spouse(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    head = services.laborer_register(acting_user=officer, household=household, data=member_data())
    assert head.sex == "1"
    assert head.birth_date == date(1978, 3, 15)
    assert head.id_masked == HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:]
    assert head.phone == "13812345678"
    assert head.phone_last4 == "5678"
    assert HEAD_ID not in head.id_number_enc
    assert head.reveal_id_number() == HEAD_ID
    wife = services.laborer_register(
        acting_user=officer,
        household=household,
        data=member_data(name="田秀英", id_number=WIFE_ID, relation="配偶"),
    )
    assert wife.region_id == household.region_id
    audit = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(head.pk))
    assert HEAD_ID not in str(audit.changes)
    assert "13812345678" not in str(audit.changes)


def test_member_before_head_is_rejected(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    with pytest.raises(ValidationError) as exc:
        services.laborer_register(
            acting_user=officer, household=household, data=member_data(relation="之子", id_number=WIFE_ID)
        )
    assert exc.value.message_dict["relation"] == [services.HEAD_REQUIRED_FIRST]
    assert Laborer.objects.count() == 0


def test_second_head_and_same_sex_spouse_rejected(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    services.laborer_register(acting_user=officer, household=household, data=member_data())
    second_male = make_id_number("433122", date(1979, 1, 1), 11)
    with pytest.raises(ValidationError) as exc:
        services.laborer_register(
            acting_user=officer, household=household, data=member_data(id_number=second_male, relation="户主")
        )
    assert "只能有一位户主" in exc.value.message_dict["relation"][0]
    with pytest.raises(ValidationError) as exc:
        services.laborer_register(
            acting_user=officer, household=household, data=member_data(id_number=second_male, relation="配偶")
        )
    assert "性别相同" in exc.value.message_dict["relation"][0]
    assert Laborer.objects.count() == 1


def test_duplicate_id_anywhere_is_rejected(users: dict[str, Any]) -> None:
    LaborerFactory(household=HouseholdFactory(region_id="433123109201"), id_number=HEAD_ID)
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    with pytest.raises(ValidationError) as exc:
        services.laborer_register(acting_user=officer, household=household, data=member_data())
    assert exc.value.message_dict["id_number"] == [services.ID_ALREADY_REGISTERED]


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1"), "校验码"),
        ("433122197803150000", "Excel"),
        ("4.33122E+17", "Excel"),
        ("43312219780230311X", "出生日期"),
        ("", "身份证"),
    ],
)
def test_bad_id_numbers_are_rejected_with_chinese_messages(users: dict[str, Any], raw: str, fragment: str) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    with pytest.raises(ValidationError) as exc:
        services.laborer_register(acting_user=officer, household=household, data=member_data(id_number=raw))
    assert any(fragment in m for m in exc.value.message_dict["id_number"]), exc.value.message_dict
    assert Laborer.objects.count() == 0


def test_fifteen_digit_id_is_upgraded_after_confirmation(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    old = HEAD_ID[:6] + HEAD_ID[8:17]
    with pytest.raises(services.NeedsConfirmation) as exc:
        services.laborer_register(acting_user=officer, household=household, data=member_data(id_number=old))
    assert "升级" in exc.value.issues.warnings["id_number"][0]
    assert Laborer.objects.count() == 0
    laborer = services.laborer_register(
        acting_user=officer, household=household, data=member_data(id_number=old), confirm_warnings=True
    )
    assert laborer.reveal_id_number() == HEAD_ID
    assert "id_number" in laborer.warnings


def test_age_vs_labor_warning_is_stored(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    laborer = services.laborer_register(
        acting_user=officer,
        household=household,
        data=member_data(labor_skill="无劳动力"),
        confirm_warnings=True,
    )
    assert laborer.warnings["labor_skill"]


def test_update_with_stale_version_conflicts(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    laborer = services.laborer_register(acting_user=officer, household=household, data=member_data())
    services.laborer_update(
        acting_user=officer,
        laborer=laborer,
        data=member_data(id_number="", expected_wage=5000),
        expected_version=1,
    )
    laborer.refresh_from_db()
    assert laborer.expected_wage == 5000
    assert laborer.version == 2
    assert laborer.reveal_id_number() == HEAD_ID
    with pytest.raises(ConflictError):
        services.laborer_update(
            acting_user=officer,
            laborer=laborer,
            data=member_data(id_number="", expected_wage=6000),
            expected_version=1,
        )
    laborer.refresh_from_db()
    assert laborer.expected_wage == 5000
    entry = AuditEntry.objects.filter(object_type="registry.laborer", action="update").get()
    assert entry.changes == {"expected_wage": [4500, 5000]}


def test_set_head_swaps_relations_in_one_step(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    head = services.laborer_register(acting_user=officer, household=household, data=member_data())
    wife = services.laborer_register(
        acting_user=officer,
        household=household,
        data=member_data(name="田秀英", id_number=WIFE_ID, relation="配偶"),
    )
    services.household_set_head(acting_user=officer, household=household, new_head=wife, former_head_relation="配偶")
    head.refresh_from_db()
    wife.refresh_from_db()
    assert (head.relation, wife.relation) == ("配偶", "户主")


def test_relation_edit_leaving_no_head_is_rejected(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    head = services.laborer_register(acting_user=officer, household=household, data=member_data())
    with pytest.raises(ValidationError) as exc:
        services.laborer_update(
            acting_user=officer,
            laborer=head,
            data=member_data(id_number="", relation="之子"),
            expected_version=1,
        )
    assert exc.value.message_dict["relation"] == [NO_HEAD]


def test_reveal_requires_grant_and_is_audited(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(id_number=HEAD_ID)
    officer = users["county_officer"]
    with pytest.raises(PermissionDeniedError):
        services.laborer_reveal_id(acting_user=officer, laborer=laborer, reason="核对")
    officer.can_unmask_id = True
    officer.save()
    assert services.laborer_reveal_id(acting_user=officer, laborer=laborer, reason="核对社保") == HEAD_ID
    entry = AuditEntry.objects.get(action="unmask")
    assert (entry.actor, entry.reason, entry.object_id) == (officer, "核对社保", str(laborer.pk))
    other = users["other_county_officer"]
    other.can_unmask_id = True
    other.save()
    with pytest.raises(ObjectNotFound):
        services.laborer_reveal_id(acting_user=other, laborer=laborer, reason="核对")


def test_employment_summary_follows_an_ongoing_record(users: dict[str, Any]) -> None:
    """While a job is ongoing the status, employer and 务工地域 come from the record, not from this form."""
    from tests.employment.factories import EmploymentRecordFactory

    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    laborer = services.laborer_register(
        acting_user=officer,
        household=household,
        data=member_data(employment_status="employed", employer_name="泸溪县测试农业合作社", work_area="01"),
    )
    EmploymentRecordFactory(laborer=laborer, end_date=None)
    with pytest.raises(ValidationError) as exc:
        services.laborer_update(
            acting_user=officer,
            laborer=laborer,
            data=member_data(id_number="", employment_status="unemployed", employer_name="", work_area=""),
            expected_version=1,
        )
    errors = exc.value.message_dict
    assert errors["employment_status"] == [services.SUMMARY_FOLLOWS_RECORD]
    assert errors["employer_name"] == [services.SUMMARY_FOLLOWS_RECORD]
    laborer.refresh_from_db()
    assert (laborer.employment_status, laborer.version) == ("employed", 1)
    # Other fields still save while the summary is left as it is.
    services.laborer_update(
        acting_user=officer,
        laborer=laborer,
        data=member_data(
            id_number="",
            employment_status="employed",
            employer_name="泸溪县测试农业合作社",
            work_area="01",
            expected_wage=5200,
        ),
        expected_version=1,
    )
    laborer.refresh_from_db()
    assert laborer.expected_wage == 5200


def test_employment_summary_is_editable_without_an_ongoing_record(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    household = services.household_create(acting_user=officer, data=household_data())
    laborer = services.laborer_register(acting_user=officer, household=household, data=member_data())
    services.laborer_update(
        acting_user=officer,
        laborer=laborer,
        data=member_data(id_number="", employment_status="farming"),
        expected_version=1,
    )
    laborer.refresh_from_db()
    assert laborer.employment_status == "farming"
