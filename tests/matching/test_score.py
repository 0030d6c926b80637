from datetime import date

import pytest

from laborcoop.matching.engine.factors import FACTOR_CODES, Weights
from laborcoop.matching.engine.index import MatchIndex
from tests.matching.engine_support import AS_OF

LABORERS = [
    {
        "id": 1,
        "region_code": "433122101201",  # 泸溪县
        "birth_date": date(1988, 6, 1),
        "sex": "1",
        "education": "小学",
        "labor_skill": "技能劳动力",
        "work_region_willingness": ["01", "02", "03"],
        "intended_occupations": ["电焊工", "普工"],
        "expected_wage": 6000,
        "skills": "电焊",
        "qualification": "中级技工",
    },
    {
        "id": 2,
        "region_code": "433101100100",  # 吉首市, same prefecture
        "birth_date": date(1995, 1, 1),
        "sex": "2",
        "education": "高中",
        "labor_skill": "普通劳动力",
        "work_region_willingness": [],
        "intended_occupations": [],
        "expected_wage": None,
    },
]
JOB = {
    "id": 7,
    "enterprise_id": 3,
    "work_region_code": "440303000000",  # 深圳市罗湖区
    "occupation": "焊工",
    "openings": 2,
    "wage_min": 5000,
    "wage_max": 6500,
    "provides_accommodation": True,
    "provides_meals": False,
    "is_low_threshold": True,
    "valid_until": AS_OF,
    "is_assist_workshop": True,
    "retention_rate": 0.8,
    "sent_count": 3,
}


@pytest.fixture
def index() -> MatchIndex:
    return MatchIndex.build(laborer_rows=LABORERS, job_rows=[JOB], today=AS_OF, agreements=[("4331", "4403")])


def test_contributions_sum_exactly_to_the_score(index: MatchIndex) -> None:
    ranking = index.candidates_for_job(7)

    assert ranking.ids.tolist() == [1, 2]
    for i in range(len(ranking)):
        total = sum(int(ranking.parts[code][i]) for code in FACTOR_CODES)
        assert total == int(ranking.centipoints[i])
        factors = ranking.factors(i)
        assert [f["code"] for f in factors] == list(FACTOR_CODES)
        assert round(sum(f["points"] for f in factors), 2) == ranking.items()[i]["score"]


def test_explanations_in_chinese(index: MatchIndex) -> None:
    factors = {f["code"]: f for f in index.candidates_for_job(7).factors(0)}

    assert factors["occupation"]["text"] == "意向工种“焊工”与岗位工种“焊工”一致"
    assert factors["occupation"]["points"] == 30.0
    assert factors["skills"]["text"] == "具备“焊工”相关技能，持有中级技工职业资格"
    assert factors["wage"]["text"] == "岗位月薪5000-6500元，达到期望月收入6000元"
    assert factors["distance"]["text"] == "工作地点与户籍地跨省"
    assert factors["cooperation"]["text"] == "输出地与输入地签有劳务协作协议"
    assert factors["cooperation"]["points"] == 8.0
    assert factors["accommodation"]["text"] == "异地务工，岗位提供住宿"
    assert factors["low_threshold"]["points"] == 5.0
    assert factors["employer"]["text"] == "用工单位：就业帮扶车间/基地，以往留岗率80%"
    assert factors["congestion"]["text"] == "已推荐3人，招聘2人（每个岗位1.5人）"
    assert factors["congestion"]["points"] == -5.0


def test_no_intent_is_neutral_and_explained(index: MatchIndex) -> None:
    factors = {f["code"]: f for f in index.candidates_for_job(7).factors(1)}

    assert factors["occupation"]["points"] == 9.0
    assert factors["occupation"]["text"] == "未填写意向工种，岗位工种“焊工”按一般匹配计"
    assert factors["wage"]["text"] == "未填写期望收入，岗位月薪5000-6500元"


def test_weights_are_configurable(index: MatchIndex) -> None:
    index.set_weights(Weights.from_dict({"occupation": 0, "unknown": 3}))

    factors = {f["code"]: f for f in index.candidates_for_job(7).factors(0)}

    assert factors["occupation"]["points"] == 0.0
    assert Weights.from_dict(Weights().to_dict()) == Weights()


def test_mode2_lists_jobs_with_the_same_breakdown(index: MatchIndex) -> None:
    by_job = index.jobs_for_laborer(1)
    by_laborer = index.candidates_for_job(7)

    assert by_job.ids.tolist() == [7]
    assert int(by_job.centipoints[0]) == int(by_laborer.centipoints[0])
    assert by_job.factors(0) == by_laborer.factors(0)


def test_unknown_ids_raise(index: MatchIndex) -> None:
    with pytest.raises(KeyError):
        index.candidates_for_job(999)
    with pytest.raises(KeyError):
        index.jobs_for_laborer(999)
