import json
from io import StringIO

from django.core.management import call_command


def test_bench_matching_command_reports_every_figure() -> None:
    out = StringIO()

    call_command(
        "bench_matching",
        "--laborers=3000",
        "--jobs=100",
        "--alloc-laborers=2000",
        "--alloc-jobs=100",
        "--alloc-openings=1500",
        "--queries=5",
        "--json",
        stdout=out,
    )

    result = json.loads(out.getvalue())
    assert set(result["mode1"]) >= {"engine", "bare_scan", "ratio_p95", "mean_feasible"}
    assert set(result["quality"]) >= {"engine_recall", "engine_ndcg", "raw_recall", "raw_ndcg"}
    alloc = result["allocation"]
    assert alloc["openings"] == 1500
    assert alloc["min_cost_flow"]["violations"] == {"hard_filter": 0, "over_capacity": 0, "double_assigned": 0}
    assert alloc["min_cost_flow"]["filled"] <= alloc["optimum"]["filled"]
    assert result["budget"]["violations"] is True
