"""Scoped access to households and laborers (see accounts.access for the rules)."""

from typing import Any

from django.db.models import QuerySet

from laborcoop.accounts.access import get_scoped, scoped_queryset
from laborcoop.accounts.capabilities import Cap
from laborcoop.registry.models import Household, Laborer


def households_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[Household]:
    return scoped_queryset(user, Household.objects.all(), cap)


def laborers_for(user: Any, cap: str = Cap.REGISTRY_VIEW) -> QuerySet[Laborer]:
    return scoped_queryset(user, Laborer.objects.all(), cap)


def access_household(*, user: Any, household_id: Any, cap: str = Cap.REGISTRY_VIEW) -> Household:
    return get_scoped(user, Household.objects.select_related("region"), cap, household_id)


def access_laborer(*, user: Any, laborer_id: Any, cap: str = Cap.REGISTRY_VIEW) -> Laborer:
    return get_scoped(user, Laborer.objects.select_related("region", "household"), cap, laborer_id)
