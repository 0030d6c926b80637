"""Warning pages: the list (scope matrix, summary, drill-down, filters), the htmx actions, the export, the
rule settings page and the section on the laborer page."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laborcoop.core.models import AuditEntry
from laborcoop.earlywarning.choices import WarningStatus
from laborcoop.earlywarning.models import EarlyWarning, WarningSettings
from laborcoop.registry.models import Laborer
from tests.earlywarning.conftest import live, run
from tests.factories import HouseholdFactory, LaborerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("earlywarning:list")


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def laborer(regions: Any) -> Laborer:
    """向金花 of 黑塘村 (泸溪县 武溪镇), unreachable: one laborer warning (and her household's)."""
    person = LaborerFactory(name="向金花", unreachable=True, phone="13911112222")
    run(today=timezone.localdate())
    return person


def clear_number(person: Laborer) -> str:
    return person.reveal_id_number()


# --- the list: scope matrix --------------------------------------------------------------------------------


def test_list_anonymous_is_sent_to_login(laborer: Laborer) -> None:
    response = client_for(None).get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["enterprise", "hotline"])
def test_list_wrong_role_is_forbidden(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    response = client_for(users[role]).get(LIST)
    assert response.status_code == 403
    assert "向金花" not in response.content.decode()


def test_list_other_region_sees_nothing(users: dict[str, Any], laborer: Laborer) -> None:
    response = client_for(users["other_county_officer"]).get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "向金花" not in body
    assert "没有符合条件的预警" in body


@pytest.mark.parametrize("role", ["county_officer", "township_officer", "broker", "viewer", "prefecture_admin"])
def test_list_right_region_sees_the_warning(users: dict[str, Any], laborer: Laborer, role: str) -> None:
    response = client_for(users[role]).get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "向金花" in body
    assert "无法联系" in body
    assert laborer.id_masked in body
    assert clear_number(laborer) not in body
    assert "13911112222" not in body
    assert "黑塘村" in body


def test_viewer_sees_no_actions_officer_does(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    action = reverse("earlywarning:dismiss", args=[warning.pk])
    assert action not in client_for(users["viewer"]).get(LIST).content.decode()
    assert action in client_for(users["county_officer"]).get(LIST).content.decode()


def test_summary_region_counts_and_filters(users: dict[str, Any], laborer: Laborer) -> None:
    client = client_for(users["county_officer"])
    body = client.get(LIST).content.decode()
    assert 'id="warning-summary"' in body
    assert 'data-rule="unreachable"' in body
    assert 'id="warning-regions"' in body
    assert 'data-region="433122107000"' in body  # 武溪镇, a child of 泸溪县
    only_zero = client.get(LIST, {"rule": "zero_employment"}).content.decode()
    assert 'data-rule="zero_employment"' in only_zero
    assert '<tr id="warning-' in only_zero
    table = only_zero.split('id="warning-table"')[1]
    assert 'data-rule="zero_employment">' in table
    assert 'data-rule="unreachable">' not in table
    other_village = client.get(LIST, {"region": "433122108201"}).content.decode()
    assert "没有符合条件的预警" in other_village
    aged = client.get(LIST, {"age": "30"}).content.decode()
    assert "没有符合条件的预警" in aged
    EarlyWarning.objects.update(created_at=timezone.now() - timedelta(days=40))
    assert "向金花" in client.get(LIST, {"age": "30"}).content.decode()


def test_list_query_count_does_not_grow_with_rows(users: dict[str, Any], regions: Any) -> None:
    client = client_for(users["county_officer"])
    LaborerFactory(unreachable=True, household=HouseholdFactory())
    run(today=timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(5):
        LaborerFactory(unreachable=True, household=HouseholdFactory())
    run(today=timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.content.decode().count('<tr id="warning-') > 10
    assert len(many) == len(few)


# --- actions -----------------------------------------------------------------------------------------------


def test_handle_by_htmx_redraws_the_row(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = client_for(users["township_officer"]).post(
        reverse("earlywarning:handle", args=[warning.pk]), {"version": 1, "note": "已入户走访"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith(f'<tr id="warning-{warning.pk}" data-status="handled"')
    assert "已入户走访" in body
    warning.refresh_from_db()
    assert warning.status == WarningStatus.HANDLED


def test_dismiss_without_reason_shows_the_message_and_saves_nothing(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    url = reverse("earlywarning:dismiss", args=[warning.pk])
    client = client_for(users["county_officer"])
    htmx = client.post(url, {"version": 1, "reason": ""}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert "请填写忽略原因。" in htmx.content.decode()
    plain = client.post(url, {"version": 1, "reason": ""})
    assert plain.status_code == 400
    assert "请填写忽略原因。" in plain.content.decode()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    assert warning.version == 1
    assert not AuditEntry.objects.filter(object_type="earlywarning.earlywarning").exists()


def test_dismiss_with_reason_redirects(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = client_for(users["county_officer"]).post(
        reverse("earlywarning:dismiss", args=[warning.pk]), {"version": 1, "reason": "已外出，家属告知"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.DISMISSED
    assert warning.resolution == "已外出，家属告知"


def test_stale_version_by_htmx_shows_the_conflict(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    client = client_for(users["county_officer"])
    client.post(reverse("earlywarning:handle", args=[warning.pk]), {"version": 1})
    response = client.post(
        reverse("earlywarning:dismiss", args=[warning.pk]), {"version": 1, "reason": "x"}, HTTP_HX_REQUEST="true"
    )
    assert "该记录已被他人修改" in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.HANDLED


def test_assign_owner(users: dict[str, Any], laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = client_for(users["county_officer"]).post(
        reverse("earlywarning:assign", args=[warning.pk]),
        {"version": 1, "owner": users["broker"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    warning.refresh_from_db()
    assert warning.owner == users["broker"]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("hotline", 403), ("other_county_officer", 404)])
def test_actions_denied(users: dict[str, Any], laborer: Laborer, role: str, status: int) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    for name in ("handle", "dismiss", "assign"):
        response = client_for(users[role]).post(
            reverse(f"earlywarning:{name}", args=[warning.pk]), {"version": 1, "reason": "x"}
        )
        assert response.status_code == status
    warning.refresh_from_db()
    assert (warning.status, warning.version, warning.owner_id) == (WarningStatus.OPEN, 1, None)


def test_actions_anonymous_go_to_login(laborer: Laborer) -> None:
    warning = live("unreachable")[f"L{laborer.pk}"]
    response = client_for(None).post(reverse("earlywarning:handle", args=[warning.pk]), {"version": 1})
    assert response.status_code == 302


# --- export ------------------------------------------------------------------------------------------------


def test_export_csv_is_masked_scoped_and_audited(users: dict[str, Any], laborer: Laborer) -> None:
    LaborerFactory(name="外县人", unreachable=True, household=HouseholdFactory(region_id="433123109201"))
    run(today=timezone.localdate())
    response = client_for(users["county_officer"]).post(
        reverse("earlywarning:export") + "?rule=unreachable", {"format": "csv"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["预警规则", "严重程度", "状态", "对象类型"]
    assert len(rows) == 2
    assert rows[1][4] == "向金花"
    assert rows[1][5] == laborer.id_masked
    assert clear_number(laborer) not in text
    assert "外县人" not in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT, object_type="earlywarning.earlywarning")
    assert entry.actor == users["county_officer"]
    assert entry.changes == {"format": "csv", "rows": 1, "filters": {"rule": "unreachable"}, "masked": True}


def test_export_xlsx(users: dict[str, Any], laborer: Laborer) -> None:
    response = client_for(users["viewer"]).post(reverse("earlywarning:export"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "预警规则"
    assert any(row[5] == laborer.id_masked for row in values[1:])
    assert not any(clear_number(laborer) in str(row) for row in values)


def test_export_denied_and_bad_format(users: dict[str, Any], laborer: Laborer) -> None:
    assert client_for(users["enterprise"]).post(reverse("earlywarning:export"), {"format": "csv"}).status_code == 403
    bad = client_for(users["county_officer"]).post(reverse("earlywarning:export"), {"format": "pdf"})
    assert bad.status_code == 400
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


# --- settings page -----------------------------------------------------------------------------------------


def settings_post(**changes: str) -> dict[str, str]:
    from laborcoop.earlywarning.config import default_configs
    from laborcoop.earlywarning.forms import RuleSettingsForm

    initial = RuleSettingsForm.initial_for(default_configs(), 0)
    body = {k: ("on" if v is True else str(v)) for k, v in initial.items() if v is not False}
    body.update(changes)
    return body


def test_settings_page_for_the_province_admin(users: dict[str, Any], regions: Any) -> None:
    client = client_for(users["province_admin"])
    page = client.get(reverse("earlywarning:settings"))
    assert page.status_code == 200
    assert "零就业家庭" in page.content.decode()
    response = client.post(reverse("earlywarning:settings"), settings_post(wage_low__threshold="1800"))
    assert response.status_code == 302
    assert WarningSettings.objects.get(province_id="430000000000").values["wage_low"]["threshold"] == 1800


def test_settings_page_bad_value_is_explained(users: dict[str, Any], regions: Any) -> None:
    response = client_for(users["province_admin"]).post(
        reverse("earlywarning:settings"), settings_post(long_unemployed__days="3")
    )
    assert response.status_code == 400
    assert "失业超过几天预警应在 7 至 365 之间。" in response.content.decode()
    assert not WarningSettings.objects.exists()


@pytest.mark.parametrize("role", ["prefecture_admin", "county_officer", "viewer"])
def test_settings_page_others_forbidden(users: dict[str, Any], role: str) -> None:
    assert client_for(users[role]).get(reverse("earlywarning:settings")).status_code == 403


# --- the laborer page --------------------------------------------------------------------------------------


def test_laborer_page_lists_the_live_warnings(users: dict[str, Any], laborer: Laborer) -> None:
    body = (
        client_for(users["county_officer"]).get(reverse("registry:laborer_detail", args=[laborer.pk])).content.decode()
    )
    assert 'id="laborer-warnings"' in body
    assert "无法联系" in body
    assert "零就业家庭" in body  # the household's warning
    EarlyWarning.objects.filter(rule="unreachable").update(status=WarningStatus.RESOLVED)
    body = (
        client_for(users["county_officer"]).get(reverse("registry:laborer_detail", args=[laborer.pk])).content.decode()
    )
    assert 'data-rule="unreachable"' not in body


def test_laborer_page_without_warning_capability_shows_none(users: dict[str, Any], laborer: Laborer) -> None:
    response = client_for(users["hotline"]).get(reverse("registry:laborer_detail", args=[laborer.pk]))
    assert response.status_code == 200
    assert 'id="laborer-warnings"' not in response.content.decode()
