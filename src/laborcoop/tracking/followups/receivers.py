"""Follow-up tasks follow every employment write (imported by TrackingConfig.ready()).

The receiver runs inside the writing transaction (see employment.signals), set-based over the records of the
write (one record from the services, a chunk from the work import): endings open the home township's tasks,
ongoing records close the tasks that re-employment makes moot (tracking.followups.leave).
"""

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed
from laborcoop.tracking.followups.leave import leave_tasks_close_on_reemployment, leave_tasks_open


@receiver(employment_changed, dispatch_uid="tracking.leave_tasks")
def leave_tasks_on_employment_changed(
    sender: Any,
    *,
    records: Sequence[EmploymentRecord],
    ended: set[int] | None = None,
    acting_user: Any = None,
    **kwargs: Any,
) -> None:
    leave_tasks_close_on_reemployment(records=records, acting_user=acting_user)
    leave_tasks_open(records=records, ended=set(ended or ()), acting_user=acting_user)
