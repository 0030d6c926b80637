"""Employment's answers to the registry's signals (registry.signals), connected by EmploymentConfig.ready():
records follow a moved home; an ongoing record owns the laborer's employment summary."""

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.rehome import employment_records_follow_home
from laborcoop.registry.signals import laborer_summary_locked, laborers_moved


@receiver(laborers_moved, dispatch_uid="employment.records_follow_home")
def records_follow_home(
    sender: Any, *, laborer_ids: Sequence[int] = (), household_ids: Sequence[int] = (), **kwargs: Any
) -> None:
    employment_records_follow_home(laborer_ids=laborer_ids, household_ids=household_ids)


@receiver(laborer_summary_locked, dispatch_uid="employment.summary_follows_record")
def summary_follows_record(sender: Any, *, laborer_id: int, **kwargs: Any) -> bool:
    """While a job is ongoing, the employment summary follows the employment record."""
    return EmploymentRecord.objects.filter(laborer_id=laborer_id, end_date__isnull=True).exists()
