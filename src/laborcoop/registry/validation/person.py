"""Checks on one person's registry fields, after the rules of the field checkers (shared/domain.md).

Data that cannot be stored is an error (values outside the code lists, both 文化程度 and 在校生状况, 健康
with an illness, a work record under 16). Implausible combinations are warnings: the row is saved and the
warning shown, because real records do contain exceptions.

Decision on "文化程度 / 在校生状况: exactly one is filled": both filled is an error; neither filled is a
warning at every age, since the 在校生状况 code list covers small children too (学龄前儿童, 学前教育).
"""

import re
from collections.abc import Iterable
from datetime import date

from laborcoop.core.validation.idcard import age_on, to_halfwidth
from laborcoop.core.validation.issues import Issues
from laborcoop.registry import choices as c

CODE_NOT_IN_LIST = "{label}“{value}”不在代码表中"
SEX_INVALID = "性别应为男或女"
LABOR_SKILL_REQUIRED = "请选择劳动技能"
BIRTH_IN_FUTURE = "出生日期晚于当前日期"
EDU_AND_STUDENT_BOTH = "文化程度和在校生状况只能填写其一（在校生不填文化程度）"
EDU_AND_STUDENT_NONE = "文化程度和在校生状况应填写其一（学龄前儿童在在校生状况中选择“学龄前儿童”）"
HEALTH_MISSING = "请填写健康状况"
HEALTH_CONFLICT = "健康状况“健康”不能与疾病或残疾同时填写"
HEALTHY_ADULT_NO_LABOR = "身体健康、16 至 59 周岁且不在校的人员一般不应为“{value}”，请核对劳动技能"
STUDENT_LABOR_SKILL = "在校生的劳动技能应为“无劳动力”"
STUDENT_EMPLOYED = "在校生不应登记为已就业"
JUNIOR_SCHOOL_AGE = "在读初中（七至九年级）的年龄一般为 12 至 17 周岁，当前为 {age} 周岁，请核对"
SENIOR_SCHOOL_AGE = "在读高中或中职的年龄一般为 15 至 20 周岁，当前为 {age} 周岁，请核对"
YOUNG_LOW_EDUCATION = "16 至 22 周岁的人员文化程度为“{value}”，请核对"
EMPLOYED_UNDER_16 = "未满16周岁不得登记为务工"

WORKING_AGE_MIN = 16
WORKING_AGE_END = 60  # exclusive: "16 to under 60"
JUNIOR_AGES = (12, 17)
SENIOR_AGES = (15, 20)
YOUNG_AGES = (16, 22)
LOW_EDUCATION = frozenset([c.Education.ILLITERATE, c.Education.PRIMARY])
WEAK_OR_NO_LABOR = frozenset([c.LaborSkill.WEAK, c.LaborSkill.LOST, c.LaborSkill.NONE])

_MULTI_SPLIT_RE = re.compile(r"[,;、\s]+")  # after to_halfwidth: ，→, and ；→; and the ideographic space


def split_multi(value: object) -> list[str]:
    """Split a comma-joined multi-value ("残疾,长期慢性病", "残疾、长期慢性病") into a list.

    Separators: half- and full-width commas and semicolons, 、 and any whitespace. Lists and tuples are
    split item by item. Empty items and repeats are dropped; order is kept. None gives [].
    """
    if value is None:
        return []
    texts = [str(v) for v in value if v is not None] if isinstance(value, list | tuple) else [str(value)]
    result: list[str] = []
    for text in texts:
        for part in _MULTI_SPLIT_RE.split(to_halfwidth(text)):
            if part and part not in result:
                result.append(part)
    return result


def normalize_health(value: object) -> list[str]:
    """健康状况 as a list in code-list order (unknown values kept at the end for check_person to report)."""
    values = split_multi(value)
    known = [v for v in c.Health.values if v in values]
    return known + [v for v in values if v not in c.Health.values]


def _check_code(issues: Issues, field_name: str, label: str, value: str, allowed: Iterable[str]) -> bool:
    if value and value not in allowed:
        issues.error(field_name, CODE_NOT_IN_LIST.format(label=label, value=value))
        return False
    return True


def check_person(
    *,
    birth_date: date | None,
    sex: str,
    labor_skill: str,
    education: str,
    student_status: str,
    health: Iterable[str] | str | None,
    employment_status: str,
    today: date,
) -> Issues:
    """Check one person's fields; messages are keyed by model field name.

    `health` may be a list or a raw comma-joined value. `birth_date` None skips the age rules (the ID check
    reports why it is missing). `today` is the reference day for ages.
    """
    issues = Issues()
    education = education or ""
    student_status = student_status or ""
    employment_status = employment_status or ""

    if sex not in c.Sex.values:
        issues.error("sex", SEX_INVALID)
    if not labor_skill:
        issues.error("labor_skill", LABOR_SKILL_REQUIRED)
    _check_code(issues, "labor_skill", "劳动技能", labor_skill, c.LaborSkill.values)
    _check_code(issues, "education", "文化程度", education, c.Education.values)
    _check_code(issues, "student_status", "在校生状况", student_status, c.StudentStatus.values)
    _check_code(issues, "employment_status", "就业状态", employment_status, c.EmploymentStatus.values)

    # 文化程度 / 在校生状况: exactly one of the two.
    if education and student_status:
        issues.error("education", EDU_AND_STUDENT_BOTH)
    elif not education and not student_status:
        issues.warn("education", EDU_AND_STUDENT_NONE)

    # 健康状况: from the code list; 健康 excludes every other value.
    health_values = normalize_health(health)
    for value in health_values:
        _check_code(issues, "health", "健康状况", value, c.Health.values)
    if not health_values:
        issues.warn("health", HEALTH_MISSING)
    elif c.Health.HEALTHY in health_values and len(health_values) > 1:
        issues.error("health", HEALTH_CONFLICT)
    healthy = health_values == [c.Health.HEALTHY]

    in_school = bool(student_status)
    employed = employment_status == c.EmploymentStatus.EMPLOYED

    # Students are 无劳动力 and never recorded as working.
    if in_school and labor_skill and labor_skill != c.LaborSkill.NONE:
        issues.warn("labor_skill", STUDENT_LABOR_SKILL)

    age = age_on(birth_date, today) if birth_date is not None else None
    if age is not None and age < 0:
        issues.error("birth_date", BIRTH_IN_FUTURE)
        age = None

    under_16_employed = age is not None and age < WORKING_AGE_MIN and employed
    if under_16_employed:
        issues.error("employment_status", EMPLOYED_UNDER_16)
    elif in_school and employed:
        issues.warn("employment_status", STUDENT_EMPLOYED)

    if age is None:
        return issues

    # A healthy person of working age, not in school, has labor ability.
    if healthy and not in_school and WORKING_AGE_MIN <= age < WORKING_AGE_END and labor_skill in WEAK_OR_NO_LABOR:
        issues.warn("labor_skill", HEALTHY_ADULT_NO_LABOR.format(value=labor_skill))

    # Age vs school grade and education.
    if student_status in c.JUNIOR_SCHOOL and not JUNIOR_AGES[0] <= age <= JUNIOR_AGES[1]:
        issues.warn("student_status", JUNIOR_SCHOOL_AGE.format(age=age))
    if student_status in c.SENIOR_SCHOOL and not SENIOR_AGES[0] <= age <= SENIOR_AGES[1]:
        issues.warn("student_status", SENIOR_SCHOOL_AGE.format(age=age))
    if not in_school and education in LOW_EDUCATION and YOUNG_AGES[0] <= age <= YOUNG_AGES[1]:
        issues.warn("education", YOUNG_LOW_EDUCATION.format(value=education))

    return issues
