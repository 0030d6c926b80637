"""Employment records follow their laborer's home: when a household moves (a form edit or an import), the
records' responsible region and the derived 务工地域 (home county vs work county) change with it, and so do
the output side of their destination notices (去向通报) and the laborer's open follow-up tasks (the new home
township follows the person up; closed tasks stay where the work was done).

Depends only on models and pure rules, so the registry services and the intake importers can call it without
an import cycle.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import work_area_of
from laborcoop.tracking.choices import TaskStatus
from laborcoop.tracking.models import DestinationNotice, FollowUpTask


def employment_records_follow_home(*, laborer_ids: Iterable[int] = (), household_ids: Iterable[int] = ()) -> int:
    """Re-point the records of these laborers (or of these households' members) whose region is no longer the
    laborer's; returns how many records changed. One query when nothing moved."""
    laborer_ids, household_ids = list(laborer_ids), list(household_ids)
    if not laborer_ids and not household_ids:
        return 0
    stale = (
        EmploymentRecord.objects.filter(Q(laborer_id__in=laborer_ids) | Q(laborer__household_id__in=household_ids))
        .exclude(region_id=F("laborer__region_id"))
        .select_related("laborer")
        .order_by("pk")
    )
    now = timezone.now()
    records = list(stale)
    for record in records:
        record.region_id = record.laborer.region_id
        record.work_area = work_area_of(record.region_id, record.work_region_id)
        record.updated_at = now
    EmploymentRecord.objects.bulk_update(records, ["region", "work_area", "updated_at"], batch_size=500)
    by_region: dict[str, list[int]] = defaultdict(list)
    for record in records:
        by_region[record.region_id].append(record.pk)
    for region_id, record_ids in by_region.items():
        DestinationNotice.objects.filter(record_id__in=record_ids).update(region_id=region_id, updated_at=now)
    tasks = list(
        FollowUpTask.objects.filter(
            Q(laborer_id__in=laborer_ids) | Q(laborer__household_id__in=household_ids), status=TaskStatus.OPEN
        )
        .exclude(region_id=F("laborer__region_id"))
        .select_related("laborer")
        .order_by("pk")
    )
    for task in tasks:
        task.region_id = task.laborer.region_id
        task.updated_at = now
    FollowUpTask.objects.bulk_update(tasks, ["region", "updated_at"], batch_size=500)
    return len(records)
