"""Reading the region tree: lookups, children, ancestors, search, and address-code checks for ID numbers."""

import threading
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.signals import post_delete, post_save

from laborcoop.core.errors import ObjectNotFound
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q

# Results of `address_code_status` (the values registry.validation.idcard expects).
ADDRESS_CURRENT = "current"
ADDRESS_HISTORICAL = "historical"
ADDRESS_NOT_YET = "not_yet"
ADDRESS_UNKNOWN = "unknown"

# NBS prefecture-level rows that group counties rather than name a place (北京市/市辖区, 重庆市/县,
# 河南省/省直辖县级行政区划). They are real rows of the tree; path names leave them out.
PLACEHOLDER_NAMES = frozenset(["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"])

# Accepted lengths of a code before padding to 12 digits (province, prefecture, county, township, village).
CODE_LENGTHS = (2, 4, 6, 9, 12)


def normalize_code(code: str) -> str | None:
    """A 2/4/6/9/12-digit code padded to the 12-digit form, or None if it is not such a code."""
    code = code.strip()
    if not code.isascii() or not code.isdigit() or len(code) not in CODE_LENGTHS:
        return None
    return code.ljust(12, "0")


def is_nbs_only_county(code: str) -> bool:
    """NBS-only county-level units ("7x": development zones, 管理区), which never appear in ID numbers."""
    return code[4] == "7"


def _active_first() -> Case:
    return Case(When(valid_to__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())


def region_get(code: str) -> Region:
    """The region with this code (12 digits, or 2/4/6/9 digits padded with zeros); ObjectNotFound if none."""
    full = normalize_code(code)
    region = Region.objects.filter(code=full).first() if full else None
    if region is None:
        raise ObjectNotFound
    return region


def region_children(code: str) -> QuerySet[Region]:
    """The direct children of a region, active ones first, each group ordered by code."""
    full = normalize_code(code) or code
    return Region.objects.filter(parent_id=full).annotate(abolished=_active_first()).order_by("abolished", "code")


def region_ancestors(region: Region) -> list[Region]:
    """The chain of parents of `region`, province first, itself excluded (one query)."""
    candidates = {region.code[:cut].ljust(12, "0") for cut in (2, 4, 6, 9)} - {region.code}
    found = Region.objects.in_bulk(list(candidates))
    chain: list[Region] = []
    parent_id = region.parent_id
    while parent_id is not None:
        parent = found.get(parent_id)
        if parent is None:  # a parent outside the code prefixes: not expected, but follow it anyway
            parent = Region.objects.get(code=parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    chain.reverse()
    return chain


def region_path_name(code: str) -> str:
    """Names from the province down to the region itself: "湖南省/湘西土家族苗族自治州/泸溪县".

    Placeholder prefecture rows (北京市/市辖区) are left out: "北京市/东城区". An unknown code gives "".
    """
    try:
        region = region_get(code)
    except ObjectNotFound:
        return ""
    names = [
        r.name
        for r in [*region_ancestors(region), region]
        if not (r.level == RegionLevel.PREFECTURE and r.name in PLACEHOLDER_NAMES and r is not region)
    ]
    return "/".join(names)


def region_search(query: str, within_prefix: str = "", limit: int = 20) -> list[Region]:
    """Regions whose name contains `query` (or whose code starts with it, for digits), in a subtree.

    Active regions first, then by level (provinces first) and code.
    """
    query = query.strip()
    if not query or limit <= 0:
        return []
    qs = Region.objects.all()
    if within_prefix:
        qs = qs.filter(in_subtree_q(within_prefix, "code"))
    if query.isascii() and query.isdigit():
        if len(query) > 12:
            return []
        qs = qs.filter(in_subtree_q(query, "code"))
    else:
        qs = qs.filter(name__contains=query)
    return list(qs.annotate(abolished=_active_first()).order_by("abolished", "level", "code")[:limit])


def region_level_counts() -> dict[int, int]:
    """Number of regions at each level (abolished ones included)."""
    rows = Region.objects.order_by().values("level").annotate(n=Count("code"))
    return {row["level"]: row["n"] for row in rows}


def region_abolished_count() -> int:
    return Region.objects.filter(valid_to__isnull=False).count()


# --- Address codes of ID numbers -------------------------------------------------------------------------

Validity = tuple[date | None, date | None]
_address_codes: dict[str, Validity] | None = None
_address_codes_lock = threading.Lock()


def address_code_cache_clear() -> None:
    """Forget the cached county codes; the services call this after every change to the tree."""
    global _address_codes
    _address_codes = None


def _clear_on_region_change(sender: Any, **kwargs: Any) -> None:
    address_code_cache_clear()


# Single saves and deletes (admin, factories) clear the table too; bulk writes go through the services.
post_save.connect(_clear_on_region_change, sender=Region, dispatch_uid="regions_address_code_cache_save")
post_delete.connect(_clear_on_region_change, sender=Region, dispatch_uid="regions_address_code_cache_delete")


def _address_code_table() -> dict[str, Validity]:
    """Six-digit codes that may appear in ID numbers, with (valid_from, valid_to), read in one query.

    County-level regions, plus prefecture-level cities without counties (东莞 441900, 中山 442000,
    儋州 460400), whose residents' ID numbers carry the prefecture code. NBS-only "7x" units are left out.
    """
    global _address_codes
    table = _address_codes
    if table is not None:
        return table
    with _address_codes_lock:
        if _address_codes is not None:
            return _address_codes
        rows = Region.objects.filter(level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY]).values_list(
            "code", "level", "valid_from", "valid_to"
        )
        table = {}
        prefectures: dict[str, Validity] = {}
        with_counties: set[str] = set()
        for code, level, valid_from, valid_to in rows:
            if level == RegionLevel.COUNTY:
                with_counties.add(code[:4])
                if not is_nbs_only_county(code):
                    table[code[:6]] = (valid_from, valid_to)
            else:
                prefectures[code[:6]] = (valid_from, valid_to)
        for code6, validity in prefectures.items():
            if code6[:4] not in with_counties:
                table.setdefault(code6, validity)
        _address_codes = table
        return table


def address_code_status(code6: str, on: date | None = None) -> str:
    """How a six-digit address code of an ID number relates to the region tree on day `on` (a birth date).

    - "not_yet": the code exists but was created after `on`;
    - "current": the code is in use now (and existed on `on`, as far as we know);
    - "historical": the code was abolished or renamed. Accepted whatever `on` is after its start: the recorded
      change dates are approximate and registries kept issuing old codes for a while after a change;
    - "unknown": no such county-level code, or an NBS-only "7x" unit (never in ID numbers).
    Uses an in-process table loaded with one query (`address_code_cache_clear` to reload).
    """
    if len(code6) != 6 or not code6.isascii() or not code6.isdigit() or is_nbs_only_county(code6):
        return ADDRESS_UNKNOWN
    validity = _address_code_table().get(code6)
    if validity is None:
        return ADDRESS_UNKNOWN
    valid_from, valid_to = validity
    if on is not None and valid_from is not None and on < valid_from:
        return ADDRESS_NOT_YET
    return ADDRESS_CURRENT if valid_to is None else ADDRESS_HISTORICAL
