"""Regions of the generated data: Hunan villages per county (with ID address codes), enterprise areas, and the
check that the region tree is loaded."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.services import region_tree_load

from .. import names as nm
from .sampling import Weighted
from .weights import COUNTY_GROUPS, ENTERPRISE_AREAS


@dataclass
class County:
    code6: str
    name: str
    villages: list[tuple[str, str]]  # (village code12, address prefix "<township><village>")
    ethnicity: Weighted[str]
    id_codes: list[tuple[date, str]] = field(default_factory=list)  # before date -> code (predecessors)
    id_code: str = ""

    def id_address(self, birth: date) -> str:
        for until, code in self.id_codes:
            if birth < until:
                return code
        return self.id_code or self.code6


@dataclass
class RegionPools:
    counties: list[County]
    county_pick: Weighted[int]
    enterprise_areas: dict[str, list[tuple[str, str]]]  # area -> [(region code12, address prefix)]
    partner_prefectures: list[str]  # region codes for 意向地区
    region_names: dict[str, str] = field(default_factory=dict)  # code12 -> name (enterprise areas)

    @property
    def village_count(self) -> int:
        return sum(len(c.villages) for c in self.counties)


class MissingRegionsError(Exception):
    pass


MISSING_VILLAGES = "行政区划表中没有湖南省的村（社区）。请先运行 manage.py load_regions。"


def _ethnicity_for(code6: str) -> Weighted[str]:
    for cut in (6, 4, 2):
        table = nm.ETHNICITY_BY_PREFIX.get(code6[:cut])
        if table:
            return Weighted(table)
    return Weighted((("汉族", 1.0),))


def strip_suffix(name: str, suffixes: Sequence[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def load_region_pools() -> RegionPools:
    """Read the villages of Hunan and the enterprise areas from the Region table (active codes only)."""
    active = Region.objects.filter(valid_to__isnull=True)
    townships = dict(active.filter(in_subtree_q("43", "code"), level=RegionLevel.TOWNSHIP).values_list("code", "name"))
    counties_all = dict(
        Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.COUNTY).values_list("code", "name")
    )
    by_county: dict[str, list[tuple[str, str]]] = defaultdict(list)
    communities: dict[str, list[tuple[str, str]]] = defaultdict(list)
    villages = active.filter(in_subtree_q("43", "code"), level=RegionLevel.VILLAGE).order_by("code")
    for code, name in villages.values_list("code", "name"):
        label = townships.get(code[:9] + "000", "") + strip_suffix(name, ("委会",))
        # Rural villages (村委会, 200-399) first; a county with none falls back to its communities.
        (by_county if code[9:] >= "200" else communities)[code[:6]].append((code, label))
    for code6, rows in communities.items():
        if code6 not in by_county:
            by_county[code6] = rows
    if not by_county:
        raise MissingRegionsError(MISSING_VILLAGES)

    # ID address codes: NBS-only "7x" units never appear in IDs (use a real county of the same prefecture);
    # people born before a renaming carry the old code (望城县 430122 before 2011, ...).
    real_counties = sorted(c[:6] for c in counties_all if c[4] != "7")
    predecessors: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for old, valid_to, successor in Region.objects.filter(
        level=RegionLevel.COUNTY, valid_to__isnull=False, successor__isnull=False
    ).values_list("code", "valid_to", "successor_id"):
        if valid_to is not None:
            predecessors[str(successor)[:6]].append((valid_to, old[:6]))

    counties: list[County] = []
    for code6 in sorted(by_county):
        id_code = code6
        if code6[4] == "7":
            same_prefecture = [c for c in real_counties if c[:4] == code6[:4]]
            id_code = same_prefecture[0] if same_prefecture else code6[:4] + "00"
        counties.append(
            County(
                code6=code6,
                name=counties_all.get(code6 + "000000", ""),
                villages=by_county[code6],
                ethnicity=_ethnicity_for(code6),
                id_codes=sorted(predecessors.get(id_code, [])),
                id_code=id_code,
            )
        )

    weights: list[tuple[int, float]] = []
    for prefix, share, excluded in COUNTY_GROUPS:
        members = [
            i
            for i, c in enumerate(counties)
            if c.code6.startswith(prefix) and not any(c.code6.startswith(x) for x in excluded)
        ]
        total = sum(len(counties[i].villages) for i in members)
        if total:
            weights.extend((i, share * len(counties[i].villages) / total) for i in members)

    areas: dict[str, list[tuple[str, str]]] = {}
    county_names: dict[str, str] = {}
    for key, prefix, _share, _place, _industries in ENTERPRISE_AREAS:
        rows = _area_regions(prefix)
        if rows:
            areas[key] = rows
            county_names.update(
                Region.objects.filter(in_subtree_q(prefix, "code"), level__lte=RegionLevel.COUNTY).values_list(
                    "code", "name"
                )
            )
    partner_prefectures = list(
        active.filter(code__in=["370100000000", "440100000000", "440300000000", "441900000000"])
        .order_by("code")
        .values_list("code", flat=True)
    )
    return RegionPools(counties, Weighted(weights), areas, partner_prefectures, county_names)


def _area_regions(prefix: str) -> list[tuple[str, str]]:
    """Township-level regions of an enterprise area, else its counties, else the area region itself."""
    active = Region.objects.filter(valid_to__isnull=True).filter(in_subtree_q(prefix, "code"))
    for level in (RegionLevel.TOWNSHIP, RegionLevel.COUNTY):
        rows = list(active.filter(level=level).order_by("code").values_list("code", "name"))
        if level == RegionLevel.TOWNSHIP:
            # Skip NBS pseudo-townships (林场, 农场, 开发区 at 400-599).
            rows = [r for r in rows if r[0][6:9] < "400"]
        if rows:
            return rows
    own = active.filter(code=prefix.ljust(12, "0")).values_list("code", "name").first()
    return [own] if own else []


# Codes the demo needs: 湖南省, 湘西州, 泸溪县, 邵阳县, 长沙市 and the partner regions.
REQUIRED_REGION_CODES = (
    "430000000000", "433100000000", "433122000000", "430523000000", "430100000000",
    "370100000000", "440100000000", "440300000000", "441900000000", "330782000000", "330481000000",
)  # fmt: skip
MIN_HUNAN_VILLAGES = 20000  # NBS 2023 lists ~23.7k 村委会 and ~5.8k 居委会 in Hunan


def regions_complete() -> bool:
    """Whether the Region table holds the full tree the demo relies on (all of China down to townships and
    every Hunan village)."""
    present = Region.objects.filter(code__in=REQUIRED_REGION_CODES).count()
    if present < len(REQUIRED_REGION_CODES):
        return False
    villages = Region.objects.filter(in_subtree_q("43", "code"), level=RegionLevel.VILLAGE).count()
    return villages >= MIN_HUNAN_VILLAGES


def ensure_regions() -> bool:
    """Load the real region tree unless it is complete. Returns True when it loaded."""
    if regions_complete():
        return False

    region_tree_load()
    return True
