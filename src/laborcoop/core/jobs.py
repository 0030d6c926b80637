"""Leases for background jobs, so that a job whose worker died is picked up again.

Every job kind (imports, comparisons, exports, matching runs) runs its task inside `job_lease(kind, id)`. The
lease is a `JobLease` row naming the worker process; a thread beats its `heartbeat_at` every
`HEARTBEAT_SECONDS` while the job runs, and the row is deleted when the task returns or raises. A row whose
heartbeat is older than `LEASE_SECONDS` therefore belongs to a worker that is gone (kill -9, out of memory, a
restarted machine).

`jobs_recover()` finds those rows and asks the job's kind what to do: below `MAX_ATTEMPTS` the kind re-queues
the job (imports resume after their last committed chunk, the others start over: they store nothing partial),
at the limit the kind marks it failed with `ERR_TOO_MANY_CRASHES`, and the user retries from the page or the API.
The task rows of django-tasks left "running" by that worker are marked failed. The worker command
(`manage.py worker`) recovers on start and every `RECOVER_SECONDS`; `manage.py recover_jobs` does it once
(cron). Kinds and sweepers (the outbox's due-message sweep) are registered by their apps in `ready()`: core knows
no app above it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from laborcoop.core.audit import audit_record
from laborcoop.core.errors import ConflictError
from laborcoop.core.models import AuditEntry, JobLease

logger = logging.getLogger(__name__)

ERR_TOO_MANY_CRASHES = "任务处理进程已{n}次异常中断，系统已停止自动重试。请检查后点击“重试”，或联系管理员。"
ERR_JOB_FAILED = "任务执行失败，系统已记录原因。请稍后点击“重试”，如仍失败请联系管理员。"
ERR_NOT_RETRYABLE = "只有失败的任务可以重试。"


HEARTBEAT_SECONDS = 10
LEASE_SECONDS = 60
RECOVER_SECONDS = 30
MAX_ATTEMPTS = 3
EXPIRED = datetime(2000, 1, 1, tzinfo=UTC)  # a heartbeat that any cutoff finds stale
ABANDONED = "abandoned:"  # worker prefix of a lease whose job raised: recovered even though its worker lives


def heartbeat_seconds() -> float:
    return float(getattr(settings, "LABORCOOP_JOB_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))


def lease_seconds() -> float:
    return float(getattr(settings, "LABORCOOP_JOB_LEASE_SECONDS", LEASE_SECONDS))


def max_attempts() -> int:
    return int(getattr(settings, "LABORCOOP_JOB_MAX_ATTEMPTS", MAX_ATTEMPTS))


# --- the worker process ---------------------------------------------------------------------------------------
_worker_id: str | None = None


def worker_id() -> str:
    """This process's worker id (host:pid:random): the same for the django-tasks claim and our leases."""
    global _worker_id
    if _worker_id is None or not _worker_id.startswith(f"{socket.gethostname()[:40]}:{os.getpid()}:"):
        _worker_id = f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"
    return _worker_id


# --- kinds ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JobKind:
    """What recovery does with one kind of job. `requeue(id)` puts the job back in the queue (status queued,
    task enqueued); `fail(id, message)` ends it as failed with a message for the user."""

    name: str
    label: str
    requeue: Callable[[int], None]
    fail: Callable[[int, str], None]


_kinds: dict[str, JobKind] = {}
_sweepers: dict[str, Callable[[], Any]] = {}


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.name] = kind


def register_sweeper(name: str, sweep: Callable[[], Any]) -> None:
    """A periodic catch-up run with recovery (e.g. messages whose sending lease ran out)."""
    _sweepers[name] = sweep


def job_kinds() -> dict[str, JobKind]:
    return dict(_kinds)


# The leases this process holds now (their jobs run here).
_held: set[int] = set()


# --- leases -----------------------------------------------------------------------------------------------------
class PeriodicThread(threading.Thread):
    """A daemon thread calling `tick()` every `interval` seconds until `stopped` is set. A failing tick is logged
    and the next one tries again (a busy SQLite, a dropped connection); the thread's connection is closed at the
    end."""

    def __init__(self, name: str, interval: float, tick: Callable[[], Any]) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    self.tick()
                except Exception:
                    logger.warning("%s: tick failed", self.name, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()


@contextmanager
def job_lease(kind: str, object_id: int) -> Iterator[None]:
    """Hold the lease of one job while the block runs; a beat every `heartbeat_seconds()`."""
    now = timezone.now()
    with transaction.atomic():
        lease, created = JobLease.objects.select_for_update().get_or_create(
            kind=kind, object_id=object_id, defaults={"worker": worker_id(), "heartbeat_at": now, "attempts": 1}
        )
        if not created:
            JobLease.objects.filter(pk=lease.pk).update(
                worker=worker_id(), heartbeat_at=now, attempts=F("attempts") + 1
            )
    beat = PeriodicThread(
        f"job-heartbeat-{lease.pk}",
        heartbeat_seconds(),
        lambda: JobLease.objects.filter(pk=lease.pk).update(heartbeat_at=timezone.now()),
    )
    beat.start()
    mine = JobLease.objects.filter(pk=lease.pk, worker=worker_id())
    _held.add(lease.pk)
    try:
        yield
    except BaseException:
        # Something escaped the job (a bug, or the worker told to stop at once): leave the lease expired, so
        # the next recovery round re-queues the job (or fails it past the attempt limit).
        _stop(beat)
        mine.update(worker=f"{ABANDONED}{worker_id()}"[:100], heartbeat_at=EXPIRED)
        raise
    else:
        _stop(beat)
        mine.delete()
    finally:
        _held.discard(lease.pk)


def _stop(beat: PeriodicThread) -> None:
    beat.stopped.set()
    beat.join(timeout=heartbeat_seconds() + 5)


def job_lease_clear(kind: str, object_id: int) -> None:
    """Forget a job's crash count (a user asked for a retry)."""
    JobLease.objects.filter(kind=kind, object_id=object_id).delete()


# --- recovery ---------------------------------------------------------------------------------------------------
@dataclass
class RecoveryReport:
    requeued: list[tuple[str, int]]
    failed: list[tuple[str, int]]
    task_rows_failed: int

    def __str__(self) -> str:
        return f"requeued={len(self.requeued)} failed={len(self.failed)} task_rows_failed={self.task_rows_failed}"


def jobs_recover(*, now: Any = None) -> RecoveryReport:
    """Re-queue (or fail, past the attempt limit) every job whose lease ran out; then run the sweepers."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    report = RecoveryReport(requeued=[], failed=[], task_rows_failed=0)
    dead_workers: set[str] = set()
    for lease in JobLease.objects.filter(heartbeat_at__lt=cutoff).exclude(worker="").order_by("id"):
        if lease.worker == worker_id():
            if lease.pk in _held:  # running in this very process: its heartbeat is late, not missing
                continue
            # else: this process ran it and lost it (the database went away under the job): take it back
        elif _alive_on_this_host(lease.worker):
            # Its heartbeat could not be written (SQLite holds the write lock for a whole chunk), not dead; if
            # that process lost the job, its own recovery rounds take it back (the branch above).
            continue
        kind = _kinds.get(lease.kind)
        if kind is None:
            logger.error("job lease %s: unknown kind %s", lease.pk, lease.kind)
            continue
        # Take the lease over first, so a second recoverer running at the same time does nothing.
        taken = JobLease.objects.filter(pk=lease.pk, worker=lease.worker, heartbeat_at=lease.heartbeat_at).update(
            worker="", heartbeat_at=now
        )
        if not taken:
            continue
        dead_workers.add(lease.worker)
        if lease.attempts >= max_attempts():
            logger.warning(
                "job %s#%s: worker %s gone, attempt %s: failed",
                kind.name,
                lease.object_id,
                lease.worker,
                lease.attempts,
            )
            JobLease.objects.filter(pk=lease.pk).delete()
            kind.fail(lease.object_id, ERR_TOO_MANY_CRASHES.format(n=lease.attempts))
            report.failed.append((kind.name, lease.object_id))
        else:
            logger.warning(
                "job %s#%s: worker %s gone, attempt %s: requeued",
                kind.name,
                lease.object_id,
                lease.worker,
                lease.attempts,
            )
            kind.requeue(lease.object_id)
            report.requeued.append((kind.name, lease.object_id))
    report.task_rows_failed = _fail_task_rows_of(dead_workers)
    for name, sweep in _sweepers.items():
        try:
            sweep()
        except Exception:
            logger.exception("sweeper %s failed", name)
    return report


def _alive_on_this_host(worker: str) -> bool:
    """Whether `worker` (host:pid:random) is a process still running on this machine. Workers elsewhere are
    judged by their heartbeat alone."""
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process with that pid: running
        return True
    return True


def _fail_task_rows_of(workers: set[str]) -> int:
    """django-tasks rows still "running" on a dead worker: mark them failed (their job was re-queued as a new
    task or failed above), so the task table does not show them running for ever."""
    if not workers:
        return 0
    try:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is always installed
        return 0
    count = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids"):
        if row.worker_ids and row.worker_ids[-1] in workers:
            count += DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now()
            )
    return count


# --- jobs that are rows with the usual statuses ----------------------------------------------------------------
QUEUED, RUNNING, FAILED = "queued", "running", "failed"


@dataclass(frozen=True)
class RowJob:
    """A job kind whose rows have `status` (queued / running / succeeded / failed), `error` and `finished_at`
    (imports, comparisons, exports, matching runs). `enqueue(id)` queues its task; `reset` names the fields a
    retry sets back (e.g. a matching run's progress; an import keeps `rows_done` and resumes)."""

    name: str
    label: str
    model: Any
    task: str  # dotted path of the django-tasks task taking the id (imported when first enqueued: apps' ready()
    # registers kinds without importing their task modules, which pull pandas, Splink and the matching engine)
    reset: tuple[tuple[str, Any], ...] = ()

    def enqueue(self, object_id: int) -> Any:
        return import_string(self.task).enqueue(object_id)

    def requeue(self, object_id: int) -> None:
        with transaction.atomic():
            moved = self.model.objects.filter(pk=object_id, status__in=(QUEUED, RUNNING)).update(
                status=QUEUED, updated_at=timezone.now()
            )
            if moved:
                transaction.on_commit(lambda: self.enqueue(object_id), robust=True)

    def fail(self, object_id: int, message: str) -> None:
        now = timezone.now()
        self.model.objects.filter(pk=object_id, status__in=(QUEUED, RUNNING)).update(
            status=FAILED, error=message, finished_at=now, updated_at=now
        )

    def kind(self) -> JobKind:
        return JobKind(name=self.name, label=self.label, requeue=self.requeue, fail=self.fail)


def register_row_job(spec: RowJob) -> None:
    register_job_kind(spec.kind())


def row_job_retry(spec: RowJob, *, acting_user: Any, row: Any, region_code: str = "") -> Any:
    """Queue a failed job again (the caller has checked access to `row`); audited. Returns the row."""
    with transaction.atomic():
        locked = spec.model.objects.select_for_update().get(pk=row.pk)
        if locked.status != FAILED:
            raise ConflictError(ERR_NOT_RETRYABLE)
        previous = locked.error
        locked.status, locked.error, locked.finished_at = QUEUED, "", None
        for field, value in spec.reset:
            setattr(locked, field, value)
        locked.save(update_fields=["status", "error", "finished_at", "updated_at", *(f for f, _ in spec.reset)])
        job_lease_clear(spec.name, locked.pk)
        audit_record(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            instance=locked,
            region_code=region_code,
            changes={"status": [FAILED, QUEUED]},
            reason=f"重试（上次失败原因：{previous}）"[:500],
        )
        transaction.on_commit(lambda: spec.enqueue(locked.pk), robust=True)
    return locked
