"""Merging a duplicate pair and undoing the merge."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.frontdesk.models import DuplicatePair, MergeRecord, ServiceContact
from laborcoop.frontdesk.review import (
    MERGE_EMPLOYMENT_OVERLAP,
    MERGE_HEAD_WITH_MEMBERS,
    MERGE_REASON,
    PAIR_NOT_OPEN,
    duplicate_merge,
    duplicate_unmerge,
)
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory
from tests.frontdesk.conftest import HEITANG, TIANMENXI, id_for

pytestmark = pytest.mark.django_db

BIRTH = date(1979, 11, 2)


@pytest.fixture
def pair(person: Callable[..., Laborer], users: dict[str, Any]) -> DuplicatePair:
    left = person("张伟", BIRTH, HEITANG, phone="", phone_last4="", skills="")
    right = person("張偉", BIRTH, TIANMENXI, phone="13912345678", phone_last4="5678", skills="电焊工")
    officer = users["county_officer"]
    for laborer in (left, right):
        audit_record(actor=officer, action=AuditEntry.Action.CREATE, instance=laborer, region_code=laborer.region_id)
    audit_record(actor=officer, action=AuditEntry.Action.EXPORT, instance=right, region_code=right.region_id)
    ServiceContact.objects.create(staff=officer, outcome="found", matched_laborer=right, region_code="433122000000")
    return DuplicatePair.objects.create(
        laborer_a=left, laborer_b=right, score=0.95, reasons=["姓名相同"], region_code="433122107000"
    )


def _history(laborer_id: int) -> list[int]:
    return sorted(
        AuditEntry.objects.filter(object_type="registry.laborer", object_id=str(laborer_id)).values_list(
            "id", flat=True
        )
    )


def test_merge_keeps_one_fills_empty_fields_and_moves_history(pair: DuplicatePair, users: dict[str, Any]) -> None:
    left, right = pair.laborer_a, pair.laborer_b
    assert left is not None
    assert right is not None
    right_number, right_hash, right_enc = right.reveal_id_number(), right.id_number_hash, right.id_number_enc
    right_history = _history(right.pk)
    # When the officer merges, keeping the left record
    kept = duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    # Then the right record is gone and the left one has its empty fields filled
    assert kept.pk == left.pk
    assert not Laborer.objects.filter(pk=right.pk).exists()
    kept.refresh_from_db()
    assert (kept.phone, kept.phone_last4, kept.skills) == ("13912345678", "5678", "电焊工")
    assert kept.name == "张伟"
    # The removed record's audit history now belongs to the kept record
    assert set(right_history) <= set(_history(left.pk))
    update = AuditEntry.objects.filter(object_id=str(left.pk), action="update").get()
    assert update.reason == MERGE_REASON
    assert update.changes["phone"] == ["", "139****5678"]
    # The service contact follows the person
    assert ServiceContact.objects.get().matched_laborer_id == left.pk
    # A merge record keeps the removed values, the ID only encrypted and hashed
    record = MergeRecord.objects.get()
    assert record.kept_id == left.pk
    assert record.removed_laborer_id == right.pk
    assert record.removed_values["id_number_hash"] == right_hash
    assert record.removed_values["id_number_enc"] == right_enc
    assert record.removed_values["name"] == "張偉"
    assert right_number not in str(record.removed_values)
    assert record.moved["audit"] == right_history
    # The merge record keeps the filled number masked only (its stored columns are on the kept row).
    assert record.filled_fields == {"phone": ["", "139****5678"], "skills": ["", "电焊工"]}
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.MERGED
    assert pair.reviewed_by == users["county_officer"]


def test_unmerge_restores_the_laborer_with_the_same_id_hash_and_fields(
    pair: DuplicatePair, users: dict[str, Any]
) -> None:
    left, right = pair.laborer_a, pair.laborer_b
    assert left is not None
    assert right is not None
    right_values = {f.attname: getattr(right, f.attname) for f in Laborer._meta.concrete_fields}
    right_history = _history(right.pk)
    duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    record = MergeRecord.objects.get()
    # Only admins undo merges
    with pytest.raises(PermissionDeniedError):
        duplicate_unmerge(acting_user=users["county_officer"], merge_record=record)
    restored = duplicate_unmerge(acting_user=users["prefecture_admin"], merge_record=record)
    restored.refresh_from_db()
    assert restored.pk == right.pk
    for name, value in right_values.items():
        if name not in ("version", "updated_at"):
            assert getattr(restored, name) == value, name
    assert restored.reveal_id_number() == right.reveal_id_number()
    kept = Laborer.objects.get(pk=left.pk)
    assert (kept.phone, kept.phone_last4, kept.skills) == ("", "", "")
    # The moved history is back (plus the merge's delete and the undo's create entries)
    assert set(right_history) <= set(_history(right.pk))
    assert ServiceContact.objects.get().matched_laborer_id == right.pk
    record.refresh_from_db()
    assert record.undone_at is not None
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.OPEN
    with pytest.raises(ValidationError):
        duplicate_unmerge(acting_user=users["prefecture_admin"], merge_record=record)


def test_merge_needs_an_open_pair_in_scope_and_the_edit_capability(pair: DuplicatePair, users: dict[str, Any]) -> None:
    for role in ["viewer", "hotline", "enterprise"]:
        with pytest.raises(PermissionDeniedError):
            duplicate_merge(acting_user=users[role], pair=pair, keep="a")
    for role in ["other_county_officer", "broker"]:  # the broker's village holds only the left record
        with pytest.raises(ObjectNotFound):
            duplicate_merge(acting_user=users[role], pair=pair, keep="a")
    assert Laborer.objects.count() == 2
    assert not MergeRecord.objects.exists()
    DuplicatePair.objects.filter(pk=pair.pk).update(status=DuplicatePair.Status.NOT_DUPLICATE)
    with pytest.raises(ValidationError) as exc:
        duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    assert exc.value.message_dict["__all__"] == [PAIR_NOT_OPEN]


def test_a_household_head_with_other_members_is_not_removed(pair: DuplicatePair, users: dict[str, Any]) -> None:
    right = pair.laborer_b
    assert right is not None
    LaborerFactory(household=right.household, relation="之子", name="张小", id_number=id_for(date(2005, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    assert exc.value.message_dict["__all__"] == [MERGE_HEAD_WITH_MEMBERS]
    assert Laborer.objects.filter(pk=right.pk).exists()


def test_merge_moves_employment_records_and_unmerge_moves_them_back(pair: DuplicatePair, users: dict[str, Any]) -> None:
    left, right = pair.laborer_a, pair.laborer_b
    assert left is not None
    assert right is not None
    earlier = EmploymentRecordFactory(laborer=left, start_date=date(2022, 1, 1), end_date=date(2022, 12, 31))
    later = EmploymentRecordFactory(laborer=right, start_date=date(2023, 3, 1))
    # When the officer merges, keeping the left record
    kept = duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    # Then both employment records belong to the kept person
    assert sorted(kept.employment_records.values_list("id", flat=True)) == sorted([earlier.pk, later.pk])
    # And an admin's undo gives the restored person its own record back
    record = MergeRecord.objects.get(pair=pair)
    restored = duplicate_unmerge(acting_user=users["province_admin"], merge_record=record)
    assert list(restored.employment_records.values_list("id", flat=True)) == [later.pk]
    assert list(kept.employment_records.values_list("id", flat=True)) == [earlier.pk]


def test_merge_refuses_overlapping_employment(pair: DuplicatePair, users: dict[str, Any]) -> None:
    left, right = pair.laborer_a, pair.laborer_b
    assert left is not None
    assert right is not None
    EmploymentRecordFactory(laborer=left, start_date=date(2023, 1, 1))  # ongoing
    EmploymentRecordFactory(laborer=right, start_date=date(2023, 6, 1), end_date=date(2023, 9, 30))
    with pytest.raises(ValidationError) as exc:
        duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")
    assert exc.value.messages == [MERGE_EMPLOYMENT_OVERLAP.format(start="2023-06-01")]
    # Nothing changed
    assert Laborer.objects.filter(pk=right.pk).exists()
    assert DuplicatePair.objects.get(pk=pair.pk).status == DuplicatePair.Status.OPEN
    assert right.employment_records.count() == 1


def test_merge_moves_every_related_row_and_undo_puts_them_back(pair: DuplicatePair, users: dict[str, Any]) -> None:
    """Regression: a wage month made the merge fail with ProtectedError (a 500); follow-ups were deleted and the
    undo could not restore them. Rows that would collide with the kept person's (the same job recommended to
    both, the same insurance month) are parked and come back on undo."""
    from laborcoop.employment.models import InsuranceMonth, WageMonth
    from laborcoop.matching.models import Recommendation
    from laborcoop.tracking.models import FollowUp
    from tests.factories import JobPostingFactory

    left, right = pair.laborer_a, pair.laborer_b
    assert left is not None
    assert right is not None
    record = EmploymentRecordFactory(laborer=right, start_date=date(2023, 3, 1))
    wage = WageMonth.objects.create(
        record=record, laborer=right, region_id=right.region_id, month=date(2023, 4, 1), amount=4200
    )
    kind = InsuranceMonth._meta.get_field("insurance_type").choices[0][0]
    for who in (left, right):  # the same month and type on both records: the removed one's is parked
        InsuranceMonth.objects.create(laborer=who, region_id=who.region_id, month=date(2023, 4, 1), insurance_type=kind)
    followup = FollowUp.objects.create(
        laborer=right, region_id=right.region_id, contacted_on=date(2023, 5, 1), method="phone", outcome="working"
    )
    job = JobPostingFactory()
    for who in (left, right):
        Recommendation.objects.create(job=job, laborer=who, region_id=who.region_id, score=50)

    kept = duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")

    assert not Laborer.objects.filter(pk=right.pk).exists()
    wage.refresh_from_db()
    followup.refresh_from_db()
    assert (wage.laborer_id, followup.laborer_id) == (kept.pk, kept.pk)
    assert InsuranceMonth.objects.filter(laborer=kept).count() == 1
    assert list(Recommendation.objects.values_list("laborer_id", flat=True)) == [kept.pk]

    restored = duplicate_unmerge(acting_user=users["province_admin"], merge_record=MergeRecord.objects.get(pair=pair))

    wage.refresh_from_db()
    followup.refresh_from_db()
    assert (wage.laborer_id, followup.laborer_id) == (restored.pk, restored.pk)
    assert InsuranceMonth.objects.filter(laborer=restored).count() == 1
    assert InsuranceMonth.objects.filter(laborer=kept).count() == 1
    assert sorted(Recommendation.objects.values_list("laborer_id", flat=True)) == sorted([kept.pk, restored.pk])
