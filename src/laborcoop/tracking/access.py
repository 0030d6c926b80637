"""Who may see and do follow-up work (跟踪寻访): tasks, follow-up logs and the unreachable list.

These rows belong to the laborer's home village (`region`) and are scoped like the registry, by the subtree of
the user's home region (accounts.access). Two levels:
- reading needs the registry view AND the statistics capability: the region's own staff (officers, viewers,
  brokers, admins). The 12333 hotline looks people up for callers but does not manage them, and enterprise
  users are on the input side: both get 403;
- doing the work (logging a follow-up, the phone page) needs the registry edit capability as well.
Missing and out-of-scope rows are the same 404.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, require_cap, scoped_queryset, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer
from laborcoop.tracking.models import FollowUp, FollowUpTask

READ_CAPS = (Cap.REGISTRY_VIEW, Cap.STATS_VIEW)
WRITE_CAP = Cap.REGISTRY_EDIT


def require_tracking(user: Any, *, write: bool = False) -> None:
    for cap in READ_CAPS:
        require_cap(user, cap)
    if write:
        require_cap(user, WRITE_CAP)


def can_track(user: Any, *, write: bool = False) -> bool:
    caps = (*READ_CAPS, WRITE_CAP) if write else READ_CAPS
    return all(user_can(user, cap) for cap in caps)


def _cap(write: bool) -> str:
    return WRITE_CAP if write else Cap.REGISTRY_VIEW


def tasks_for(user: Any, *, write: bool = False) -> QuerySet[FollowUpTask]:
    require_tracking(user, write=write)
    return scoped_queryset(user, FollowUpTask.objects.all(), _cap(write))


def access_task(*, user: Any, task_id: Any, write: bool = False) -> FollowUpTask:
    require_tracking(user, write=write)
    queryset = FollowUpTask.objects.select_related("laborer", "laborer__region", "record", "done_by")
    return get_scoped(user, queryset, _cap(write), task_id)


def followups_for(user: Any) -> QuerySet[FollowUp]:
    require_tracking(user)
    return scoped_queryset(user, FollowUp.objects.all(), Cap.REGISTRY_VIEW)


def access_tracked_laborer(*, user: Any, laborer_id: Any, write: bool = False) -> Laborer:
    """A laborer whose follow-ups the user may read (or log, with `write`)."""
    require_tracking(user, write=write)
    return access_laborer(user=user, laborer_id=laborer_id, cap=_cap(write))
