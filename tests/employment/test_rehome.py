"""registry.signals.laborers_moved: after a household moves, the records (employment), the output side of their
destination notices and the open follow-up tasks (tracking) move with the laborer; closed tasks stay where the
work was done."""

from typing import Any

import pytest
from django.utils import timezone

from laborcoop.employment.records.rehome import employment_records_follow_home
from laborcoop.registry.choices import WorkArea
from laborcoop.registry.models import Laborer
from laborcoop.registry.signals import laborers_moved
from laborcoop.tracking.choices import TaskKind, TaskStatus
from laborcoop.tracking.models import DestinationNotice, FollowUpTask
from tests.factories import LaborerFactory
from tests.tracking.followup_helpers import days_ago, hire

pytestmark = pytest.mark.django_db

FENGHUANG_VILLAGE = "433123109201"


def task(laborer: Laborer, status: str) -> FollowUpTask:
    return FollowUpTask.objects.create(
        laborer=laborer,
        region_id=laborer.region_id,
        kind=TaskKind.ROUTINE,
        due_date=timezone.localdate(),
        status=status,
    )


def test_records_notices_and_open_tasks_follow_the_new_home(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(name="向金花")
    old_home = laborer.region_id
    record = hire(users["county_officer"], laborer, start=days_ago(60), county="433123")  # work in 凤凰县
    notice = DestinationNotice.objects.get(record=record)
    assert (record.work_area, notice.region_id) == (WorkArea.IN_PROVINCE, old_home)
    open_task, done_task = task(laborer, TaskStatus.OPEN), task(laborer, TaskStatus.DONE)

    Laborer.objects.filter(pk=laborer.pk).update(region_id=FENGHUANG_VILLAGE)
    laborers_moved.send(sender=Laborer, laborer_ids=[laborer.pk], household_ids=[])

    record.refresh_from_db()
    notice.refresh_from_db()
    open_task.refresh_from_db()
    done_task.refresh_from_db()
    assert (record.region_id, record.work_area) == (FENGHUANG_VILLAGE, WorkArea.IN_COUNTY)
    assert notice.region_id == FENGHUANG_VILLAGE
    assert open_task.region_id == FENGHUANG_VILLAGE
    assert done_task.region_id == old_home
    assert employment_records_follow_home(laborer_ids=[laborer.pk]) == 0  # nothing left to move
