"""Seeding the reliability suite's own database (run inside `manage.py shell` against it, not under pytest):
the base data once, then one queued job of each kind. Each function prints a JSON line the test reads."""

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from laborcoop.accounts.models import User
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import export_start
from laborcoop.intake.services import import_create
from laborcoop.linkage.services import comparison_create, comparison_mapping_confirm
from laborcoop.matching.services import matching_run_create
from laborcoop.registry.models import Laborer
from tests.factories import EnterpriseFactory, JobPostingFactory, UserFactory, fresh_id_number
from tests.intake.helpers import person, xlsx_bytes
from tests.linkage.helpers import HOUSEHOLD_HEADERS
from tests.linkage.helpers import xlsx_bytes as list_xlsx_bytes
from tests.regions_fixture import load_sample_regions

USERNAME = "rel_officer"
VILLAGES = ["黑塘村", "天门溪村", "黄家桥村"]


def _officer() -> User:
    return User.objects.get(username=USERNAME)


def _say(**values: Any) -> None:
    print(json.dumps(values))


def base() -> None:
    load_sample_regions()
    UserFactory(username=USERNAME, home_region_id="433122000000", roles=["officer"])
    for n in range(20):
        enterprise = EnterpriseFactory(name=f"可靠性测试企业{n}", region_id="433122107000")
        JobPostingFactory(enterprise=enterprise, title=f"普工{n}", occupation="普工", openings=50)
    _say(ok=True)


def import_persons(households: int) -> None:
    """A persons file of `households` two-person households (one xlsx), queued as an import job."""
    rows = []
    for n in range(households):
        village = VILLAGES[n % len(VILLAGES)]
        number = f"433122107{n:09d}"
        birth = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
        rows.append(person(number, village=village, name=f"张{n}", birth=birth))
        rows.append(person(number, relation="配偶", village=village, name=f"李{n}", male=False, birth=date(1972, 2, 2)))
    upload = SimpleUploadedFile("persons.xlsx", xlsx_bytes(rows))
    job = import_create(acting_user=_officer(), uploaded_file=upload, kind="persons")
    _say(id=job.pk, rows=len(rows))


def export_laborers() -> None:
    """Every laborer as xlsx, in the background (the direct-download limit lowered for this small database)."""
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 100
    job = export_start(acting_user=_officer(), kind="laborers", fmt="xlsx", filters={})
    _say(id=getattr(job, "pk", None), rows=Laborer.objects.count(), background=isinstance(job, ExportJob))


def matching_run() -> None:
    run = matching_run_create(acting_user=_officer())
    _say(id=run.pk)


def comparison(size: int) -> None:
    """A 公安 household list: half our laborers (by their real ID numbers), half unknown people."""
    ours = list(Laborer.objects.order_by("id")[: size // 2])
    rows: list[list[Any]] = [
        [i + 1, lab.name, lab.reveal_id_number(), "", "", "", "正常", "", ""] for i, lab in enumerate(ours)
    ]
    for i in range(size - len(ours)):
        rows.append([len(rows) + 1, f"王{i}", fresh_id_number("433122"), "", "", "", "正常", "", ""])
    upload = SimpleUploadedFile("gongan.xlsx", list_xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    item = comparison_create(acting_user=_officer(), uploaded_file=upload, department="household_reg")
    comparison_mapping_confirm(acting_user=_officer(), comparison=item, mapping=item.mapping)
    _say(id=item.pk, rows=len(rows))
