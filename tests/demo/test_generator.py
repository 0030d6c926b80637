"""The seed generator: deterministic, valid and consistent data (on the sample region tree)."""

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from laborcoop.core.validation.checksums import id_check_char, uscc_check_char
from laborcoop.core.validation.idcard import age_on
from laborcoop.demo.generator import SeedConfig, load_region_pools, reset_dataset, seed_dataset
from laborcoop.demo.management.commands.seed import ALREADY_SEEDED
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import Region
from laborcoop.registry import choices as c
from laborcoop.registry.identity import phone_hash
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.validation.household import MemberFacts, check_household_members
from laborcoop.registry.validation.person import check_person

AS_OF = date(2026, 6, 15)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
CHILD = {c.Relation.SON, c.Relation.DAUGHTER}
GRANDCHILD = {c.Relation.GRANDSON, c.Relation.GRANDDAUGHTER}
PARENT = {c.Relation.FATHER, c.Relation.MOTHER}


def _seed(n: int = 300, seed: int = 7) -> None:
    seed_dataset(SeedConfig(laborers=n, seed=seed, batch=120, as_of=AS_OF))


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        Laborer.objects.order_by("id").values_list(
            "name", "id_number_hash", "household__household_no", "relation", "phone_hash", "employer_name"
        )
    )


@pytest.fixture
def seeded(regions: dict[str, Region]) -> dict[str, Region]:
    _seed()
    return regions


def test_same_seed_same_data(regions: dict[str, Region]) -> None:
    _seed()
    first = _snapshot()
    enterprises = list(Enterprise.objects.order_by("id").values_list("name", "uscc"))
    reset_dataset()
    _seed()
    assert _snapshot() == first
    assert list(Enterprise.objects.order_by("id").values_list("name", "uscc")) == enterprises
    reset_dataset()
    _seed(seed=8)
    assert _snapshot() != first


def test_sizes_and_uniqueness(seeded: dict[str, Region]) -> None:
    assert Laborer.objects.count() == 300
    hashes = list(Laborer.objects.values_list("id_number_hash", flat=True))
    assert len(set(hashes)) == len(hashes)
    numbers = list(Household.objects.values_list("household_no", "region_id"))
    assert len({n for n, _ in numbers}) == len(numbers)
    assert all(n.startswith(region) and len(n) == 18 for n, region in numbers)
    phones = [p for p in Laborer.objects.values_list("phone_hash", flat=True) if p]
    assert len(set(phones)) == len(phones)
    assert Laborer.objects.filter(warnings={}).count() == 300
    assert Household.objects.filter(warnings={}).count() == Household.objects.count()


def test_ids_valid_and_consistent_with_person(seeded: dict[str, Region]) -> None:
    for laborer in Laborer.objects.select_related("household"):
        number = laborer.reveal_id_number()
        assert len(number) == 18
        assert id_check_char(number[:17]) == number[17]
        assert number[:6] == laborer.region_id[:6]  # the household's county (no renamed codes in the sample)
        assert number[6:14] == f"{laborer.birth_date:%Y%m%d}"
        assert laborer.sex == ("1" if int(number[16]) % 2 else "2")
        assert laborer.id_last4 == number[-4:]
        assert laborer.id_masked == number[:4] + "*" * 10 + number[-4:]
        assert laborer.region_id == laborer.household.region_id
        if laborer.phone:
            assert MOBILE.match(laborer.phone)
            assert laborer.phone_last4 == laborer.phone[-4:]
            assert laborer.phone_masked == laborer.phone[:3] + "****" + laborer.phone[-4:]
            assert laborer.phone_hash == phone_hash(laborer.phone)


def test_regions_are_hunan_villages(seeded: dict[str, Region]) -> None:
    levels = dict(Region.objects.values_list("code", "level"))
    for code in Household.objects.values_list("region_id", flat=True):
        assert code.startswith("43")
        assert levels[code] == 5


def test_households_pass_the_registry_checks(seeded: dict[str, Region]) -> None:
    members: dict[int, list[Laborer]] = defaultdict(list)
    for laborer in Laborer.objects.order_by("id"):
        members[laborer.household_id].append(laborer)
    for people in members.values():
        facts = [MemberFacts(label=p.name, relation=p.relation, sex=p.sex, id_hash=p.id_number_hash) for p in people]
        issues = check_household_members(facts)
        assert not issues.errors, issues.errors
        assert not issues.warnings, issues.warnings
        heads = [p for p in people if p.relation == c.Relation.HEAD]
        assert len(heads) == 1
        head = heads[0]
        head_age = age_on(head.birth_date, AS_OF)
        assert 30 <= head_age <= 70
        parent_ages = [
            age_on(p.birth_date, AS_OF) for p in people if p.relation in (c.Relation.HEAD, c.Relation.SPOUSE)
        ]
        for p in people:
            age = age_on(p.birth_date, AS_OF)
            if p.relation == c.Relation.SPOUSE:
                assert p.sex != head.sex
                assert age >= 20
            elif p.relation in CHILD:
                assert min(parent_ages) - 43 <= age <= min(parent_ages) - 20
            elif p.relation in GRANDCHILD:
                sons = [age_on(s.birth_date, AS_OF) for s in people if s.relation == c.Relation.SON]
                assert sons
                assert age <= max(sons) - 18
            elif p.relation in PARENT:
                assert age >= head_age + 18


def test_people_pass_the_person_checks(seeded: dict[str, Region]) -> None:
    skills = Counter()
    for p in Laborer.objects.all():
        issues = check_person(
            birth_date=p.birth_date,
            sex=p.sex,
            labor_skill=p.labor_skill,
            education=p.education,
            student_status=p.student_status,
            health=p.health,
            employment_status=p.employment_status,
            today=AS_OF,
        )
        assert not issues.errors, (p.name, issues.errors)
        assert not issues.warnings, (p.name, age_on(p.birth_date, AS_OF), p.student_status, issues.warnings)
        assert bool(p.education) != bool(p.student_status)
        age = age_on(p.birth_date, AS_OF)
        if p.student_status or age < 16:
            assert p.labor_skill == c.LaborSkill.NONE
            assert p.employment_status == c.EmploymentStatus.NOT_IN_LABOR_FORCE
        if p.employment_status == c.EmploymentStatus.EMPLOYED:
            assert p.work_area in {"01", "02", "03"}
            assert p.employer_name
            assert p.work_area in p.work_region_willingness
        if p.labor_skill in c.HAS_LABOR and not p.student_status and age >= 16:
            assert p.intended_occupations
            assert 3000 <= (p.expected_wage or 0) <= 8000
        skills[p.labor_skill] += 1
    assert skills[c.LaborSkill.ORDINARY] > skills[c.LaborSkill.SKILLED] > 0


def test_working_age_employment_share(seeded: dict[str, Region]) -> None:
    working = [
        p
        for p in Laborer.objects.all()
        if p.labor_skill in c.HAS_LABOR and not p.student_status and 16 <= age_on(p.birth_date, AS_OF) < 60
    ]
    employed = sum(p.employment_status == c.EmploymentStatus.EMPLOYED for p in working)
    assert 0.4 <= employed / len(working) <= 0.75


def test_enterprises_and_jobs(seeded: dict[str, Region]) -> None:
    assert Enterprise.objects.count() >= 50
    for e in Enterprise.objects.all():
        assert uscc_check_char(e.uscc[:17]) == e.uscc[17]
        assert e.uscc[2:8] == e.region_id[:6]
        assert 2 <= e.jobs.count() <= 5
    assert Enterprise.objects.filter(region__code__startswith="4331", is_assist_workshop=True).exists()
    assert Enterprise.objects.filter(region__code__startswith="3701").exists()
    jobs = JobPosting.objects.all()
    assert all(j.wage_min <= j.wage_max and j.age_min <= j.age_max and j.valid_from <= j.valid_until for j in jobs)
    assert jobs.filter(status="open", valid_until__gte=AS_OF).count() > jobs.count() / 2


def test_seed_command_refuses_then_appends(regions: dict[str, Region]) -> None:
    call_command("seed", laborers=60, seed=3, verbosity=0)
    with pytest.raises(CommandError) as exc:
        call_command("seed", laborers=60, seed=3, verbosity=0)
    assert str(exc.value) == ALREADY_SEEDED.format(count=60)
    call_command("seed", laborers=60, seed=3, append=True, verbosity=0)
    assert Laborer.objects.count() == 120
    hashes = list(Laborer.objects.values_list("id_number_hash", flat=True))
    assert len(set(hashes)) == 120
    numbers = list(Household.objects.values_list("household_no", flat=True))
    assert len(set(numbers)) == len(numbers)
    call_command("seed", laborers=30, seed=3, reset=True, no_input=True, verbosity=0)
    assert Laborer.objects.count() == 30


def test_id_address_codes_follow_renamings_and_skip_7x_units(regions: dict[str, Region]) -> None:
    def add(code: str, name: str, level: int, parent: str | None, **extra: Any) -> None:
        prefix = code.rstrip("0") if level < 5 else code
        prefix = {1: code[:2], 2: code[:4], 3: code[:6], 4: code[:9], 5: code}[level]
        Region.objects.create(code=code, name=name, level=level, parent_id=parent, prefix=prefix, **extra)

    add("430112000000", "望城区", 3, "430100000000", valid_from=date(2011, 1, 1))
    add("430122000000", "望城县", 3, "430100000000", valid_to=date(2011, 1, 1), successor_id="430112000000")
    add("430112100000", "乔口镇", 4, "430112000000")
    add("430112100201", "柏叶村", 5, "430112100000")
    add("430300000000", "湘潭市", 2, "430000000000")
    add("430321000000", "湘潭县", 3, "430300000000")
    add("430372000000", "湘潭昭山示范区", 3, "430300000000")
    add("430372100000", "昭山镇", 4, "430372000000")
    add("430372100201", "七星村", 5, "430372100000")
    counties = {county.code6: county for county in load_region_pools().counties}
    assert counties["430112"].id_address(date(1980, 5, 1)) == "430122"
    assert counties["430112"].id_address(date(2015, 5, 1)) == "430112"
    assert counties["430372"].id_address(date(1990, 1, 1)) == "430321"
