"""accounts.services: who may create and change which accounts, and the audit trail they leave."""

import json
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from laborcoop.accounts import services as s
from laborcoop.accounts.models import User
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from tests.conftest import make_user
from tests.factories import EnterpriseFactory

PASSWORD = "Xiangxi-2026!"
LUXI = "433122000000"
FENGHUANG = "433123000000"
SHAOYANG_COUNTY = "430523000000"
WUXI_TOWN = "433122107000"
HEITANG_VILLAGE = "433122107201"


def _create(acting_user: Any, **overrides: Any) -> User:
    kwargs: dict[str, Any] = {
        "acting_user": acting_user,
        "username": "new_officer",
        "password": PASSWORD,
        "roles": ["officer"],
        "home_region_code": LUXI,
        "full_name": "李四",
        "phone": "13812345678",
    }
    kwargs.update(overrides)
    return s.user_create(**kwargs)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _assert_nothing_created(users_before: int, audit_before: int) -> None:
    assert User.objects.count() == users_before
    assert AuditEntry.objects.count() == audit_before


# --- user_create ------------------------------------------------------------------------------------------


def test_prefecture_admin_creates_county_officer_with_audit(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    created = _create(admin)

    created.refresh_from_db()
    assert created.roles == ["officer"]
    assert created.home_region_id == LUXI
    assert created.first_name == "李四"
    assert created.is_active
    assert created.check_password(PASSWORD)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == admin
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(created.pk)
    assert entry.region_code == LUXI
    assert entry.changes["roles"] == [None, ["officer"]]
    assert entry.changes["phone"] == [None, "138****5678"]
    stored = json.dumps(entry.changes, ensure_ascii=False)
    assert "password" not in stored
    assert created.password not in stored
    assert "13812345678" not in stored


def test_admin_may_create_in_own_region(users: dict[str, User]) -> None:
    created = _create(users["prefecture_admin"], home_region_code="433100000000", roles=["viewer"])

    assert created.home_region_id == "433100000000"


def test_non_admin_cannot_create(users: dict[str, User]) -> None:
    before = User.objects.count()

    with pytest.raises(PermissionDeniedError):
        _create(users["county_officer"])

    _assert_nothing_created(before, 0)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (SHAOYANG_COUNTY, s.REGION_OUT_OF_SCOPE),
        ("430000000000", s.REGION_OUT_OF_SCOPE),
        ("433199999999", s.REGION_UNKNOWN),
        ("", s.REGION_REQUIRED),
    ],
)
def test_home_region_must_exist_in_admins_subtree(users: dict[str, User], code: str, message: str) -> None:
    before = User.objects.count()

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], home_region_code=code)

    assert _errors(exc) == {"home_region_code": [message]}
    _assert_nothing_created(before, 0)


def test_abolished_region_is_refused(users: dict[str, User], regions: dict[str, Any]) -> None:
    from datetime import date

    village = regions["433122107202"]
    village.valid_to = date(2024, 1, 1)
    village.save()

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], home_region_code="433122107202", roles=["broker"])

    assert _errors(exc) == {"home_region_code": [s.REGION_ABOLISHED]}


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["superhero"], s.ROLE_UNKNOWN.format(role="superhero")),
        ([], s.ROLES_REQUIRED),
    ],
)
def test_roles_must_be_known(users: dict[str, User], roles: list[str], message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=roles)

    assert _errors(exc) == {"roles": [message]}
    assert not User.objects.filter(username="new_officer").exists()


def test_roles_are_stored_once_in_role_order(users: dict[str, User]) -> None:
    created = _create(users["prefecture_admin"], roles=["viewer", "officer", "viewer"])

    assert created.roles == ["officer", "viewer"]


def test_username_is_unique_case_insensitively(users: dict[str, User]) -> None:
    before = User.objects.count()

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], username="XIAN_T")

    assert _errors(exc) == {"username": [s.USERNAME_TAKEN]}
    assert s.USERNAME_TAKEN == "该账号已存在。"
    _assert_nothing_created(before, 0)


def test_username_is_required(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], username="  ")

    assert _errors(exc) == {"username": [s.USERNAME_REQUIRED]}


def test_password_is_checked_by_django_validators(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as expected:
        validate_password("12345678")
    before = User.objects.count()

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], password="12345678")

    assert _errors(exc) == {"password": expected.value.messages}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in expected.value.messages)  # Chinese text
    _assert_nothing_created(before, 0)


def test_bad_phone_is_refused(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], phone="12345")

    assert list(_errors(exc)) == ["phone"]


def test_every_problem_is_reported_at_once(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], username="xian_t", roles=[], home_region_code=SHAOYANG_COUNTY)

    assert _errors(exc) == {
        "username": [s.USERNAME_TAKEN],
        "roles": [s.ROLES_REQUIRED],
        "home_region_code": [s.REGION_OUT_OF_SCOPE],
    }


# --- enterprise users -------------------------------------------------------------------------------------


def test_enterprise_user_is_bound_to_an_enterprise_in_scope(users: dict[str, User]) -> None:
    enterprise = EnterpriseFactory(region_id=LUXI, name="泸溪县测试农业有限公司")

    created = _create(
        users["prefecture_admin"], roles=["enterprise"], home_region_code="", enterprise_uscc=enterprise.uscc
    )

    assert created.enterprise == enterprise
    assert created.home_region_id == LUXI


def test_enterprise_user_region_may_be_given_when_it_matches(users: dict[str, User]) -> None:
    enterprise = EnterpriseFactory(region_id=LUXI)

    created = _create(
        users["prefecture_admin"], roles=["enterprise"], home_region_code=LUXI, enterprise_uscc=enterprise.uscc
    )

    assert created.home_region_id == LUXI


def test_enterprise_user_region_must_match_enterprise(users: dict[str, User]) -> None:
    enterprise = EnterpriseFactory(region_id=LUXI)

    with pytest.raises(ValidationError) as exc:
        _create(
            users["prefecture_admin"],
            roles=["enterprise"],
            home_region_code=FENGHUANG,
            enterprise_uscc=enterprise.uscc,
        )

    assert _errors(exc) == {"home_region_code": [s.ENTERPRISE_REGION_MISMATCH]}


def test_enterprise_outside_subtree_is_not_found(users: dict[str, User]) -> None:
    jinan = users["enterprise"].enterprise
    assert jinan is not None

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["enterprise"], home_region_code="", enterprise_uscc=jinan.uscc)

    assert _errors(exc) == {"enterprise_uscc": [s.ENTERPRISE_NOT_FOUND]}


def test_missing_enterprise_is_not_found(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["enterprise"], enterprise_uscc="91433122MA0000000X")

    assert _errors(exc)["enterprise_uscc"] == [s.ENTERPRISE_NOT_FOUND]


def test_enterprise_role_requires_an_enterprise(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["enterprise"], home_region_code=LUXI)

    assert _errors(exc) == {"enterprise_uscc": [s.ENTERPRISE_REQUIRED]}


def test_enterprise_role_cannot_be_combined_with_staff_roles(users: dict[str, User]) -> None:
    enterprise = EnterpriseFactory(region_id=LUXI)

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["enterprise", "officer"], enterprise_uscc=enterprise.uscc)

    assert _errors(exc) == {"roles": [s.ENTERPRISE_ROLE_EXCLUSIVE]}


def test_only_enterprise_users_are_bound_to_an_enterprise(users: dict[str, User]) -> None:
    enterprise = EnterpriseFactory(region_id=LUXI)

    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["officer"], enterprise_uscc=enterprise.uscc)

    assert _errors(exc) == {"enterprise_uscc": [s.ENTERPRISE_ONLY_FOR_ENTERPRISE_ROLE]}


# --- brokers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [HEITANG_VILLAGE, WUXI_TOWN])
def test_broker_lives_in_a_village_or_township(users: dict[str, User], code: str) -> None:
    created = _create(users["prefecture_admin"], roles=["broker"], home_region_code=code)

    assert created.home_region_id == code


@pytest.mark.parametrize("code", [LUXI, "433100000000"])
def test_broker_above_township_is_refused(users: dict[str, User], code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], roles=["broker"], home_region_code=code)

    assert _errors(exc) == {"home_region_code": [s.BROKER_REGION_LEVEL]}


# --- the unmask grant -------------------------------------------------------------------------------------


def test_admin_without_unmask_cannot_grant_it(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(users["prefecture_admin"], can_unmask_id=True)

    assert _errors(exc) == {"can_unmask_id": [s.UNMASK_GRANT_DENIED]}
    assert not User.objects.filter(username="new_officer").exists()


def test_admin_with_unmask_may_grant_it(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]
    admin.can_unmask_id = True
    admin.save()

    created = _create(admin, can_unmask_id=True)

    assert created.can_unmask_id
    assert AuditEntry.objects.get().changes["can_unmask_id"] == [None, True]


def test_superuser_may_grant_unmask(users: dict[str, User]) -> None:
    operator = make_user("ops", None, [], is_superuser=True, is_staff=True)

    created = _create(operator, can_unmask_id=True, home_region_code="440306000000")

    assert created.can_unmask_id


# --- user_update ------------------------------------------------------------------------------------------


def test_role_change_is_audited_as_permission(users: dict[str, User]) -> None:
    admin, target = users["prefecture_admin"], users["county_officer"]

    s.user_update(acting_user=admin, target=target, roles=["viewer"])

    target.refresh_from_db()
    assert target.roles == ["viewer"]
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.PERMISSION
    assert entry.region_code == LUXI
    assert entry.changes == {"roles": [["officer"], ["viewer"]]}


def test_profile_change_is_audited_as_update(users: dict[str, User]) -> None:
    admin, target = users["prefecture_admin"], users["county_officer"]

    s.user_update(acting_user=admin, target=target, full_name="王五", phone="13900001111")

    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"first_name": ["", "王五"], "phone": ["", "139****1111"]}


def test_update_without_changes_writes_nothing(users: dict[str, User]) -> None:
    s.user_update(acting_user=users["prefecture_admin"], target=users["county_officer"], roles=["officer"])

    assert AuditEntry.objects.count() == 0


def test_moving_a_user_out_of_subtree_is_refused(users: dict[str, User]) -> None:
    target = users["county_officer"]

    with pytest.raises(ValidationError) as exc:
        s.user_update(acting_user=users["prefecture_admin"], target=target, home_region_code=SHAOYANG_COUNTY)

    assert _errors(exc) == {"home_region_code": [s.REGION_OUT_OF_SCOPE]}
    target.refresh_from_db()
    assert target.home_region_id == LUXI
    assert AuditEntry.objects.count() == 0


def test_admin_cannot_change_own_roles(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    with pytest.raises(ValidationError) as exc:
        s.user_update(acting_user=admin, target=admin, roles=["admin", "officer"])

    assert _errors(exc) == {"roles": [s.OWN_ROLES_UNCHANGEABLE]}
    admin.refresh_from_db()
    assert admin.roles == ["admin"]


def test_admin_may_change_own_profile(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    s.user_update(acting_user=admin, target=admin, full_name="周管理", roles=["admin"], is_active=True)

    admin.refresh_from_db()
    assert admin.first_name == "周管理"


def test_admin_cannot_deactivate_self_through_update(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    with pytest.raises(ValidationError) as exc:
        s.user_update(acting_user=admin, target=admin, is_active=False)

    assert _errors(exc) == {"is_active": [s.OWN_ACCOUNT_UNDEACTIVATABLE]}
    admin.refresh_from_db()
    assert admin.is_active


def test_update_outside_subtree_is_not_found(users: dict[str, User]) -> None:
    target = users["province_admin"]

    with pytest.raises(ObjectNotFound):
        s.user_update(acting_user=users["prefecture_admin"], target=target, full_name="改名")

    target.refresh_from_db()
    assert target.first_name == ""
    assert AuditEntry.objects.count() == 0


def test_non_admin_cannot_update(users: dict[str, User]) -> None:
    with pytest.raises(PermissionDeniedError):
        s.user_update(acting_user=users["county_officer"], target=users["broker"], roles=["officer"])


def test_unmask_grant_on_update_needs_the_grant(users: dict[str, User]) -> None:
    target = users["county_officer"]

    with pytest.raises(ValidationError) as exc:
        s.user_update(acting_user=users["prefecture_admin"], target=target, can_unmask_id=True)

    assert _errors(exc) == {"can_unmask_id": [s.UNMASK_GRANT_DENIED]}
    target.refresh_from_db()
    assert not target.can_unmask_id


def test_existing_unmask_grant_survives_other_edits_and_may_be_revoked(users: dict[str, User]) -> None:
    admin, target = users["prefecture_admin"], users["county_officer"]
    User.objects.filter(pk=target.pk).update(can_unmask_id=True)

    s.user_update(acting_user=admin, target=target, full_name="赵六", can_unmask_id=True)
    s.user_update(acting_user=admin, target=target, can_unmask_id=False)

    target.refresh_from_db()
    assert not target.can_unmask_id
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["update", "permission"]


def test_enterprise_user_can_be_rebound_within_scope(users: dict[str, User]) -> None:
    first = EnterpriseFactory(region_id=LUXI)
    second = EnterpriseFactory(region_id=FENGHUANG)
    admin = users["prefecture_admin"]
    target = _create(admin, roles=["enterprise"], home_region_code="", enterprise_uscc=first.uscc)

    s.user_update(acting_user=admin, target=target, home_region_code="", enterprise_uscc=second.uscc)

    target.refresh_from_db()
    assert target.enterprise == second
    assert target.home_region_id == FENGHUANG
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.PERMISSION).get()
    assert entry.changes["enterprise"] == [first.pk, second.pk]
    assert entry.region_code == FENGHUANG


# --- user_set_password --------------------------------------------------------------------------------------


def test_admin_resets_password_and_audit_holds_no_secret(users: dict[str, User]) -> None:
    admin, target = users["prefecture_admin"], users["county_officer"]

    s.user_set_password(acting_user=admin, target=target, password=PASSWORD)

    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.reason == s.PASSWORD_RESET_REASON
    assert entry.changes == {}
    assert PASSWORD not in json.dumps(entry.changes) + entry.reason + entry.object_repr


def _stored_password(user: User) -> str:
    return User.objects.values_list("password", flat=True).get(pk=user.pk)


def test_weak_password_is_refused_and_old_one_kept(users: dict[str, User]) -> None:
    target = users["county_officer"]
    old = _stored_password(target)

    with pytest.raises(ValidationError) as exc:
        s.user_set_password(acting_user=users["prefecture_admin"], target=target, password="password")

    assert list(_errors(exc)) == ["password"]
    assert _stored_password(target) == old
    assert AuditEntry.objects.count() == 0


def test_password_reset_outside_subtree_is_not_found(users: dict[str, User]) -> None:
    target = users["other_county_officer"]
    county_admin = make_user("luxi_admin", LUXI, ["admin"])
    old = _stored_password(target)

    with pytest.raises(ObjectNotFound):
        s.user_set_password(acting_user=county_admin, target=target, password=PASSWORD)

    assert _stored_password(target) == old


def test_regional_admin_never_manages_a_superuser(users: dict[str, User]) -> None:
    operator = make_user("ops", LUXI, [], is_superuser=True, is_staff=True)
    old = _stored_password(operator)

    with pytest.raises(ObjectNotFound):
        s.user_set_password(acting_user=users["prefecture_admin"], target=operator, password=PASSWORD)

    assert _stored_password(operator) == old


def test_non_admin_cannot_reset_passwords(users: dict[str, User]) -> None:
    with pytest.raises(PermissionDeniedError):
        s.user_set_password(acting_user=users["viewer"], target=users["broker"], password=PASSWORD)


# --- user_set_active ---------------------------------------------------------------------------------------


def test_admin_disables_and_enables_a_user(users: dict[str, User]) -> None:
    admin, target = users["prefecture_admin"], users["broker"]

    s.user_set_active(acting_user=admin, target=target, is_active=False)
    target.refresh_from_db()
    assert not target.is_active
    s.user_set_active(acting_user=admin, target=target, is_active=True)

    target.refresh_from_db()
    assert target.is_active
    changes = [(e.action, e.changes, e.region_code) for e in AuditEntry.objects.order_by("id")]
    assert changes == [
        ("permission", {"is_active": [True, False]}, HEITANG_VILLAGE),
        ("permission", {"is_active": [False, True]}, HEITANG_VILLAGE),
    ]


def test_setting_the_same_state_writes_nothing(users: dict[str, User]) -> None:
    s.user_set_active(acting_user=users["prefecture_admin"], target=users["broker"], is_active=True)

    assert AuditEntry.objects.count() == 0


def test_admin_cannot_deactivate_self(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    with pytest.raises(ValidationError) as exc:
        s.user_set_active(acting_user=admin, target=admin, is_active=False)

    assert _errors(exc) == {"is_active": [s.OWN_ACCOUNT_UNDEACTIVATABLE]}
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivating_outside_subtree_is_not_found(users: dict[str, User]) -> None:
    target = users["hotline"]  # province level: above the prefecture admin

    with pytest.raises(ObjectNotFound):
        s.user_set_active(acting_user=users["prefecture_admin"], target=target, is_active=False)

    target.refresh_from_db()
    assert target.is_active


# --- user_set_staff ----------------------------------------------------------------------------------------


def test_only_superuser_grants_admin_site_access(users: dict[str, User]) -> None:
    target = users["county_officer"]

    with pytest.raises(PermissionDeniedError) as exc:
        s.user_set_staff(acting_user=users["province_admin"], target=target, is_staff=True)

    assert exc.value.message == s.STAFF_GRANT_DENIED
    target.refresh_from_db()
    assert not target.is_staff


def test_superuser_grants_staff_with_audit(users: dict[str, User]) -> None:
    operator = make_user("ops", None, [], is_superuser=True, is_staff=True)
    target = users["county_officer"]

    s.user_set_staff(acting_user=operator, target=target, is_staff=True)

    target.refresh_from_db()
    assert target.is_staff
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes, entry.actor) == ("permission", {"is_staff": [False, True]}, operator)
