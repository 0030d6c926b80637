"""Factories of the employment app (rows written directly, as fixtures; the rules are tested via services)."""

from datetime import date

import factory

from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord
from laborcoop.employment.records.validation import work_area_of
from tests.factories import LaborerFactory


class EmploymentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmploymentRecord

    laborer = factory.SubFactory(LaborerFactory)
    region_id = factory.LazyAttribute(lambda o: o.laborer.region_id)
    employer_name = "泸溪县测试农业合作社"
    start_date = date(2024, 3, 1)
    work_region_id = "433122000000"
    work_area = factory.LazyAttribute(lambda o: work_area_of(o.laborer.region_id, o.work_region_id))
    industry = "A"
    monthly_wage = 3000
    channel = c.Channel.MIGRANT
    point_to_point = False
    source = c.Source.OFFICER
