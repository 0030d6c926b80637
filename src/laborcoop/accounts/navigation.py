"""What the navigation offers a user: the menu entries and the region drill-down, asked of the access layer.

Templates render what this module returns and decide nothing: a link is listed here only if the user may open
it (the capability its page requires, enterprise binding, province administration). The region picker above
list pages offers only regions inside the user's subtree.
"""

from dataclasses import dataclass, field
from typing import Any

from laborcoop.accounts.access import can_administer_province, enterprise_of, region_prefix, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.accounts.desks import Desk, desk_of
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
    out). Brokers and the hotline get the menu of their desk (accounts.desks), everyone else the menu of their
    capabilities."""
    desk = desk_of(user)
    if desk == Desk.BROKER:
        return _broker_navigation(capabilities_of(user))
    if desk == Desk.HOTLINE:
        return _hotline_navigation(capabilities_of(user))
    return _office_navigation(user)


def _groups(*groups: NavGroup) -> list[NavGroup]:
    return [group for group in groups if group.links]


def _broker_navigation(can: dict[str, bool]) -> list[NavGroup]:
    """What a village broker does: today's work, the people and households of their villages, the jobs to pass
    on, follow-up calls and the warnings of their villages. Imports, comparisons, batch matching, exports and
    the two-sided tracking lists are the office's work (the pages stay open to brokers by their capabilities)."""
    people = [NavLink("人员", "registry:laborer_list"), NavLink("家庭", "registry:household_list")]
    tracking = [NavLink("今日工作", "tracking:today"), NavLink("手机寻访", "tracking:phone")]
    if can["STATS_VIEW"]:
        tracking.append(NavLink("跟踪任务", "tracking:task_list"))
    if can["WARNINGS_VIEW"]:
        tracking.append(NavLink("预警", "earlywarning:list"))
    return _groups(
        NavGroup("今日", tracking if can["REGISTRY_EDIT"] and can["STATS_VIEW"] else []),
        NavGroup("人员登记", people if can["REGISTRY_VIEW"] else []),
        # All open postings (the village's own included): what a broker passes on to the villagers.
        NavGroup("岗位", [NavLink("岗位市场", "employers:market_list")] if can["JOBS_VIEW"] else []),
    )


def _hotline_navigation(can: dict[str, bool]) -> list[NavGroup]:
    """What a 12333 agent does: take calls (the console: look the caller up, note the call), read the service
    log, and look people, enterprises and jobs up."""
    calls = [NavLink("来电服务台", "frontdesk:index"), NavLink("服务记录", "frontdesk:contact_log")]
    lookup = [NavLink("人员", "registry:laborer_list"), NavLink("家庭", "registry:household_list")]
    market = []
    if can["EMPLOYERS_VIEW"]:
        market.append(NavLink("企业", "employers:enterprise_list"))
    if can["JOBS_VIEW"]:
        market += [NavLink("岗位", "employers:job_list"), NavLink("岗位市场", "employers:market_list")]
    return _groups(
        NavGroup("12333 来电", calls if can["REGISTRY_VIEW"] else []),
        NavGroup("查询", (lookup if can["REGISTRY_VIEW"] else []) + market),
    )


def _office_navigation(user: Any) -> list[NavGroup]:
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
                NavLink("服务记录", "frontdesk:contact_log"),
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
            links += [NavLink("岗位", "employers:job_list"), NavLink("岗位市场", "employers:market_list")]
        if registry_edit:
            links.append(NavLink("批量匹配", "matching:runs"))
        if province_admin:
            links.append(NavLink("匹配权重", "matching:weights"))
        if can["STATS_VIEW"] and not enterprise:  # cooperation.access: staff with a region read the agreements
            links.append(NavLink("劳务协作协议", "cooperation:agreement_list"))
        if enterprise and can["EMPLOYERS_EDIT"]:
            links.append(NavLink("员工名册", "employment:enterprise_staff"))
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
