import json
from io import StringIO

from django.core.management import call_command


def test_allocation_only_bench_reports_every_run() -> None:
    out = StringIO()

    call_command(
        "bench_matching",
        "--allocation-only",
        "--alloc-runs=2",
        "--alloc-laborers=2000",
        "--alloc-jobs=100",
        "--alloc-openings=1500",
        "--json",
        stdout=out,
    )

    result = json.loads(out.getvalue())
    assert "mode1" not in result
    assert "quality" not in result
    alloc = result["allocation"]
    assert len(alloc["runs"]) == 2
    assert all(run["filled"] == alloc["optimum"]["filled"] for run in alloc["runs"])
    assert all(run["fill_vs_optimum"] == 1.0 for run in alloc["runs"])
    assert alloc["min_cost_flow"]["violations"] == {"hard_filter": 0, "over_capacity": 0, "double_assigned": 0}
    assert alloc["fill_vs_greedy"] >= 1.0
    assert result["budget"]["mode1_p95"] is None
    assert result["budget"]["allocation_fill"] is True
    assert result["budget"]["violations"] is True


def test_allocation_only_bench_text_report() -> None:
    out = StringIO()

    call_command(
        "bench_matching",
        "--allocation-only",
        "--alloc-laborers=2000",
        "--alloc-jobs=100",
        "--alloc-openings=1500",
        "--no-reference",
        stdout=out,
        stderr=StringIO(),
    )

    text = out.getvalue()
    assert "mode 1" not in text
    assert "run 1:" in text
    assert "'allocation_fill': None" in text
