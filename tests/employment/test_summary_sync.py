"""The laborer's employment summary follows the records (issue 13 item 18): "已就业（东莞鼎盛服饰）" while that
job ended a year ago and the current one is elsewhere is repaired to the current job; all jobs ended means not
已就业; the repair command is idempotent and audited."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employment.records.summary import SYNC_REASON, laborer_summaries_sync
from laborcoop.registry import choices as rc
from laborcoop.registry.models import Laborer
from tests.employment.factories import EmploymentRecordFactory
from tests.factories import LaborerFactory

pytestmark = pytest.mark.django_db

DONGGUAN = "东莞鼎盛服饰有限责任公司"


def stale(**over: Any) -> Laborer:
    values = {
        "employment_status": rc.EmploymentStatus.EMPLOYED,
        "employer_name": DONGGUAN,
        "work_area": rc.WorkArea.OUT_OF_PROVINCE,
    }
    values.update(over)
    laborer: Laborer = LaborerFactory(**values)
    return laborer


def summary(laborer: Laborer) -> tuple[str, str, str]:
    laborer.refresh_from_db()
    return laborer.employment_status, laborer.employer_name, laborer.work_area


def test_an_ended_job_and_a_current_one_elsewhere_show_the_current_one(regions: Any) -> None:
    laborer = stale()
    EmploymentRecordFactory(
        laborer=laborer,
        employer_name=DONGGUAN,
        start_date=date(2024, 3, 1),
        end_date=date(2025, 11, 30),
        end_reason="resigned",
        work_region_id="440306000000",
    )
    EmploymentRecordFactory(laborer=laborer, employer_name="泸溪县测试农业合作社", start_date=date(2026, 1, 5))
    version = laborer.version

    assert laborer_summaries_sync() == 1

    assert summary(laborer) == (rc.EmploymentStatus.EMPLOYED, "泸溪县测试农业合作社", rc.WorkArea.IN_COUNTY)
    assert laborer.version == version + 1
    [entry] = AuditEntry.objects.filter(object_type="registry.laborer", object_id=str(laborer.pk))
    assert entry.reason == SYNC_REASON
    assert entry.changes["employer_name"] == [DONGGUAN, "泸溪县测试农业合作社"]


def test_all_jobs_ended_is_not_employed(regions: Any) -> None:
    laborer = stale()
    EmploymentRecordFactory(
        laborer=laborer, start_date=date(2024, 3, 1), end_date=date(2025, 11, 30), end_reason="resigned"
    )

    laborer_summaries_sync()

    assert summary(laborer) == (rc.EmploymentStatus.UNEMPLOYED, "", "")


def test_hand_kept_statuses_stay_and_a_left_over_employer_goes(regions: Any) -> None:
    farming = LaborerFactory(employment_status=rc.EmploymentStatus.FARMING)
    left_over = stale(employment_status=rc.EmploymentStatus.FARMING)
    in_step = stale()
    EmploymentRecordFactory(
        laborer=in_step, employer_name=DONGGUAN, work_region_id="440306000000", start_date=date(2026, 1, 5)
    )

    assert laborer_summaries_sync() == 1

    assert summary(farming) == (rc.EmploymentStatus.FARMING, "", "")
    assert summary(left_over) == (rc.EmploymentStatus.FARMING, "", "")
    assert summary(in_step) == (rc.EmploymentStatus.EMPLOYED, DONGGUAN, rc.WorkArea.OUT_OF_PROVINCE)


def test_repair_command_is_idempotent_and_the_page_shows_the_current_job(regions: Any, users: dict[str, Any]) -> None:
    from tests.employers.conftest import client_for

    laborer = stale()
    EmploymentRecordFactory(laborer=laborer, employer_name="泸溪县测试农业合作社", start_date=date(2026, 1, 5))
    out = StringIO()

    call_command("repair_employment_summaries", stdout=out)
    call_command("repair_employment_summaries", stdout=out)

    assert out.getvalue().splitlines() == [
        "就业状态校正完成：按就业记录更新 1 人。",
        "就业状态校正完成：按就业记录更新 0 人。",
    ]
    page = client_for(users["county_officer"]).get(reverse("registry:laborer_detail", args=[laborer.pk]))
    text = page.content.decode()
    assert "已就业（泸溪县测试农业合作社）" in text
    assert DONGGUAN not in text


def test_a_merge_and_its_undo_keep_the_summary_in_step(regions: Any, users: dict[str, Any]) -> None:
    from laborcoop.frontdesk.models import DuplicatePair, MergeRecord
    from laborcoop.frontdesk.review import duplicate_merge, duplicate_unmerge

    left = LaborerFactory(name="张伟", employment_status=rc.EmploymentStatus.UNEMPLOYED)
    right = stale(name="張偉", employer_name="泸溪县测试农业合作社", work_area=rc.WorkArea.IN_COUNTY)
    EmploymentRecordFactory(laborer=right, employer_name="泸溪县测试农业合作社", start_date=date(2026, 1, 5))
    pair = DuplicatePair.objects.create(
        laborer_a=left, laborer_b=right, score=0.95, reasons=["姓名相同"], region_code="433122107000"
    )

    kept = duplicate_merge(acting_user=users["county_officer"], pair=pair, keep="a")

    assert summary(kept) == (rc.EmploymentStatus.EMPLOYED, "泸溪县测试农业合作社", rc.WorkArea.IN_COUNTY)
    restored = duplicate_unmerge(acting_user=users["province_admin"], merge_record=MergeRecord.objects.get(pair=pair))
    assert summary(kept) == (rc.EmploymentStatus.UNEMPLOYED, "", "")
    assert summary(restored)[0] == rc.EmploymentStatus.EMPLOYED
