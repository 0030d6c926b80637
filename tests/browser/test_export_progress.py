"""A county officer exports the laborer list as xlsx: the export is too large to write in the request, so the
page moves at once to the job page, whose progress bar follows the background job (htmx polling, no inline
script) up to 100 %, and the file downloads (issue 13 item 21).

As in test_import_upload: the task is queued (DummyBackend) rather than run inside the request, the test runs it
between two polls, and polls are routed through Playwright so that the job never runs while the live server is
answering one (they share the in-memory SQLite connection).
"""

import io
import re
import time
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from laborcoop.exports.models import ExportJob
from laborcoop.exports.runner import export_job_run
from tests.exports.conftest import HEITANG, HUANGJIAQIAO, person
from tests.factories import UserFactory
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOB_POLL = re.compile(r".*/exports/jobs/\d+/$")


def test_export_shows_progress_to_100_and_downloads(live_server: Any, page: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 2
    settings.LABORCOOP_EXPORT_CHUNK_SIZE = 2
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    names = ["向金花", "向银生", "符秋菊", "符老汉", "田小妹"]
    for i, name in enumerate(names):
        person(HEITANG if i % 2 else HUANGJIAQIAO, name, f"1371234000{i}")
    page.route(JOB_POLL, lambda route: route.continue_())

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/exports/new/laborers/")
    page.check("input[name=format][value=xlsx]")
    started = time.perf_counter()
    page.click("#export-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/exports/jobs/\d+/$"))
    assert time.perf_counter() - started < 5  # answered with the job page, not after writing the file
    job = ExportJob.objects.get()
    assert page.url == f"{live_server.url}/exports/jobs/{job.pk}/"
    assert page.inner_text("#job-state") == "排队中"
    assert page.get_attribute("#export-progress", "value") == "0"
    assert page.locator("#job-download").count() == 0

    with page.expect_response(lambda response: JOB_POLL.match(response.url) is not None) as polled:
        pass
    assert polled.value.status == 200
    time.sleep(0.3)  # the server thread finishes the request it just answered
    export_job_run(job_id=job.pk)

    expect(page.locator("#job-state")).to_have_text("已完成", timeout=15000)
    assert page.get_attribute("#export-progress", "value") == "100"
    assert "5 / 5 行" in page.inner_text("#job-status")
    assert page.get_attribute("#job-status", "hx-get") is None  # polling stopped

    with page.expect_download() as download_info:
        page.click("#job-download")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "姓名"
    assert sorted(row[1] for row in rows[1:]) == sorted(names)
