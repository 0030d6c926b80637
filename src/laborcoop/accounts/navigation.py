"""What the navigation offers a user: the menu entries and the region drill-down, asked of the access layer.

Templates render what this module returns and decide nothing: a link is listed here only if the user may open
it (the capability its page requires, enterprise binding, province administration). The region picker above
list pages offers only regions inside the user's subtree.
"""

from dataclasses import dataclass, field
from typing import Any

from laborcoop.accounts.access import can_administer_province, enterprise_of, region_prefix, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.regions.models import Region
from laborcoop.regions.picker import RegionPicker, build_region_picker


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str


@dataclass(frozen=True)
class NavGroup:
    label: str
    links: list[NavLink] = field(default_factory=list)


def capabilities_of(user: Any) -> dict[str, bool]:
    """Each capability by name (`can.REGISTRY_EDIT` in a template) -> whether the user has it (user_can)."""
    return {cap.name: user_can(user, cap) for cap in Cap}


def navigation_for(user: Any) -> list[NavGroup]:
    """The menu groups and links the signed-in user may see, in display order (groups without links are left
    out)."""
    can = capabilities_of(user)
    enterprise = enterprise_of(user) is not None
    registry_view, registry_edit = can["REGISTRY_VIEW"], can["REGISTRY_EDIT"]
    employers_view = can["EMPLOYERS_VIEW"]
    # The province's settings pages (matching weights, tracking thresholds, warning rules): its admins only.
    province_admin = can["USERS_MANAGE"] and can_administer_province(user=user, province_code=user.home_region_id or "")
    groups: list[NavGroup] = []

    if registry_view or can["COMPARISON_VIEW"]:
        links: list[NavLink] = []
        if registry_view:
            links += [
                NavLink("人员", "registry:laborer_list"),
                NavLink("家庭", "registry:household_list"),
                NavLink("窗口登记", "frontdesk:index"),
                NavLink("查重", "frontdesk:duplicates"),
            ]
        if registry_edit:
            links.append(NavLink("导入", "intake:index"))
        if can["COMPARISON_VIEW"]:
            links.append(NavLink("数据比对", "linkage:index"))
        if registry_view:
            links.append(NavLink("台账导出", "exports:index"))
        groups.append(NavGroup("一库登记", links))

    if employers_view or can["JOBS_VIEW"]:
        links = []
        if employers_view:
            links.append(NavLink("企业", "employers:enterprise_list"))
        if can["JOBS_VIEW"]:
            links.append(NavLink("岗位", "employers:job_list"))
        if registry_edit:
            links.append(NavLink("批量匹配", "matching:runs"))
        if province_admin:
            links.append(NavLink("匹配权重", "matching:weights"))
        if enterprise and can["EMPLOYERS_EDIT"]:
            links.append(NavLink("用工报送", "employment:enterprise_report"))
            links.append(NavLink("工资社保", "employment:enterprise_payroll"))
        if enterprise:
            links.append(NavLink("到岗确认", "tracking:notice_input_list"))
        if employers_view and not registry_view:
            links.append(NavLink("台账导出", "exports:index"))
        groups.append(NavGroup("两头对接", links))

    if registry_view or (employers_view and not enterprise):
        links = []
        if registry_view:
            links += [NavLink("就业记录", "employment:record_list"), NavLink("就业状态", "tracking:state_list")]
        if registry_view and can["STATS_VIEW"]:
            links.append(NavLink("跟踪任务", "tracking:task_list"))
        if registry_edit:
            links.append(NavLink("手机寻访", "tracking:phone"))
        if registry_view:
            links.append(NavLink("去向通报", "tracking:notice_list"))
        elif employers_view and not enterprise:
            links.append(NavLink("去向通报", "tracking:notice_input_list"))
        if can["STATS_VIEW"]:
            links.append(NavLink("两地对账", "tracking:reconcile"))
        if can["WARNINGS_VIEW"]:
            links.append(NavLink("预警", "earlywarning:list"))
        groups.append(NavGroup("三线跟踪", links))

    links = []
    if can["USERS_MANAGE"]:
        links.append(NavLink("账号", "accounts:user_list"))
    if province_admin:
        links += [NavLink("跟踪设置", "tracking:tracking_settings"), NavLink("预警设置", "earlywarning:settings")]
    if can["AUDIT_VIEW"]:
        links += [NavLink("审计", "audit:search"), NavLink("消息发送", "notifications:outbox")]
    if can["USERS_MANAGE"]:  # the API documentation is for the admins who connect other systems
        links.append(NavLink("接口文档", "swagger-ui"))
    if links:
        groups.append(NavGroup("管理", links))
    return groups


def region_picker(*, user: Any, selected_code: str = "") -> RegionPicker:
    """The region drill-down for a list page: rooted at the user's home region (the country for the platform
    operator), offering only regions inside the user's subtree."""
    prefix = region_prefix(user)
    home: Region | None = user.home_region if prefix else None
    return build_region_picker(home=home, prefix=prefix, selected_code=selected_code)
