"""Destination notices follow every employment write (imported by TrackingConfig.ready()).

The receiver runs inside the writing transaction (see employment.signals): created records and records whose
work county changed are handled set-based by tracking.notices.services.destination_notices_sync, one chunk of an
import at a time.
"""

from collections.abc import Sequence
from typing import Any

from django.dispatch import receiver

from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.signals import employment_changed
from laborcoop.tracking.notices.services import destination_notices_sync


@receiver(employment_changed, dispatch_uid="tracking.destination_notices")
def destination_notices_on_employment_changed(
    sender: Any, *, records: Sequence[EmploymentRecord], acting_user: Any = None, **kwargs: Any
) -> None:
    destination_notices_sync(records=records, acting_user=acting_user)
