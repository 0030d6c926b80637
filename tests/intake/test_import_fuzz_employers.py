"""Random malformed enterprise and job rows never break an import: every row is saved or reported."""

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.core.validation.checksums import make_uscc
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.intake.models import ImportJob
from tests.factories import EnterpriseFactory
from tests.intake import test_import_enterprises as firms
from tests.intake import test_import_jobs as jobs
from tests.intake.helpers import run_file, write_xlsx

pytestmark = pytest.mark.django_db

USCC = make_uscc("91433122MA4L00001")  # the first good row's: a random row may repeat it
cell_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(
        ["", "  ", "是", "否", "制造业", "小型", "泸溪县", "凤凰县", "433122", "湖南省", "9.14331E+17", '="1"', USCC]
    ),
    st.sampled_from(["不限", "女", "初中", "0", "-5", "3000元", "100001", "2025-02-30", "45658", "2030/1/1"]),
    st.from_regex(r"[0-9A-Z]{17,19}", fullmatch=True),
)


def _check(job: ImportJob) -> None:
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    saved = job.rows_created + job.rows_updated + job.rows_unchanged
    assert saved + job.rows_rejected == job.rows_done
    rejected_rows = set(job.issues.filter(severity="error").values_list("row", flat=True))
    assert len(rejected_rows) == job.rows_rejected
    assert all(reason for reason in job.issues.values_list("reason", flat=True))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({h: cell_text for h in firms.HEADERS}), min_size=1, max_size=8))
def test_random_enterprise_rows(users: dict[str, Any], tmp_path: Path, rows: list[dict[str, str]]) -> None:
    Enterprise.objects.filter(region__code__startswith="4331").delete()
    path = write_xlsx(tmp_path / "fuzz.xlsx", [*firms.three_firms(), *rows], firms.HEADERS)

    job = run_file(users["county_officer"], path, "enterprises")

    _check(job)
    assert job.rows_created == Enterprise.objects.filter(region__code__startswith="4331").count()
    assert Enterprise.objects.filter(uscc__in=[firms.USCC_A, firms.USCC_B, firms.USCC_N]).count() == 3


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({h: cell_text for h in jobs.HEADERS}), min_size=1, max_size=8))
def test_random_job_rows(users: dict[str, Any], tmp_path: Path, rows: list[dict[str, str]]) -> None:
    JobPosting.objects.all().delete()
    Enterprise.objects.filter(uscc=jobs.USCC_LUXI).delete()
    EnterpriseFactory(uscc=jobs.USCC_LUXI, region_id="433122000000")
    path = write_xlsx(tmp_path / "fuzz.xlsx", [*jobs.three_postings(), *rows], jobs.HEADERS)

    job = run_file(users["county_officer"], path, "jobs")

    _check(job)
    assert job.rows_created == JobPosting.objects.count()
    assert JobPosting.objects.filter(title__in=["竹编工", "电子装配工", "保洁员"]).count() == 3
