"""The region drill-down shown above list pages: the path from the user's home region to the selected one,
and the selected region's children to narrow further. Only regions inside the user's scope are offered."""

from dataclasses import dataclass
from typing import Any

from laborcoop.accounts.access import region_code_in_scope, region_prefix
from laborcoop.regions.models import Region


@dataclass(frozen=True)
class RegionPicker:
    path: list[Region]  # from the user's home region (or the country) down to the selected region
    selected: Region | None
    children: list[Region]

    @property
    def selected_code(self) -> str:
        return self.selected.code if self.selected is not None else ""


def region_picker(*, user: Any, selected_code: str = "") -> RegionPicker:
    prefix = region_prefix(user)
    if prefix is None:
        return RegionPicker(path=[], selected=None, children=[])
    home: Region | None = user.home_region if prefix else None
    selected = home
    if selected_code and region_code_in_scope(user, selected_code):
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
    return RegionPicker(path=path, selected=selected, children=children)
