"""Resolving a work county (务工所在县) typed by a person or read from a sheet: a code or a name.

Accepted: a 6- or 12-digit code of a county (a township or village code is taken to its county); a county
name ("宝安区"); a name with its province and/or prefecture in front ("广东省深圳市宝安区", "湖南湘西泸溪县").
A prefecture-level city without counties (东莞, 中山) counts as a county.
County names repeat across the country (城关区, 新华区, 铁山区): a name that matches several current
counties and is not narrowed by the names in front is rejected as ambiguous rather than guessed.

The work county is not limited to the user's scope: people work anywhere.
"""

from dataclasses import dataclass

from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.names import short_region_name
from laborcoop.regions.selectors import normalize_code

COUNTY_REQUIRED = "请填写务工所在县"
COUNTY_UNKNOWN = "未找到务工所在县“{value}”，请填写县（市、区）名称或 6 位区划代码"
COUNTY_NOT_COUNTY = "务工所在县“{value}”不是县级区划，请填写到县（市、区）一级"
COUNTY_AMBIGUOUS = "务工所在县“{value}”有多个同名县（{paths}），请填写 6 位区划代码或写明省、市名称"

_PATH_LIMIT = 5


@dataclass(frozen=True)
class County:
    code: str = ""
    error: str = ""


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    current: bool
    ancestors: tuple[str, ...]  # names of the province and prefecture


class CountyResolver:
    """Looks work counties up; the county table is read once (one query, ~3,000 rows nationwide) and each
    distinct text is resolved once."""

    def __init__(self) -> None:
        self._entries: dict[str, list[_Entry]] | None = None
        self._memo: dict[str, County] = {}

    def resolve(self, text: str) -> County:
        key = "".join((text or "").split())
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._resolve(key)
        return found

    def _table(self) -> dict[str, list[_Entry]]:
        if self._entries is None:
            upper = dict(
                Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.PREFECTURE]).values_list(
                    "code", "name"
                )
            )
            table: dict[str, list[_Entry]] = {}
            rows = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name", "valid_to"))
            with_counties = {code[:4] for code, _, _ in rows}
            # Prefecture-level cities without counties (东莞, 中山, 儋州, 嘉峪关) stand in for their county.
            rows += [
                row
                for row in Region.objects.filter(level=RegionLevel.PREFECTURE).values_list("code", "name", "valid_to")
                if row[0][:4] not in with_counties
            ]
            for code, name, valid_to in rows:
                ancestors = tuple(
                    n for n in (upper.get(code[:2].ljust(12, "0")), upper.get(code[:4].ljust(12, "0"))) if n
                )
                table.setdefault(name, []).append(_Entry(code, name, valid_to is None, ancestors))
            self._entries = table
        return self._entries

    def _resolve(self, text: str) -> County:
        if not text:
            return County(error=COUNTY_REQUIRED)
        if text.isascii() and text.isdigit():
            return self._by_code(text)
        table = self._table()
        # The longest county name the text ends with ("湘西州泸溪县" ends with 泸溪县).
        names = [name for name in table if text.endswith(name)]
        if not names:
            return County(error=COUNTY_UNKNOWN.format(value=text))
        name = max(names, key=len)
        candidates = table[name]
        qualifier = text[: -len(name)]
        if qualifier:
            # "广东省泸溪县" names no real county: refuse rather than drop the province.
            candidates = [e for e in candidates if any(short_region_name(part) in qualifier for part in e.ancestors)]
            if not candidates:
                return County(error=COUNTY_UNKNOWN.format(value=text))
        if len(candidates) > 1:
            current = [e for e in candidates if e.current]
            candidates = current if len(current) == 1 else candidates
        if len(candidates) == 1:
            return County(code=candidates[0].code)
        paths = "、".join("".join((*e.ancestors, e.name)) + f"（{e.code[:6]}）" for e in candidates[:_PATH_LIMIT])
        return County(error=COUNTY_AMBIGUOUS.format(value=text, paths=paths))

    def _by_code(self, text: str) -> County:
        code = normalize_code(text)
        if code is None:
            return County(error=COUNTY_UNKNOWN.format(value=text))
        region = Region.objects.filter(code=code).values_list("code", "level").first()
        if region is None:
            return County(error=COUNTY_UNKNOWN.format(value=text))
        if region[1] < RegionLevel.COUNTY and not is_countyless_prefecture(region[0], region[1]):
            return County(error=COUNTY_NOT_COUNTY.format(value=text))
        county = region[0][:6].ljust(12, "0")
        if county != region[0] and not Region.objects.filter(code=county).exists():
            return County(error=COUNTY_UNKNOWN.format(value=text))
        return County(code=county)


def is_countyless_prefecture(code: str, level: int) -> bool:
    """A prefecture-level city with no counties (不设区的地级市: 东莞 441900, 中山 442000, 儋州 460400, 嘉峪关
    620200): its townships sit directly under it, so it is the work "county" of the people working there."""
    if level != RegionLevel.PREFECTURE:
        return False
    return not Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=code[:4]).exists()


def resolve_county(text: str) -> County:
    """One lookup (forms and services); imports keep one CountyResolver per file."""
    return CountyResolver().resolve(text)
