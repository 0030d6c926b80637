"""Region path names for many rows at once (an export chunk, a page of audit rows): one query for all codes not
seen yet."""

from collections.abc import Iterable

from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import PLACEHOLDER_NAMES

_PREFIX_CUTS = (2, 4, 6, 9)


def _with_ancestors(code: str) -> set[str]:
    return {code, *(code[:cut].ljust(12, "0") for cut in _PREFIX_CUTS)}


class RegionNames:
    """Path names ("湖南省/湘西土家族苗族自治州/泸溪县/武溪镇/黑塘村") as `regions.selectors.region_path_name`
    gives them, cached for the life of one export.

    Call `load(codes)` once per chunk of rows: it fetches the regions not cached yet, with their ancestors,
    in one query; `path(code)` and `name(code)` then cost nothing.
    """

    def __init__(self) -> None:
        self._regions: dict[str, tuple[str, int, str | None]] = {}  # code -> (name, level, parent code)
        self._paths: dict[str, str] = {}

    def load(self, codes: Iterable[str | None]) -> None:
        wanted: set[str] = set()
        for code in codes:
            if code and code not in self._regions:
                wanted |= _with_ancestors(code)
        wanted -= self._regions.keys()
        if not wanted:
            return
        for code, name, level, parent in Region.objects.filter(code__in=sorted(wanted)).values_list(
            "code", "name", "level", "parent_id"
        ):
            self._regions[code] = (name, level, parent)

    def name(self, code: str | None) -> str:
        region = self._regions.get(code or "")
        return region[0] if region else ""

    def path(self, code: str | None) -> str:
        if not code:
            return ""
        cached = self._paths.get(code)
        if cached is not None:
            return cached
        names: list[str] = []
        current: str | None = code
        while current is not None and current in self._regions:
            name, level, parent = self._regions[current]
            placeholder = level == RegionLevel.PREFECTURE and name in PLACEHOLDER_NAMES and current != code
            if not placeholder:
                names.append(name)
            current = parent
        path = "/".join(reversed(names))
        self._paths[code] = path
        return path
