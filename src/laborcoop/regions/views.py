"""The region picker's JSON: search by name, or list a region's children, each with its full path.

Reference data like /api/v1/regions/, for signed-in page sessions; `within` only narrows what is offered
(the form fields check the user's scope again on submit)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.paths import RegionNames
from laborcoop.regions.scope import in_subtree_q
from laborcoop.regions.selectors import PLACEHOLDER_NAMES, normalize_code

MAX_RESULTS = 20
BAD_CODE = "区划代码应为 2、4、6、9 或 12 位数字。"
NOT_SIGNED_IN = "请先登录。"


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= 5 else default


def _prefix(value: str) -> str | None:
    """A 2/4/6/9/12-digit code prefix, '' for none, None if malformed."""
    value = value.strip()
    if not value:
        return ""
    return value if normalize_code(value) is not None else None


@require_GET
def lookup(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"detail": NOT_SIGNED_IN}, status=401)
    within = _prefix(request.GET.get("within", ""))
    parent = _prefix(request.GET.get("parent", ""))
    if within is None or parent is None:
        return JsonResponse({"detail": BAD_CODE}, status=400)
    min_level = _int(request.GET.get("min_level"), 1)
    max_level = _int(request.GET.get("max_level"), 5)
    query = request.GET.get("q", "").strip()[:50]
    qs = Region.objects.filter(valid_to__isnull=True, level__lte=max_level)
    if within:
        qs = qs.filter(in_subtree_q(within, "code"))
    if query:
        qs = qs.filter(name__contains=query).exclude(Q(level=RegionLevel.PREFECTURE) & Q(name__in=PLACEHOLDER_NAMES))
        regions = list(qs.order_by("level", "code")[:MAX_RESULTS])
    elif parent:
        regions = list(qs.filter(parent_id=parent.ljust(12, "0")).order_by("code"))
    elif within:
        regions = list(qs.filter(code=within.ljust(12, "0")))
    else:
        regions = list(qs.filter(parent__isnull=True).order_by("code"))
    # A placeholder prefecture (北京市/市辖区) in a cascade is skipped: its children are listed instead.
    expanded: list[Region] = []
    for region in regions:
        if not query and region.level == RegionLevel.PREFECTURE and region.name in PLACEHOLDER_NAMES:
            expanded.extend(qs.filter(parent_id=region.code).order_by("code"))
        else:
            expanded.append(region)
    names = RegionNames()
    names.load(r.code for r in expanded)
    results = [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "path": names.path(r.code).replace("/", " "),
            "selectable": r.level >= min_level,
            "leaf": r.level >= max_level,
        }
        for r in expanded
    ]
    return JsonResponse({"results": results})
