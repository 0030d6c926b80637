"""Column definitions of the list exports: Chinese headers, code-list labels, region path names, masking.

Each column is a header, a width (Excel characters) and a function of (row, context). The context says
whether the export is masked and carries the export's region-name cache (regions.paths).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db import models

from laborcoop.core.masking import mask_phone
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.employment import choices as mc
from laborcoop.employment.models import EmploymentRecord
from laborcoop.regions.paths import RegionNames
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Household, Laborer


@dataclass
class ExportContext:
    masked: bool = True
    regions: RegionNames = field(default_factory=RegionNames)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any, ExportContext], Any]
    width: int = 12


@cache
def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    # Built once per code list: TextChoices.choices rebuilds its list on every access, which cost a third of
    # the time of a large export when done per cell.
    return {value: str(name) for value, name in choices.choices}


@cache
def _field_names(model: type[models.Model], name: str) -> dict[Any, str]:
    return {value: str(text) for value, text in model._meta.get_field(name).flatchoices}  # type: ignore[union-attr]


def shown(obj: models.Model, name: str) -> str:
    """What `obj.get_<name>_display()` returns, from a label table built once per field (the per-call
    get_FOO_display hashes the field's choices each time)."""
    value = getattr(obj, name)
    return _field_names(type(obj), name).get(value, value)


def labels(values: Iterable[str] | None, choices: type[models.TextChoices]) -> str:
    """A JSON list of codes as its labels joined with 、 (unknown codes kept as they are)."""
    names = _names(choices)
    return "、".join(names.get(v, v) for v in values or [])


def label(value: str, choices: type[models.TextChoices]) -> str:
    return _names(choices).get(value, value) if value else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "是" if value else "否"


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def phone(value: str, ctx: ExportContext) -> str:
    """A phone number stored in clear (an enterprise's contact phone, a work contact)."""
    return mask_phone(value) if ctx.masked else value


def person_phone(p: Household | Laborer, ctx: ExportContext) -> str:
    """A household's or a person's mobile: the stored masked form, or decrypted row by row while streaming for
    an unmasked export (registry EncryptedPhone)."""
    return p.phone_masked if ctx.masked else p.phone


def laborer_id_number(p: Laborer, ctx: ExportContext) -> str:
    # Decrypted row by row while streaming: the clear numbers never sit in memory as a list.
    return p.id_masked if ctx.masked else p.reveal_id_number()


LABORER_COLUMNS: list[Column] = [
    Column("户编号", lambda p, ctx: p.household.household_no, 20),
    Column("姓名", lambda p, ctx: p.name, 10),
    Column("证件类型", lambda p, ctx: shown(p, "id_type"), 10),
    Column("证件号码", laborer_id_number, 22),
    Column("性别", lambda p, ctx: shown(p, "sex"), 6),
    Column("出生日期", lambda p, ctx: day(p.birth_date), 12),
    Column("民族", lambda p, ctx: p.ethnicity, 8),
    Column("与户主关系", lambda p, ctx: shown(p, "relation"), 10),
    Column("文化程度", lambda p, ctx: label(p.education, rc.Education), 12),
    Column("在校生状况", lambda p, ctx: label(p.student_status, rc.StudentStatus), 14),
    Column("健康状况", lambda p, ctx: labels(p.health, rc.Health), 12),
    Column("劳动技能", lambda p, ctx: shown(p, "labor_skill"), 16),
    Column("政治面貌", lambda p, ctx: shown(p, "political_status"), 10),
    Column("联系电话", lambda p, ctx: person_phone(p, ctx), 14),
    Column("职业资格", lambda p, ctx: label(p.qualification, rc.Qualification), 10),
    Column("工种/技能", lambda p, ctx: p.skills, 16),
    Column("就业状态", lambda p, ctx: shown(p, "employment_status"), 10),
    Column("务工单位", lambda p, ctx: p.employer_name, 20),
    Column("务工地域", lambda p, ctx: label(p.work_area, rc.WorkArea), 10),
    Column("就业区域意愿", lambda p, ctx: labels(p.work_region_willingness, rc.WorkArea), 16),
    Column("意向工种", lambda p, ctx: "、".join(p.intended_occupations or []), 16),
    Column("期望月收入（元）", lambda p, ctx: p.expected_wage, 10),
    Column("培训需求", lambda p, ctx: labels(p.training_needs, rc.TrainingNeed), 16),
    Column("无法联系", lambda p, ctx: yes_no(p.unreachable), 8),
    Column("所在村", lambda p, ctx: ctx.regions.path(p.region_id), 40),
]

HOUSEHOLD_COLUMNS: list[Column] = [
    Column("户编号", lambda h, ctx: h.household_no, 20),
    Column("所在村", lambda h, ctx: ctx.regions.path(h.region_id), 40),
    Column("户类型", lambda h, ctx: shown(h, "household_type"), 10),
    Column("脱贫属性", lambda h, ctx: label(h.poverty_attribute, rc.PovertyAttribute), 14),
    Column("监测对象类别", lambda h, ctx: label(h.monitor_category, rc.MonitorCategory), 14),
    Column("识别监测时间", lambda h, ctx: day(h.identified_on), 12),
    Column("风险是否已消除", lambda h, ctx: yes_no(h.risk_eliminated), 8),
    Column("致贫/返贫风险", lambda h, ctx: labels(h.poverty_causes, rc.PovertyCause), 20),
    Column("户联系电话", lambda h, ctx: person_phone(h, ctx), 14),
    Column("住址", lambda h, ctx: h.address, 30),
]

ENTERPRISE_COLUMNS: list[Column] = [
    Column("企业名称", lambda e, ctx: e.name, 30),
    Column("统一社会信用代码", lambda e, ctx: e.uscc, 20),
    Column("所在地区", lambda e, ctx: ctx.regions.path(e.region_id), 36),
    Column("所属行业", lambda e, ctx: shown(e, "industry"), 20),
    Column("企业规模", lambda e, ctx: shown(e, "size"), 8),
    Column("联系人", lambda e, ctx: e.contact_name, 10),
    Column("联系电话", lambda e, ctx: phone(e.contact_phone, ctx), 16),
    Column("地址", lambda e, ctx: e.address, 30),
    Column("就业帮扶车间", lambda e, ctx: yes_no(e.is_assist_workshop), 8),
    Column("就业帮扶基地", lambda e, ctx: yes_no(e.is_assist_base), 8),
    Column("招聘中岗位", lambda e, ctx: e.open_jobs, 8),
]

JOB_COLUMNS: list[Column] = [
    Column("岗位名称", lambda j, ctx: j.title, 20),
    Column("企业名称", lambda j, ctx: j.enterprise.name, 30),
    Column("工种", lambda j, ctx: j.occupation, 12),
    Column("招聘人数", lambda j, ctx: j.openings, 8),
    Column("月薪下限（元）", lambda j, ctx: j.wage_min, 10),
    Column("月薪上限（元）", lambda j, ctx: j.wage_max, 10),
    Column("工作地点", lambda j, ctx: ctx.regions.path(j.work_region_id), 36),
    Column("企业所在地区", lambda j, ctx: ctx.regions.path(j.region_id), 36),
    Column("年龄要求", lambda j, ctx: f"{j.age_min}-{j.age_max}岁", 10),
    Column("性别要求", lambda j, ctx: label(j.sex_requirement, ec.SexRequirement) or "不限", 8),
    Column("最低学历", lambda j, ctx: label(j.education_min, rc.Education) or "不限", 10),
    Column("提供住宿", lambda j, ctx: yes_no(j.provides_accommodation), 8),
    Column("提供餐食", lambda j, ctx: yes_no(j.provides_meals), 8),
    Column("低门槛岗位", lambda j, ctx: yes_no(j.is_low_threshold), 8),
    Column("有效期起", lambda j, ctx: day(j.valid_from), 12),
    Column("有效期止", lambda j, ctx: day(j.valid_until), 12),
    Column("状态", lambda j, ctx: shown(j, "status"), 8),
]


def _employment_facts(get: Callable[[Any, str], Any]) -> list[Column]:
    """The employment columns both sides of labor cooperation see; `get(row, field)` reads a model instance
    (output side) or a values() dict (input side)."""
    return [
        Column("务工企业名称", lambda r, ctx: get(r, "employer_name"), 24),
        Column("务工所在县", lambda r, ctx: ctx.regions.path(get(r, "work_region_id")), 30),
        Column("务工地域", lambda r, ctx: label(get(r, "work_area"), rc.WorkArea), 10),
        Column("所属行业", lambda r, ctx: label(get(r, "industry"), ec.Industry), 20),
        Column("开始时间", lambda r, ctx: day(get(r, "start_date")), 12),
        Column("结束时间", lambda r, ctx: day(get(r, "end_date")), 12),
        Column("结束原因", lambda r, ctx: label(get(r, "end_reason"), mc.EndReason), 14),
        Column("务工月收入", lambda r, ctx: get(r, "monthly_wage"), 10),
        Column("就业渠道", lambda r, ctx: label(get(r, "channel"), mc.Channel), 12),
        Column("是否点对点输送", lambda r, ctx: yes_no(get(r, "point_to_point")), 8),
        Column("是否签订劳动合同", lambda r, ctx: yes_no(get(r, "contract_signed")), 8),
        Column("参保情况", lambda r, ctx: labels(get(r, "insurance_types"), mc.InsuranceType), 24),
        Column("来源", lambda r, ctx: label(get(r, "source"), mc.Source), 10),
    ]


def county_of(code: str | None) -> str:
    return code[:6].ljust(12, "0") if code else ""


def _field(row: dict[str, Any], name: str) -> Any:
    return row[name]


# Output side (就业记录): records of the user's own people, the ID masked unless an unmasked export.
EMPLOYMENT_COLUMNS: list[Column] = [
    Column("姓名", lambda r, ctx: r.laborer.name, 10),
    Column("证件号码", lambda r, ctx: laborer_id_number(r.laborer, ctx), 22),
    Column("户籍所在地", lambda r, ctx: ctx.regions.path(r.region_id), 40),
    *_employment_facts(getattr),
]

# Input side (在本地务工的外地人员): rows are dicts of employment.records.selectors.INPUT_FIELDS with the name and ID
# masked in the database; the export never has the clear values, whatever the context says. The home region
# is named down to the county only.
EMPLOYMENT_INPUT_COLUMNS: list[Column] = [
    Column("姓名", lambda r, ctx: r["masked_name"], 10),
    Column("证件号码", lambda r, ctx: r["id_masked"], 22),
    Column("户籍所在地", lambda r, ctx: ctx.regions.path(county_of(r["region_id"])), 30),
    *_employment_facts(_field),
]


def region_codes_of(
    row: Laborer | Household | Enterprise | JobPosting | EmploymentRecord | dict[str, Any],
) -> list[str]:
    """The region codes a row's columns name (loaded per chunk by the writers, with their ancestors)."""
    if isinstance(row, dict):  # an input-side employment record (values())
        return [row["region_id"], row["work_region_id"]]
    if isinstance(row, JobPosting | EmploymentRecord):
        return [row.region_id, row.work_region_id]
    return [row.region_id]
