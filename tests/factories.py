"""factory_boy factories. They write rows directly (fixtures), never bypassing a rule under test."""

import itertools
from datetime import date, timedelta

import factory

from laborcoop.accounts.models import User
from laborcoop.core.validation.checksums import make_id_number, make_uscc
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.registry import choices as rc
from laborcoop.registry.identity import identity_columns
from laborcoop.registry.models import Household, Laborer

_id_seq = itertools.count(1)


def fresh_id_number(county: str = "433122", birth: date = date(1990, 5, 17), male: bool = True) -> str:
    n = next(_id_seq)
    seq = (n * 2 + (1 if male else 0)) % 1000
    return make_id_number(county, birth + timedelta(days=n // 500), seq)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    roles = factory.LazyFunction(lambda: ["officer"])
    password = factory.django.Password("demo-2026")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    household_no = factory.Sequence(lambda n: f"4331221072010{n:05d}")
    region_id = "433122107201"
    household_type = rc.HouseholdType.LIFTED
    poverty_attribute = rc.PovertyAttribute.GENERAL


class LaborerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Laborer
        exclude = ("id_number",)

    household = factory.SubFactory(HouseholdFactory)
    region_id = factory.LazyAttribute(lambda o: o.household.region_id)
    name = factory.Sequence(lambda n: f"张{'三四五六七八九'[n % 7]}{n}")
    id_number = factory.LazyFunction(fresh_id_number)
    id_number_enc = factory.LazyAttribute(lambda o: identity_columns(o.id_number).id_number_enc)
    id_number_hash = factory.LazyAttribute(lambda o: identity_columns(o.id_number).id_number_hash)
    id_masked = factory.LazyAttribute(lambda o: identity_columns(o.id_number).id_masked)
    id_last4 = factory.LazyAttribute(lambda o: o.id_number[-4:])
    sex = factory.LazyAttribute(lambda o: "1" if int(o.id_number[16]) % 2 else "2")
    birth_date = factory.LazyAttribute(
        lambda o: date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    relation = rc.Relation.HEAD
    education = rc.Education.JUNIOR
    health = factory.LazyFunction(lambda: [rc.Health.HEALTHY])
    labor_skill = rc.LaborSkill.ORDINARY
    phone = "13812345678"
    phone_last4 = "5678"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(f"91370102MA{n:07d}"))
    region_id = "370102000000"
    industry = ec.Industry.C
    size = ec.EnterpriseSize.MEDIUM
    contact_name = "王经理"
    contact_phone = "13900001111"


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    enterprise = factory.SubFactory(EnterpriseFactory)
    region_id = factory.LazyAttribute(lambda o: o.enterprise.region_id)
    work_region_id = factory.LazyAttribute(lambda o: o.enterprise.region_id)
    title = "普工"
    occupation = "普工"
    openings = 10
    wage_min = 4000
    wage_max = 6000
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
    valid_until = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
