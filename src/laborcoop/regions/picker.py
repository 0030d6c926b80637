"""The region drill-down shown above list pages: the path from the root of a scope (a user's home region, or
the country) to the selected region, and the selected region's children to narrow further. Only regions inside
the scope are offered. Which scope a user has is the access layer's: accounts.navigation.region_picker."""

from dataclasses import dataclass
from typing import Any

from laborcoop.regions.models import Region
from laborcoop.regions.scope import code_in_subtree


@dataclass(frozen=True)
class RegionPicker:
    path: list[Region]  # from the user's home region (or the country) down to the selected region
    selected: Region | None
    children: list[Region]
    scope: str = ""  # the subtree prefix the picker may show ('' for the whole country)

    @property
    def selected_code(self) -> str:
        return self.selected.code if self.selected is not None else ""


def build_region_picker(*, home: Region | None, prefix: str | None, selected_code: str = "") -> RegionPicker:
    """The picker for the subtree `prefix` rooted at `home` (None and prefix '' for the whole country; prefix
    None for no scope: an empty picker); `selected_code` outside the subtree selects the root."""
    if prefix is None:
        return RegionPicker(path=[], selected=None, children=[])
    selected = home
    if selected_code and code_in_subtree(selected_code, prefix):
        selected = Region.objects.filter(code=selected_code).first() or home
    path: list[Region] = []
    node = selected
    while node is not None:
        path.append(node)
        if home is not None and node.code == home.code:
            break
        node = node.parent
    path.reverse()
    parent_filter: dict[str, Any] = {"parent": selected} if selected is not None else {"level": 1}
    children = list(Region.objects.filter(valid_to__isnull=True, **parent_filter).order_by("code"))
    return RegionPicker(path=path, selected=selected, children=children, scope=prefix)
