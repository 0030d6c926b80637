"""Benchmark of the PERSONS import: a generated 防返贫-style xlsx, python-calamine alone, then the import.

    manage.py bench_import --rows 100000 [--json] [--phases] [--cleanup]

Generates N rows (households of 2-6 members in villages of the loaded region tree, valid ID numbers, a few
rows whose ID Excel destroyed), times python-calamine iterating every row of the file, then the full import
(a new job as a provincial admin, run synchronously), then the same file again (every row unchanged).
The rows it creates stay in the database unless --cleanup is given. --phases adds seconds per phase of each
import (read, parse, prefetch, check_person, check_household, plan, write, chunk_other, commit_chunk,
finish_report) and "cpu", the process's CPU time (with SQLite that includes the database's work).
"""

import itertools
import os
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from python_calamine import CalamineWorkbook

from laborcoop.accounts.models import User
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_id_number
from laborcoop.demo import names as nm
from laborcoop.intake.columns import ImportKind
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, import_run, pipeline
from laborcoop.intake.services.persons import PersonsImporter, plan, prefetch
from laborcoop.intake.services.persons.parse import RowParser
from laborcoop.intake.services.persons.validate import RowValidator
from laborcoop.intake.services.persons.write import Writer
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.services import region_tree_load
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Household, Laborer

BENCH_USER = "bench_import_admin"
PROVINCE = "430000000000"

TITLE = "全国防返贫监测信息系统 — (自定义)监测对象信息"
HEADERS = [
    "县", "乡", "村", "户编号", "人口编号", "证件号码", "证件类型", "姓名", "性别", "出生日期", "民族",
    "与户主关系", "文化程度", "在校生状况", "健康状况", "劳动技能", "政治面貌", "户类型", "脱贫属性",
    "监测对象类别", "识别监测时间", "风险是否已消除", "户联系电话", "成员联系电话", "残疾类别", "婚姻状况",
]  # fmt: skip


@dataclass(frozen=True)
class Village:
    code: str
    county: str
    township: str
    name: str


def bench_villages(limit: int = 400, prefix: str = "43") -> list[Village]:
    """Villages of a province whose county/township/village names identify them (as exports name them)."""
    rows = (
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", "name", "parent__name", "parent__parent__name")
    )
    seen: dict[tuple[str, str, str], int] = {}
    found: list[Village] = []
    for code, name, township, county in rows.iterator():
        key = (county or "", township or "", name)
        seen[key] = seen.get(key, 0) + 1
        found.append(Village(code, county or "", township or "", name))
    unique = [v for v in found if seen[(v.county, v.township, v.name)] == 1]
    step = max(1, len(unique) // limit)
    return unique[::step][:limit]


_SURNAMES = [name for name, _ in nm.SURNAMES_HUNAN]
_SURNAME_CUM = list(itertools.accumulate(weight for _, weight in nm.SURNAMES_HUNAN))


def _surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]


def _given(rng: random.Random, sex: str, year: int) -> str:
    cohort = "old" if year < 1970 else "mid" if year < 1995 else "new"
    first, second = nm.GIVEN_CHARS[(cohort, sex)]
    return rng.choice(second) if rng.random() < 0.2 else rng.choice(first) + rng.choice(second)


def _member_rows(rng: random.Random, size: int, today: date) -> list[tuple[str, str, int]]:
    """(relation, sex, birth year) of a household's members: a head, usually a spouse, children, a parent."""
    head_sex = "1" if rng.random() < 0.85 else "2"
    head_year = rng.randint(1955, 1992)
    members = [(rc.Relation.HEAD.value, head_sex, head_year)]
    if size > 1 and rng.random() < 0.85:
        members.append((rc.Relation.SPOUSE.value, "2" if head_sex == "1" else "1", head_year + rng.randint(-3, 3)))
    while len(members) < size:
        if rng.random() < 0.2 and not any(r in ("之父", "之母") for r, _, _ in members):
            sex = rng.choice("12")
            members.append(("之父" if sex == "1" else "之母", sex, head_year - rng.randint(22, 30)))
        else:
            sex = rng.choice("12")
            year = min(head_year + rng.randint(20, 32), today.year - 1)
            members.append(("之子" if sex == "1" else "之女", sex, year))
    return members


def _education(rng: random.Random, age: int) -> tuple[str, str]:
    """(文化程度, 在校生状况)."""
    if age < 6:
        return "", "学龄前儿童"
    if age < 12:
        return "", "小学"
    if age < 15:
        return "", ("七年级", "八年级", "九年级")[min(age - 12, 2)]
    if age < 18 and rng.random() < 0.7:
        return "", ("普通高中一年级", "普通高中二年级", "普通高中三年级")[min(age - 15, 2)]
    if age < 23:
        return rng.choice(("初中", "高中", "大专")), ""
    if age > 60:
        return rng.choice(("文盲或半文盲", "小学", "小学", "初中")), ""
    return rng.choice(("小学", "初中", "初中", "初中", "高中")), ""


def generate_rows(n: int, villages: list[Village], *, seed: int = 20260101, damaged_every: int = 5000) -> Any:
    """Yield N rows (lists of cell values, in HEADERS order) of a 防返贫 export, grouped by household."""
    rng = random.Random(seed)
    today = date.today()
    used: set[str] = set()
    produced = 0
    household = 0
    while produced < n:
        household += 1
        village = villages[household % len(villages)]
        county6 = village.code[:6]
        size = min(rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6)), n - produced) or 1
        household_no = f"{village.code}{seed % 1000:03d}{household:05d}"
        surname = _surname(rng)
        household_type = "脱贫户" if rng.random() < 0.8 else "一般农户"
        attribute = rng.choice(("一般脱贫户", "低保脱贫户", "特困供养脱贫户")) if household_type == "脱贫户" else ""
        monitor = "" if household_type == "脱贫户" else rng.choice(("脱贫不稳定户", "边缘易致贫户", "突发严重困难户"))
        identified = f"{rng.randint(2016, 2023)}年{rng.randint(1, 12):02d}月"
        household_phone = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
        for person, (relation, sex, year) in enumerate(_member_rows(rng, size, today), start=1):
            while True:
                birth = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                sequence = rng.randrange(1 if sex == "1" else 0, 1000, 2)
                id_number = make_id_number(county6, birth, sequence)
                if id_number not in used:
                    used.add(id_number)
                    break
            age = today.year - birth.year
            education, student = _education(rng, age)
            healthy = rng.random() < 0.8
            health = "健康" if healthy else rng.choice(("长期慢性病", "患有大病", "残疾", "残疾,长期慢性病"))
            if student or age < 16:
                skill = "无劳动力"
            elif age >= 65:
                skill = rng.choice(("弱劳动力或半劳动力", "丧失劳动力", "无劳动力"))
            elif healthy:
                skill = "普通劳动力" if rng.random() < 0.85 else "技能劳动力"
            else:
                skill = "弱劳动力或半劳动力"
            shown_id = id_number
            produced += 1
            if damaged_every and produced % damaged_every == 0:
                shown_id = f"{float(id_number[:17] + '0'):.5E}"  # what Excel shows of a number: 4.33122E+17
            blood = relation in ("户主", "之子", "之女")
            name = (surname if blood else _surname(rng)) + _given(rng, sex, year)
            yield [
                village.county, village.township, village.name, household_no, f"{household_no}{person:02d}",
                shown_id, "居民身份证", name, "男" if sex == "1" else "女", birth.isoformat(),
                "汉族" if rng.random() < 0.6 else "土家族",
                relation, education, student, health, skill, "群众" if rng.random() < 0.92 else "中共党员",
                household_type, attribute, monitor, identified, "是" if rng.random() < 0.9 else "否",
                household_phone, f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}" if age >= 18 else "",
                "肢体" if "残疾" in health else "", "已婚" if relation in ("户主", "配偶") else "",
            ]  # fmt: skip


def write_xlsx(path: Path, rows: Any) -> int:
    """Write a 防返贫-style sheet: two title rows, the header on row 3, IDs and phones as text."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("监测对象信息")
    sheet.write(0, 0, TITLE)
    sheet.write(1, 0, f"导出时间：{date.today():%Y-%m-%d}")
    for col, header in enumerate(HEADERS):
        sheet.write_string(2, col, header)
    count = 0
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(r, col, value)
        count += 1
    workbook.close()
    return count


def calamine_read_seconds(path: Path) -> tuple[float, int]:
    """python-calamine alone: open the file and iterate every row of the first sheet."""
    start = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    rows = 0
    for _ in sheet.iter_rows():
        rows += 1
    return time.perf_counter() - start, rows


def _bench_user() -> User:
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_USER, password=None, home_region_id=PROVINCE, roles=["admin"])
    return user


# Phases of the import timed by wrapping these functions for the run (nothing is timed in production).
# "chunk_other" is what process_chunk spends outside its listed phases (deduplication in the file, the
# members query, grouping, the outcome); "chunks_total" contains all of the chunk phases and the COMMITs.
_PHASES: list[tuple[Any, str, str]] = [
    (RowParser, "parse", "parse"),
    (prefetch, "existing_laborers", "prefetch"),
    (prefetch, "existing_households", "prefetch"),
    (RowValidator, "check_person", "check_person"),
    (RowValidator, "check_household", "check_household"),
    (plan, "plan_group", "plan"),
    (plan, "load_changed", "plan"),
    (Writer, "write_bulk", "write"),
    (pipeline, "_commit_chunk", "commit_chunk"),
    (pipeline, "_run_chunk", "chunks_total"),  # everything of the chunks, the transaction's COMMIT included
    (pipeline, "_finish", "finish_report"),
]


class PhaseTimer:
    """Seconds per phase of one import; `read` is the time spent pulling rows from the reader."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._saved: list[tuple[Any, str, Any]] = []

    def add(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

    def _wrap(self, function: Any, phase: str) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(phase, time.perf_counter() - start)

        return timed

    def _timed_rows(self, rows: Any) -> Any:
        iterator = iter(rows)
        while True:
            start = time.perf_counter()
            row = next(iterator, None)
            self.add("read", time.perf_counter() - start)
            if row is None:
                return
            yield row

    def __enter__(self) -> "PhaseTimer":
        for owner, name, phase in _PHASES:
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            self._saved.append((owner, name, original))
            if isinstance(original, staticmethod):
                setattr(owner, name, staticmethod(self._wrap(original.__func__, phase)))
            else:
                setattr(owner, name, self._wrap(original, phase))
        real_read = pipeline.read_table

        def read_table(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            table = real_read(*args, **kwargs)
            self.add("read", time.perf_counter() - start)
            table.rows = self._timed_rows(table.rows)
            return table

        self._saved.append((pipeline, "read_table", real_read))
        pipeline.read_table = read_table
        real_chunk = PersonsImporter.process_chunk
        self._saved.append((PersonsImporter, "process_chunk", real_chunk))
        inner = {"parse", "prefetch", "check_person", "check_household", "plan", "write"}

        def process_chunk(importer: Any, *args: Any, **kwargs: Any) -> Any:
            before = sum(v for k, v in self.seconds.items() if k in inner)
            start = time.perf_counter()
            try:
                return real_chunk(importer, *args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self.add("chunk_other", spent - (sum(v for k, v in self.seconds.items() if k in inner) - before))

        setattr(PersonsImporter, "process_chunk", process_chunk)  # noqa: B010
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved = []


def _timed_import(user: User, path: Path, phases: bool = False) -> tuple[float, ImportJob, dict[str, float]]:
    """(wall seconds, job, phase seconds incl. "cpu": this process's CPU time, "wall")."""
    timer = PhaseTimer()
    start, cpu = time.perf_counter(), time.process_time()
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = import_create(acting_user=user, uploaded_file=upload, kind=ImportKind.PERSONS, enqueue=False)
    if phases:
        with timer:
            job = import_run(job_id=job.pk)
    else:
        job = import_run(job_id=job.pk)
    wall = time.perf_counter() - start
    result = {k: round(v, 2) for k, v in sorted(timer.seconds.items())}
    result["cpu"] = round(time.process_time() - cpu, 2)
    return wall, job, result


def _counts(job: ImportJob) -> dict[str, int]:
    return {
        "rows_total": job.rows_total,
        "created": job.rows_created,
        "updated": job.rows_updated,
        "unchanged": job.rows_unchanged,
        "rejected": job.rows_rejected,
        "warned": job.rows_warned,
    }


def run(*, rows: int, villages: int, seed: int, phases: bool = False, cleanup: bool = False) -> dict[str, Any]:
    """Generate the file, time calamine, the first import and the same file again; the figures as a dict."""
    if not Region.objects.filter(code=PROVINCE).exists():
        region_tree_load()
    pool = bench_villages(villages)
    if not pool:
        raise SystemExit("区划表中没有湖南省的村级区划，请先运行 load_regions。")
    user = _bench_user()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench_persons_{rows}.xlsx"
        start = time.perf_counter()
        written = write_xlsx(path, generate_rows(rows, pool, seed=seed))
        generate_s = time.perf_counter() - start
        read_s, read_rows = calamine_read_seconds(path)
        first_s, first, first_phases = _timed_import(user, path, phases)
        second_s, second, second_phases = _timed_import(user, path, phases)
        size_mb = path.stat().st_size / 1e6
    result = {
        "database": connection.vendor,
        "rows": written,
        "file_mb": round(size_mb, 1),
        "generate_s": round(generate_s, 2),
        "calamine_read_s": round(read_s, 2),
        "calamine_rows": read_rows,
        "first_import_s": round(first_s, 2),
        "first_rows_per_s": round(written / first_s),
        "first_ratio": round(first_s / read_s, 2),
        "first": _counts(first),
        "first_phases_s": first_phases,
        "second_import_s": round(second_s, 2),
        "second_rows_per_s": round(written / second_s),
        "second_ratio": round(second_s / read_s, 2),
        "second": _counts(second),
        "second_phases_s": second_phases,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if cleanup:
        _cleanup(user, [first, second])
    return result


def format_report(result: dict[str, Any]) -> str:
    return (
        f"数据库 {result['database']}，{result['rows']} 行，文件 {result['file_mb']} MB"
        f"（生成 {result['generate_s']:.1f} 秒）\n"
        f"calamine 读取：{result['calamine_read_s']:.2f} 秒\n"
        f"首次导入：{result['first_import_s']:.2f} 秒，{result['first_rows_per_s']} 行/秒，为读取时间的 "
        f"{result['first_ratio']} 倍；{result['first']}\n"
        f"重复导入：{result['second_import_s']:.2f} 秒，{result['second_rows_per_s']} 行/秒，为读取时间的 "
        f"{result['second_ratio']} 倍；{result['second']}"
    )


def _cleanup(user: User, jobs: list[ImportJob]) -> None:
    """Delete what the first run created (found through its audit rows), then the jobs."""
    audits = AuditEntry.objects.filter(actor=user, reason__startswith=f"导入：{jobs[0].original_name}")
    created = audits.filter(action=AuditEntry.Action.CREATE)
    laborer_ids = list(created.filter(object_type="registry.laborer").values_list("object_id", flat=True))
    household_ids = list(created.filter(object_type="registry.household").values_list("object_id", flat=True))
    for start in range(0, len(laborer_ids), 5000):
        Laborer.objects.filter(pk__in=laborer_ids[start : start + 5000]).delete()
    for start in range(0, len(household_ids), 5000):
        Household.objects.filter(pk__in=household_ids[start : start + 5000]).delete()
    audits.delete()
    for job in jobs:
        job.delete()
