"""Actions on a warning (handle, dismiss, assign: capability, scope, version, audit, nothing saved on a bad
input) and the province's rule settings."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning, WarningSettings
from laborcoop.earlywarning.services import actions
from laborcoop.earlywarning.services.settings import (
    ERR_NOT_ADMIN,
    warning_settings_set,
)
from tests.conftest import make_user
from tests.earlywarning.conftest import live, run
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(regions: Any) -> EarlyWarning:
    laborer = LaborerFactory(unreachable=True)  # 泸溪县 武溪镇 黑塘村
    run()
    return live("unreachable")[f"L{laborer.pk}"]


def audits(w: EarlyWarning) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="earlywarning.earlywarning", object_id=str(w.pk)))


def test_handle_with_a_note(users: dict[str, Any], warning: EarlyWarning) -> None:
    officer = users["township_officer"]
    done = actions.warning_handle(acting_user=officer, warning_id=warning.pk, expected_version=1, note="已电话联系")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.HANDLED
    assert warning.handled_by == officer
    assert warning.handled_at is not None
    assert warning.resolution == "已电话联系"
    assert warning.version == 2 == done.version
    [entry] = audits(warning)
    assert entry.actor == officer
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes["status"] == ["open", "handled"]
    assert entry.reason == "已电话联系"
    assert entry.region_code == warning.region_id


def test_dismiss_without_reason_is_refused_and_nothing_saved(users: dict[str, Any], warning: EarlyWarning) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.warning_dismiss(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, reason="  "
        )
    assert exc.value.message_dict == {"reason": [actions.ERR_REASON_REQUIRED]}
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    assert warning.version == 1
    assert audits(warning) == []


def test_dismiss_with_reason(users: dict[str, Any], warning: EarlyWarning) -> None:
    actions.warning_dismiss(
        acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, reason="已迁往外省，核实无误"
    )
    warning.refresh_from_db()
    assert warning.status == WarningStatus.DISMISSED
    assert warning.resolution == "已迁往外省，核实无误"
    assert audits(warning)[0].changes["status"] == ["open", "dismissed"]


def test_stale_version_is_a_conflict(users: dict[str, Any], warning: EarlyWarning) -> None:
    actions.warning_handle(acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1)
    with pytest.raises(ConflictError):
        actions.warning_dismiss(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, reason="x"
        )
    warning.refresh_from_db()
    assert warning.status == WarningStatus.HANDLED


def test_resolved_or_same_state_is_refused(users: dict[str, Any], warning: EarlyWarning) -> None:
    actions.warning_handle(acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        actions.warning_handle(acting_user=users["county_officer"], warning_id=warning.pk, expected_version=2)
    assert exc.value.messages == [actions.ERR_ALREADY_HANDLED]
    EarlyWarning.objects.filter(pk=warning.pk).update(status=WarningStatus.RESOLVED)
    with pytest.raises(ValidationError) as exc:
        actions.warning_dismiss(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=2, reason="x"
        )
    assert exc.value.messages == [actions.ERR_RESOLVED]


def test_note_too_long(users: dict[str, Any], warning: EarlyWarning) -> None:
    with pytest.raises(ValidationError) as exc:
        actions.warning_handle(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, note="长" * 301
        )
    assert exc.value.message_dict == {"note": [actions.ERR_NOTE_TOO_LONG]}


@pytest.mark.parametrize("role", ["viewer", "hotline", "enterprise"])
def test_roles_that_may_not_act_get_403(users: dict[str, Any], warning: EarlyWarning, role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        actions.warning_handle(acting_user=users[role], warning_id=warning.pk, expected_version=1)
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN


def test_other_region_gets_404(users: dict[str, Any], warning: EarlyWarning) -> None:
    with pytest.raises(ObjectNotFound):
        actions.warning_dismiss(
            acting_user=users["other_county_officer"], warning_id=warning.pk, expected_version=1, reason=""
        )
    with pytest.raises(ObjectNotFound):
        actions.warning_handle(acting_user=users["county_officer"], warning_id=999999, expected_version=1)


def test_assign_owner_in_scope(users: dict[str, Any], warning: EarlyWarning) -> None:
    county = users["county_officer"]
    actions.warning_assign(acting_user=county, warning_id=warning.pk, expected_version=1, owner_id=users["broker"].pk)
    warning.refresh_from_db()
    assert warning.owner == users["broker"]
    assert warning.status == WarningStatus.OPEN
    assert audits(warning)[0].changes["owner"] == [None, users["broker"].pk]
    actions.warning_assign(acting_user=county, warning_id=warning.pk, expected_version=2, owner_id=None)
    warning.refresh_from_db()
    assert warning.owner is None


@pytest.mark.parametrize("owner", ["other_county_officer", "viewer", "prefecture_admin"])
def test_assign_owner_outside_scope_or_without_rights(users: dict[str, Any], warning: EarlyWarning, owner: str) -> None:
    """Another county's officer cannot see the warning; a viewer cannot act; the prefecture admin is not
    managed by a county officer."""
    with pytest.raises(ValidationError) as exc:
        actions.warning_assign(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, owner_id=users[owner].pk
        )
    assert exc.value.message_dict == {"owner": [actions.ERR_OWNER_NOT_ALLOWED]}
    warning.refresh_from_db()
    assert warning.owner is None


def test_assign_unknown_owner(users: dict[str, Any], warning: EarlyWarning) -> None:
    inactive = make_user("gone_t", "433122000000", ["officer"], is_active=False)
    with pytest.raises(ValidationError) as exc:
        actions.warning_assign(
            acting_user=users["county_officer"], warning_id=warning.pk, expected_version=1, owner_id=inactive.pk
        )
    assert exc.value.message_dict == {"owner": [actions.ERR_OWNER_UNKNOWN]}


# --- rule settings -----------------------------------------------------------------------------------------


def test_province_admin_sets_rules(users: dict[str, Any], regions: Any) -> None:
    admin = users["province_admin"]
    row = warning_settings_set(
        acting_user=admin,
        province_code="430000000000",
        values={"wage_low": {"threshold": "1800", "severity": "medium"}, "unreachable": {"enabled": False}},
        expected_version=0,
    )
    assert row.version == 1
    assert row.values == {"wage_low": {"threshold": 1800, "severity": "medium"}, "unreachable": {"enabled": False}}
    entry = AuditEntry.objects.get(object_type="earlywarning.warningsettings")
    assert entry.changes == {
        "wage_low.threshold": [400, 1800],
        "wage_low.severity": ["low", "medium"],
        "unreachable.enabled": [True, False],
    }
    warning_settings_set(
        acting_user=admin, province_code="430000000000", values={"wage_low": {"threshold": 500}}, expected_version=1
    )
    row.refresh_from_db()
    assert row.values["wage_low"] == {"threshold": 500, "severity": "medium"}
    assert row.version == 2


def test_bad_settings_are_refused_with_chinese_messages(users: dict[str, Any], regions: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        warning_settings_set(
            acting_user=users["province_admin"],
            province_code="430000000000",
            values={
                "wage_low": {"threshold": "很多"},
                "long_unemployed": {"days": 2},
                "zero_employment": {"severity": "urgent"},
                "nonsense": {},
            },
            expected_version=0,
        )
    assert exc.value.message_dict == {
        "wage_low.threshold": ["月工资低于多少元预警应为整数。"],
        "long_unemployed.days": ["失业超过几天预警应在 7 至 365 之间。"],
        "zero_employment.severity": ["严重程度应为高、中或低。"],
        "nonsense": ["未知的预警规则：nonsense。"],
    }
    assert not WarningSettings.objects.exists()


@pytest.mark.parametrize("role", ["prefecture_admin", "county_officer", "hotline"])
def test_only_the_province_admin_sets_rules(users: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDeniedError, match=ERR_NOT_ADMIN):
        warning_settings_set(
            acting_user=users[role],
            province_code="430000000000",
            values={"wage_low": {"threshold": 500}},
            expected_version=0,
        )
    assert not WarningSettings.objects.exists()


def test_settings_stale_version(users: dict[str, Any], regions: Any) -> None:
    warning_settings_set(
        acting_user=users["province_admin"],
        province_code="430000000000",
        values={"wage_low": {"threshold": 500}},
        expected_version=0,
    )
    with pytest.raises(ConflictError):
        warning_settings_set(
            acting_user=users["province_admin"],
            province_code="430000000000",
            values={"wage_low": {"threshold": 600}},
            expected_version=0,
        )
