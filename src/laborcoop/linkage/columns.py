"""The columns of a department's list: common identity columns plus those that carry each list's meaning.

Headers are matched like the import's (`intake.columns.header_key`): "*证件号码（必填）" matches "证件号码".
"""

from dataclasses import dataclass, field

from laborcoop.intake.columns import Column, header_key
from laborcoop.linkage.models import Department

MISSING_NAME_COLUMN = "缺少必填列“姓名”：请在表头中写明姓名列，或在列对应页面中选择"
MISSING_ID_OR_BIRTH_COLUMN = "缺少必填列：“证件号码”和“出生日期”至少需要一列，否则无法比对"
MAPPING_INDEX_INVALID = "列“{label}”对应的表头不存在"
MAPPING_DUPLICATE = "同一列不能同时对应“{a}”和“{b}”"

_ID_ALIASES = (
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "证件号",
    "身份证",
    "证件号码(身份证号)",
    "社会保障号码",
    "社保卡号",
)


def _c(key: str, label: str, *aliases: str, personal: bool = False) -> Column:
    return Column(key=key, label=label, aliases=aliases, personal=personal)


COMMON_COLUMNS = [
    _c("id_number", "证件号码", *_ID_ALIASES, personal=True),
    _c("name", "姓名", "成员姓名", "人员姓名", "户主姓名", "参保人姓名", "参保人", "登记人姓名"),
    _c("sex", "性别"),
    _c("birth_date", "出生日期", "出生年月", "出生年月日", "出生时间"),
    _c("village_code", "村代码", "行政村代码", "村级代码", "区划代码", "行政区划代码", "村居代码"),
    _c("village_name", "行政村", "村", "村名", "所在村", "村社区", "村(社区)", "村居委会", "户籍地村"),
    _c("phone", "手机号", "手机号码", "联系电话", "电话", "联系方式", "手机", "电话号码", personal=True),
]

DEPARTMENT_COLUMNS: dict[str, list[Column]] = {
    Department.POVERTY: [],
    Department.HOUSEHOLD_REG: [
        _c("status", "状态", "户籍状态", "人员状态", "户口状态", "注销原因", "变动类型"),
        _c("death_date", "死亡日期", "死亡时间", "注销日期"),
        _c("moved_date", "迁出日期", "迁出时间", "迁移日期"),
    ],
    Department.SOCIAL_INSURANCE: [
        _c("insured_employer", "参保单位", "参保单位名称", "单位名称", "工作单位", "缴费单位"),
        _c("insurance_type", "参保险种", "险种", "险种类型", "参保类型"),
        _c("insured_since", "参保起始", "参保开始时间", "参保日期", "参保时间", "首次参保时间", "缴费起始"),
        _c("insured_month", "缴费月份", "费款所属期", "所属期", "缴费年月", "参保月份", "缴费期"),
        _c("insured_status", "参保状态", "缴费状态", "人员参保状态", "参保缴费状态", "人员状态"),
        _c("stopped_on", "停保日期", "中断日期", "暂停缴费日期", "停止缴费日期", "终止参保日期", "停缴日期"),
    ],
    Department.UNEMPLOYMENT: [
        _c("registered_on", "登记日期", "失业登记日期", "登记时间", "失业登记时间"),
    ],
    Department.DIBAO: [
        _c("dibao_since", "低保起始", "低保起始时间", "享受低保时间", "纳入低保时间", "低保开始时间"),
        _c("dibao_type", "保障类别", "低保类别", "低保类型"),
    ],
}


def columns_for(department: str) -> list[Column]:
    return [*COMMON_COLUMNS, *DEPARTMENT_COLUMNS.get(department, [])]


def expected_headers(department: str) -> list[str]:
    return [text for column in columns_for(department) for text in (column.label, *column.aliases)]


@dataclass
class ComparisonMapping:
    by_key: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def required_errors(by_key: dict[str, int]) -> list[str]:
    errors = []
    if "name" not in by_key:
        errors.append(MISSING_NAME_COLUMN)
    if "id_number" not in by_key and "birth_date" not in by_key:
        errors.append(MISSING_ID_OR_BIRTH_COLUMN)
    return errors


def auto_map(headers: list[str], department: str) -> ComparisonMapping:
    """Which header holds which field: exact labels first, then aliases; the first matching column wins."""
    columns = columns_for(department)
    owner: dict[str, str] = {header_key(c.label): c.key for c in columns}
    for column in columns:
        for key in column.keys:
            owner.setdefault(key, column.key)
    by_key: dict[str, int] = {}
    for index, header in enumerate(headers):
        target = owner.get(header_key(header))
        if target is not None and target not in by_key:
            by_key[target] = index
    return ComparisonMapping(by_key=by_key, errors=required_errors(by_key))


def check_mapping(by_key: dict[str, int], headers: list[str], department: str) -> ComparisonMapping:
    """Validate a mapping the user chose (key -> header index)."""
    labels = {c.key: c.label for c in columns_for(department)}
    clean: dict[str, int] = {}
    errors: list[str] = []
    used: dict[int, str] = {}
    for key, index in by_key.items():
        if key not in labels:
            continue
        if not (0 <= index < len(headers)):
            errors.append(MAPPING_INDEX_INVALID.format(label=labels[key]))
            continue
        if index in used:
            errors.append(MAPPING_DUPLICATE.format(a=labels[used[index]], b=labels[key]))
            continue
        used[index] = key
        clean[key] = index
    return ComparisonMapping(by_key=clean, errors=errors + required_errors(clean))
