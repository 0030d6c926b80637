"""The laborer's employment summary (就业状态, 务工单位, 务工地域 on Laborer) derived from the records.

The record services keep the summary in step with each write (records.services._sync_laborer); bulk writers
(the demo data, merges of duplicates) and rows written by older versions can leave it stale: "已就业（东莞…）"
while that job ended a year ago and the current one is elsewhere. `laborer_summaries_sync` brings any set of
laborers (or everyone) in line with their records, with the same rule as the services (`summary_for`):
- an ongoing record (no end date; the latest start if several): 已就业 with its employer and 务工地域;
- no ongoing record and the summary says 已就业: 未就业 (employer and 务工地域 cleared);
- otherwise the hand-kept status (务农, 无就业需求, 未就业) stays.
Changed laborers get a new version and one audit row each (registry.services.laborers_set_employment_summary).
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.services import summary_for
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer
from laborcoop.registry.services import EmploymentSummary, laborers_set_employment_summary

SYNC_REASON = "按就业记录校正就业状态"
CHUNK = 1000


def _stale_candidates() -> "Iterable[int]":
    """Laborers whose summary may disagree with their records: everyone with an ongoing record, and everyone
    whose summary says 已就业 or names an employer (one query, ids only)."""
    with_ongoing = EmploymentRecord.objects.filter(end_date__isnull=True).values("laborer_id")
    return (
        Laborer.objects.filter(
            Q(pk__in=with_ongoing) | Q(employment_status=rc.EmploymentStatus.EMPLOYED) | ~Q(employer_name="")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sync_chunk(*, acting_user: Any, ids: list[int], reason: str) -> int:
    with transaction.atomic():
        laborers = list(Laborer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        current: dict[int, EmploymentRecord] = {}
        for record in (
            EmploymentRecord.objects.filter(laborer_id__in=ids, end_date__isnull=True)
            .only("laborer_id", "employer_name", "work_area", "start_date")
            .order_by("laborer_id", "-start_date", "-id")
        ):
            current.setdefault(record.laborer_id, record)
        summaries: list[tuple[Laborer, EmploymentSummary]] = []
        for laborer in laborers:
            summary = summary_for(laborer, current.get(laborer.pk))
            if summary is None and laborer.employer_name and laborer.employment_status != rc.EmploymentStatus.EMPLOYED:
                # An employer named beside 务农/未就业 without any ongoing job: the name is left over.
                summary = EmploymentSummary(laborer.employment_status, "", "")
            if summary is not None:
                summaries.append((laborer, summary))
        changed = laborers_set_employment_summary(
            acting_user=acting_user, summaries=summaries, reasons=[reason] * len(summaries)
        )
        return len(changed)


def laborer_summaries_sync(
    *, acting_user: Any = None, laborer_ids: Iterable[int] | None = None, reason: str = SYNC_REASON
) -> int:
    """Bring the employment summary of `laborer_ids` (None: every laborer who may be stale) in line with
    their records, in chunks of CHUNK laborers, each chunk one transaction with its laborer rows locked.
    Idempotent; returns how many laborers changed."""
    ids = sorted(set(laborer_ids)) if laborer_ids is not None else list(_stale_candidates())
    changed = 0
    for start in range(0, len(ids), CHUNK):
        changed += _sync_chunk(acting_user=acting_user, ids=ids[start : start + CHUNK], reason=reason)
    return changed
