"""Employment records follow their laborer's home: when a household moves (a form edit or an import), the
records' responsible region and the derived 务工地域 (home county vs work county) change with it. Run on the
registry's `laborers_moved` (employment.registry_receivers); tracking moves its notices and open tasks on the
same signal (tracking.registry_receivers).
"""

from collections.abc import Iterable

from django.db.models import F, Q
from django.utils import timezone

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import work_area_of


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
    return len(records)
