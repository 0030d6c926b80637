from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import override_settings

from laborcoop.bench.lists import HOUSEHOLD_ORDERS, LABORER_ORDERS, SCOPES, bench
from laborcoop.bench.management.commands.bench_lists import NOT_POSTGRES
from tests.factories import HouseholdFactory, LaborerFactory


def test_bench_lists_refuses_sqlite(db: Any) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("runs the refusal path on SQLite only")
    with pytest.raises(CommandError) as exc:
        call_command("bench_lists", runs=1)
    assert str(exc.value) == NOT_POSTGRES


def test_bench_lists_measures_every_order_of_both_lists_in_every_scope(
    regions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = {"laborer_table_size": "1 MB", "cpus": 2, "cpu_model": "test", "memory": "1 GB", "postgresql": "—"}
    monkeypatch.setattr("laborcoop.bench.lists.machine_info", lambda: machine)  # it asks PostgreSQL
    for village in ("433122107201", "433122108201", "433123109201"):
        LaborerFactory(household=HouseholdFactory(region_id=village))
    out = StringIO()
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        result = bench(runs=1, warmup=0, log=out)
    per_scope = len(LABORER_ORDERS) * 3 + len(HOUSEHOLD_ORDERS) * 3
    assert len(result["results"]) == len(SCOPES) * per_scope
    county_people = [r for r in result["results"] if r["scope"].startswith("县") and r["list"] == "人员"]
    assert {r["rows"] for r in county_people} == {2}  # 泸溪县's two, not 凤凰县's
    assert {r["total"] for r in county_people if r["metric"] != "首页"} == {"共 2 条"}
    assert all(r["vs_default"] == 1.0 for r in result["results"] if r["order"] == "默认")
    assert "比默认" in out.getvalue()
