"""Demo content for the import and comparison pages: one finished persons import (a generated xlsx of ~200 rows
with some damaged rows) and one finished comparison of 泸溪县 against a generated 公安 户籍 list with realistic
noise (deceased, moved, missing IDs, traditional and homophone names, people not in the registry).

Both run synchronously as the 泸溪县 officer `xian` through the real services. Idempotent: each is recognised
by its file name and not repeated.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import opencc
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from laborcoop.accounts.models import User
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, import_run
from laborcoop.linkage.models import Comparison, Department
from laborcoop.linkage.services import comparison_create, comparison_mapping_confirm, comparison_run
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.identity import id_number_hash
from laborcoop.registry.models import Laborer

IMPORT_NAME = "演示-泸溪县人员导入.xlsx"
COMPARISON_NAME = "演示-泸溪县公安户籍比对名单.xlsx"
COUNTY = "433122"
OFFICER = "xian"
IMPORT_HOUSEHOLDS = 60  # about 200 people
LIST_SIZE = 400  # registry people on the household-registration list
LIST_EXTRA = 30  # people on the list that the registry lacks
SURNAMES = tuple("张王李刘陈杨黄赵周吴向彭田符龙石覃瞿滕麻")
GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰红玉梅建国志")
HOMOPHONES = {
    "伟": "玮",
    "丽": "莉",
    "芳": "方",
    "明": "铭",
    "华": "桦",
    "军": "君",
    "红": "虹",
    "平": "萍",
    "静": "靖",
}


@dataclass
class DemoLinkageReport:
    import_job: ImportJob | None
    comparison: Comparison | None
    import_created: bool
    comparison_created: bool


def _xlsx(headers: list[str], rows: list[list[Any]], title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _villages() -> list[Region]:
    return list(
        Region.objects.filter(in_subtree_q(COUNTY, "code"), level=RegionLevel.VILLAGE, valid_to__isnull=True).order_by(
            "code"
        )[:40]
    )


def _fresh_ids(
    rng: random.Random, count: int, *, male: bool | None = None, born: tuple[int, int] = (1965, 2000)
) -> list[tuple[str, date]]:
    """Valid 泸溪县 ID numbers not in the registry (checked by hash); `male` fixes the sex digit."""
    result: dict[str, date] = {}
    while len(result) < count:
        birth = date(born[0], 1, 1) + timedelta(days=rng.randrange(0, (born[1] - born[0]) * 365))
        sequence = rng.randrange(300, 500) * 2 + (rng.randrange(2) if male is None else int(male))
        result[make_id_number(COUNTY, birth, sequence)] = birth
    hashes = {id_number_hash(n): n for n in result}
    clashes = set(Laborer.objects.filter(id_number_hash__in=list(hashes)).values_list("id_number_hash", flat=True))
    return [(n, b) for n, b in result.items() if id_number_hash(n) not in clashes]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


IMPORT_HEADERS = [
    "村代码",
    "户编号",
    "证件号码",
    "姓名",
    "出生日期",
    "与户主关系",
    "文化程度",
    "健康状况",
    "劳动技能",
    "户类型",
]


def import_file(rng: random.Random, villages: list[Region]) -> bytes:
    """~200 people in 60 households; damaged rows: IDs destroyed by Excel, impossible dates, a missing name."""
    parents = {
        True: _fresh_ids(rng, IMPORT_HOUSEHOLDS, male=True),
        False: _fresh_ids(rng, IMPORT_HOUSEHOLDS, male=False),
    }
    children = _fresh_ids(rng, IMPORT_HOUSEHOLDS * 2, born=(2001, 2009))
    rows: list[list[Any]] = []
    n = 0
    for h in range(IMPORT_HOUSEHOLDS):
        village = villages[h % len(villages)]
        household_no = f"{village.code}8{h:05d}"
        members = [("户主", parents[True][h % len(parents[True])]), ("配偶", parents[False][h % len(parents[False])])]
        for k in range(rng.choice((0, 1, 2))):
            number, birth = children[(2 * h + k) % len(children)]
            members.append(("之子" if int(number[16]) % 2 else "之女", (number, birth)))
        for relation, (number, birth) in members:
            n += 1
            id_cell: Any = number
            birth_cell = birth.isoformat()
            name = _name(rng)
            if n % 37 == 0:
                id_cell = float(number[:15] + "000")  # stored as a number by Excel: last digits lost
            elif n % 41 == 0:
                birth_cell = f"{birth.year}-02-30"  # an impossible date
            elif n % 53 == 0:
                name = ""
            education = "初中" if relation in ("户主", "配偶") else "高中"
            rows.append(
                [
                    village.code,
                    household_no,
                    id_cell,
                    name,
                    birth_cell,
                    relation,
                    education,
                    "健康",
                    "普通劳动力",
                    "脱贫户",
                ]
            )
    return _xlsx(IMPORT_HEADERS, rows, "泸溪县脱贫人口信息采集表（演示）")


HOUSEHOLD_HEADERS = [
    "序号", "姓名", "公民身份号码", "性别", "出生日期", "户籍地村", "户籍状态", "死亡日期", "迁出日期", "联系电话",
]  # fmt: skip
HOMOPHONES_WITHOUT_ID = 4
NEAR_TWINS = 3  # people on the list with a registry person's name, sex, birth year and village, their own ID


def household_list_file(rng: random.Random, villages: list[Region]) -> bytes:
    """The 公安 household-registration list: registry people with noise, plus people the registry lacks."""
    to_traditional = opencc.OpenCC("s2t")
    people = list(
        Laborer.objects.filter(in_subtree_q(COUNTY))
        .select_related("region")
        .order_by("id")
        .only("name", "sex", "birth_date", "region__name", "id_number_enc", "phone_enc")[: LIST_SIZE * 3]
    )
    rng.shuffle(people)
    rows: list[list[Any]] = []
    listed = min(LIST_SIZE, len(people) - 2 * NEAR_TWINS)  # a few registry people stay off the list
    for i, person in enumerate(people[:listed]):
        name = person.name
        number: Any = person.reveal_id_number()  # the department's own list carries clear numbers
        status, died, moved = "正常", "", ""
        roll = rng.random()
        if roll < 0.04:
            status, died = "死亡", (date.today() - timedelta(days=rng.randrange(30, 900))).isoformat()
        elif roll < 0.08:
            status, moved = "迁出", (date.today() - timedelta(days=rng.randrange(30, 900))).strftime("%Y年%m月%d日")
        elif roll < 0.16:
            number = ""  # ID missing: name, birth date, sex and village must do
        elif roll < 0.20:
            name = to_traditional.convert(name)
            number = ""
        elif roll < 0.23 and name[-1] in HOMOPHONES:
            name = name[:-1] + HOMOPHONES[name[-1]]  # a homophone: same pinyin, another character
            if roll < 0.215:
                number = ""  # and no ID: a name-only match whose name differs goes to review
        elif roll < 0.25:
            number = float(str(number)[:15] + "000")  # damaged by Excel
        sex = "男" if person.sex == "1" else "女"
        with_phone = rng.random() < 0.6 and not (number == "" and name != person.name)
        phone = person.phone if with_phone else ""  # the list has a number for some people
        born = person.birth_date.isoformat()
        rows.append([i + 1, name, number, sex, born, person.region.name, status, died, moved, phone])
    # A few name-only matches whose name differs by one homophone (no ID, no phone): 中可信, to review.
    plain = [r for r in rows if r[2] and r[6] == "正常" and r[1][-1] in HOMOPHONES]
    for row in plain[:HOMOPHONES_WITHOUT_ID]:
        row[1], row[2], row[9] = row[1][:-1] + HOMOPHONES[row[1][-1]], "", ""
    for number, birth in _fresh_ids(rng, LIST_EXTRA):
        village = rng.choice(villages)
        sex = "男" if int(number[16]) % 2 else "女"
        rows.append([len(rows) + 1, _name(rng), number, sex, birth.isoformat(), village.name, "正常", "", "", ""])
    for person in people[listed : listed + NEAR_TWINS]:  # near twins: two valid IDs, two people
        year = person.birth_date.year
        for number, birth in _fresh_ids(rng, 5, male=person.sex == "1", born=(year, year + 1)):
            if birth.year == year and birth != person.birth_date:
                sex = "男" if person.sex == "1" else "女"
                cells = [person.name, number, sex, birth.isoformat(), person.region.name, "正常", "", "", ""]
                rows.append([len(rows) + 1, *cells])
                break
    return _xlsx(HOUSEHOLD_HEADERS, rows, "泸溪县户籍人口信息（公安部门提供，演示）")


def demo_linkage_ensure(*, seed: int = 2026) -> DemoLinkageReport:
    """Create the demo import and comparison when they do not exist yet (needs the demo login `xian`)."""
    officer = User.objects.get(username=OFFICER)
    rng = random.Random(seed)
    villages = _villages()
    job = ImportJob.objects.filter(original_name=IMPORT_NAME).order_by("-id").first()
    import_created = False
    if job is None and villages:
        upload = SimpleUploadedFile(IMPORT_NAME, import_file(rng, villages))
        job = import_run(
            job_id=import_create(acting_user=officer, uploaded_file=upload, kind="persons", enqueue=False).pk
        )
        import_created = True
    comparison = Comparison.objects.filter(original_name=COMPARISON_NAME).order_by("-id").first()
    comparison_created = False
    if comparison is None and villages:
        upload = SimpleUploadedFile(COMPARISON_NAME, household_list_file(rng, villages))
        created = comparison_create(acting_user=officer, uploaded_file=upload, department=Department.HOUSEHOLD_REG)
        comparison_mapping_confirm(acting_user=officer, comparison=created, mapping=created.mapping, enqueue=False)
        comparison = comparison_run(comparison_id=created.pk)
        comparison_created = True
    return DemoLinkageReport(job, comparison, import_created, comparison_created)
