"""Resolving the village of an imported row (by code or by county/township/village names), cached per file."""

from dataclasses import dataclass
from typing import Any

from laborcoop.accounts.access import region_code_in_scope, region_prefix
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import normalize_code

VILLAGE_OUT_OF_SCOPE = "该行所在村不在您的管辖范围内"
VILLAGE_UNKNOWN = "未找到村：{path}"
VILLAGE_NOT_VILLAGE = "区划代码 {code} 不是村（社区）级代码"
VILLAGE_AMBIGUOUS = "村名不唯一：{path}，请填写县、乡名称或村代码"
VILLAGE_REQUIRED = "请填写所在村（村代码或县、乡、村名称）"

_CANDIDATE_LIMIT = 50


@dataclass(frozen=True)
class Place:
    code: str = ""
    error: str = ""


class VillageResolver:
    """Looks villages up once per distinct code or name path, and checks them against the user's scope."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.prefix = region_prefix(user)
        self._by_code: dict[str, Place] = {}
        self._by_names: dict[tuple[str, str, str], Place] = {}
        self._counties: dict[str, dict[tuple[str, str], list[tuple[str, bool]]] | None] = {}
        self._county_codes: dict[str, list[str]] | None = None

    def by_code(self, text: str) -> Place:
        place = self._by_code.get(text)
        if place is None:
            place = self._by_code[text] = self._lookup_code(text)
        return place

    def by_names(self, county: str, township: str, village: str) -> Place:
        key = (county, township, village)
        place = self._by_names.get(key)
        if place is None:
            place = self._by_names[key] = self._lookup_names(county, township, village)
        return place

    def _lookup_code(self, text: str) -> Place:
        code = normalize_code(text)
        region = Region.objects.filter(code=code).values_list("code", "level").first() if code else None
        if region is None:
            return Place(error=VILLAGE_UNKNOWN.format(path=text))
        if region[1] != RegionLevel.VILLAGE:
            return Place(error=VILLAGE_NOT_VILLAGE.format(code=region[0]))
        if not region_code_in_scope(self.user, region[0]):
            return Place(error=VILLAGE_OUT_OF_SCOPE)
        return Place(code=region[0])

    def _county_index(self, county: str) -> dict[tuple[str, str], list[tuple[str, bool]]] | None:
        """(township name, village name) -> [(code, current)] for the villages of the counties of this name
        that overlap the user's scope, read with range scans on the code; None when no such county."""
        if county in self._counties:
            return self._counties[county]
        prefix = self.prefix
        if self._county_codes is None:  # every county in one query (about 3,000 rows nationwide)
            self._county_codes = {}
            for code, name in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name"):
                self._county_codes.setdefault(name, []).append(code)
        codes = [
            code
            for code in self._county_codes.get(county, [])
            if prefix is not None and (code[:6].startswith(prefix) or prefix.startswith(code[:6]))
        ]
        index: dict[tuple[str, str], list[tuple[str, bool]]] | None = None
        if codes:
            index = {}
            for code in codes:
                rows = list(
                    Region.objects.filter(
                        in_subtree_q(code[:6], "code"), level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
                    )
                    .order_by("code")
                    .values_list("code", "name", "level", "parent_id", "valid_to")
                )
                townships = {code: name for code, name, level, _, _ in rows if level == RegionLevel.TOWNSHIP}
                for code, name, level, parent, valid_to in rows:
                    if level == RegionLevel.VILLAGE:
                        entry = (code, valid_to is None)
                        index.setdefault((townships.get(parent or "", ""), name), []).append(entry)
                        index.setdefault(("", name), []).append(entry)
        self._counties[county] = index
        return index

    def _lookup_names(self, county: str, township: str, village: str) -> Place:
        path = "/".join(part for part in (county, township, village) if part)
        if not village:
            return Place(error=VILLAGE_REQUIRED)
        index = self._county_index(county) if county else None
        if index is not None:
            found = index.get((township, village), [])
            in_scope = [(code, current) for code, current in found if region_code_in_scope(self.user, code)]
            current = [code for code, is_current in in_scope if is_current]
            if len(in_scope) == 1:
                return Place(code=in_scope[0][0])
            if len(current) == 1:
                return Place(code=current[0])
            if in_scope:
                return Place(error=VILLAGE_AMBIGUOUS.format(path=path))
            if found:
                return Place(error=VILLAGE_OUT_OF_SCOPE)
            # Not in the counties of this name that touch the scope: maybe in one elsewhere (asked below).
        qs = Region.objects.filter(level=RegionLevel.VILLAGE, name=village)
        if township:
            qs = qs.filter(parent__name=township)
        if county:
            qs = qs.filter(parent__parent__name=county)
        rows = list(qs.order_by("code").values_list("code", "valid_to")[:_CANDIDATE_LIMIT])
        codes = [code for code, _ in rows]
        scoped = [(code, valid_to) for code, valid_to in rows if region_code_in_scope(self.user, code)]
        current = [code for code, valid_to in scoped if valid_to is None]
        if len(scoped) == 1:
            return Place(code=scoped[0][0])
        if len(current) == 1:  # an abolished village of the same name does not make a current one ambiguous
            return Place(code=current[0])
        if scoped:
            return Place(error=VILLAGE_AMBIGUOUS.format(path=path))
        if codes:
            return Place(error=VILLAGE_OUT_OF_SCOPE)
        return Place(error=VILLAGE_UNKNOWN.format(path=path))
