"""Openings (招聘人数) of a job posting, enforced when a laborer is hired through a recommendation.

Who counts as hired for a posting: every distinct laborer who
  - has a recommendation for it in 录用 (HIRED) or 已上岗 (STARTED), or
  - has an employment record for it (`EmploymentRecord.job`: created by 已上岗, or a hire reported by the
    enterprise with the posting named), ended records included: a posting recruits `openings` people, and a
    hire who left does not reopen a place by itself (the employer raises the openings or posts again).

Hiring one more laborer than that (录用, or 已上岗 of someone not counted yet) is refused with ERR_OPENINGS_FULL
unless the acting user confirms the over-hire; the confirmation raises the openings to the new number of hires,
audited on the posting with OVER_HIRE_REASON. The check runs under the posting's row lock (job_lock), so two
hires of the last opening at the same time cannot both pass on PostgreSQL (SQLite has one writer at a time).
"""

from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.employers.models import JobPosting
from laborcoop.employment.models import EmploymentRecord
from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation

ERR_OPENINGS_FULL = "该岗位招聘人数已满（%(openings)s人），如需继续录用请先增加招聘人数或确认超额录用。"
OVER_HIRE_REASON = "确认超额录用"
# The states of a recommendation whose laborer holds one of the posting's openings.
HIRED_STATES = (RecState.HIRED, RecState.STARTED)


def job_lock(*, job_id: int) -> JobPosting:
    """The posting row locked until the end of the caller's transaction (call inside transaction.atomic).

    Lock order: a recommendation's row first (transitions._lock), then its posting. (On PostgreSQL the
    recommendation's FOR UPDATE over its join already locks the posting too; the hire check does not rely on
    that join staying.)"""
    return JobPosting.objects.select_for_update().get(pk=job_id)


def job_hired_laborer_ids(*, job_id: int) -> set[int]:
    """The laborers holding one of the posting's openings (see the module docstring), in one query."""
    by_recommendation = Recommendation.objects.filter(job_id=job_id, state__in=HIRED_STATES).values_list(
        "laborer_id", flat=True
    )
    by_record = EmploymentRecord.objects.filter(job_id=job_id).values_list("laborer_id", flat=True)
    return set(by_recommendation.order_by().union(by_record.order_by()))


def job_hire_check(*, acting_user: Any, job_id: int, laborer_id: int, confirm_over_hire: bool) -> None:
    """Make room for `laborer_id` among the posting's hires, or refuse (ValidationError on `confirm_over_hire`).

    Call inside the transaction that records the hire: takes the posting's row lock. A laborer already counted
    (录用 → 已上岗) needs no room. With `confirm_over_hire` a full posting's openings are raised to the number of
    hires including this one, with a version bump and an audit row."""
    job = job_lock(job_id=job_id)
    hired = job_hired_laborer_ids(job_id=job_id)
    if laborer_id in hired or len(hired) < job.openings:
        return
    if not confirm_over_hire:
        raise ValidationError(
            {
                "confirm_over_hire": ValidationError(
                    ERR_OPENINGS_FULL, code="openings_full", params={"openings": job.openings}
                )
            }
        )
    before = job.openings
    job.openings = len(hired) + 1
    job.version += 1
    job.save(update_fields=["openings", "version", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=job,
        region_code=job.region_id,
        changes={"openings": [before, job.openings]},
        reason=OVER_HIRE_REASON,
    )
