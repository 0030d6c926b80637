"""Deciding on proposed changes through the services, and the feedback file."""

import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.errors import PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.linkage.models import Comparison, ComparisonEntry, Level, ProposedChange
from laborcoop.linkage.services import (
    comparison_change_accept,
    comparison_change_reject,
    comparison_changes_accept_high,
    comparison_feedback_export,
)
from laborcoop.linkage.services.feedback import NOT_ON_LIST, REASON_REQUIRED, UNREACHABLE
from laborcoop.linkage.services.review import ALREADY_DECIDED
from laborcoop.registry.models import Laborer, VitalStatus
from tests.linkage.conftest import Person

pytestmark = pytest.mark.django_db


def change_of(comparison: Comparison, laborer: Laborer, field: str) -> ProposedChange:
    return ProposedChange.objects.get(comparison=comparison, laborer=laborer, field=field)


def test_accept_deceased_flags_and_never_deletes(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    laborer = registry[0].laborer
    change = change_of(comparison, laborer, "vital_status")
    before = Laborer.objects.count()

    comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)

    laborer.refresh_from_db()
    assert Laborer.objects.count() == before
    assert laborer.vital_status == VitalStatus.DECEASED
    assert laborer.vital_status_date.isoformat() == "2025-03-01"
    assert laborer.vital_status_source == f"数据比对 #{comparison.pk}（公安：户籍信息（在世 / 死亡 / 迁出））"
    assert laborer.version == 2
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ProposedChange.Status.ACCEPTED, users["county_officer"])
    laborer_audit = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(laborer.pk))
    assert laborer_audit.changes["vital_status"] == ["normal", "deceased"]
    change_audit = AuditEntry.objects.get(object_type="linkage.proposedchange", object_id=str(change.pk))
    assert change_audit.changes["status"] == ["pending", "accepted"]
    assert change_audit.changes["applied"] is True


def test_accept_name_goes_through_laborer_update(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    laborer = registry[2].laborer
    change = change_of(comparison, laborer, "name")

    comparison_change_accept(
        acting_user=users["county_officer"], comparison=comparison, change_id=change.pk, note="已电话核实"
    )

    laborer.refresh_from_db()
    assert laborer.name == "王方"
    assert laborer.phone == "13812345678"  # the rest of the record is kept
    audit = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(laborer.pk))
    assert audit.changes == {"name": ["王芳", "王方"]}
    change.refresh_from_db()
    assert change.note == "已电话核实"


def test_reject_records_and_changes_nothing(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    laborer = registry[1].laborer
    change = change_of(comparison, laborer, "vital_status")

    comparison_change_reject(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)

    laborer.refresh_from_db()
    assert laborer.vital_status == VitalStatus.NORMAL
    assert laborer.version == 1
    change.refresh_from_db()
    assert change.status == ProposedChange.Status.REJECTED
    assert not AuditEntry.objects.filter(object_type="registry.laborer").exists()
    assert AuditEntry.objects.filter(object_type="linkage.proposedchange", object_id=str(change.pk)).count() == 1
    with pytest.raises(ValidationError) as again:
        comparison_change_accept(acting_user=users["county_officer"], comparison=comparison, change_id=change.pk)
    assert again.value.message_dict == {"change": [ALREADY_DECIDED]}


def test_bulk_accept_takes_only_the_high_matches(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    # Person 1's match made 中可信 (as a name-only match with a differing name would be): left for review.
    ComparisonEntry.objects.filter(comparison=comparison, laborer=registry[1].laborer).update(level=Level.MEDIUM)

    outcome = comparison_changes_accept_high(acting_user=users["county_officer"], comparison=comparison)

    assert (outcome.accepted, outcome.failed) == (2, [])
    statuses = dict(ProposedChange.objects.filter(comparison=comparison).values_list("laborer_id", "status"))
    assert statuses == {
        registry[0].laborer.pk: "accepted",
        registry[1].laborer.pk: "pending",
        registry[2].laborer.pk: "accepted",
    }
    assert Laborer.objects.get(pk=registry[2].laborer.pk).name == "王方"
    assert Laborer.objects.get(pk=registry[1].laborer.pk).vital_status == VitalStatus.NORMAL


@pytest.mark.parametrize("who", ["viewer", "hotline", "other_county_officer"])
def test_decisions_need_edit_rights_in_scope(
    users: dict[str, Any], registry: list[Person], comparison: Comparison, who: str
) -> None:
    change = change_of(comparison, registry[0].laborer, "vital_status")

    with pytest.raises((PermissionDeniedError, ValidationError)):
        comparison_change_accept(acting_user=users[who], comparison=comparison, change_id=change.pk)

    change.refresh_from_db()
    assert change.status == ProposedChange.Status.PENDING
    assert Laborer.objects.get(pk=registry[0].laborer.pk).vital_status == VitalStatus.NORMAL


def _sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_feedback_export_is_masked_and_audited(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    unreachable = registry[0].laborer
    unreachable.unreachable = True
    unreachable.save()

    result = comparison_feedback_export(acting_user=users["viewer"], comparison=comparison)

    sheets = _sheets(result.content)
    ours, theirs = sheets["本库未匹配或无法联系"], sheets["对方有本库无"]
    assert "证件号码已脱敏" in ours[0][0]
    rows = ours[2:]
    assert len(rows) == 27  # 26 not on the list + 1 matched but unreachable
    by_name = {r[1]: r for r in rows}
    assert by_name[unreachable.name][8] == UNREACHABLE
    assert by_name[registry[10].laborer.name][8] == NOT_ON_LIST
    assert by_name[registry[10].laborer.name][4] == registry[10].laborer.id_masked
    assert [r[2] for r in theirs[2:]] == ["王小二", "李四"]
    text = repr(sheets)
    assert not any(p.id_number in text for p in registry)
    audit = AuditEntry.objects.get(action="export", object_type="linkage.comparison")
    assert audit.changes == {"kind": "comparison_feedback", "rows": 29, "masked": True}


def test_unmasked_feedback_needs_the_grant_and_a_reason(
    users: dict[str, Any], registry: list[Person], comparison: Comparison
) -> None:
    with pytest.raises(PermissionDeniedError):
        comparison_feedback_export(
            acting_user=users["county_officer"], comparison=comparison, unmasked=True, reason="x"
        )
    admin = users["prefecture_admin"]
    admin.can_unmask_id = True
    admin.save()
    with pytest.raises(ValidationError) as no_reason:
        comparison_feedback_export(acting_user=admin, comparison=comparison, unmasked=True)
    assert not AuditEntry.objects.filter(action="export").exists()

    result = comparison_feedback_export(acting_user=admin, comparison=comparison, unmasked=True, reason="反馈核查")

    assert no_reason.value.message_dict == {"reason": [REASON_REQUIRED]}
    assert registry[10].id_number in repr(_sheets(result.content))
    assert AuditEntry.objects.get(action="export").reason == "反馈核查"
