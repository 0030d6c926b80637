"""What a 人社 社保参保 list's proposals need to know of the matched laborers besides the registry columns:
their ongoing employment record (a 停保 row proposes ending it) and the insurance months already recorded
for the months on the list (only missing ones are proposed). Read in batches for the run."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from laborcoop.employment.models import EmploymentRecord, InsuranceMonth

BATCH = 5000


def insurance_context(*, laborer_ids: Iterable[int], months: Iterable[date]) -> dict[int, dict[str, Any]]:
    """laborer id -> {"ongoing_record": {id, start_date, employer_name} | None, "insured_months": {(month,
    type)}} for the laborers matched on a 社保参保 list; `months` are the months the list is for."""
    ids = sorted(set(laborer_ids))
    wanted = sorted(set(months))
    context: dict[int, dict[str, Any]] = {pk: {"ongoing_record": None, "insured_months": set()} for pk in ids}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        ongoing = EmploymentRecord.objects.filter(laborer_id__in=batch, end_date__isnull=True).values(
            "id", "laborer_id", "start_date", "employer_name"
        )
        for row in ongoing:
            context[row["laborer_id"]]["ongoing_record"] = {
                "id": row["id"],
                "start_date": row["start_date"],
                "employer_name": row["employer_name"],
            }
        if wanted:
            insured = InsuranceMonth.objects.filter(laborer_id__in=batch, month__in=wanted).values_list(
                "laborer_id", "month", "insurance_type"
            )
            for laborer_id, month, insurance_type in insured:
                context[laborer_id]["insured_months"].add((month, insurance_type))
    return context
