"""Which names on a recommendation list may be links: a candidate's name opens the laborer's page and a job's
title opens the job's page only when the viewer may open that page. The answer comes from the same scoped
querysets the detail pages fetch through (registry.access / employers.access), one query per kind for the whole
list, so a link never ends in a 403 or 404 and the lists never decide a role themselves."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employers.access import jobs_for
from laborcoop.registry.access import laborers_for


@dataclass(frozen=True)
class OpenableIds:
    laborers: frozenset[int] = field(default_factory=frozenset)
    jobs: frozenset[int] = field(default_factory=frozenset)


def openable_laborer_ids(*, user: Any, laborer_ids: Iterable[int]) -> frozenset[int]:
    """The ids among `laborer_ids` whose page (registry:laborer_detail) `user` may open."""
    ids = set(laborer_ids)
    if not ids or not user_can(user, Cap.REGISTRY_VIEW):
        return frozenset()
    return frozenset(laborers_for(user, Cap.REGISTRY_VIEW).filter(pk__in=ids).values_list("pk", flat=True))


def openable_job_ids(*, user: Any, job_ids: Iterable[int]) -> frozenset[int]:
    """The ids among `job_ids` whose page (employers:job_detail) `user` may open."""
    ids = set(job_ids)
    if not ids or not user_can(user, Cap.JOBS_VIEW):
        return frozenset()
    return frozenset(jobs_for(user, Cap.JOBS_VIEW).filter(pk__in=ids).values_list("pk", flat=True))


def openable_for(*, user: Any, recommendations: Iterable[Any], laborers: bool = True, jobs: bool = True) -> OpenableIds:
    """The laborers and jobs (those asked for) of `recommendations` whose pages `user` may open: one query each."""
    recs = list(recommendations)
    return OpenableIds(
        laborers=openable_laborer_ids(user=user, laborer_ids={r.laborer_id for r in recs} if laborers else ()),
        jobs=openable_job_ids(user=user, job_ids={r.job_id for r in recs} if jobs else ()),
    )
