"""After a persons import, no table holds a clear ID number or mobile number (every text column scanned)."""

from pathlib import Path
from typing import Any

import pytest

from laborcoop.intake.models import ImportJob
from laborcoop.registry.models import Household, Laborer
from tests.dbscan import clear_personal_values
from tests.intake.helpers import HEADERS, family, run_file, write_xlsx

pytestmark = pytest.mark.django_db


def test_import_leaves_no_clear_id_or_mobile_in_the_database(users: dict[str, Any], tmp_path: Path) -> None:
    rows = [*family("433122107201000001"), *family("433122107202000002", village="天门溪村", surname="王")]
    for i, row in enumerate(rows):
        row["成员联系电话"] = f"1391234{i:04d}"
        row["户联系电话"] = "13612345678"
    rows[1]["成员联系电话"] = "1391234"  # a bad number: reported (masked) and the row rejected
    path = write_xlsx(tmp_path / "人员.xlsx", rows, [*HEADERS, "户联系电话"])

    job = run_file(users["county_officer"], path)
    rerun = run_file(
        users["county_officer"],
        write_xlsx(tmp_path / "人员2.xlsx", [{**rows[0], "成员联系电话": "13700000000"}], [*HEADERS, "户联系电话"]),
    )

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert rerun.status == ImportJob.Status.SUCCEEDED, rerun.error
    assert (job.rows_created, job.rows_rejected, rerun.rows_updated) == (5, 1, 1)
    assert Laborer.objects.exclude(phone_enc="").count() == 5
    head = Laborer.objects.get(name="张建国")
    assert (head.phone, head.phone_masked, head.phone_last4) == ("13700000000", "137****0000", "0000")
    assert {h.phone for h in Household.objects.all()} == {"13612345678"}
    assert clear_personal_values() == []


def test_the_scan_finds_a_clear_number(users: dict[str, Any]) -> None:
    """The scan is not vacuous: a clear ID and mobile number written into any text column are found."""
    from laborcoop.core.models import AuditEntry
    from tests.factories import fresh_id_number

    number = fresh_id_number()
    AuditEntry.objects.create(action="update", object_type="x", object_id="1", reason=f"{number}，电话13912345678")

    assert sorted(found for _, _, found in clear_personal_values()) == sorted([number, "13912345678"])
