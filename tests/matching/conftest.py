"""Matching fixtures: every test starts with no warm index (the database is rolled back, memory is not); the
small market of the batch-run tests and a helper that runs a batch as a user."""

from collections.abc import Iterator
from typing import Any

import pytest

from laborcoop.employers.models import JobPosting
from laborcoop.matching.models import MatchingRun
from laborcoop.matching.services import matching_run_create
from laborcoop.matching.services.warm import warm_index_reset
from tests.matching.test_recommendations_setup import Market, build_market


@pytest.fixture(autouse=True)
def _no_warm_index() -> Iterator[None]:
    warm_index_reset()
    yield
    warm_index_reset()


@pytest.fixture
def one_opening_market(users: dict[str, Any]) -> Market:
    """The recommendations market with one opening per job (so a batch must spread the laborers)."""
    market = build_market(users)
    JobPosting.objects.update(openings=1)
    return market


def run_batch(user: Any, capture: Any) -> MatchingRun:
    """Create a batch run as `user` and execute it after the commit (`capture`:
    django_capture_on_commit_callbacks)."""
    with capture(execute=True):
        run = matching_run_create(acting_user=user)
    run.refresh_from_db()
    return run
