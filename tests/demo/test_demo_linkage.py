"""demo_setup's import and comparison content: finished, realistic, created once."""

import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from laborcoop.demo.generator import regions as demo_regions
from laborcoop.demo.linkage_demo import COMPARISON_NAME, IMPORT_NAME, LIST_EXTRA
from laborcoop.intake.models import ImportIssue, ImportJob
from laborcoop.linkage.models import Comparison, ComparisonEntry, ProposedChange, TheirRecord
from laborcoop.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_tree_is_complete(regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    monkeypatch.setattr("laborcoop.regions.services.region_tree_load", lambda **kw: 0)


def _run() -> str:
    out = StringIO()
    call_command("demo_setup", laborers=600, stdout=out)
    return out.getvalue()


def test_demo_has_a_finished_import_and_comparison(sample_tree_is_complete: Any) -> None:
    started = time.perf_counter()
    output = _run()
    first_run = time.perf_counter() - started

    job = ImportJob.objects.get(original_name=IMPORT_NAME)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.uploaded_by is not None
    assert job.uploaded_by.username == "xian"
    assert 150 <= job.rows_total <= 260
    assert job.rows_created > 100
    assert job.rows_rejected > 0  # Excel-truncated IDs, impossible dates, a missing name
    assert job.report
    assert ImportIssue.objects.filter(job=job, reason__contains="Excel").exists()

    comparison = Comparison.objects.get(original_name=COMPARISON_NAME)
    assert comparison.status == Comparison.Status.SUCCEEDED, comparison.error
    assert comparison.region_id == "433122000000"
    assert comparison.matched_count > 100
    assert comparison.only_theirs_count >= LIST_EXTRA
    assert comparison.rows_id_damaged > 0
    assert ComparisonEntry.objects.filter(comparison=comparison, method="splink").exists()
    assert ProposedChange.objects.filter(comparison=comparison, field="vital_status").count() > 3
    assert "演示数据比对" in output

    counts = (ImportJob.objects.count(), Comparison.objects.count(), TheirRecord.objects.count())
    started = time.perf_counter()
    again = _run()
    assert (ImportJob.objects.count(), Comparison.objects.count(), TheirRecord.objects.count()) == counts
    assert "已有演示数据比对" in again
    assert time.perf_counter() - started < first_run
