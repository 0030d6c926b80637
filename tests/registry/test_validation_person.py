from datetime import date
from typing import Any

import pytest

from laborcoop.core.validation.issues import Issues
from laborcoop.registry import choices as c
from laborcoop.registry.validation import person as v

TODAY = date(2024, 6, 1)


def born_aged(age: int) -> date:
    """A birth date giving `age` full years on TODAY (birthday a month ago)."""
    return date(TODAY.year - age, TODAY.month - 1, 1)


def check(**changes: Any) -> Issues:
    """A healthy, employed 34-year-old with 初中 and no issues, with `changes` applied."""
    facts: dict[str, Any] = {
        "birth_date": date(1990, 5, 17),
        "sex": "1",
        "labor_skill": c.LaborSkill.ORDINARY,
        "education": c.Education.JUNIOR,
        "student_status": "",
        "health": [c.Health.HEALTHY],
        "employment_status": c.EmploymentStatus.EMPLOYED,
        "today": TODAY,
    }
    facts.update(changes)
    return v.check_person(**facts)


def student(age: int, status: str = c.StudentStatus.JUNIOR_2, **changes: Any) -> Issues:
    base: dict[str, Any] = {
        "birth_date": born_aged(age),
        "education": "",
        "student_status": status,
        "labor_skill": c.LaborSkill.NONE,
        "employment_status": c.EmploymentStatus.NOT_IN_LABOR_FORCE,
    }
    base.update(changes)
    return check(**base)


def test_baseline_is_clean() -> None:
    issues = check()
    assert issues.errors == {}
    assert issues.warnings == {}


def test_born_aged_helper() -> None:
    assert v.age_on(born_aged(14), TODAY) == 14


# --- code lists ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        ("labor_skill", "劳动技能", "半劳力"),
        ("education", "文化程度", "中专"),
        ("student_status", "在校生状况", "初二"),
        ("employment_status", "就业状态", "working"),
    ],
)
def test_values_outside_code_lists_are_errors(field: str, label: str, value: str) -> None:
    changes: dict[str, Any] = {field: value}
    if field == "student_status":
        changes["education"] = ""
    issues = check(**changes)
    assert v.CODE_NOT_IN_LIST.format(label=label, value=value) in issues.errors[field]


@pytest.mark.parametrize("sex", ["", "男", "3"])
def test_sex_must_be_a_code(sex: str) -> None:
    assert check(sex=sex).errors == {"sex": [v.SEX_INVALID]}


def test_labor_skill_required() -> None:
    assert check(labor_skill="").errors == {"labor_skill": [v.LABOR_SKILL_REQUIRED]}


# --- 文化程度 / 在校生状况 --------------------------------------------------------------------------------


def test_education_and_student_status_both_filled_is_an_error() -> None:
    issues = student(14, education=c.Education.PRIMARY)
    assert issues.errors == {"education": [v.EDU_AND_STUDENT_BOTH]}


@pytest.mark.parametrize("age", [0, 3, 10, 34, 80])
def test_neither_filled_is_a_warning_at_every_age(age: int) -> None:
    issues = check(birth_date=born_aged(age), education="", employment_status="not_applicable")
    assert not issues.has_errors
    assert issues.warnings["education"] == [v.EDU_AND_STUDENT_NONE]


def test_preschool_child_with_student_status_is_clean() -> None:
    issues = student(3, c.StudentStatus.PRESCHOOL_CHILD)
    assert issues.errors == {}
    assert issues.warnings == {}


# --- health ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("残疾,长期慢性病", ["残疾", "长期慢性病"]),
        ("残疾，长期慢性病", ["残疾", "长期慢性病"]),
        ("残疾、长期慢性病", ["残疾", "长期慢性病"]),
        ("残疾；长期慢性病;患有大病", ["残疾", "长期慢性病", "患有大病"]),
        (" 残疾  长期慢性病\u3000", ["残疾", "长期慢性病"]),
        ("残疾,,残疾", ["残疾"]),
        (["残疾,长期慢性病", "患有大病"], ["残疾", "长期慢性病", "患有大病"]),
        (("健康",), ["健康"]),
        ("", []),
        (None, []),
    ],
)
def test_split_multi(value: object, expected: list[str]) -> None:
    assert v.split_multi(value) == expected


def test_normalize_health_orders_by_code_list() -> None:
    assert v.normalize_health("残疾,长期慢性病") == ["长期慢性病", "残疾"]
    assert v.normalize_health(["良好", "残疾"]) == ["残疾", "良好"]


def test_combined_illnesses_are_fine() -> None:
    issues = check(health=["残疾,长期慢性病"])
    assert issues.errors == {}


def test_combined_raw_string_is_accepted() -> None:
    assert check(health="长期慢性病、患有大病").errors == {}


def test_healthy_with_an_illness_is_an_error() -> None:
    assert check(health=["健康", "长期慢性病"]).errors == {"health": [v.HEALTH_CONFLICT]}
    assert check(health="健康,残疾").errors == {"health": [v.HEALTH_CONFLICT]}


def test_unknown_health_value_is_an_error() -> None:
    issues = check(health=["良好"])
    assert issues.errors == {"health": [v.CODE_NOT_IN_LIST.format(label="健康状况", value="良好")]}


def test_missing_health_is_a_warning() -> None:
    issues = check(health=[])
    assert not issues.has_errors
    assert issues.warnings == {"health": [v.HEALTH_MISSING]}


# --- labor ability ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("skill", [c.LaborSkill.NONE, c.LaborSkill.LOST, c.LaborSkill.WEAK])
@pytest.mark.parametrize("age", [16, 30, 59])
def test_healthy_working_age_without_labor_is_a_warning(skill: str, age: int) -> None:
    issues = check(birth_date=born_aged(age), labor_skill=skill, employment_status="not_applicable")
    assert not issues.has_errors
    assert issues.warnings == {"labor_skill": [v.HEALTHY_ADULT_NO_LABOR.format(value=skill)]}


@pytest.mark.parametrize(
    "changes",
    [
        {"birth_date": born_aged(60)},  # retirement age
        {"birth_date": born_aged(15), "employment_status": "not_applicable"},
        {"health": [c.Health.CHRONIC]},
        {"health": [c.Health.DISABLED, c.Health.SERIOUS]},
        {"labor_skill": c.LaborSkill.ORDINARY},
        {"labor_skill": c.LaborSkill.SKILLED},
    ],
)
def test_no_labor_warning_outside_the_rule(changes: dict[str, Any]) -> None:
    base: dict[str, Any] = {"labor_skill": c.LaborSkill.NONE, "employment_status": "not_applicable"}
    base.update(changes)
    assert "labor_skill" not in check(**base).warnings


def test_healthy_adult_student_with_no_labor_is_fine() -> None:
    issues = student(19, c.StudentStatus.UNDERGRAD_1)
    assert issues.warnings == {}


# --- students --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("skill", [c.LaborSkill.ORDINARY, c.LaborSkill.WEAK, c.LaborSkill.SKILLED])
def test_student_with_labor_is_a_warning(skill: str) -> None:
    issues = student(14, labor_skill=skill)
    assert issues.warnings == {"labor_skill": [v.STUDENT_LABOR_SKILL]}


def test_student_recorded_as_employed_is_a_warning() -> None:
    issues = student(19, c.StudentStatus.UNDERGRAD_1, employment_status=c.EmploymentStatus.EMPLOYED)
    assert not issues.has_errors
    assert issues.warnings == {"employment_status": [v.STUDENT_EMPLOYED]}


@pytest.mark.parametrize("status", ["unemployed", "farming", "not_applicable"])
def test_student_not_employed_is_fine(status: str) -> None:
    assert student(19, c.StudentStatus.UNDERGRAD_1, employment_status=status).warnings == {}


# --- ages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("age", [12, 14, 17])
def test_junior_school_ages_fine(age: int) -> None:
    assert student(age, c.StudentStatus.JUNIOR_1).warnings == {}


@pytest.mark.parametrize("age", [10, 11, 18, 25])
def test_junior_school_outside_12_to_17(age: int) -> None:
    issues = student(age, c.StudentStatus.JUNIOR_3)
    assert issues.warnings == {"student_status": [v.JUNIOR_SCHOOL_AGE.format(age=age)]}


@pytest.mark.parametrize("status", sorted(c.SENIOR_SCHOOL))
@pytest.mark.parametrize("age", [15, 20])
def test_senior_school_ages_fine(status: str, age: int) -> None:
    assert student(age, status).warnings == {}


@pytest.mark.parametrize("status", [c.StudentStatus.SENIOR_1, c.StudentStatus.VOCATIONAL_3])
@pytest.mark.parametrize("age", [13, 14, 21, 30])
def test_senior_school_outside_15_to_20(status: str, age: int) -> None:
    issues = student(age, status)
    assert issues.warnings == {"student_status": [v.SENIOR_SCHOOL_AGE.format(age=age)]}


@pytest.mark.parametrize("education", [c.Education.PRIMARY, c.Education.ILLITERATE])
@pytest.mark.parametrize("age", [16, 19, 22])
def test_young_adult_with_primary_or_less(education: str, age: int) -> None:
    issues = check(birth_date=born_aged(age), education=education)
    assert issues.warnings == {"education": [v.YOUNG_LOW_EDUCATION.format(value=education)]}


@pytest.mark.parametrize(
    ("education", "age"),
    [
        (c.Education.PRIMARY, 23),
        (c.Education.PRIMARY, 50),
        (c.Education.ILLITERATE, 70),
        (c.Education.JUNIOR, 18),
    ],
)
def test_low_education_outside_16_to_22_is_fine(education: str, age: int) -> None:
    assert check(birth_date=born_aged(age), education=education).warnings == {}


@pytest.mark.parametrize("age", [0, 10, 15])
def test_employed_under_16_is_an_error(age: int) -> None:
    issues = check(birth_date=born_aged(age), education=c.Education.PRIMARY)
    assert issues.errors == {"employment_status": [v.EMPLOYED_UNDER_16]}
    assert v.EMPLOYED_UNDER_16 == "未满16周岁不得登记为务工"


def test_employed_student_under_16_gets_the_error_only() -> None:
    issues = student(14, employment_status=c.EmploymentStatus.EMPLOYED)
    assert issues.errors == {"employment_status": [v.EMPLOYED_UNDER_16]}
    assert "employment_status" not in issues.warnings


def test_employed_at_16_is_fine() -> None:
    assert check(birth_date=born_aged(16), education=c.Education.JUNIOR).errors == {}


def test_birth_in_the_future_is_an_error() -> None:
    assert check(birth_date=date(2024, 6, 2)).errors == {"birth_date": [v.BIRTH_IN_FUTURE]}


def test_missing_birth_date_skips_age_rules() -> None:
    issues = check(birth_date=None, labor_skill=c.LaborSkill.NONE, employment_status="not_applicable")
    assert issues.errors == {}
    assert issues.warnings == {}
