"""Scoped access to recommendations.

Staff reach a recommendation through the laborer's home region (`region`, the subtree rule of
accounts.access), with the registry capabilities; enterprise users reach the recommendations of their own
enterprise's jobs (`job__enterprise`), with the job capabilities. Missing and out-of-scope rows look the same.
"""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, is_enterprise_user, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.matching.models import Recommendation


def _cap(user: Any, *, edit: bool) -> str:
    if is_enterprise_user(user):
        return Cap.JOBS_EDIT if edit else Cap.JOBS_VIEW
    return Cap.REGISTRY_EDIT if edit else Cap.REGISTRY_VIEW


def recommendations_for(user: Any, *, edit: bool = False) -> QuerySet[Recommendation]:
    base = Recommendation.objects.select_related("job", "job__enterprise", "laborer")
    if user is None or not user.is_authenticated:
        return scoped_queryset(user, base, Cap.REGISTRY_VIEW)  # raises: please log in
    return scoped_queryset(user, base, _cap(user, edit=edit), enterprise_field="job__enterprise")


def access_recommendation(*, user: Any, recommendation_id: Any, edit: bool = False) -> Recommendation:
    base = Recommendation.objects.select_related("job", "job__enterprise", "laborer")
    if user is None or not user.is_authenticated:
        return get_scoped(user, base, Cap.REGISTRY_VIEW, recommendation_id)
    return get_scoped(user, base, _cap(user, edit=edit), recommendation_id, enterprise_field="job__enterprise")
