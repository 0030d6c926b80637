import json
from io import StringIO
from typing import Any

from django.core.management import call_command

from laborcoop.registry.models import Laborer


def test_bench_import_times_every_phase_and_cleans_up(regions: Any) -> None:
    out = StringIO()
    call_command("bench_import", "--rows", "60", "--villages", "5", "--phases", "--cleanup", "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert result["rows"] == 60
    assert result["first"]["rows_total"] == result["second"]["rows_total"] == 60
    assert result["second"]["created"] == 0
    phases = {"parse", "prefetch", "check_person", "check_household", "plan", "read", "chunks_total", "cpu"}
    assert phases <= set(result["first_phases_s"])
    assert not Laborer.objects.exists()
