"""Random malformed rows never break an import: every row is either saved or reported with a reason."""

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.intake.models import ImportJob
from laborcoop.registry.models import Laborer
from tests.intake.helpers import HEADERS, family, run_file, write_xlsx

pytestmark = pytest.mark.django_db

# Text that openpyxl can store (no control characters) and that looks like spreadsheet junk.
cell_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(["", "户主", "之子", "配偶", "健康", "4.33122E+17", "433122198503150039", '="1"', "  ", "男"]),
    st.from_regex(r"\d{15,22}", fullmatch=True),
)
random_row = st.fixed_dictionaries({header: cell_text for header in HEADERS})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(random_row, min_size=1, max_size=8))
def test_random_rows_are_saved_or_reported(users: dict[str, Any], tmp_path: Path, rows: list[dict[str, str]]) -> None:
    Laborer.objects.all().delete()
    good = family("433122107201000001")
    path = write_xlsx(tmp_path / "fuzz.xlsx", [*good, *rows])

    job = run_file(users["county_officer"], path)

    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    saved = job.rows_created + job.rows_updated + job.rows_unchanged
    assert saved + job.rows_rejected == job.rows_done
    rejected_rows = set(job.issues.filter(severity="error").values_list("row", flat=True))
    assert len(rejected_rows) == job.rows_rejected
    assert all(reason for reason in job.issues.values_list("reason", flat=True))
    assert Laborer.objects.count() >= 0
