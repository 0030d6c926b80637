import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.factories import LaborerFactory


def test_bench_employment_states_on_a_small_dataset(regions: Any) -> None:
    laborers = [LaborerFactory() for _ in range(40)]
    out = StringIO()
    call_command("bench_employment_states", "--laborers", "40", "--json", stdout=out, stderr=StringIO())

    result = json.loads(out.getvalue())
    assert result["dataset"]["laborers"] == 40
    assert 0 < result["dataset"]["records"] <= 24
    assert result["first_run"]["written"] == 40
    assert result["steady_run"]["written"] == 0
    assert result["states"] == len(laborers)
    assert result["baseline"]["groups"] > 0


def test_refresh_employment_states_has_no_bench_option(regions: Any) -> None:
    with pytest.raises(CommandError, match="--bench"):
        call_command("refresh_employment_states", "--bench", "40")
