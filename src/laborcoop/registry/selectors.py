"""Reads of the registry. Every function takes the acting user and goes through registry.access."""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.sorting import SortColumn, Sorting
from laborcoop.regions.models import prefix_of_code
from laborcoop.regions.scope import in_subtree_q, is_region_code
from laborcoop.registry import choices as c
from laborcoop.registry.access import households_for, laborers_for
from laborcoop.registry.identity import id_number_hash, phone_hash
from laborcoop.registry.models import Household, Laborer

_FULL_ID_RE = re.compile(r"^\d{17}[\dX]$")
_TAIL_RE = re.compile(r"^\d{3}[\dX]$")
_PHONE_TAIL_RE = re.compile(r"^\d{4}$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


# The columns a list page may be ordered by. Each is served by an index on a province-sized table
# (docs/benchmarks.md, "Sorted list pages"): name -> laborer_name_idx, birth date -> laborer_birth_idx,
# village -> laborer_region_idx (the default order); households: village (then number) -> household_region_idx.
# The household number alone is not offered: numbers begin with their village's code, so in a county's scope
# PostgreSQL walked the province's number index up to the county (670 ms at 260k households) for an order that
# is the village order anyway.
LABORER_SORTING = Sorting(
    columns={
        "name": SortColumn("姓名", ("name",)),
        "birth_date": SortColumn("出生日期", ("birth_date",)),
        "village": SortColumn("所在村", ("region_id",)),
    },
    default=("region_id", "id"),
)
HOUSEHOLD_SORTING = Sorting(
    columns={
        "village": SortColumn("所在村", ("region_id", "household_no")),
    },
    default=("region_id", "household_no"),
)


@dataclass(frozen=True)
class LaborerFilters:
    q: str = ""  # a name, a name prefix, a full ID number, the ID tail (4) or the phone tail (4) / full mobile
    region: str = ""  # a region code: narrows to its subtree (within the user's scope)
    labor_skill: str = ""
    employment_status: str = ""
    unreachable: bool | None = None


def _search_q(query: str) -> Q:
    text = query.strip().replace(" ", "").upper()
    if not text:
        return Q()
    if _FULL_ID_RE.match(text):
        return Q(id_number_hash=id_number_hash(text))
    if _MOBILE_RE.match(text):
        return Q(phone_hash=phone_hash(text))
    if _PHONE_TAIL_RE.match(text):
        # Four digits are either an ID tail or a phone tail; the officer reads both from the masked forms.
        return Q(id_last4=text) | Q(phone_last4=text)
    if _TAIL_RE.match(text):
        return Q(id_last4=text)
    # A prefix match also finds the exact name; one predicate keeps PostgreSQL's estimate (and plan) right.
    return Q(name__startswith=text)


# Up to this many matches, a name search is resolved to ids first (see _narrow_sparse_search).
SPARSE_SEARCH_CAP = 5000


def _is_name_search(search: Q) -> bool:
    """A name prefix of two or more characters; a bare surname (one character) matches densely anyway."""
    return any(
        isinstance(child, tuple) and child[0] == "name__startswith" and len(child[1]) >= 2 for child in search.children
    )


def _narrow_sparse_search(qs: QuerySet[Laborer], search: Q) -> QuerySet[Laborer]:
    """A name prefix matches few people, but often all in one region (龙 in 湘西州). Ordered by region, the
    page query would walk the region index until it met 21 of them: PostgreSQL assumes matches are spread
    evenly and took 460 ms for '龙晓%' over 2M laborers. So fetch the matching ids without an order first (the
    name index, a few ms), then order only those. When the prefix matches more than SPARSE_SEARCH_CAP people
    (a bare common surname), matches are dense and the ordered scan finds a page at once."""
    # The id query deliberately ignores the scope: combined with the region range PostgreSQL ANDs a bitmap of
    # the whole county or province (240k entries, 76 ms) to the name's few hundred. The scope is applied to
    # the ids in the page query, so nothing outside it is ever returned.
    ids = list(Laborer.objects.filter(search).order_by().values_list("id", flat=True)[: SPARSE_SEARCH_CAP + 1])
    if len(ids) > SPARSE_SEARCH_CAP:
        return qs.filter(search)
    return qs.filter(pk__in=ids)


def laborer_list(*, user: Any, filters: LaborerFilters | None = None) -> QuerySet[Laborer]:
    """The laborers the user may see, filtered, ordered by village then id (one index serves both)."""
    f = filters or LaborerFilters()
    qs = laborers_for(user, Cap.REGISTRY_VIEW)
    if is_region_code(f.region):
        qs = qs.filter(in_subtree_q(prefix_of_code(f.region)))
    if f.labor_skill:
        qs = qs.filter(labor_skill=f.labor_skill)
    if f.employment_status:
        qs = qs.filter(employment_status=f.employment_status)
    if f.unreachable is not None:
        qs = qs.filter(unreachable=f.unreachable)
    if f.q:
        search = _search_q(f.q)
        qs = _narrow_sparse_search(qs, search) if _is_name_search(search) else qs.filter(search)
    # Villages are fetched separately for the page's rows: joining Region here makes PostgreSQL walk the
    # region table from its start instead of taking the (region_code, id) index range (75 ms vs 1 ms).
    return qs.prefetch_related("region").order_by(*LABORER_SORTING.default)


def household_list(*, user: Any, q: str = "", region: str = "") -> QuerySet[Household]:
    qs = households_for(user, Cap.REGISTRY_VIEW)
    if is_region_code(region):
        qs = qs.filter(in_subtree_q(prefix_of_code(region)))
    text = q.strip()
    if text:
        member_households = Laborer.objects.filter(_search_q(text)).values("household_id")
        qs = qs.filter(Q(household_no__startswith=text) | Q(pk__in=member_households))
    # The householder's name is a scalar subquery: evaluated for the page's rows only, by the household index
    # of the members, in the same statement (no query per row).
    head_name = (
        Laborer.objects.filter(household=OuterRef("pk"), relation=c.Relation.HEAD).order_by("id").values("name")[:1]
    )
    return qs.prefetch_related("region").annotate(head_name=Subquery(head_name)).order_by(*HOUSEHOLD_SORTING.default)


def household_members(*, household: Household) -> QuerySet[Laborer]:
    """Members of a household the caller already obtained through access_household."""
    return household.members.select_related("region").order_by("id")
