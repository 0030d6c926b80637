"""enterprise_create / enterprise_update: validation, scope, roles, optimistic version, audit."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.phone import PHONE_BAD_CONTACT, PHONE_REQUIRED
from laborcoop.core.validation.uscc import USCC_BAD_CHECKSUM, USCC_BAD_LENGTH, USCC_REQUIRED
from laborcoop.employers import services as s
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import Region
from tests.employers.conftest import LUXI_USCC, NEW_USCC, enterprise_data
from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


def audit_rows(instance: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk)).order_by("id")
    )


# --- create -----------------------------------------------------------------------------------------------


def test_county_officer_registers_an_enterprise_in_his_county(users: dict[str, Any]) -> None:
    officer = users["county_officer"]

    enterprise = s.enterprise_create(
        acting_user=officer,
        data=enterprise_data(uscc=" " + NEW_USCC.lower(), contact_phone="0743 422 1234", region_code="433122"),
    )

    enterprise.refresh_from_db()
    assert enterprise.name == "泸溪浦市农产品加工有限公司"
    assert enterprise.uscc == NEW_USCC
    assert enterprise.region_id == "433122000000"
    assert enterprise.contact_phone == "0743-4221234"
    assert enterprise.is_assist_workshop is True
    assert enterprise.version == 1
    [entry] = audit_rows(enterprise)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == officer
    assert entry.region_code == "433122000000"
    assert entry.changes["name"] == [None, "泸溪浦市农产品加工有限公司"]
    assert entry.changes["uscc"] == [None, NEW_USCC]
    assert entry.changes["region"] == [None, "433122000000"]
    assert entry.changes["contact_phone"] == [None, "074*****1234"]


def test_mobile_contact_phone_is_normalized_and_masked_in_audit(users: dict[str, Any]) -> None:
    enterprise = s.enterprise_create(
        acting_user=users["county_officer"], data=enterprise_data(contact_phone="+86 138-0743-1234")
    )

    assert enterprise.contact_phone == "13807431234"
    [entry] = audit_rows(enterprise)
    assert entry.changes["contact_phone"] == [None, "138****1234"]


@pytest.mark.parametrize("code", ["433122000000", "433122108000", "433122108201"])
def test_region_may_be_county_township_or_village(users: dict[str, Any], code: str) -> None:
    enterprise = s.enterprise_create(acting_user=users["county_officer"], data=enterprise_data(region_code=code))

    assert enterprise.region_id == code


def test_superuser_registers_anywhere(users: dict[str, Any]) -> None:
    root = users["county_officer"]
    root.is_superuser = True
    root.save()

    enterprise = s.enterprise_create(acting_user=root, data=enterprise_data(region_code="440306000000"))

    assert enterprise.region_id == "440306000000"


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"name": "  "}, "name", s.NAME_REQUIRED),
        ({"uscc": ""}, "uscc", USCC_REQUIRED),
        ({"uscc": "91433122MA4L0000"}, "uscc", USCC_BAD_LENGTH.format(length=16)),
        ({"uscc": NEW_USCC[:17] + ("0" if NEW_USCC[17] != "0" else "1")}, "uscc", USCC_BAD_CHECKSUM),
        ({"uscc": LUXI_USCC}, "uscc", s.USCC_TAKEN),
        ({"region_code": ""}, "region_code", s.REGION_REQUIRED),
        ({"region_code": "433122999999"}, "region_code", s.REGION_UNKNOWN),
        ({"region_code": "43312"}, "region_code", s.REGION_UNKNOWN),
        ({"region_code": "433100000000"}, "region_code", s.REGION_TOO_HIGH),
        ({"region_code": "430000000000"}, "region_code", s.REGION_TOO_HIGH),
        ({"region_code": "433123000000"}, "region_code", s.REGION_OUT_OF_SCOPE),
        ({"region_code": "440306000000"}, "region_code", s.REGION_OUT_OF_SCOPE),
        ({"industry": "Z"}, "industry", s.INDUSTRY_INVALID),
        ({"size": "huge"}, "size", s.SIZE_INVALID),
        ({"contact_name": ""}, "contact_name", s.CONTACT_NAME_REQUIRED),
        ({"contact_phone": ""}, "contact_phone", PHONE_REQUIRED),
        ({"contact_phone": "12345"}, "contact_phone", PHONE_BAD_CONTACT),
    ],
)
def test_create_rejects_invalid_input_and_saves_nothing(
    users: dict[str, Any], luxi: Enterprise, over: dict[str, Any], field: str, message: str
) -> None:
    before = (Enterprise.objects.count(), AuditEntry.objects.count())

    with pytest.raises(ValidationError) as exc:
        s.enterprise_create(acting_user=users["county_officer"], data=enterprise_data(**over))

    assert exc.value.message_dict == {field: [message]}
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == before


def test_abolished_region_is_refused(users: dict[str, Any]) -> None:
    Region.objects.filter(code="433122108000").update(valid_to="2024-01-01")

    with pytest.raises(ValidationError) as exc:
        s.enterprise_create(acting_user=users["county_officer"], data=enterprise_data(region_code="433122108000"))

    assert exc.value.message_dict == {"region_code": [s.REGION_ABOLISHED]}


def test_all_errors_are_reported_together(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as exc:
        s.enterprise_create(
            acting_user=users["county_officer"], data=enterprise_data(name="", contact_phone="x", region_code="")
        )

    assert exc.value.message_dict == {
        "name": [s.NAME_REQUIRED],
        "region_code": [s.REGION_REQUIRED],
        "contact_phone": [PHONE_BAD_CONTACT],
    }


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("enterprise", s.ENTERPRISE_USER_CANNOT_CREATE),
        ("broker", "您的角色无权执行此操作。"),
        ("viewer", "您的角色无权执行此操作。"),
        ("hotline", "您的角色无权执行此操作。"),
    ],
)
def test_roles_without_the_right_cannot_create(users: dict[str, Any], role: str, message: str) -> None:
    before = Enterprise.objects.count()

    with pytest.raises(PermissionDeniedError) as exc:
        s.enterprise_create(acting_user=users[role], data=enterprise_data(region_code="370102000000"))

    assert exc.value.message == message
    assert Enterprise.objects.count() == before
    assert AuditEntry.objects.count() == 0


# --- update -----------------------------------------------------------------------------------------------


def test_officer_updates_and_the_audit_row_holds_old_and_new(users: dict[str, Any], luxi: Enterprise) -> None:
    officer = users["county_officer"]

    saved = s.enterprise_update(
        acting_user=officer,
        enterprise=luxi,
        data=enterprise_data(
            name="泸溪白沙服饰有限公司", uscc=LUXI_USCC, region_code="433122107000", contact_phone="13907430000"
        ),
        expected_version=1,
    )

    luxi.refresh_from_db()
    assert luxi.name == "泸溪白沙服饰有限公司"
    assert luxi.version == 2 == saved.version
    [entry] = audit_rows(luxi)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == officer
    assert entry.changes["name"] == ["泸溪白沙制衣有限公司", "泸溪白沙服饰有限公司"]
    assert entry.changes["contact_phone"] == ["074*****1234", "139****0000"]
    assert "uscc" not in entry.changes
    assert "region" not in entry.changes


def test_keeping_its_own_credit_code_is_not_a_duplicate(users: dict[str, Any], luxi: Enterprise) -> None:
    s.enterprise_update(
        acting_user=users["county_officer"],
        enterprise=luxi,
        data=enterprise_data(uscc=LUXI_USCC),
        expected_version=1,
    )

    luxi.refresh_from_db()
    assert luxi.uscc == LUXI_USCC


def test_stale_version_is_a_conflict_and_changes_nothing(users: dict[str, Any], luxi: Enterprise) -> None:
    with pytest.raises(ConflictError):
        s.enterprise_update(
            acting_user=users["county_officer"],
            enterprise=luxi,
            data=enterprise_data(name="改名", uscc=LUXI_USCC),
            expected_version=0,
        )

    luxi.refresh_from_db()
    assert (luxi.name, luxi.version) == ("泸溪白沙制衣有限公司", 1)
    assert audit_rows(luxi) == []


def test_moving_an_enterprise_moves_its_jobs(users: dict[str, Any], luxi: Enterprise) -> None:
    job = JobPostingFactory(enterprise=luxi)

    s.enterprise_update(
        acting_user=users["county_officer"],
        enterprise=luxi,
        data=enterprise_data(uscc=LUXI_USCC, region_code="433122108201"),
        expected_version=1,
    )

    job.refresh_from_db()
    assert job.region_id == "433122108201"
    assert audit_rows(luxi)[0].changes["region"] == ["433122107000", "433122108201"]


def test_officer_cannot_move_an_enterprise_out_of_his_subtree(users: dict[str, Any], luxi: Enterprise) -> None:
    with pytest.raises(ValidationError) as exc:
        s.enterprise_update(
            acting_user=users["county_officer"],
            enterprise=luxi,
            data=enterprise_data(uscc=LUXI_USCC, region_code="433123000000"),
            expected_version=1,
        )

    assert exc.value.message_dict == {"region_code": [s.REGION_OUT_OF_SCOPE]}
    luxi.refresh_from_db()
    assert luxi.region_id == "433122107000"


def test_officer_of_another_county_cannot_update(users: dict[str, Any], luxi: Enterprise) -> None:
    with pytest.raises(ObjectNotFound):
        s.enterprise_update(
            acting_user=users["other_county_officer"],
            enterprise=luxi,
            data=enterprise_data(name="改名", uscc=LUXI_USCC, region_code="433123000000"),
            expected_version=1,
        )

    luxi.refresh_from_db()
    assert luxi.name == "泸溪白沙制衣有限公司"


def test_viewer_cannot_update(users: dict[str, Any], luxi: Enterprise) -> None:
    with pytest.raises(PermissionDeniedError):
        s.enterprise_update(
            acting_user=users["viewer"], enterprise=luxi, data=enterprise_data(uscc=LUXI_USCC), expected_version=1
        )


def _own_profile(jinan: Enterprise, **over: Any) -> dict[str, Any]:
    data = enterprise_data(name="济南测试制造股份有限公司", contact_name="赵经理", contact_phone="0531-88881234")
    for locked in s.ENTERPRISE_USER_LOCKED_FIELDS:
        data.pop(locked)
    data.update(over)
    return data


def test_enterprise_user_edits_own_profile_but_not_identity_region_or_designations(
    users: dict[str, Any], jinan: Enterprise
) -> None:
    s.enterprise_update(acting_user=users["enterprise"], enterprise=jinan, data=_own_profile(jinan), expected_version=1)

    jinan.refresh_from_db()
    assert jinan.name == "济南测试制造股份有限公司"
    assert jinan.contact_phone == "0531-88881234"
    assert jinan.region_id == "370102000000"
    assert jinan.is_assist_workshop is False
    [entry] = audit_rows(jinan)
    assert entry.actor == users["enterprise"]
    assert entry.region_code == "370102000000"


def test_enterprise_user_may_send_the_locked_fields_unchanged(users: dict[str, Any], jinan: Enterprise) -> None:
    data = _own_profile(
        jinan, uscc=jinan.uscc.lower(), region_code="370102", is_assist_workshop=False, is_assist_base=False
    )

    s.enterprise_update(acting_user=users["enterprise"], enterprise=jinan, data=data, expected_version=1)

    jinan.refresh_from_db()
    assert jinan.version == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uscc", NEW_USCC),
        ("region_code", "440306000000"),
        ("is_assist_workshop", True),
        ("is_assist_base", True),
    ],
)
def test_enterprise_user_cannot_change_locked_fields(
    users: dict[str, Any], jinan: Enterprise, field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        s.enterprise_update(
            acting_user=users["enterprise"],
            enterprise=jinan,
            data=_own_profile(jinan, **{field: value}),
            expected_version=1,
        )

    assert exc.value.message_dict == {field: [s.ENTERPRISE_FIELD_LOCKED]}
    jinan.refresh_from_db()
    assert (jinan.name, jinan.version) == ("济南测试制造有限公司", 1)
    assert audit_rows(jinan) == []


def test_enterprise_user_cannot_update_another_enterprise(users: dict[str, Any], luxi: Enterprise) -> None:
    with pytest.raises(ObjectNotFound):
        s.enterprise_update(
            acting_user=users["enterprise"], enterprise=luxi, data=_own_profile(luxi), expected_version=1
        )

    luxi.refresh_from_db()
    assert luxi.name == "泸溪白沙制衣有限公司"


def test_jobs_keep_their_enterprise_region_after_the_enterprise_edit(users: dict[str, Any], jinan: Enterprise) -> None:
    job = JobPostingFactory(enterprise=jinan)

    s.enterprise_update(acting_user=users["enterprise"], enterprise=jinan, data=_own_profile(jinan), expected_version=1)

    assert JobPosting.objects.get(pk=job.pk).region_id == "370102000000"
