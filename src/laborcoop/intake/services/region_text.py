"""A region named in a cell as a code or as names: "433122", "泸溪县", "湘西州泸溪县浦市镇", "泸溪县/浦市镇".

Used by the ENTERPRISES (所在地区) and JOBS (工作地点) importers. The result is a 12-digit code that the
employers service then checks like a code typed into its form (exists, county or below, not abolished, in
scope): this module only turns names into a code. County-level names are found anywhere in the text; words
before the county (province, prefecture, in full or shortened: 湘西州) pick among counties of the same name;
what follows the county is a township, or a township and a village.
"""

import re
from dataclasses import dataclass
from typing import Any

from laborcoop.accounts.access import region_code_in_scope
from laborcoop.core.text import clean_text
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.names import short_region_name
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import normalize_code

REGION_NAME_UNKNOWN = "未找到地区“{text}”，请填写县（市、区）、乡（镇、街道）名称或区划代码"
REGION_NAME_AMBIGUOUS = "地区“{text}”对应多个地区，请写明所属省、市或填写区划代码"

_SEPARATORS_RE = re.compile(r"[\s/\\|,，、;；>＞\-—_·.。]+")


@dataclass(frozen=True)
class RegionPick:
    code: str = ""
    error: str = ""


def _variants(name: str) -> set[str]:
    """How people write an upper-level name: in full, shortened, shortened with 州/市/省 (湘西州)."""
    short = short_region_name(name)
    return {name, short, short + "州", short + "市", short + "省"}


class RegionText:
    """Resolves region cells, memoised per distinct text; reads the upper levels of the tree once per file."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._memo: dict[str, RegionPick] = {}
        self._upper: dict[str, tuple[str, int, str | None, bool]] | None = None  # code -> (name, level, ...)
        self._counties_by_name: dict[str, list[str]] = {}
        self._below: dict[str, list[tuple[str, str, int, str | None, bool]]] = {}

    def resolve(self, raw: str) -> RegionPick:
        text = clean_text(raw)
        pick = self._memo.get(text)
        if pick is None:
            pick = self._memo[text] = self._resolve(text)
        return pick

    def _resolve(self, text: str) -> RegionPick:
        if not text:
            return RegionPick()
        compact = _SEPARATORS_RE.sub("", text)
        if compact.isascii() and compact.isdigit():
            # A code: whether it exists and is usable is the service's check (same messages as the form).
            return RegionPick(code=normalize_code(compact) or compact)
        self._load_upper()
        found = self._by_county(text, compact)
        if found is not None:
            return found
        # No county in the text: a province or prefecture alone (the service refuses it as too high).
        assert self._upper is not None
        exact = [
            code
            for code, (name, level, _, _) in self._upper.items()
            if level < RegionLevel.COUNTY and compact in _variants(name)
        ]
        if len(exact) == 1:
            return RegionPick(code=exact[0])
        return RegionPick(error=REGION_NAME_UNKNOWN.format(text=text))

    def _load_upper(self) -> None:
        if self._upper is not None:
            return
        self._upper = {}
        rows = Region.objects.filter(level__lte=RegionLevel.COUNTY).values_list(
            "code", "name", "level", "parent_id", "valid_to"
        )
        for code, name, level, parent, valid_to in rows:
            self._upper[code] = (name, level, parent, valid_to is None)
            if level == RegionLevel.COUNTY:
                self._counties_by_name.setdefault(name, []).append(code)

    def _ancestor_names(self, code: str) -> list[str]:
        assert self._upper is not None
        names = []
        parent = self._upper[code][2]
        while parent is not None and parent in self._upper:
            names.append(self._upper[parent][0])
            parent = self._upper[parent][2]
        return names

    def _by_county(self, text: str, compact: str) -> RegionPick | None:
        """The region when the text names a county (and maybe a township and village below it); None when
        no county name occurs in the text."""
        matches = [name for name in self._counties_by_name if name in compact]
        if not matches:
            return None
        longest = max(len(name) for name in matches)
        names = [name for name in matches if len(name) == longest]
        candidates: list[tuple[str, str, str]] = []  # (county code, words before, words after)
        for name in names:
            start = compact.index(name)
            before, after = compact[:start], compact[start + len(name) :]
            for code in self._counties_by_name[name]:
                ancestors = self._ancestor_names(code)
                if before and not self._names_ancestors(before, ancestors):
                    continue
                candidates.append((code, before, after))
        picks = {code: self._below_county(code, after) for code, _, after in candidates}
        usable = [code for code, pick in picks.items() if pick]
        if not usable:
            return RegionPick(error=REGION_NAME_UNKNOWN.format(text=text))
        if len(usable) > 1:
            usable = [code for code in usable if region_code_in_scope(self.user, picks[code] or code)] or usable
        if len(usable) > 1:
            assert self._upper is not None
            usable = [code for code in usable if self._upper[code][3]] or usable
        if len(usable) > 1:
            return RegionPick(error=REGION_NAME_AMBIGUOUS.format(text=text))
        return RegionPick(code=picks[usable[0]] or "")

    @staticmethod
    def _names_ancestors(before: str, ancestors: list[str]) -> bool:
        """Whether the words before a county are its province and prefecture names, each in full or shortened
        ("湖南省湘西土家族苗族自治州", "湖南湘西州", "湘西"), in any order."""
        variants = sorted({v for name in ancestors for v in _variants(name)}, key=len, reverse=True)
        rest = before
        while rest:
            found = next((v for v in variants if rest.startswith(v)), None)
            if found is None:
                return False
            rest = rest[len(found) :]
        return True

    def _below_county(self, county: str, after: str) -> str | None:
        """The code of the township (and village) named by `after` under the county; the county itself when
        `after` is empty; None when nothing matches. Current regions win over abolished ones of the name."""
        if not after:
            return county
        rows = self._below.get(county)
        if rows is None:
            rows = self._below[county] = [
                (code, name, level, parent, valid_to is None)
                for code, name, level, parent, valid_to in Region.objects.filter(
                    in_subtree_q(county[:6], "code"), level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
                )
                .order_by("code")
                .values_list("code", "name", "level", "parent_id", "valid_to")
            ]
        townships = [r for r in rows if r[2] == RegionLevel.TOWNSHIP]
        found = [r for r in townships if r[1] == after]
        if not found:
            for code, name, _, _, _ in townships:
                if after.startswith(name):
                    rest = after[len(name) :]
                    found += [r for r in rows if r[2] == RegionLevel.VILLAGE and r[3] == code and r[1] == rest]
        if not found:
            found = [r for r in rows if r[2] == RegionLevel.VILLAGE and r[1] == after]
        current = [r for r in found if r[4]] or found
        return current[0][0] if len(current) == 1 else None
