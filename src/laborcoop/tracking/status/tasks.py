"""Background run of the derived status (tracking.status.services): the nightly refresh as a django-tasks task (the
command `refresh_employment_states` runs the same service), and a province's refresh after its tracking
settings changed. Takes only a region prefix; idempotent (unchanged rows are not written)."""

from functools import partial

from django.db import transaction
from django_tasks import task

from laborcoop.tracking.status.services import employment_states_refresh_all


@task()
def refresh_employment_states(region_prefix: str = "") -> int:
    """Recompute the states of the laborers of a subtree ('' = everyone); returns the rows written."""
    return employment_states_refresh_all(region_prefix=region_prefix)


def refresh_employment_states_on_commit(*, region_prefix: str) -> None:
    transaction.on_commit(partial(refresh_employment_states.enqueue, region_prefix), robust=True)
