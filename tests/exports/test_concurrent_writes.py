"""A background export of 20k+ rows succeeds while another connection keeps writing.

On SQLite this runs on a FILE database opened the way production opens it (WAL, busy timeout, IMMEDIATE
transactions; config.settings.base.database_from_url): the in-memory test database has neither WAL nor
several real connections. On PostgreSQL it runs on the normal test database.
"""

import copy
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from config.settings.base import database_from_url
from laborcoop.exports.choices import ExportStatus
from laborcoop.exports.models import ExportJob
from laborcoop.exports.services import export_start
from laborcoop.registry.models import Household, Laborer
from tests.exports.conftest import HEITANG, read_csv
from tests.factories import HouseholdFactory, LaborerFactory

ROWS = 20_500


@pytest.fixture
def many_laborers(users: dict[str, Any]) -> Household:
    """ROWS laborers of one household in 黑塘村 (泸溪县), written with bulk_create from one built template."""
    household = HouseholdFactory(region_id=HEITANG, household_no=f"{HEITANG}000001")
    template = LaborerFactory.build(household=household)
    rows = []
    for n in range(ROWS):
        row = copy.copy(template)
        row.name = f"向{n}"
        row.id_number_hash = f"{n:064x}"
        rows.append(row)
    Laborer.objects.bulk_create(rows, batch_size=2_000)
    return household


@pytest.fixture
def production_like_db(many_laborers: Household, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Yields `use()`, to call first in each thread that should work on the test's database.

    SQLite: the in-memory test database (with the fixtures' rows) is copied to a file, and `use()` points the
    calling thread's default connection at that file with production's options. The in-memory connection is put
    back afterwards, so the flush at teardown and the next tests see the usual test database."""
    original = connections["default"]
    if original.vendor != "sqlite":
        yield lambda: None
        return
    path = tmp_path / "laborcoop.sqlite3"
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)
    target.close()
    settings_dict = {**original.settings_dict, **database_from_url(f"sqlite:///{path}")}

    def use() -> None:
        # A thread that calls use() closes its connection itself: a connection belongs to its thread.
        connections["default"] = type(original)(dict(settings_dict), "default")

    use()
    try:
        yield use
    finally:
        connections["default"].close()
        connections["default"] = original


@pytest.mark.django_db(transaction=True)
def test_background_export_succeeds_while_another_connection_writes(
    users: dict[str, Any], production_like_db: Callable[[], None], settings: Any
) -> None:
    # Given a csv export big enough for a background job, read in chunks of 500 rows,
    settings.LABORCOOP_EXPORT_DIRECT_MAX_ROWS = 1_000
    settings.LABORCOOP_EXPORT_CHUNK_SIZE = 500
    if connections["default"].vendor == "sqlite":
        assert connections["default"].cursor().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    household_id = Household.objects.get().pk
    stop = threading.Event()
    writes: list[float] = []
    errors: list[BaseException] = []

    def writer() -> None:
        production_like_db()
        try:
            while not stop.is_set():
                Household.objects.filter(pk=household_id).update(updated_at=timezone.now())
                writes.append(time.monotonic())
                time.sleep(0.01)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections["default"].close()

    # when another connection keeps committing writes during the whole export,
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not writes and not errors:
            time.sleep(0.01)
        started = time.monotonic()
        job = export_start(acting_user=users["county_officer"], kind="laborers", fmt="csv", filters={})
        finished = time.monotonic()
    finally:
        stop.set()
        thread.join()

    # then the export succeeded with every row, and the writer was never refused.
    assert errors == []
    assert isinstance(job, ExportJob)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportStatus.SUCCEEDED, "")
    assert (job.rows_total, job.rows_written, job.progress) == (ROWS, ROWS, 100)
    with job.file.open("rb") as f:
        lines = read_csv(f.read())
    assert len(lines) == ROWS + 1
    assert len({line[lines[0].index("姓名")] for line in lines[1:]}) == ROWS
    assert sum(started < t < finished for t in writes) > 10
