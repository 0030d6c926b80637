"""Random raw laborer/job rows (keyed like the models) and an independent reference of the hard filters."""

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

AS_OF = date(2024, 2, 29)  # a leap day: birthdays on 29 February are the tricky case

COUNTIES = ["433122", "433123", "433101", "430102", "440303", "330203"]
OCCUPATION_TEXTS = [
    "普工",
    "操作工",
    "电焊工",
    "焊工",
    "保安",
    "月嫂",
    "厨工",
    "快递分拣员",
    "电子厂包装",
    "无人机飞手",
    "",
]
# Intended regions (意向地区) at several levels, some covering the counties above.
INTENDED_REGIONS = ["43", "433100000000", "433123000000", "440300000000", "330000000000", "110000000000"]
LABOR_SKILLS = ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]
EDUCATION = ["", "文盲或半文盲", "小学", "初中", "高中", "大专", "本科及以上"]
EDU_RANK = {e: i for i, e in enumerate(EDUCATION[1:])}

region = st.builds(lambda c, v: c + f"{v:06d}", st.sampled_from(COUNTIES), st.integers(1, 999_999))
birth = st.dates(min_value=date(1955, 1, 1), max_value=date(2012, 12, 31)) | st.sampled_from(
    [date(2008, 2, 29), date(2006, 2, 28), date(2006, 3, 1), date(1964, 2, 29), date(1963, 3, 1)]
)


@st.composite
def laborer_row(draw: Any, laborer_id: int) -> dict[str, Any]:
    return {
        "id": laborer_id,
        "region_code": draw(region),
        "birth_date": draw(birth),
        "sex": draw(st.sampled_from(["1", "2"])),
        "education": draw(st.sampled_from(EDUCATION)),
        "student_status": draw(st.sampled_from(["", "", "", "普通高中二年级"])),
        "health": draw(st.lists(st.sampled_from(["健康", "长期慢性病", "患有大病", "残疾"]), max_size=2, unique=True)),
        "labor_skill": draw(st.sampled_from(LABOR_SKILLS)),
        "employment_status": draw(st.sampled_from(["employed", "unemployed", "farming", "not_applicable"])),
        "unreachable": draw(st.booleans()),
        "vital_status": draw(st.sampled_from(["normal", "normal", "normal", "deceased", "moved"])),
        "work_region_willingness": draw(st.lists(st.sampled_from(["01", "02", "03"]), max_size=3, unique=True)),
        "intended_occupations": draw(st.lists(st.sampled_from(OCCUPATION_TEXTS), max_size=2, unique=True)),
        "intended_regions": draw(st.lists(st.sampled_from(INTENDED_REGIONS), max_size=3, unique=True)),
        "expected_wage": draw(st.sampled_from([None, 2500, 4000, 6000, 9000])),
        "skills": draw(st.sampled_from(["", "电焊", "叉车、电工", "驾驶员"])),
        "qualification": draw(st.sampled_from(["", "初级技工", "高级技师"])),
    }


@st.composite
def job_row(draw: Any, job_id: int) -> dict[str, Any]:
    age_min = draw(st.integers(14, 50))
    wage_min = draw(st.integers(20, 80)) * 100
    return {
        "id": job_id,
        "enterprise_id": draw(st.integers(1, 5)),
        "work_region_code": draw(region),
        "occupation": draw(st.sampled_from(OCCUPATION_TEXTS[:-1])),
        "openings": draw(st.integers(1, 4)),
        "wage_min": wage_min,
        "wage_max": wage_min + draw(st.integers(0, 30)) * 100,
        "age_min": age_min,
        "age_max": draw(st.integers(age_min, 70)),
        "sex_requirement": draw(st.sampled_from(["", "", "1", "2"])),
        "education_min": draw(st.sampled_from(["", "", "初中", "高中", "大专"])),
        "provides_accommodation": draw(st.booleans()),
        "provides_meals": draw(st.booleans()),
        "is_low_threshold": draw(st.booleans()),
        "status": draw(st.sampled_from(["open", "open", "open", "paused", "closed"])),
        "valid_until": AS_OF + timedelta(days=draw(st.integers(-5, 60))),
        "is_assist_workshop": draw(st.booleans()),
        "retention_rate": draw(st.sampled_from([None, 0.5, 0.9])),
        "sent_count": draw(st.integers(0, 10)),
    }


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def reference_feasible(
    lab: dict[str, Any], job: dict[str, Any], *, as_of: date = AS_OF, check_active: bool = True
) -> bool:
    """The hard filters written out plainly, one rule per line, independent of the engine's code."""
    if lab["student_status"]:
        return False
    if lab["labor_skill"] in ("丧失劳动力", "无劳动力"):
        return False
    if lab["vital_status"] != "normal":
        return False
    if lab["employment_status"] == "employed":
        return False
    if lab["unreachable"]:
        return False
    limited = lab["labor_skill"] == "弱劳动力或半劳动力" or "患有大病" in lab["health"]
    if limited and not job["is_low_threshold"]:
        return False
    age = age_on(lab["birth_date"], as_of)
    if not job["age_min"] <= age <= job["age_max"]:
        return False
    if job["sex_requirement"] and lab["sex"] != job["sex_requirement"]:
        return False
    if job["education_min"] and (not lab["education"] or EDU_RANK[lab["education"]] < EDU_RANK[job["education_min"]]):
        return False
    home, work = lab["region_code"], job["work_region_code"]
    if home[:6] == work[:6]:
        needed = "01"
    elif home[:2] == work[:2]:
        needed = "02"
    else:
        needed = "03"
    willing = lab["work_region_willingness"] or ["01", "02", "03"]
    if needed not in willing:
        return False
    inactive = job["status"] != "open" or job["valid_until"] < as_of
    return not (check_active and inactive)


def market(draw: Any, n_lab: int, n_job: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    labs = [draw(laborer_row(i + 1)) for i in range(n_lab)]
    jobs = [draw(job_row(100 + j)) for j in range(n_job)]
    return labs, jobs
