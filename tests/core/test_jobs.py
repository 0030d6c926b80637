"""Job leases and recovery (core.jobs): a job whose worker died is re-queued and finishes, or fails past the
attempt limit with a retry; the user's retry; the task rows of a dead worker."""

import os
import socket
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laborcoop.core.errors import ConflictError, ObjectNotFound
from laborcoop.core.jobs import ERR_TOO_MANY_CRASHES, job_kinds, job_lease, jobs_recover, worker_id
from laborcoop.core.models import AuditEntry, JobLease
from laborcoop.intake import tasks as intake_tasks
from laborcoop.intake.jobs import import_retry
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_create, pipeline
from laborcoop.registry.models import Household, Laborer
from tests.intake.helpers import counts, family, write_xlsx

pytestmark = pytest.mark.django_db

DEAD = "deadhost:4242:abcdefgh"


def _job(users: dict[str, Any], tmp_path: Path, households: int = 5) -> ImportJob:
    rows = [r for n in range(households) for r in family(f"43312210720100000{n}")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    upload = SimpleUploadedFile("a.xlsx", path.read_bytes())
    return import_create(acting_user=users["county_officer"], uploaded_file=upload, kind="persons", enqueue=False)


def _crash_after(monkeypatch: pytest.MonkeyPatch, chunks: int) -> None:
    """The worker is killed after `chunks` chunks committed (KeyboardInterrupt: nothing in the job catches it)."""
    real = pipeline._run_chunk
    calls = {"n": 0}

    def crashing(*args: Any) -> None:
        if calls["n"] == chunks:
            raise KeyboardInterrupt
        calls["n"] += 1
        real(*args)

    monkeypatch.setattr(pipeline, "_run_chunk", crashing)
    monkeypatch.setattr(intake_tasks, "import_run", partial(pipeline.import_run, chunk_rows=3))


def _stale_lease(kind: str, object_id: int, attempts: int = 1) -> JobLease:
    return JobLease.objects.create(
        kind=kind,
        object_id=object_id,
        worker=DEAD,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
        attempts=attempts,
    )


def test_every_job_kind_is_registered() -> None:
    assert {"intake.import", "linkage.comparison", "exports.export", "matching.batch_run"} <= set(job_kinds())


def test_a_finished_task_leaves_no_lease(users: dict[str, Any], tmp_path: Path) -> None:
    job = _job(users, tmp_path)

    intake_tasks.run_import.call(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert not JobLease.objects.exists()


def test_a_job_that_lost_its_worker_is_resumed_without_duplicates(
    users: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(users, tmp_path)
    _crash_after(monkeypatch, chunks=2)
    with pytest.raises(KeyboardInterrupt):
        intake_tasks.run_import.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (ImportJob.Status.RUNNING, 6)
    lease = JobLease.objects.get(kind="intake.import", object_id=job.pk)
    assert lease.heartbeat_at < timezone.now() - timedelta(days=1)  # expired at once: no wait for the lease
    monkeypatch.undo()  # the next worker runs normally

    with django_capture_on_commit_callbacks(execute=True):
        report = jobs_recover()

    assert report.requeued == [("intake.import", job.pk)]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert counts(job) == {"created": 15, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
    assert (Laborer.objects.count(), Household.objects.count()) == (15, 5)
    assert not JobLease.objects.exists()


def test_a_lease_of_a_live_worker_on_this_host_is_left_alone(users: dict[str, Any], tmp_path: Path) -> None:
    """SQLite holds the write lock for a whole chunk, so a busy worker can miss heartbeats: a worker process that
    still runs on this machine is never taken for dead."""
    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    alive = f"{socket.gethostname()[:40]}:{os.getppid()}:x"  # another process that runs on this machine
    JobLease.objects.filter(pk=_stale_lease("intake.import", job.pk).pk).update(worker=alive)

    report = jobs_recover()

    assert report.requeued == report.failed == []
    assert JobLease.objects.get().worker == alive


def test_a_job_held_by_this_process_is_left_alone_and_one_it_lost_is_taken_back(
    users: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with job_lease("intake.import", job.pk):
        JobLease.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=10))
        assert jobs_recover().requeued == []  # running here: late heartbeat, not a dead worker
    # The database went away under the job: its lease could not be released nor marked abandoned.
    JobLease.objects.create(
        kind="intake.import", object_id=job.pk, worker=worker_id(), heartbeat_at=timezone.now() - timedelta(minutes=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = jobs_recover()

    assert report.requeued == [("intake.import", job.pk)]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED


def test_a_live_lease_is_left_alone(users: dict[str, Any], tmp_path: Path) -> None:
    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    JobLease.objects.create(kind="intake.import", object_id=job.pk, worker="alive:1:x", heartbeat_at=timezone.now())

    report = jobs_recover()

    assert report.requeued == report.failed == []
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_past_the_attempt_limit_the_job_fails_and_the_user_retries(
    users: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    _stale_lease("intake.import", job.pk, attempts=3)

    report = jobs_recover()

    assert report.failed == [("intake.import", job.pk)]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error == ERR_TOO_MANY_CRASHES.format(n=3)
    assert not JobLease.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        retried = import_retry(acting_user=users["county_officer"], job_id=job.pk)

    assert retried.pk == job.pk
    job.refresh_from_db()
    assert (job.status, job.error, job.rows_done) == (ImportJob.Status.SUCCEEDED, "", 15)
    assert AuditEntry.objects.filter(
        object_type="intake.importjob", object_id=str(job.pk), reason__startswith="重试"
    ).exists()


def test_only_failed_jobs_are_retried_and_only_by_who_sees_them(users: dict[str, Any], tmp_path: Path) -> None:
    job = _job(users, tmp_path)
    with pytest.raises(ConflictError):
        import_retry(acting_user=users["county_officer"], job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error="x")
    with pytest.raises(ObjectNotFound):
        import_retry(acting_user=users["other_county_officer"], job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_the_task_rows_of_a_dead_worker_are_marked_failed(users: dict[str, Any], tmp_path: Path) -> None:
    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    _stale_lease("intake.import", job.pk)
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path="laborcoop.intake.tasks.run_import",
        args_kwargs={"args": [job.pk], "kwargs": {}},
        worker_ids=[DEAD],
        backend_name="default",
    )
    other = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path="laborcoop.intake.tasks.run_import",
        args_kwargs={"args": [0], "kwargs": {}},
        worker_ids=["alive:1:x"],
        backend_name="default",
    )

    report = jobs_recover()

    assert report.task_rows_failed == 1
    row.refresh_from_db()
    other.refresh_from_db()
    assert (row.status, other.status) == (TaskResultStatus.FAILED, TaskResultStatus.RUNNING)


def test_attempts_count_across_crashes() -> None:
    with pytest.raises(KeyboardInterrupt), job_lease("test.kind", 7):
        raise KeyboardInterrupt
    lease = JobLease.objects.get(kind="test.kind", object_id=7)
    assert (lease.attempts, lease.worker) == (1, f"abandoned:{worker_id()}")
    JobLease.objects.filter(pk=lease.pk).update(worker="")  # taken over by recovery, re-queued

    with job_lease("test.kind", 7):
        assert JobLease.objects.get(pk=lease.pk).attempts == 2
    assert not JobLease.objects.exists()


def test_a_failed_import_is_retried_from_the_api_and_the_page(
    users: dict[str, Any], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    job = _job(users, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=ERR_TOO_MANY_CRASHES.format(n=3))
    page = Client()
    page.force_login(users["county_officer"])
    detail = page.get(reverse("intake:job_detail", args=[job.pk])).content.decode()
    assert reverse("intake:job_retry", args=[job.pk]) in detail
    assert ERR_TOO_MANY_CRASHES.format(n=3) in detail

    api = APIClient()
    api.force_authenticate(users["county_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:import_retry", args=[job.pk]))

    assert response.status_code == 202
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert api.post(reverse("api:import_retry", args=[job.pk])).status_code == 409
    assert page.post(reverse("intake:job_retry", args=[job.pk])).status_code == 409
    other = APIClient()
    other.force_authenticate(users["other_county_officer"])
    assert other.post(reverse("api:import_retry", args=[job.pk])).status_code == 404
