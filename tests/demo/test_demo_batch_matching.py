"""Mode 3 through the service on the demo data, as `zhou` does it from /matching/runs/ (the benchmark never went
through the service, and every run on `make demo` failed)."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from laborcoop.accounts.models import User
from laborcoop.employers.models import JobPosting
from laborcoop.matching.models import MatchingRun, Recommendation
from laborcoop.matching.services import matching_run_create
from laborcoop.matching.services.warm import warm_index_reset
from laborcoop.regions.models import Region
from tests.demo.test_demo_setup import sample_tree_is_complete  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_batch_run_on_the_demo_data_succeeds(
    sample_tree_is_complete: list[str],  # noqa: F811
    regions: dict[str, Region],
    django_capture_on_commit_callbacks: Any,
) -> None:
    call_command("demo_setup", laborers=400, stdout=StringIO())
    warm_index_reset()
    zhou = User.objects.get(username="zhou")

    with django_capture_on_commit_callbacks(execute=True):
        run = matching_run_create(acting_user=zhou)
    run.refresh_from_db()

    assert run.status == MatchingRun.Status.SUCCEEDED, (run.error, run.error_detail)
    assert run.laborers_considered > 100
    assert run.assigned > 0
    batch = Recommendation.objects.filter(run=run)  # new 推荐 rows, or existing pairs that keep their state
    assert batch.count() == run.assigned
    per_job = dict(batch.values("job_id").annotate(n=Count("id")).values_list("job_id", "n"))
    openings = dict(JobPosting.objects.filter(pk__in=per_job).values_list("pk", "openings"))
    assert all(n <= openings[job_id] for job_id, n in per_job.items())
    assert max(per_job.values()) >= 2  # the case that crashed: several laborers on one job
    assert all(rec.factors for rec in batch)
