"""Codes, shares and weights of the generated data: where households and enterprises are, and the code-list
weights of people, households and jobs."""

from laborcoop.registry import choices as rc

from .. import names as nm
from .sampling import Weighted
from .sampling import weighted as _w

M, F = rc.Sex.MALE.value, rc.Sex.FEMALE.value
R = rc.Relation
EMPLOYED, UNEMPLOYED, FARMING, NOT_APPLICABLE = (
    rc.EmploymentStatus.EMPLOYED.value,
    rc.EmploymentStatus.UNEMPLOYED.value,
    rc.EmploymentStatus.FARMING.value,
    rc.EmploymentStatus.NOT_IN_LABOR_FORCE.value,
)
IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE = (
    rc.WorkArea.IN_COUNTY.value,
    rc.WorkArea.IN_PROVINCE.value,
    rc.WorkArea.OUT_OF_PROVINCE.value,
)

# Share of households per county group: 泸溪县, the rest of 湘西州, 邵阳县, the rest of Hunan.
COUNTY_GROUPS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("433122", 0.12, ()),
    ("4331", 0.28, ("433122",)),
    ("430523", 0.10, ()),
    ("43", 0.50, ("4331", "430523")),
)
# Enterprise areas: key, region prefix, share, short place name, industries (section, weight).
ENTERPRISE_AREAS: tuple[tuple[str, str, float, str, tuple[tuple[str, float], ...]], ...] = (
    ("xiangxi", "4331", 0.30, "", (("C", 1.0),)),
    ("changsha", "4301", 0.15, "长沙", (("C", 4), ("E", 2), ("H", 2), ("O", 2), ("G", 1), ("F", 1))),
    ("shaoyang", "430523", 0.05, "邵阳县", (("C", 3), ("A", 2), ("F", 1), ("E", 1))),
    ("jinan", "3701", 0.15, "济南", (("C", 4), ("E", 2), ("G", 2), ("H", 1), ("O", 1), ("Q", 1))),
    ("guangzhou", "4401", 0.08, "广州", (("C", 3), ("H", 2), ("G", 2), ("O", 1), ("F", 1))),
    ("shenzhen", "4403", 0.08, "深圳", (("C", 4), ("G", 2), ("O", 1), ("H", 1))),
    ("dongguan", "4419", 0.09, "东莞", (("C", 6), ("G", 1), ("H", 1))),
    ("yiwu", "330782", 0.05, "义乌", (("C", 3), ("F", 3), ("G", 2))),
    ("haining", "330481", 0.05, "海宁", (("C", 5), ("F", 1), ("G", 1))),
)
PARTNER_AREAS = frozenset({"jinan", "guangzhou", "shenzhen", "dongguan", "yiwu", "haining"})


# Code-list weights of people, households and their work.
# fmt: off
EDUCATION_BY_AGE: tuple[tuple[int, Weighted[str]], ...] = (
    (23, _w(("初中", 60), ("高中", 30), ("大专", 10))),  # 16-22 not in school (no 小学: warned)
    (30, _w(("小学", 3), ("初中", 45), ("高中", 30), ("大专", 15), ("本科及以上", 7))),
    (45, _w(("文盲或半文盲", 1), ("小学", 12), ("初中", 55), ("高中", 22), ("大专", 7), ("本科及以上", 3))),
    (60, _w(("文盲或半文盲", 5), ("小学", 30), ("初中", 50), ("高中", 13), ("大专", 2))),
    (200, _w(("文盲或半文盲", 25), ("小学", 50), ("初中", 20), ("高中", 5))),
)
HEALTHY, CHRONIC, SERIOUS, DISABLED = ("健康",), ("长期慢性病",), ("患有大病",), ("残疾",)
HEALTH_BY_AGE: tuple[tuple[int, Weighted[tuple[str, ...]]], ...] = (
    (16, _w((HEALTHY, 970), (CHRONIC, 10), (SERIOUS, 5), (DISABLED, 15))),
    (45, _w((HEALTHY, 920), (CHRONIC, 40), (SERIOUS, 15), (DISABLED, 25))),
    (60, _w((HEALTHY, 820), (CHRONIC, 110), (SERIOUS, 30), (DISABLED, 35), (("长期慢性病", "残疾"), 5))),
    (200, _w((HEALTHY, 600), (CHRONIC, 280), (SERIOUS, 40), (DISABLED, 60), (("长期慢性病", "残疾"), 20))),
)
SKILL_WORKING_AGE = {
    "healthy": _w(("普通劳动力", 82), ("技能劳动力", 18)),
    "长期慢性病": _w(("弱劳动力或半劳动力", 60), ("普通劳动力", 40)),
    "患有大病": _w(("弱劳动力或半劳动力", 60), ("丧失劳动力", 40)),
    "残疾": _w(("弱劳动力或半劳动力", 50), ("丧失劳动力", 30), ("普通劳动力", 20)),
}
SKILL_60_64 = {True: _w(("普通劳动力", 45), ("弱劳动力或半劳动力", 45), ("无劳动力", 10)),
               False: _w(("弱劳动力或半劳动力", 50), ("丧失劳动力", 30), ("无劳动力", 20))}
SKILL_65_69 = {True: _w(("弱劳动力或半劳动力", 50), ("无劳动力", 50)),
               False: _w(("丧失劳动力", 40), ("无劳动力", 60))}
HAS_LABOR = frozenset(rc.HAS_LABOR)
QUALIFICATION = _w(("", 20), ("初级技工", 50), ("中级技工", 25), ("高级技工", 5))
WORK_AREA = {
    "prime": _w((IN_COUNTY, 30), (IN_PROVINCE, 25), (OUT_OF_PROVINCE, 45)),
    "weak": _w((IN_COUNTY, 70), (IN_PROVINCE, 20), (OUT_OF_PROVINCE, 10)),
    "older": _w((IN_COUNTY, 75), (IN_PROVINCE, 20), (OUT_OF_PROVINCE, 5)),
}
EMPLOYMENT = {
    "prime": _w((EMPLOYED, 62), (FARMING, 15), (UNEMPLOYED, 23)),
    "weak": _w((EMPLOYED, 35), (FARMING, 40), (UNEMPLOYED, 25)),
    "older": _w((EMPLOYED, 20), (FARMING, 60), (UNEMPLOYED, 20)),
}
WILLINGNESS = _w(
    ((IN_COUNTY,), 25), ((IN_PROVINCE,), 8), ((OUT_OF_PROVINCE,), 15), ((IN_COUNTY, IN_PROVINCE), 22),
    ((IN_PROVINCE, OUT_OF_PROVINCE), 10), ((IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE), 20),
)
WAGES = _w(*zip(range(3000, 8001, 500), (8, 10, 14, 16, 14, 12, 9, 7, 5, 3, 2), strict=True))
TRAINING = Weighted((t, 1.0) for t in rc.TrainingNeed.values)
_FEMALE_LEANING = {"家政服务员", "缝纫工", "保洁员", "服务员", "养老护理员"}
_MALE_LEANING = {"电焊工", "建筑工", "钢筋工", "木工", "货车司机", "叉车司机", "保安", "电工"}
OCCUPATION_BY_SEX = {
    M: Weighted((o, w * (0.3 if o in _FEMALE_LEANING else 1.0)) for o, w in nm.OCCUPATIONS),
    F: Weighted((o, w * (2.5 if o in _FEMALE_LEANING else 0.15 if o in _MALE_LEANING else 1.0))
                for o, w in nm.OCCUPATIONS),
}
SURNAMES = {"苗族": Weighted(nm.SURNAMES_MIAO), "土家族": Weighted(nm.SURNAMES_TUJIA),
            "": Weighted(nm.SURNAMES_HUNAN)}
HOUSEHOLD_SIZE = _w((2, 15), (3, 25), (4, 30), (5, 20), (6, 10))
POVERTY_ATTRIBUTE = _w(("一般脱贫户", 80), ("低保脱贫户", 17), ("特困供养脱贫户", 3))
POVERTY_CAUSE = _w(
    ("因病", 28), ("缺技术", 18), ("因残", 10), ("因学", 10), ("缺劳力", 10), ("自身发展动力不足", 6),
    ("交通条件落后", 6), ("缺土地", 4), ("因灾", 4), ("因婚", 2), ("因丧", 2),
)
HEAD_WITHOUT_SPOUSE = _w(("丧偶", 60), ("离婚", 25), ("未婚", 15))
ADULT_CHILD_MARITAL = _w(("未婚", 70), ("已婚", 25), ("离婚", 5))
# fmt: on
DISABILITY = Weighted(nm.DISABILITY_CATEGORIES)
