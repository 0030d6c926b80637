"""The tracking settings of a province (/employment/settings/, tracking.settings.services): who may set them,
range validation with Chinese messages, the version check, the audit row, and their effect on the status."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from laborcoop.core.errors import ConflictError, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.employment.choices import TrackStatus
from laborcoop.employment.models import EmploymentState, TrackingSettings
from laborcoop.tracking.settings.selectors import tracking_settings_for
from laborcoop.tracking.settings.services import (
    ERR_EMPTY,
    ERR_NOT_INTEGER,
    ERR_UNKNOWN,
    tracking_settings_set,
)
from laborcoop.tracking.status.services import employment_states_refresh
from tests.conftest import make_user
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db

HUNAN = "430000000000"
URL = "/employment/settings/"
OBJECT = "employment.trackingsettings"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def full_post(**overrides: str) -> dict[str, str]:
    body = {
        "version": "0",
        "stable_months": "3",
        "followup_days_out_of_province": "30",
        "followup_days_in_province": "60",
        "followup_days_in_county": "90",
        "followup_days_unemployed": "30",
        "leave_contact_days": "7",
        "failed_contacts_unreachable": "3",
    }
    body.update(overrides)
    return body


def test_url_name() -> None:
    assert reverse("tracking:tracking_settings") == URL


def test_page_shows_defaults_and_saves_with_an_audit_row(users: dict[str, Any]) -> None:
    client = client_for(users["province_admin"])
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "湖南省" in body
    assert "稳定就业所需连续月数（需签合同并参保）" in body
    assert "默认 3，可设 1–24" in body
    assert "本省尚未设置" in body

    response = client.post(URL, full_post(stable_months="6", leave_contact_days=" 10 "))
    assert response.status_code == 302
    row = TrackingSettings.objects.get(province_id=HUNAN)
    assert (row.values["stable_months"], row.values["leave_contact_days"], row.version) == (6, 10, 1)
    assert row.updated_by == users["province_admin"]
    entry = AuditEntry.objects.get(object_type=OBJECT, object_id=str(row.pk))
    assert entry.changes == {"stable_months": [3, 6], "leave_contact_days": [7, 10]}
    assert (entry.actor_id, entry.region_code, entry.action) == (users["province_admin"].pk, HUNAN, "create")
    assert tracking_settings_for("433122107201")["stable_months"] == 6
    assert tracking_settings_for("370102000000")["stable_months"] == 3  # another province

    again = client.get(URL).content.decode()
    assert "当前为第 1 版" in again


def test_stale_form_is_a_conflict_and_changes_nothing(users: dict[str, Any]) -> None:
    client = client_for(users["province_admin"])
    assert client.post(URL, full_post(stable_months="6")).status_code == 302
    stale = client.post(URL, full_post(stable_months="9"))  # loaded at version 0
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    row = TrackingSettings.objects.get(province_id=HUNAN)
    assert (row.values["stable_months"], row.version) == (6, 1)
    assert AuditEntry.objects.filter(object_type=OBJECT).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stable_months", "0", "应在 1 到 24 之间。"),
        ("stable_months", "25", "应在 1 到 24 之间。"),
        ("leave_contact_days", "三", ERR_NOT_INTEGER),
        ("failed_contacts_unreachable", "2.5", ERR_NOT_INTEGER),
        ("followup_days_in_county", "-7", "应在 7 到 365 之间。"),
        ("followup_days_in_county", "７", ERR_NOT_INTEGER),  # full-width digit
    ],
)
def test_page_rejects_bad_values(users: dict[str, Any], field: str, value: str, message: str) -> None:
    response = client_for(users["province_admin"]).post(URL, full_post(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="field-{field}"' in body
    assert body.count('class="field has-error"') == 1
    assert not TrackingSettings.objects.exists()
    assert not AuditEntry.objects.filter(object_type=OBJECT).exists()


def test_blank_form_is_rejected(users: dict[str, Any]) -> None:
    response = client_for(users["province_admin"]).post(URL, {"version": "0"})
    assert response.status_code == 400
    assert ERR_EMPTY in response.content.decode()
    assert not TrackingSettings.objects.exists()


@pytest.mark.parametrize(
    "who", ["county_officer", "prefecture_admin", "township_officer", "broker", "viewer", "hotline", "enterprise"]
)
def test_page_is_forbidden_below_the_province(users: dict[str, Any], who: str) -> None:
    client = client_for(users[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, full_post(stable_months="5")).status_code == 403
    assert not TrackingSettings.objects.exists()


def test_anonymous_is_sent_to_login(regions: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_other_province_admin_cannot_set_hunan(users: dict[str, Any]) -> None:
    shandong_admin = make_user("lu_admin_t", "370000000000", ["admin"])
    with pytest.raises(PermissionDeniedError):
        tracking_settings_set(
            acting_user=shandong_admin, province_code=HUNAN, values={"stable_months": 4}, expected_version=0
        )
    # Their own page edits their own province.
    assert client_for(shandong_admin).post(URL, full_post(stable_months="4")).status_code == 302
    assert list(TrackingSettings.objects.values_list("province_id", flat=True)) == ["370000000000"]


def test_service_validation_and_versions(users: dict[str, Any]) -> None:
    admin = users["province_admin"]
    with pytest.raises(ValidationError) as info:
        tracking_settings_set(
            acting_user=admin,
            province_code=HUNAN,
            values={"stable_months": True, "luck": 3, "leave_contact_days": 61},
            expected_version=0,
        )
    assert info.value.message_dict == {
        "stable_months": [ERR_NOT_INTEGER],
        "luck": [ERR_UNKNOWN.format(name="luck")],
        "leave_contact_days": ["应在 1 到 60 之间。"],
    }
    row = tracking_settings_set(acting_user=admin, province_code=HUNAN, values={"stable_months": 4}, expected_version=0)
    row = tracking_settings_set(acting_user=admin, province_code=HUNAN, values={"stable_months": 5}, expected_version=1)
    assert row.version == 2
    unchanged = tracking_settings_set(
        acting_user=admin, province_code=HUNAN, values={"stable_months": 5}, expected_version=2
    )
    assert unchanged.version == 2  # nothing changed: no new version, no audit row
    assert AuditEntry.objects.filter(object_type=OBJECT).count() == 2
    with pytest.raises(ConflictError):
        tracking_settings_set(acting_user=admin, province_code=HUNAN, values={"stable_months": 6}, expected_version=1)
    assert tracking_settings_for(HUNAN)["stable_months"] == 5


def test_changing_the_threshold_recomputes_the_province(
    users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    laborer = LaborerFactory()
    start = timezone.localdate() - timedelta(days=130)  # four whole months
    EmploymentRecordFactory(laborer=laborer, start_date=start, contract_signed=True, insurance_types=["工伤"])
    employment_states_refresh([laborer.pk])
    assert EmploymentState.objects.get(laborer=laborer).status == TrackStatus.STABLE
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tracking_settings_set(
            acting_user=users["province_admin"], province_code=HUNAN, values={"stable_months": 6}, expected_version=0
        )
    assert len(callbacks) == 1
    assert EmploymentState.objects.get(laborer=laborer).status == TrackStatus.EMPLOYED
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tracking_settings_set(
            acting_user=users["province_admin"],
            province_code=HUNAN,
            values={"leave_contact_days": 5},
            expected_version=1,
        )
    assert callbacks == []  # the status does not depend on it
