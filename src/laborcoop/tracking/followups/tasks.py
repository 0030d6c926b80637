"""Background work of follow-ups: the nightly follow-up plan as a django-tasks task (takes no arguments,
idempotent: a second run the same day opens nothing)."""

from django_tasks import task

from laborcoop.tracking.followups.plan import followup_plan_run


@task()
def plan_followups() -> int:
    """Open the routine follow-up tasks that are due today; returns how many were opened."""
    return followup_plan_run().created
