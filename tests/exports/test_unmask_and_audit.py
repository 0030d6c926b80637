"""Unmasked exports need the grant and a reason; every export leaves one EXPORT audit row, a refused one none."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.exports import services
from laborcoop.exports.access import UNMASK_DENIED
from laborcoop.exports.models import ExportJob
from tests.exports.conftest import HEITANG, body, client_for, table

pytestmark = pytest.mark.django_db


def exports_audited() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unmasked_export_with_grant_and_reason(unmasker: Any, people: dict[str, Any], fmt: str) -> None:
    url = reverse("exports:start", args=["laborers"]) + f"?region={HEITANG}&q=+"
    response = client_for(unmasker).post(url, {"format": fmt, "unmasked": "on", "reason": "核对务工补贴名单"})

    assert response.status_code == 200
    data = body(response)
    rows = table(data, fmt)
    header = rows[0]
    ids = {row[header.index("证件号码")] for row in rows[1:]}
    phones = {row[header.index("联系电话")] for row in rows[1:]}
    assert ids == {people["a"].clear_id, people["b"].clear_id}
    assert phones == {"13712340001", "13712340002"}
    assert people["c"].clear_id.encode() not in data
    [entry] = exports_audited()
    job = ExportJob.objects.get()
    assert entry.actor == unmasker
    assert entry.reason == "核对务工补贴名单"
    assert entry.region_code == "433122000000"
    assert entry.object_type == "exports.exportjob"
    assert entry.object_id == str(job.pk)
    assert entry.changes == {
        "kind": "laborers",
        "format": fmt,
        "rows": 2,
        "filters": {"region": HEITANG},
        "masked": False,
        "background": False,
    }
    assert job.masked is False
    assert job.reason == "核对务工补贴名单"


def test_masked_export_is_audited_without_reason(users: dict[str, Any], people: dict[str, Any]) -> None:
    client_for(users["county_officer"]).post(
        reverse("exports:start", args=["laborers"]) + "?employment_status=employed", {"format": "csv"}
    )

    [entry] = exports_audited()
    assert entry.reason == ""
    assert entry.changes["masked"] is True
    assert entry.changes["rows"] == 2
    assert entry.changes["filters"] == {"employment_status": "employed"}


def test_audit_keeps_no_clear_number_from_the_search(unmasker: Any, people: dict[str, Any]) -> None:
    clear = people["a"].clear_id
    client_for(unmasker).post(reverse("exports:start", args=["laborers"]) + f"?q={clear}", {"format": "csv"})

    [entry] = exports_audited()
    assert entry.changes["rows"] == 1
    assert clear not in str(entry.changes)
    assert clear not in str(ExportJob.objects.get().filters)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unmask_without_grant_is_403_and_recorded_nowhere(
    users: dict[str, Any], people: dict[str, Any], fmt: str
) -> None:
    response = client_for(users["county_officer"]).post(
        reverse("exports:start", args=["laborers"]), {"format": fmt, "unmasked": "on", "reason": "想看看"}
    )

    assert response.status_code == 403
    assert UNMASK_DENIED in response.content.decode()
    assert people["a"].clear_id not in response.content.decode()
    assert exports_audited() == []
    assert not ExportJob.objects.exists()


def test_unmask_without_reason_is_a_form_error(unmasker: Any, people: dict[str, Any]) -> None:
    response = client_for(unmasker).post(
        reverse("exports:start", args=["laborers"]), {"format": "csv", "unmasked": "on", "reason": "  "}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert services.REASON_REQUIRED in html
    assert people["a"].clear_id not in html
    assert exports_audited() == []
    assert not ExportJob.objects.exists()


def test_unmask_option_shown_only_to_the_grant(unmasker: Any, users: dict[str, Any]) -> None:
    url = reverse("exports:start", args=["laborers"])
    assert "导出完整证件号和电话" in client_for(unmasker).get(url).content.decode()
    assert "导出完整证件号和电话" not in client_for(users["viewer"]).get(url).content.decode()
    # jobs carry no personal data: nothing to unmask
    assert (
        "导出完整证件号和电话" not in client_for(unmasker).get(reverse("exports:start", args=["jobs"])).content.decode()
    )


def test_service_refuses_unmask_for_kinds_without_personal_data(unmasker: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.export_start(acting_user=unmasker, kind="jobs", fmt="csv", filters={}, unmasked=True, reason="核对")
    assert exc.value.message_dict == {"unmasked": [services.UNMASK_NOT_APPLICABLE]}


def test_service_denies_before_reason(users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        services.export_start(
            acting_user=users["county_officer"], kind="laborers", fmt="csv", filters={}, unmasked=True, reason=""
        )
    assert exports_audited() == []


def test_service_rejects_csv_ledgers_and_unknown_formats(users: dict[str, Any]) -> None:
    officer = users["county_officer"]
    with pytest.raises(ValidationError) as ledger:
        services.export_start(acting_user=officer, kind="ledger_labor", fmt="csv", filters={})
    with pytest.raises(ValidationError) as fmt:
        services.export_start(acting_user=officer, kind="laborers", fmt="pdf", filters={})
    assert ledger.value.message_dict == {"format": [services.LEDGER_XLSX_ONLY]}
    assert fmt.value.message_dict == {"format": [services.FORMAT_INVALID]}
    assert exports_audited() == []
