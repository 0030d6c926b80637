"""Which guide a user reads, and what each menu entry does.

The guide is chosen here, in the accounts app, because it is a role decision (the access layer's). The menu
part of the page is never written by hand: it is the user's own menu (accounts.navigation.navigation_for), each
entry with its description below, so the help never lists an entry the user does not have and follows every
change of the menu. An entry without a description here is shown with its name only (a test keeps the table
complete for the demo roles).
"""

from dataclasses import dataclass
from typing import Any

from laborcoop.accounts.access import enterprise_of, is_admin, is_hotline_user
from laborcoop.accounts.navigation import NavGroup, navigation_for
from laborcoop.accounts.roles import Role
from laborcoop.regions.models import RegionLevel, level_of_code


class Guide:
    """The guide keys; each is a template templates/accounts/help/<key>.html."""

    PROVINCE = "officer_province"
    PREFECTURE = "officer_prefecture"
    COUNTY = "officer_county"
    TOWNSHIP = "officer_township"
    BROKER = "broker"
    ENTERPRISE = "enterprise"
    HOTLINE = "hotline"
    ADMIN = "admin"
    GUEST = "guest"  # not signed in: how to sign in, who to ask


GUIDE_TITLES = {
    Guide.PROVINCE: "省级经办人员",
    Guide.PREFECTURE: "市州经办人员",
    Guide.COUNTY: "县市区经办人员",
    Guide.TOWNSHIP: "乡镇（街道）经办人员",
    Guide.BROKER: "村级信息员、劳务经纪人",
    Guide.ENTERPRISE: "企业用户",
    Guide.HOTLINE: "12333 热线坐席",
    Guide.ADMIN: "管理员",
    Guide.GUEST: "尚未登录的用户",
}

_OFFICER_GUIDES: dict[int, str] = {
    RegionLevel.PROVINCE: Guide.PROVINCE,
    RegionLevel.PREFECTURE: Guide.PREFECTURE,
    RegionLevel.COUNTY: Guide.COUNTY,
}

# What each menu entry does, by the entry's page (url name); an entry whose page serves two roles differently
# is described by (label, url name) first.
MENU_HELP: dict[str, str] = {
    "registry:laborer_list": (
        "查找、登记和修改管辖范围内的劳动力人员信息；可按姓名、证件号后四位、村和就业状态筛选，并导出。"
    ),
    "registry:household_list": "按户查看家庭成员、户主和脱贫/监测属性，新增家庭或家庭成员。",
    "frontdesk:index": "窗口实名登记：先按证件号查人，已有的核对更新，没有的当场登记，并记下本次服务。",
    "frontdesk:contact_log": "查看窗口和 12333 热线的服务记录：谁在什么时候来访或来电、咨询了什么。",
    "frontdesk:duplicates": "处理系统发现的疑似重复人员：核对后合并，或标记为不是同一人。",
    "intake:index": "上传 Excel/CSV 名单批量导入人员或就业信息；导入在后台进行，可看进度并下载问题报告。",
    "linkage:index": "把公安、民政、社保等部门的名单与本库比对，逐条审核建议的变更。",
    "exports:index": "导出标准台账（劳动力资源、转移就业、企业用工），查看和下载自己的导出任务。",
    "employers:enterprise_list": "查看和维护企业信息、就业帮扶车间和基地认定。",
    "employers:job_list": "查看和管理本辖区（企业用户：本企业）的岗位，发布或修改岗位，查看每个岗位推荐的人选。",
    "employers:market_list": (
        "岗位市场：全国各地招聘中的岗位，可按地区、工种、月薪、县内/省内/省外和住宿筛选；"
        "打开岗位可推荐本辖区的人员应聘（修改岗位仍由发布企业和其所在地经办人负责）。"
    ),
    "cooperation:agreement_list": (
        "劳务协作协议：本地区与输入地或输出地签订的协作协议，一方发起、另一方确认，含协作期限、年度目标和补贴条款。"
    ),
    "matching:runs": "为辖区内未就业人员和招聘岗位批量生成推荐，按岗位人数分配，避免都推到同几个岗位。",
    "matching:weights": "设置全省人岗匹配各项因素的权重和每人每周推送上限。",
    "employment:enterprise_report": "报送新招用人员、离职人员，确认到岗。",
    "employment:enterprise_payroll": "按月报送本企业员工的工资和社保缴纳情况。",
    "employment:enterprise_staff": "本企业在职员工名册：可逐人报送离职、工资和社保。",
    "employment:record_list": "本地人员的就业记录：在哪里务工、何时开始和结束、月收入、合同和社保。",
    "tracking:state_list": "按就业记录、工资和社保自动推算的每个人当前就业状态，可按状态筛选。",
    "tracking:task_list": "待办的跟踪回访任务（如离职后 7 天内回访），按到期时间排列。",
    "tracking:phone": "用手机逐个电话回访：一键拨号，记录是否联系上、现在在哪里务工、月收入。",
    "tracking:today": "今天要做的事：到期的回访、新出现待登记的人、可以转告村民的新岗位。",
    "tracking:notice_list": "本地人员到外地务工、离职或返乡时，与务工地之间的去向通报。",
    "tracking:notice_input_list": "外地人员到本地务工的去向通报：确认是否已到岗。",
    "tracking:reconcile": "输出地与输入地两边统计的人数对账，找出对不上的人员。",
    "tracking:tracking_settings": "设置全省跟踪回访的时限和无法联系的判定标准。",
    "earlywarning:list": "需要处理的预警（如长期未就业、收入过低、无法联系），按人和户归并，可指派、处理或消除。",
    "earlywarning:settings": "设置全省各条预警规则的开关和阈值。",
    "accounts:user_list": "管理本辖区的账号：新建、停用、重置密码、解除登录锁定。",
    "audit:search": "查询审计记录：谁在什么时候查看了完整证件号、导出或修改了什么。",
    "notifications:outbox": "查看短信和站内消息的发送情况，失败的可重发。",
    "swagger-ui": "对接其他系统用的接口文档（API）。",
}
MENU_HELP_BY_LABEL: dict[tuple[str, str], str] = {
    (
        "来电服务台",
        "frontdesk:index",
    ): "接听 12333 来电时使用：按姓名或证件号查到来电人，记录来电内容，处理结果写入服务记录。",
    ("到岗确认", "tracking:notice_input_list"): "确认输出地推荐来的人员是否已到本企业上岗。",
}


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    description: str


@dataclass(frozen=True)
class MenuSection:
    label: str
    entries: list[MenuEntry]


def guide_for(user: Any) -> str:
    """The guide a user reads: enterprise, hotline, broker and admin by role; officers (and read-only staff) by
    the level of their home region."""
    if user is None or not user.is_authenticated:
        return Guide.GUEST
    if enterprise_of(user) is not None:
        return Guide.ENTERPRISE
    if is_admin(user):
        return Guide.ADMIN
    if is_hotline_user(user):
        return Guide.HOTLINE
    if Role.BROKER in (user.roles or []):
        return Guide.BROKER
    code = user.home_region_id or ""
    level = level_of_code(code) if code else RegionLevel.PROVINCE
    return _OFFICER_GUIDES.get(level, Guide.TOWNSHIP)


def describe(label: str, url_name: str) -> str:
    return MENU_HELP_BY_LABEL.get((label, url_name)) or MENU_HELP.get(url_name, "")


def menu_help(groups: list[NavGroup]) -> list[MenuSection]:
    return [
        MenuSection(
            group.label,
            [MenuEntry(link.label, link.url_name, describe(link.label, link.url_name)) for link in group.links],
        )
        for group in groups
    ]


def menu_help_for(user: Any) -> list[MenuSection]:
    """The user's own menu (accounts.navigation), each entry with what it does."""
    if user is None or not user.is_authenticated:
        return []
    return menu_help(navigation_for(user))
