"""Shared set-up of the wage/insurance line and enterprise report tests: a 泸溪县 laborer working at the
济南 enterprise of the `users` fixture (the enterprise user qiye_t), and one at another enterprise."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from laborcoop.employers.models import Enterprise
from laborcoop.employment import choices as c
from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import EnterpriseFactory, LaborerFactory, fresh_id_number

START = date(2024, 3, 1)


@dataclass
class Worker:
    laborer: Laborer
    id_number: str
    record: EmploymentRecord


def jinan_enterprise(users: dict[str, Any]) -> Enterprise:
    enterprise: Enterprise = users["enterprise"].enterprise
    return enterprise


def worker(
    enterprise: Enterprise | None,
    *,
    name: str = "向金花",
    start: date = START,
    end: date | None = None,
    birth: date = date(1990, 5, 17),
    **record: Any,
) -> Worker:
    """A laborer of 黑塘村 (泸溪县) with a record at `enterprise` (None: no record at all)."""
    id_number = fresh_id_number("433122", birth=birth)
    laborer = LaborerFactory(name=name, id_number=id_number)
    row = None
    if enterprise is not None:
        row = EmploymentRecordFactory(
            laborer=laborer,
            enterprise=enterprise,
            employer_name=enterprise.name,
            start_date=start,
            end_date=end,
            end_reason=c.EndReason.RESIGNED if end else "",
            work_region_id=enterprise.region_id[:6] + "000000",
            source=c.Source.ENTERPRISE,
            **record,
        )
    return Worker(laborer=laborer, id_number=id_number, record=row)  # type: ignore[arg-type]


def other_enterprise() -> Enterprise:
    return EnterpriseFactory(name="深圳宝安电子厂", region_id="440306000000")
