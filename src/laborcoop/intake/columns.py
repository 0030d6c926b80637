"""The column model of each import kind: target field, our template's header, header aliases of real exports.

Headers are matched on a normalised key (`header_key`): half-width, no spaces, no parenthesised notes such as
"（必填）" or "（元）", no asterisks or punctuation. So "*证件号码（必填）", "证件号码" and "证件 号码" match.
"""

import re
from dataclasses import dataclass, field

from django.db.models import TextChoices

from laborcoop.core.text import clean_text

MISSING_REQUIRED_COLUMN = "缺少必填列“{label}”"
MISSING_ONE_OF_COLUMNS = "缺少必填列：{labels} 至少需要一列"


class ImportKind(TextChoices):
    PERSONS = "persons", "家庭与人员（防返贫监测人员表或本平台模板）"
    WORK = "work", "务工信息（已外出务工表）"
    ENTERPRISES = "enterprises", "企业"
    JOBS = "jobs", "岗位"
    ENT_REPORT = "ent_report", "企业报送（入职、工资、参保、离职）"


@dataclass(frozen=True)
class Column:
    key: str  # target field name
    label: str  # our template's header
    aliases: tuple[str, ...] = ()  # other headers seen in exports (the label always matches too)
    required: bool = False  # the column must be present (a value in every row is the importer's check)
    personal: bool = False  # values masked in reports (ID and phone numbers)
    hint: str = ""  # explanation for the template's instructions sheet

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(k for k in (header_key(t) for t in (self.label, *self.aliases)) if k)


_BRACKETED_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》")
_PUNCTUATION_RE = re.compile(r"[\s*※★☆#:：,，、;；.。!！?？\"'“”‘’_\-—/\\|~`^]+")


def header_key(text: object) -> str:
    """The matching key of a header text: clean_text, bracketed notes removed, no spaces or punctuation."""
    key = clean_text(text)
    previous = None
    while key != previous:  # nested brackets: "(必填(18位))"
        previous = key
        key = _BRACKETED_RE.sub("", key)
    return _PUNCTUATION_RE.sub("", key).lower()


def _c(key: str, label: str, *aliases: str, required: bool = False, personal: bool = False, hint: str = "") -> Column:
    return Column(key=key, label=label, aliases=aliases, required=required, personal=personal, hint=hint)


_ID_ALIASES = ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证", "证件号码(身份证号)")
_VILLAGE_HINT = "行政村名称；与“村代码”至少填一项，同名村请同时填写县、乡名称"

PERSON_COLUMNS = [
    _c("county_name", "县（市、区）", "县", "县市区", "区县", "县区", "所在县", hint="县级行政区名称，如 泸溪县"),
    _c("township_name", "乡（镇、街道）", "乡", "乡镇", "乡镇街道", "所在乡镇", hint="乡级行政区名称，如 浦市镇"),
    _c("village_name", "行政村", "村", "村名", "所在村", "村社区", "村(社区)", hint=_VILLAGE_HINT),
    _c("village_code", "村代码", "行政村代码", "村级代码", "区划代码", "行政区划代码", hint="12 位统计用区划代码"),
    _c("household_no", "户编号", "户号", "家庭编号", required=True, hint="同一户的成员填写相同的户编号"),
    _c("person_no", "人口编号", "人员编号", "成员编号"),
    _c("id_number", "证件号码", *_ID_ALIASES, required=True, personal=True, hint="18 位身份证号或残疾人证号"),
    _c("id_type", "证件类型", hint="居民身份证 或 残疾人证，空白按居民身份证"),
    _c("name", "姓名", "成员姓名", "人员姓名", required=True),
    _c("sex", "性别"),
    _c("birth_date", "出生日期", "出生年月", "出生年月日", hint="如 1980-03-15；空白时取自身份证号"),
    _c("ethnicity", "民族"),
    _c("relation", "与户主关系", "与户主的关系", "家庭关系", "户主关系", required=True),
    _c("education", "文化程度", "学历", hint="在校生不填，改填“在校生状况”"),
    _c("student_status", "在校生状况", "在校生情况", "在校状况"),
    _c("health", "健康状况", hint="可多选，用逗号分隔，如 残疾,长期慢性病"),
    _c("labor_skill", "劳动技能", "劳动能力"),
    _c("political_status", "政治面貌"),
    _c("household_type", "户类型", "户属性"),
    _c("poverty_attribute", "脱贫属性", "脱贫户属性"),
    _c("monitor_category", "监测对象类别", "监测类别", "监测对象类型"),
    _c("identified_on", "识别监测时间", "识别时间", "纳入监测时间"),
    _c("risk_eliminated", "风险是否已消除", "风险是否消除", hint="是 或 否"),
    _c("household_phone", "户联系电话", "家庭联系电话", "户主联系电话", personal=True),
    _c("phone", "成员联系电话", "联系电话", "手机号", "手机号码", "联系方式", "本人联系电话", personal=True),
    _c("disability_category", "残疾类别", "残疾类型"),
    _c("marital_status", "婚姻状况"),
    _c("employment_status", "就业状态", "就业状况", hint="已就业、未就业、务农 或 无就业需求"),
    _c("employer_name", "务工单位", "就业单位", "工作单位"),
    _c("intended_occupations", "意向工种", "工种意向", "意向工种1", "工种意向1", hint="可多项，用逗号分隔"),
    _c("expected_wage", "期望月收入", "期望收入", "期望工资", "期望月薪", hint="元/月，整数"),
    _c("training_needs", "培训需求", "培训意向", hint="可多项，用逗号分隔"),
    _c("work_region_willingness", "就业区域意愿", "就业区域意向", "务工地域意愿", hint="县内、省内县外、省外，可多项"),
]

# 已外出务工 sheet: the person is found by 证件号码 (must be registered); 县/乡/村 and 户编号 are for reading only.
WORK_COLUMNS = [
    _c("county_name", "县（市、区）", "县", "县市区", "区县", "县区", "所在县", hint="人员所在县，仅供核对"),
    _c("township_name", "乡（镇、街道）", "乡", "乡镇", "乡镇街道", "所在乡镇", hint="人员所在乡镇，仅供核对"),
    _c("village_name", "行政村", "村", "村名", "所在村", "村社区", "村(社区)", hint="人员所在村，仅供核对"),
    _c("household_no", "户编号", "户号"),
    _c("id_number", "证件号码", *_ID_ALIASES, required=True, personal=True, hint="须已在人员库中登记"),
    _c("name", "姓名", "成员姓名", required=True),
    _c("is_working", "是否已务工", "是否务工", "是否外出务工", required=True, hint="是 或 否"),
    _c("start_date", "开始时间", "务工开始时间", "外出务工开始时间", "开始日期", hint="如 2023-05-01 或 2023年5月"),
    _c("end_date", "结束时间", "务工结束时间", "结束日期", hint="仍在务工的留空"),
    _c(
        "work_county",
        "务工所在县",
        "务工地点",
        "务工所在地",
        "务工所在县(市、区)",
        hint="县名（同名县请写明省、市）或 6 位代码",
    ),
    _c("monthly_income", "务工月收入", "月收入", "务工月收入(元)", hint="元/月，100 至 30000"),
    _c("employer_name", "务工企业名称", "务工单位", "就业单位", "企业名称"),
    _c("industry", "所属行业", "行业", hint="国民经济行业门类，如 制造业"),
    _c("channel", "就业渠道", "务工渠道", hint="外出务工、公益性岗位、帮扶车间、劳务协作输出、自主就业、创业、其他"),
    _c("point_to_point", "是否点对点输送", "点对点输送", hint="是 或 否"),
    _c("transport_subsidy", "年度交通费补助", "交通费补助", "交通补助", hint="元"),
]

_YES_NO_HINT = "是 或 否，空白按否"
# Columns the form requires that a file may leave out: stored records keep their values, new ones are refused.
_NEW_REQUIRED = "新增时必填；文件中没有此列时，已登记的记录保持原值"

ENTERPRISE_COLUMNS = [
    _c("name", "企业名称", "单位名称", "企业(单位)名称", required=True),
    _c(
        "uscc",
        "统一社会信用代码",
        "信用代码",
        "社会信用代码",
        "组织机构代码",
        required=True,
        hint="18 位；以此识别已登记的企业，重复导入会更新该企业而不会重复登记",
    ),
    _c("region_code", "所在地区代码", "地区代码", "区划代码", hint="6 位（县）、9 位（乡镇）或 12 位区划代码"),
    _c(
        "region_name",
        "所在地区",
        "所在地",
        "地区",
        hint="县（市、区）名称，可带乡（镇、街道），如 泸溪县、湘西州泸溪县浦市镇；与地区代码至少填一项",
    ),
    _c("industry", "所属行业", "行业", "行业门类", hint=f"国民经济行业门类，如 制造业（或字母 C）；{_NEW_REQUIRED}"),
    _c("size", "企业规模", "规模", hint=f"大型、中型、小型 或 微型；{_NEW_REQUIRED}"),
    _c("contact_name", "联系人", "联系人姓名", hint=_NEW_REQUIRED),
    _c(
        "contact_phone",
        "联系电话",
        "联系人电话",
        "联系方式",
        "手机号",
        personal=True,
        hint=f"手机号码或固定电话（如 0743-4221234）；{_NEW_REQUIRED}",
    ),
    _c("address", "地址", "企业地址", "详细地址", "注册地址"),
    _c("is_assist_workshop", "就业帮扶车间", "是否就业帮扶车间", "帮扶车间", hint=_YES_NO_HINT),
    _c("is_assist_base", "就业帮扶基地", "是否就业帮扶基地", "帮扶基地", hint=_YES_NO_HINT),
]

JOB_COLUMNS = [
    _c(
        "uscc",
        "统一社会信用代码",
        "企业统一社会信用代码",
        "信用代码",
        required=True,
        hint="发布岗位的企业，须已登记且在您的管辖范围内",
    ),
    _c(
        "title",
        "岗位名称",
        "岗位",
        "招聘岗位",
        required=True,
        hint="同一企业、同一工作地点、同名的在招岗位视为同一岗位：重复导入会更新该岗位而不会重复发布",
    ),
    _c("occupation", "工种", "岗位工种", hint=_NEW_REQUIRED),
    _c("openings", "招聘人数", "需求人数", "人数", required=True, hint="整数，至少 1 人"),
    _c("wage_min", "月薪下限", "最低月薪", "工资下限", "薪资下限", hint=f"元/月，整数；{_NEW_REQUIRED}"),
    _c("wage_max", "月薪上限", "最高月薪", "工资上限", "薪资上限", hint=f"元/月，整数，不超过 100000；{_NEW_REQUIRED}"),
    _c(
        "work_region_code",
        "工作地点",
        "工作地点代码",
        "工作地区代码",
        "工作地区",
        hint="区划代码或县（市、区）名称，如 433122、湖南省泸溪县；空白为企业所在地区",
    ),
    _c("age_min", "最低年龄", "年龄下限", hint="空白按 16 岁，不能小于 16"),
    _c("age_max", "最高年龄", "年龄上限", hint="空白按 60 岁，不能大于 70"),
    _c("sex_requirement", "性别要求", "性别", hint="不限、男 或 女，空白为不限"),
    _c("education_min", "最低学历", "学历要求", hint="空白为不限"),
    _c("provides_accommodation", "提供住宿", "是否提供住宿", "包住", hint=_YES_NO_HINT),
    _c("provides_meals", "提供餐食", "是否提供餐食", "包吃", hint=_YES_NO_HINT),
    _c("is_low_threshold", "低门槛岗位", "是否低门槛岗位", hint=_YES_NO_HINT),
    _c("valid_from", "有效期起", "有效期开始", "开始日期", hint="如 2025-05-01；空白时新岗位按导入当天，已有岗位不变"),
    _c("valid_until", "有效期止", "有效期结束", "截止日期", "结束日期", hint=f"如 2025-12-31；{_NEW_REQUIRED}"),
]

# 企业报送: one row per report of an enterprise user about its own worker; 报送类型 says which columns count.
_REPORT_KIND_HINT = "入职、工资、参保 或 离职"
ENT_REPORT_COLUMNS = [
    _c("report_kind", "报送类型", "报送事项", "类型", required=True, hint=_REPORT_KIND_HINT),
    _c("id_number", "证件号码", *_ID_ALIASES, required=True, personal=True, hint="18 位身份证号码，须与姓名一致"),
    _c("name", "姓名", "员工姓名", "职工姓名", required=True),
    _c("start_date", "入职日期", "入职时间", "到岗日期", hint="入职：必填，如 2025-05-06"),
    _c("work_county", "务工所在县", "工作地点", hint="入职：县名或 6 位代码；空白为本企业所在县"),
    _c("monthly_wage", "约定月收入", "月薪", "约定工资", hint="入职：元/月，100 至 30000"),
    _c("contract_signed", "签订劳动合同", "是否签订劳动合同", "劳动合同", hint="入职：是 或 否"),
    _c("channel", "就业渠道", hint="入职：外出务工、劳务协作输出、帮扶车间、公益性岗位、自主就业、创业、其他"),
    _c("month", "月份", "工资月份", "缴费月份", "所属月份", hint="工资、参保：必填，如 2025-05 或 2025年5月"),
    _c("amount", "实发工资", "实发金额", "应发工资", "工资", hint="工资：必填，元，100 至 30000"),
    _c("paid_on", "发放日期", "工资发放日期", hint="工资：选填，如 2025-06-10"),
    _c(
        "insurance_types",
        "参保险种",
        "险种",
        "社会保险",
        hint="参保：必填；工资：选填（一并报送当月参保）。可多项，用逗号分隔，如 城镇职工养老,职工医疗,失业,工伤",
    ),
    _c("end_date", "离职日期", "离职时间", "解除合同日期", hint="离职：必填"),
    _c("end_reason", "离职原因", "离职类型", hint="离职：必填，如 合同期满、本人辞职、单位辞退"),
]

COLUMNS: dict[ImportKind, list[Column]] = {
    ImportKind.PERSONS: PERSON_COLUMNS,
    ImportKind.WORK: WORK_COLUMNS,
    ImportKind.ENTERPRISES: ENTERPRISE_COLUMNS,
    ImportKind.JOBS: JOB_COLUMNS,
    ImportKind.ENT_REPORT: ENT_REPORT_COLUMNS,
}

# Groups of columns of which at least one must be present (each column itself has required=False).
REQUIRED_ONE_OF: dict[ImportKind, list[tuple[str, ...]]] = {
    ImportKind.PERSONS: [("village_name", "village_code")],
    ImportKind.WORK: [],
    ImportKind.ENTERPRISES: [("region_code", "region_name")],
    ImportKind.JOBS: [],
    ImportKind.ENT_REPORT: [],
}


def column_by_key(kind: ImportKind, key: str) -> Column:
    for column in COLUMNS[kind]:
        if column.key == key:
            return column
    raise KeyError(key)


def header_keys(kind: ImportKind) -> set[str]:
    """Every normalised header (labels and aliases) of the kind: `read_table`'s expected_headers."""
    return {k for column in COLUMNS[kind] for k in column.keys}


@dataclass
class ColumnMapping:
    by_key: dict[str, int] = field(default_factory=dict)  # column index in the table per Column.key
    unknown_headers: list[str] = field(default_factory=list)  # non-empty headers matching no column
    # Required columns not found; for a REQUIRED_ONE_OF group none of whose columns is present, its first
    # column stands for the group here (and the group is in missing_one_of).
    missing_required: list[Column] = field(default_factory=list)
    missing_one_of: list[tuple[Column, ...]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_required and not self.missing_one_of

    def errors(self) -> list[str]:
        """Chinese messages for the missing columns (empty when every required column is present)."""
        in_groups = {column.key for group in self.missing_one_of for column in group}
        messages = [
            MISSING_REQUIRED_COLUMN.format(label=column.label)
            for column in self.missing_required
            if column.key not in in_groups
        ]
        messages += [
            MISSING_ONE_OF_COLUMNS.format(labels="、".join(f"“{c.label}”" for c in group))
            for group in self.missing_one_of
        ]
        return messages


def map_headers(headers: list[str], kind: ImportKind) -> ColumnMapping:
    """Which table column holds which field. Extra and reordered columns are fine; on duplicates the first
    matching column wins. Matching: the exact label first, then the aliases (all on `header_key`)."""
    columns = COLUMNS[kind]
    label_owner = {header_key(c.label): c.key for c in columns}
    alias_owner: dict[str, str] = {}
    for column in columns:
        for key in column.keys:
            alias_owner.setdefault(key, column.key)
    mapping = ColumnMapping()
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        target = label_owner.get(key) or alias_owner.get(key)
        if target is None:
            mapping.unknown_headers.append(header)
        elif target not in mapping.by_key:
            mapping.by_key[target] = index
    mapping.missing_required = [c for c in columns if c.required and c.key not in mapping.by_key]
    for group in REQUIRED_ONE_OF[kind]:
        if not any(key in mapping.by_key for key in group):
            members = tuple(column_by_key(kind, key) for key in group)
            mapping.missing_one_of.append(members)
            mapping.missing_required.append(members[0])
    return mapping
