"""The derived status follows every employment write (imported by EmploymentConfig.ready()).

`employment_changed` is sent inside the writing transaction with the laborers' rows locked (see
employment.signals), so the states are recomputed from what that transaction sees: one set-based refresh per
service call or import chunk."""

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed
from laborcoop.employment.status import employment_states_refresh


@receiver(employment_changed, dispatch_uid="employment.derived_status")
def employment_states_on_employment_changed(sender: Any, *, records: Sequence[EmploymentRecord], **kwargs: Any) -> None:
    employment_states_refresh({record.laborer_id for record in records})
