"""A small registry of 泸溪县 (plus three people of 凤凰县) and department lists built from it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from laborcoop.linkage.models import Comparison
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number
from tests.linkage.helpers import HOUSEHOLD_HEADERS, run_comparison, xlsx_bytes

NAMES = [
    "张伟",
    "李娜",
    "王芳",
    "刘洋",
    "陈静",
    "杨磊",
    "黄敏",
    "赵勇",
    "周杰",
    "吴霞",
    "徐明",
    "孙丽",
    "马超",
    "朱琳",
    "胡斌",
    "郭华",
    "何平",
    "林峰",
    "罗娟",
    "高翔",
    "梁红",
    "宋涛",
    "郑爽",
    "谢军",
    "韩雪",
    "唐亮",
    "冯燕",
    "董强",
    "萧然",
    "程刚",
]
VILLAGES = ("433122107201", "433122108201")  # 黑塘村, 黄家桥村
VILLAGE_NAMES = {"433122107201": "黑塘村", "433122108201": "黄家桥村"}


@dataclass
class Person:
    laborer: Laborer
    id_number: str


@pytest.fixture
def registry(regions: dict[str, Any]) -> list[Person]:
    """30 laborers of 泸溪县 with distinct names and birth dates; three more in 凤凰县 (other scope)."""
    people = []
    for i, name in enumerate(NAMES):
        birth = date(1970 + i % 25, 1 + i % 12, 1 + (i * 7) % 27)
        number = fresh_id_number("433122", birth=birth, male=i % 2 == 0)
        village = VILLAGES[i % 2]
        household = HouseholdFactory(region_id=village, household_no=f"{village}{i:06d}")
        laborer = LaborerFactory(household=household, name=name, id_number=number)
        people.append(Person(laborer, number))
    for i, name in enumerate(("龙飞", "石兰", "麻成")):
        number = fresh_id_number("433123", birth=date(1981, 2, 3 + i))
        household = HouseholdFactory(region_id="433123109201", household_no=f"433123109201{i:06d}")
        LaborerFactory(household=household, name=name, id_number=number)
    return people


def row_of(person: Person, *, with_id: bool = True, name: str | None = None, **extra: Any) -> dict[str, Any]:
    laborer = person.laborer
    return {
        "姓名": name or laborer.name,
        "公民身份号码": person.id_number if with_id else "",
        "性别": "男" if laborer.sex == "1" else "女",
        "出生日期": laborer.birth_date.isoformat(),
        "户籍地村": VILLAGE_NAMES[laborer.region_id],
        **extra,
    }


@pytest.fixture
def comparison(users: dict[str, Any], registry: list[Person]) -> Comparison:
    """公安 户籍: person 0 deceased, 1 moved (both by ID); person 2 with a homophone name (by ID); person 3
    without ID; two people only on the list; 26 only in our registry."""
    rows = [
        row_of(registry[0], 户籍状态="死亡", 死亡日期="2025-03-01"),
        row_of(registry[1], 户籍状态="迁出", 迁出日期="2024-05-01"),
        row_of(registry[2], name="王方", 户籍状态="正常"),
        row_of(registry[3], with_id=False),
        {"姓名": "王小二", "性别": "男", "出生日期": "1990-01-01", "户籍地村": "黑塘村"},
        {"姓名": "李四", "性别": "女", "出生日期": "1991-02-02", "户籍地村": "黄家桥村"},
    ]
    cells = [[i + 1] + [r.get(h, "") for h in HOUSEHOLD_HEADERS[1:]] for i, r in enumerate(rows)]
    return run_comparison(users["county_officer"], "户籍.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, cells), "household_reg")
