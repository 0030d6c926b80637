"""Regions from what people type: "济南市济阳区", "山东 济南 济阳", "济阳区", "370115000000".

A typed name matches a region when the text, with spaces and slashes removed, is the region's own name (full
or short: 济南 for 济南市, 济阳 for 济阳区) preceded by names of some of its ancestors, in order (any level may
be left out: "山东济阳区" matches too). Used by the region form fields when a browser has no script, and by the
imports that carry region names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.names import short_region_name
from laborcoop.regions.paths import RegionNames
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import PLACEHOLDER_NAMES, normalize_code

# Suffixes a typed short name may have dropped (济阳 -> 济阳区, 泸溪 -> 泸溪县, 湘西 -> 湘西土家族苗族自治州).
_DROPPED_SUFFIXES = (
    "省",
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "村",
    "街道",
    "社区",
    "地区",
    "自治区",
    "自治州",
    "自治县",
    "土家族苗族自治州",
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
)
PATH_SEPARATORS = re.compile(r"[\s/|>＞·,，]+")
LIST_SEPARATORS = re.compile(r"[、；;,，\n]+")
MAX_CANDIDATES_SHOWN = 8
MAX_TEXT = 60


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    level: int
    path: str  # "山东省 济南市 济阳区" (placeholder rows such as 市辖区 left out)


def _variants(name: str) -> set[str]:
    """The ways a region's name is written: itself, its short form, without 区/县 (two characters at least)."""
    out = {name, short_region_name(name)}
    for suffix in _DROPPED_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            out.add(name[: -len(suffix)])
    return out


def _consumes(text: str, names: list[str]) -> bool:
    """Whether `text` is a concatenation of variants of some of `names`, in order (a subsequence)."""
    if not text:
        return True
    for i, name in enumerate(names):
        for variant in _variants(name):
            if text.startswith(variant) and _consumes(text[len(variant) :], names[i + 1 :]):
                return True
    return False


def path_label(names: RegionNames, code: str) -> str:
    return names.path(code).replace("/", " ")


def resolve_region_name(
    text: str, *, within: str = "", min_level: int = 1, max_level: int = 5
) -> tuple[Region | None, list[Candidate]]:
    """(the region, []) when `text` names exactly one region (active ones preferred over abolished ones) in
    the subtree `within` (a code prefix, '' for the country) between the two levels; else (None, the
    candidates, at most MAX_CANDIDATES_SHOWN; empty when nothing matches)."""
    text = text.strip()
    code = normalize_code(text)
    if code is not None:
        region = Region.objects.filter(code=code).first()
        ok = region is not None and (not within or code.startswith(within))
        ok = ok and region is not None and min_level <= region.level <= max_level
        return (region, []) if ok else (None, [])
    flat = PATH_SEPARATORS.sub("", text)[:MAX_TEXT]
    if not flat:
        return None, []
    wanted: set[str] = set()
    for start in range(len(flat)):
        tail = flat[start:]
        wanted.add(tail)
        wanted.update(tail + suffix for suffix in _DROPPED_SUFFIXES)
    qs = Region.objects.filter(name__in=sorted(wanted), level__gte=min_level, level__lte=max_level)
    if within:
        qs = qs.filter(in_subtree_q(within, "code"))
    found = list(qs.exclude(Q(level=RegionLevel.PREFECTURE) & Q(name__in=PLACEHOLDER_NAMES)).order_by("code")[:200])
    if not found:
        return None, []
    names = RegionNames()
    names.load(r.code for r in found)
    matches: list[Region] = []
    for region in found:
        own = [v for v in _variants(region.name) if flat.endswith(v)]
        chain = [n for n in names.path(region.code).split("/")[:-1]]
        if any(_consumes(flat[: len(flat) - len(v)], chain) for v in own):
            matches.append(region)
    active = [r for r in matches if r.valid_to is None]
    matches = active or matches
    # "济南" names 济南市 (its usual short name), not a 济南镇 that only loses its suffix to match.
    if len(matches) > 1:
        exact = [r for r in matches if r.name == flat or short_region_name(r.name) == flat]
        if len(exact) == 1:
            return exact[0], []
    if len(matches) == 1:
        return matches[0], []
    return None, [
        Candidate(code=r.code, name=r.name, level=r.level, path=path_label(names, r.code))
        for r in matches[:MAX_CANDIDATES_SHOWN]
    ]


def candidates_text(candidates: list[Candidate]) -> str:
    return "；".join(f"{c.path}（{c.code}）" for c in candidates)
