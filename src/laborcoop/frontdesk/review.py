"""Reviewing likely duplicates: "not the same person", merge, and undoing a merge.

Locks: every service here locks the pair (or merge record) first, then the laborers in pk order.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from laborcoop.accounts.access import require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import Period, periods_overlap
from laborcoop.frontdesk.access import require_admin
from laborcoop.frontdesk.models import DuplicatePair, MergeRecord
from laborcoop.registry import choices as c
from laborcoop.registry.identity import PHONE_COLUMN_NAMES
from laborcoop.registry.likeness import common_region_code
from laborcoop.registry.merge import merge_related, row_from_values, row_values, unmerge_related
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.services import LABORER_FIELDS

PAIR_NOT_OPEN = "该疑似重复记录已处理，请刷新页面。"
BAD_KEEP = "请选择保留左侧还是右侧的记录。"
MERGE_HEAD_WITH_MEMBERS = "将被删除的记录是户主，且该户还有其他成员：请先变更户主，或保留该记录。"
MERGE_EMPLOYMENT_OVERLAP = "两条记录的就业记录时间重叠（{start} 起），请先在人员页面核对就业记录后再合并。"
MERGE_REASON = "合并重复人员"
UNMERGE_REASON = "撤销合并重复人员"
UNMERGE_ALREADY_DONE = "该合并已撤销。"
UNMERGE_ID_TAKEN = "该证件号码已被其他人员使用，无法撤销合并。"
UNMERGE_HOUSEHOLD_GONE = "原家庭已不存在，无法撤销合并。"
UNMERGE_KEPT_GONE = "保留的人员记录已不存在，无法撤销合并。"
UNMERGED_NOTE = "已撤销合并，请重新核实。"

LABORER_TYPE = "registry.laborer"

# Fields of the kept record that are filled from the removed one when empty. Identity (name, ID, sex, birth
# date) and place (household, village, relation) are the kept record's by definition. The mobile number is
# filled too (its stored columns, see _fill_phone), recorded masked: a merge record holds no clear number.
FILLABLE_FIELDS = [
    "person_no",
    "ethnicity",
    "education",
    "student_status",
    "disability_category",
    "marital_status",
    "qualification",
    "skills",
    "employer_name",
    "work_area",
    "work_region_willingness",
    "intended_occupations",
    "intended_regions",
    "expected_wage",
    "training_needs",
]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _error(message: str) -> ValidationError:
    return ValidationError({"__all__": [message]})


@transaction.atomic
def pair_mark_not_duplicate(*, acting_user: Any, pair: DuplicatePair, note: str = "") -> DuplicatePair:
    """Record that the two laborers are different people; later scans leave the pair closed."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    require_region_in_scope(acting_user, locked.region_code)
    if locked.status != DuplicatePair.Status.OPEN:
        raise _error(PAIR_NOT_OPEN)
    locked.status = DuplicatePair.Status.NOT_DUPLICATE
    locked.reviewed_by = acting_user
    locked.reviewed_at = timezone.now()
    locked.note = note.strip()[:500]
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "note", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_code,
        changes={"status": [DuplicatePair.Status.OPEN.value, locked.status]},
        reason=locked.note or "不是同一人",
    )
    return locked


def _lock_pair_laborers(*, acting_user: Any, pair: DuplicatePair) -> dict[int, Laborer]:
    ids = sorted(x for x in (pair.laborer_a_id, pair.laborer_b_id) if x is not None)
    found = {
        laborer.pk: laborer
        for laborer in Laborer.objects.select_for_update().filter(pk__in=ids).select_related("household").order_by("pk")
    }
    if len(found) != 2:
        raise ObjectNotFound
    for laborer in found.values():
        require_region_in_scope(acting_user, laborer.region_id)
    return found


def _move_related(*, acting_user: Any, removed: Laborer, kept: Laborer, pair: DuplicatePair) -> dict[str, Any]:
    """Re-point the removed laborer's related rows to the kept one; returns what moved, for the undo.

    Every app moves its own rows on `laborers_merged` (registry.merge); here only what the duplicate review
    owns: the audit trail (object ids, not keys) and the other pairs of the removed laborer.
    """
    audit_ids = list(
        AuditEntry.objects.filter(object_type=LABORER_TYPE, object_id=str(removed.pk))
        .order_by("id")
        .values_list("id", flat=True)
    )
    AuditEntry.objects.filter(pk__in=audit_ids).update(object_id=str(kept.pk))
    moved = merge_related(target=Laborer, removed=removed, kept=kept, acting_user=acting_user)
    # Other pairs of the removed laborer would point at a deleted row: keep them (as values) for the undo.
    # A later scan pairs the kept record with the same people again if they still look alike.
    others = DuplicatePair.objects.filter(Q(laborer_a=removed) | Q(laborer_b=removed)).exclude(pk=pair.pk)
    other_pairs = [row_values(p) for p in others.exclude(status=DuplicatePair.Status.MERGED)]
    others.exclude(status=DuplicatePair.Status.MERGED).delete()
    return {**moved, "audit": audit_ids, "pairs": other_pairs}


# Merge records written before the apps moved their own rows kept plain id lists under these keys.
_LEGACY_KEYS = {
    "contacts": "frontdesk.servicecontact.matched_laborer",
    "employment": "employment.employmentrecord.laborer",
    "comparison_entries": "linkage.comparisonentry.laborer",
    "proposed_changes": "linkage.proposedchange.laborer",
}


def _restore_related(*, acting_user: Any, record: MergeRecord, restored: Laborer, kept: Laborer) -> None:
    AuditEntry.objects.filter(pk__in=record.moved.get("audit", [])).update(object_id=str(restored.pk))
    moved = dict(record.moved)
    for old, new in _LEGACY_KEYS.items():
        if old in moved and new not in moved:
            moved[new] = {"ids": moved[old]}
    unmerge_related(target=Laborer, moved=moved, restored=restored, kept=kept, acting_user=acting_user)
    pairs = []
    for values in record.moved.get("pairs", []):
        fields = row_from_values(DuplicatePair, values)
        if fields.get("laborer_a_id") == record.removed_laborer_id:
            fields["laborer_a_id"] = restored.pk
        if fields.get("laborer_b_id") == record.removed_laborer_id:
            fields["laborer_b_id"] = restored.pk
        if fields["laborer_a_id"] < fields["laborer_b_id"]:
            pairs.append(DuplicatePair(**fields))
    DuplicatePair.objects.bulk_create(pairs, ignore_conflicts=True)


def _require_employment_mergeable(*, kept: Laborer, removed: Laborer) -> None:
    """One person's employment periods never overlap: refuse a merge that would make them overlap."""
    periods = {
        pk: [Period(start, end) for start, end in rows]
        for pk, rows in (
            (
                pk,
                EmploymentRecord.objects.filter(laborer_id=pk)
                .order_by("start_date")
                .values_list("start_date", "end_date"),
            )
            for pk in (kept.pk, removed.pk)
        )
    }
    for theirs in periods[removed.pk]:
        for ours in periods[kept.pk]:
            if periods_overlap(ours, theirs):
                raise _error(MERGE_EMPLOYMENT_OVERLAP.format(start=max(ours.start, theirs.start).isoformat()))


@transaction.atomic
def duplicate_merge(*, acting_user: Any, pair: DuplicatePair, keep: str) -> Laborer:
    """Merge the pair into one record: keep side `keep` ("a" = left, "b" = right), fill its empty fields from
    the other, move the other's audit history and related rows to it, record a MergeRecord, delete the other.
    Both laborers must be in the acting user's scope."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    if keep not in ("a", "b"):
        raise _error(BAD_KEEP)
    locked_pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if locked_pair.status != DuplicatePair.Status.OPEN:
        raise _error(PAIR_NOT_OPEN)
    laborers = _lock_pair_laborers(acting_user=acting_user, pair=locked_pair)
    kept_id, removed_id = (
        (locked_pair.laborer_a_id, locked_pair.laborer_b_id)
        if keep == "a"
        else (locked_pair.laborer_b_id, locked_pair.laborer_a_id)
    )
    assert kept_id is not None
    assert removed_id is not None
    kept, removed = laborers[kept_id], laborers[removed_id]
    if (
        removed.relation == c.Relation.HEAD
        and Laborer.objects.filter(household_id=removed.household_id).exclude(pk=removed.pk).exists()
    ):
        raise _error(MERGE_HEAD_WITH_MEMBERS)
    _require_employment_mergeable(kept=kept, removed=removed)

    removed_values = row_values(removed)
    before = snapshot(kept, LABORER_FIELDS)
    filled: dict[str, list[Any]] = {}
    for name in FILLABLE_FIELDS:
        old, new = getattr(kept, name), getattr(removed, name)
        if _is_empty(old) and not _is_empty(new):
            setattr(kept, name, new)
            filled[name] = [_json_value(old), _json_value(new)]
    if not kept.phone_hash and removed.phone_hash:
        for column in PHONE_COLUMN_NAMES:
            setattr(kept, column, getattr(removed, column))
        filled["phone"] = ["", removed.phone_masked]
    kept.version += 1
    kept.save()

    moved = _move_related(acting_user=acting_user, removed=removed, kept=kept, pair=locked_pair)
    now = timezone.now()
    record = MergeRecord.objects.create(
        pair=locked_pair,
        kept=kept,
        removed_laborer_id=removed.pk,
        removed_values=removed_values,
        filled_fields=filled,
        moved=moved,
        region_code=common_region_code(kept.region_id, removed.region_id),
        merged_by=acting_user,
        merged_at=now,
    )
    changes: dict[str, Any] = diff(before, snapshot(kept, LABORER_FIELDS))
    changes["merged_from"] = [f"#{removed.pk} {removed.name}（{removed.id_masked}）", f"#{kept.pk}"]
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=kept,
        region_code=kept.region_id,
        changes=changes,
        reason=MERGE_REASON,
    )
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.DELETE,
        instance=removed,
        region_code=removed.region_id,
        changes={"merge_record": [None, record.pk]},
        reason=f"{MERGE_REASON}：并入 #{kept.pk}",
    )
    removed.delete()
    locked_pair.status = DuplicatePair.Status.MERGED
    locked_pair.reviewed_by = acting_user
    locked_pair.reviewed_at = now
    locked_pair.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return kept


@transaction.atomic
def duplicate_unmerge(*, acting_user: Any, merge_record: MergeRecord) -> Laborer:
    """Undo a merge (admins only): restore the removed laborer (same id if free, same ID hash), move its
    audit entries and related rows back, and clear the fields the merge filled on the kept record (those not
    changed since). The pair is reopened for review."""
    require_admin(acting_user)
    record = MergeRecord.objects.select_for_update().get(pk=merge_record.pk)
    if record.undone_at is not None:
        raise _error(UNMERGE_ALREADY_DONE)
    values = row_from_values(Laborer, record.removed_values)
    require_region_in_scope(acting_user, values["region_id"])
    kept = Laborer.objects.select_for_update().filter(pk=record.kept_id).first()
    if kept is None:
        raise _error(UNMERGE_KEPT_GONE)
    require_region_in_scope(acting_user, kept.region_id)
    if Laborer.objects.filter(id_number_hash=values["id_number_hash"]).exists():
        raise _error(UNMERGE_ID_TAKEN)
    if not Household.objects.filter(pk=values["household_id"]).exists():
        raise _error(UNMERGE_HOUSEHOLD_GONE)

    if Laborer.objects.filter(pk=record.removed_laborer_id).exists():
        values.pop("id")
    created_at = values.pop("created_at")
    restored = Laborer(**values)
    restored.version += 1
    restored.save(force_insert=True)
    Laborer.objects.filter(pk=restored.pk).update(created_at=created_at)  # auto_now_add overwrote it

    before = snapshot(kept, LABORER_FIELDS)
    for name, (old, new) in record.filled_fields.items():
        if name == "phone":
            if kept.phone_hash == record.removed_values.get("phone_hash"):  # not changed since the merge
                kept.phone = ""
        elif _json_value(getattr(kept, name)) == new:  # not changed since the merge
            setattr(kept, name, row_from_values(Laborer, {name: old})[name])
    kept.version += 1
    kept.save()
    _restore_related(acting_user=acting_user, record=record, restored=restored, kept=kept)

    now = timezone.now()
    record.undone_at = now
    record.undone_by = acting_user
    record.save(update_fields=["undone_at", "undone_by", "updated_at"])
    if record.pair_id is not None:
        low, high = sorted([kept.pk, restored.pk])  # the same ids unless the old id had been taken
        DuplicatePair.objects.filter(pk=record.pair_id).update(
            laborer_a_id=low,
            laborer_b_id=high,
            status=DuplicatePair.Status.OPEN,
            reviewed_by=None,
            reviewed_at=None,
            note=UNMERGED_NOTE,
            updated_at=now,
        )
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=restored,
        region_code=restored.region_id,
        changes={"merge_record": [record.pk, None]},
        reason=UNMERGE_REASON,
    )
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=kept,
        region_code=kept.region_id,
        changes=diff(before, snapshot(kept, LABORER_FIELDS)),
        reason=UNMERGE_REASON,
    )
    return restored
