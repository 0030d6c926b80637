"""The outcome of a PERSONS chunk: its counters and its rows' issues as ImportIssue rows (values masked)."""

from laborcoop.intake.services.common import ChunkOutcome, RowReporter
from laborcoop.intake.services.persons.parse import Parsed
from laborcoop.intake.services.persons.plan import CREATE, UPDATE, RowPlan


def chunk_outcome(parsed: list[Parsed], written: list[RowPlan], reporter: RowReporter) -> ChunkOutcome:
    """Every parsed row counted once: rejected (by a check or by the database), created, updated (its own
    laborer or the household its write carries) or unchanged; warned besides when it has warnings."""
    outcome = ChunkOutcome()
    by_row = {id(plan.parsed): plan for plan in written}
    for p in parsed:
        plan = by_row.get(id(p))
        if p.rejected or plan is None:
            outcome.rejected += 1
        elif plan.action == CREATE:
            outcome.created += 1
        elif plan.action == UPDATE or plan.writes_household:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        if not p.rejected and p.has_warnings:
            outcome.warned += 1
        if p.issues:
            outcome.issues.extend(reporter.issues(p.row, p.cells, p.issues))
    return outcome
