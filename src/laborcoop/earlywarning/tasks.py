"""Background runs of the warning engine (django-tasks; the pattern of matching.tasks).

The tasks take only ids and are idempotent: a run brings the live warnings in line with the data, so running
it twice changes nothing the second time."""

from django_tasks import task

from laborcoop.earlywarning.engine import ALL_RULES, households_of, warnings_evaluate_households, warnings_run


@task()
def run_warnings_nightly(region_code: str = "") -> int:
    """The nightly run over everything (or one subtree); returns the WarningRun id."""
    return warnings_run(region_code=region_code).pk


@task()
def evaluate_warnings(household_ids: list[int], laborer_ids: list[int], rules: list[str]) -> int:
    """Re-evaluate `rules` for these households and the households of these laborers; returns the number of
    warnings raised."""
    households = set(household_ids) | households_of(laborer_ids)
    codes = frozenset(rules) & ALL_RULES
    if not households or not codes:
        return 0
    return warnings_evaluate_households(household_ids=households, rules=codes).counts.raised
