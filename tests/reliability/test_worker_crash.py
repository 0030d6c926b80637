"""Reliability: the real job worker (`manage.py worker`) killed with SIGKILL in the middle of each job kind, then
started again: no job stuck, no duplicate, counts right. And the database server restarted during an import
(PostgreSQL runs only): the import finishes or fails cleanly, never stays "running".

These tests run against a database of their own (a SQLite file, or a new PostgreSQL database when the suite runs
on PostgreSQL), migrated and seeded by subprocesses, because the worker is a separate process; the test reads
the job tables with plain SQL. Leases are short here (heartbeat 0.5 s, lease 3 s) so recovery is quick.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SETTLE_TIMEOUT = 240.0

pytestmark = pytest.mark.reliability


class LiveDatabase:
    """A database shared with subprocesses: manage.py commands, workers, and plain SQL reads."""

    def __init__(self, tmp: Path, server: str | None = None) -> None:
        """`server`: a PostgreSQL server URL without database (default: the suite's own server when the suite
        runs on PostgreSQL, else a SQLite file)."""
        self.tmp = tmp
        if server is None and POSTGRES:
            server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        self.postgres = server is not None
        if server is not None:
            self.name = f"lc_reliability_{uuid.uuid4().hex[:10]}"
            base = server
            self.admin_url = f"{base}/postgres"
            self.url = f"{base}/{self.name}"
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{tmp / 'reliability.sqlite3'}"
        self.workers: list[subprocess.Popen[bytes]] = []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=self.url,
            LABORCOOP_VAR_DIR=str(self.tmp / "var"),
            LABORCOOP_JOB_HEARTBEAT_SECONDS="0.5",
            LABORCOOP_JOB_LEASE_SECONDS="3",
            LABORCOOP_LOG_LEVEL="WARNING",
        )
        return env

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    def seed(self, call: str) -> dict[str, Any]:
        out = self.manage("shell", "-c", f"from tests.reliability import seed_jobs as s; s.{call}")
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return result

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.postgres:
            with psycopg.connect(self.url) as conn:
                return list(conn.execute(sql.replace("?", "%s"), params).fetchall())
        conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
        try:
            return list(conn.execute(sql, params).fetchall())
        finally:
            conn.close()

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--recover-every",
                "1",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)

    def close(self) -> None:
        self.stop_workers()
        if self.postgres:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def kill(worker: subprocess.Popen[bytes]) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)


def wait_for(check: Any, *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def live_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDatabase]:
    db = LiveDatabase(tmp_path_factory.mktemp("reliability"))
    try:
        db.manage("migrate", "--no-input", "-v", "0")
        db.seed("base()")
        yield db
    finally:
        db.close()


@pytest.fixture
def live(live_database: LiveDatabase) -> Iterator[LiveDatabase]:
    """The module's database; every worker a test started is stopped after it (none runs the next test's job)."""
    yield live_database
    live_database.stop_workers()


def _status(live: LiveDatabase, table: str, pk: int, *columns: str) -> tuple[Any, ...]:
    rows = live.query(f"SELECT status, {', '.join(columns) or 'id'} FROM {table} WHERE id = ?", pk)
    return rows[0]


def _finished(live: LiveDatabase, table: str, pk: int) -> Any:
    row = _status(live, table, pk)
    return row if row[0] in ("succeeded", "failed") else None


def _no_task_stuck(live: LiveDatabase) -> None:
    """No task row left "running" (the live worker marks its own row finished just after the job's row)."""

    def none_running() -> bool:
        sql = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        return bool(live.query(sql)[0][0] == 0)

    wait_for(none_running, timeout=30, what="no task row left running")


def _crash_and_recover(live: LiveDatabase, table: str, pk: int, *, started: Any) -> None:
    """Start a worker, kill -9 it once `started()` says the job is under way, check it is left running, start
    another worker and wait until the job ends."""
    first = live.start_worker()
    wait_for(started, timeout=SETTLE_TIMEOUT, what=f"{table} #{pk} to start")
    first.send_signal(signal.SIGSTOP)  # freeze it at once, then kill: the job cannot finish in between
    assert _status(live, table, pk)[0] == "running"
    kill(first)
    time.sleep(0.5)
    assert _status(live, table, pk)[0] == "running"  # a dead worker leaves its job running ...
    live.start_worker()  # ... until another worker notices the lease ran out
    wait_for(lambda: _finished(live, table, pk), timeout=SETTLE_TIMEOUT, what=f"{table} #{pk} to finish")


def test_an_import_killed_mid_way_resumes_without_duplicates(live: LiveDatabase) -> None:
    job = live.seed("import_persons(1600)")

    def mid_way() -> bool:
        status, done = _status(live, "intake_importjob", job["id"], "rows_done")
        return status == "running" and 0 < done < job["rows"]

    _crash_and_recover(live, "intake_importjob", job["id"], started=mid_way)

    status, done, total, created, rejected = _status(
        live, "intake_importjob", job["id"], "rows_done", "rows_total", "rows_created", "rows_rejected"
    )
    assert (status, done, total, created, rejected) == ("succeeded", job["rows"], job["rows"], job["rows"], 0)
    laborers, distinct = live.query("SELECT count(*), count(DISTINCT id_number_hash) FROM registry_laborer")[0]
    assert laborers == distinct == job["rows"]
    _no_task_stuck(live)


def test_an_export_killed_mid_way_starts_over_and_counts_right(live: LiveDatabase) -> None:
    job = live.seed("export_laborers()")
    assert job["background"], "the export must be large enough to run in the background"

    def running() -> bool:
        return bool(_status(live, "exports_exportjob", job["id"])[0] == "running")

    _crash_and_recover(live, "exports_exportjob", job["id"], started=running)

    status, written, total, file = _status(live, "exports_exportjob", job["id"], "rows_written", "rows_total", "file")
    assert (status, written, total) == ("succeeded", job["rows"], job["rows"])
    assert (live.tmp / "var" / "media" / file).stat().st_size > 0
    _no_task_stuck(live)


def test_a_batch_run_killed_mid_way_starts_over_without_duplicates(live: LiveDatabase) -> None:
    run = live.seed("matching_run()")

    def running() -> bool:
        return bool(_status(live, "matching_matchingrun", run["id"])[0] == "running")

    _crash_and_recover(live, "matching_matchingrun", run["id"], started=running)

    status, assigned = _status(live, "matching_matchingrun", run["id"], "assigned")
    assert status == "succeeded"
    stored, pairs = live.query(
        "SELECT count(*), count(DISTINCT job_id || '-' || laborer_id) FROM matching_recommendation WHERE run_id = ?",
        run["id"],
    )[0]
    assert stored == pairs == assigned > 0
    _no_task_stuck(live)


def test_a_comparison_killed_mid_way_starts_over_without_duplicates(live: LiveDatabase) -> None:
    item = live.seed("comparison(1000)")

    def running() -> bool:
        return bool(_status(live, "linkage_comparison", item["id"])[0] == "running")

    _crash_and_recover(live, "linkage_comparison", item["id"], started=running)

    assert _status(live, "linkage_comparison", item["id"])[0] == "succeeded"
    records, distinct = live.query(
        'SELECT count(*), count(DISTINCT "row") FROM linkage_theirrecord WHERE comparison_id = ?', item["id"]
    )[0]
    assert records == distinct == item["rows"]
    _no_task_stuck(live)


# --- the database server restarted during an import ----------------------------------------------------------
def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else name


class PrivatePostgres:
    """A PostgreSQL server of this test's own (initdb in a temporary folder, a free port), so that restarting it
    disturbs nobody else. initdb refuses to run as root: as root it runs as the `postgres` user."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="lc_pg_"))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.run(_pg_bin("initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.ctl("start")

    def run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stdout + done.stderr

    def ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "server.log")
        self.run(_pg_bin("pg_ctl"), "-D", str(self.dir / "data"), "-o", options, "-l", log, "-w", action, *extra)

    @property
    def server(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def close(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.mark.skipif(not POSTGRES, reason="a PostgreSQL server restart is tested in the PostgreSQL run of the suite")
def test_an_import_survives_a_database_restart(tmp_path: Path) -> None:
    server = PrivatePostgres()
    db = LiveDatabase(tmp_path, server=server.server)
    try:
        db.manage("migrate", "--no-input", "-v", "0")
        db.seed("base()")
        job = db.seed("import_persons(1600)")
        db.start_worker()

        def mid_way() -> bool:
            status, done = _status(db, "intake_importjob", job["id"], "rows_done")
            return status == "running" and 0 < done < job["rows"]

        wait_for(mid_way, timeout=SETTLE_TIMEOUT, what="the import to be under way")
        server.ctl("restart", "-m", "fast")

        def settled() -> Any:
            # A supervisor (systemd Restart=always, docs/deploy.md) starts a worker that died with the database.
            if all(worker.poll() is not None for worker in db.workers):
                db.start_worker()
            return _finished(db, "intake_importjob", job["id"])

        wait_for(settled, timeout=SETTLE_TIMEOUT, what="the import to finish or fail")

        status, done, created, error = _status(db, "intake_importjob", job["id"], "rows_done", "rows_created", "error")
        laborers, distinct = db.query("SELECT count(*), count(DISTINCT id_number_hash) FROM registry_laborer")[0]
        assert laborers == distinct  # never a duplicate person
        if status == "succeeded":
            assert done == created == laborers == job["rows"]
        else:  # failed cleanly: a message for the user, what was committed is consistent
            assert error
            assert created == laborers
        _no_task_stuck(db)
    finally:
        db.close()
        server.close()
