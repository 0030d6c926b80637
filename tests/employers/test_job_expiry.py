"""Postings past their end date (有效期止) are 已过期 (issue 13 item 18): shown so on read at once, excluded from
matching and from 招聘中 filters, written by the nightly `expire_job_postings`, reopened by a new end date."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employers import choices as ec
from laborcoop.employers import services as s
from laborcoop.employers.models import JobPosting
from laborcoop.employers.selectors import job_list
from laborcoop.matching.selectors import open_jobs
from tests.employers.conftest import client_for, job_data

pytestmark = pytest.mark.django_db

TODAY = date.today()


def past_end(job: JobPosting, *, days: int = 1, status: str = ec.JobStatus.OPEN) -> JobPosting:
    JobPosting.objects.filter(pk=job.pk).update(
        valid_from=TODAY - timedelta(days=90), valid_until=TODAY - timedelta(days=days), status=status
    )
    job.refresh_from_db()
    return job


def test_a_posting_past_its_end_date_shows_expired_not_recruiting(users: dict[str, Any], luxi_job: JobPosting) -> None:
    job = past_end(luxi_job)
    assert job.status == ec.JobStatus.OPEN  # the nightly run has not written it yet
    assert job.shown_status == ec.JobStatus.EXPIRED
    assert job.get_status_display() == "已过期"

    client = client_for(users["county_officer"])
    detail = client.get(reverse("employers:job_detail", args=[job.pk])).content.decode()
    assert "已过期" in detail
    assert "招聘中" not in detail
    assert "恢复招聘</button>" not in detail
    assert "暂停招聘</button>" not in detail
    assert "修改有效期止即可恢复招聘" in detail
    rows = client.get(reverse("employers:job_list")).content.decode()
    assert "已过期" in rows


def test_a_posting_valid_today_is_still_recruiting(luxi_job: JobPosting) -> None:
    JobPosting.objects.filter(pk=luxi_job.pk).update(valid_until=TODAY)
    luxi_job.refresh_from_db()
    assert luxi_job.get_status_display() == "招聘中"


def test_expired_postings_are_not_matched_nor_listed_as_open(users: dict[str, Any], luxi_job: JobPosting) -> None:
    job = past_end(luxi_job)
    officer = users["county_officer"]
    assert job not in open_jobs(today=TODAY)
    assert job not in job_list(user=officer, open_only=True)
    assert job not in job_list(user=officer, status=ec.JobStatus.OPEN)
    assert list(job_list(user=officer, status=ec.JobStatus.EXPIRED)) == [job]


def test_nightly_expiry_writes_the_status_once_with_an_audit_row(
    users: dict[str, Any], luxi_job: JobPosting, fenghuang_job: JobPosting, jinan_job: JobPosting
) -> None:
    expired = past_end(luxi_job)
    paused = past_end(fenghuang_job, status=ec.JobStatus.PAUSED)
    closed = past_end(jinan_job, status=ec.JobStatus.CLOSED)
    out = StringIO()

    call_command("expire_job_postings", stdout=out)

    assert "2 个岗位已标记为已过期" in out.getvalue()
    for job, status in ((expired, "expired"), (paused, "expired"), (closed, "closed")):
        job.refresh_from_db()
        assert job.status == status
    entries = AuditEntry.objects.filter(object_type="employers.jobposting", object_id=str(expired.pk))
    [entry] = list(entries)
    assert entry.changes == {"status": ["open", "expired"]}
    assert entry.actor is None
    assert expired.version == 2
    out = StringIO()
    call_command("expire_job_postings", stdout=out)  # idempotent
    assert "0 个岗位已标记为已过期" in out.getvalue()


def test_expiry_command_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式应为"):
        call_command("expire_job_postings", today="2026-13-01", stdout=StringIO())


def test_an_expired_posting_cannot_be_reopened_without_a_new_end_date(
    users: dict[str, Any], luxi_job: JobPosting
) -> None:
    job = past_end(luxi_job, days=5, status=ec.JobStatus.EXPIRED)
    with pytest.raises(ValidationError) as exc:
        s.job_set_status(acting_user=users["county_officer"], job=job, status=ec.JobStatus.OPEN)
    assert "请先修改有效期止再恢复招聘" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError):
        s.job_set_status(acting_user=users["county_officer"], job=job, status=ec.JobStatus.EXPIRED)

    data = job_data(valid_from=TODAY - timedelta(days=90), valid_until=TODAY + timedelta(days=30))
    updated = s.job_update(acting_user=users["county_officer"], job=job, data=data, expected_version=job.version)

    assert updated.status == ec.JobStatus.OPEN
    assert updated.get_status_display() == "招聘中"
