"""bench_import_matching on a small market: both ways store the same recommendations, the figures come out, and
nothing is left behind (each run is rolled back)."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from laborcoop.matching.models import Recommendation
from laborcoop.notifications.models import Notification
from tests.matching.test_send_limits import _jobs, _laborers

pytestmark = pytest.mark.django_db


def test_both_ways_store_the_same_and_leave_nothing(users: dict[str, Any]) -> None:
    _jobs(5)
    _laborers(4)
    out = StringIO()
    call_command("bench_import_matching", user=users["county_officer"].username, size=10, json=True, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["laborers"] == 4
    assert figures["stored"] == [20, 20]
    assert figures["one_by_one_s"] > 0
    assert figures["batched_s"] > 0
    assert not Recommendation.objects.exists()
    assert not Notification.objects.exists()


def test_an_unknown_user_or_size_is_refused_in_chinese(users: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="找不到该用户"):
        call_command("bench_import_matching", user="nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="必须是正整数"):
        call_command("bench_import_matching", size=0, stdout=StringIO())
