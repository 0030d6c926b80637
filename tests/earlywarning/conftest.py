"""Helpers of the warning tests: a fixed run day, a run, the live warnings of a rule."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection

from laborcoop.earlywarning.choices import LIVE_STATUSES
from laborcoop.earlywarning.engine import RunResult, warnings_evaluate
from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.receivers import _PENDING

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _no_pending_evaluations() -> Iterator[None]:
    """Receivers note subjects on the connection until a commit; tests roll back, so start clean."""
    if hasattr(connection, _PENDING):
        delattr(connection, _PENDING)
    yield
    if hasattr(connection, _PENDING):
        delattr(connection, _PENDING)


def run(today: date = TODAY, **kwargs: Any) -> RunResult:
    return warnings_evaluate(today=today, **kwargs)


def live(rule: str) -> dict[str, EarlyWarning]:
    """The live warnings of `rule` by subject key."""
    return {w.subject_key: w for w in EarlyWarning.objects.filter(rule=rule, status__in=LIVE_STATUSES)}
