"""A county officer uploads a PERSONS file with one damaged row and watches the job page until the report.

The test settings run tasks at once (ImmediateBackend), inside the upload request, so the page would open on
a finished job. To watch the polling, this test queues the task instead (DummyBackend): the page opens on
排队中 and polls its status part every second; the test then runs the job itself and the page, with no
reload, turns to 已完成 and shows the rejected row's reason.

The live server shares the in-memory SQLite connection with this thread, so the job must not run while the
server answers a poll: status polls are routed through Playwright, whose sync API only lets a paused request
go on while the test calls into Playwright, never while `import_run` is running here.
"""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import import_run
from laborcoop.intake.services.persons import ID_DAMAGED
from tests.factories import UserFactory
from tests.intake.helpers import family, person, write_xlsx
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATUS_POLL = re.compile(r".*/intake/jobs/\d+/\?part=status$")


def test_upload_shows_progress_then_report(live_server: Any, page: Any, settings: Any, tmp_path: Path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    load_sample_regions()
    UserFactory(username="xian", home_region_id="433122000000", roles=["officer"])
    rows = [*family("433122107201000001"), person("433122107201000002", name="向金花", id_number="4.33122E+17")]
    path = write_xlsx(tmp_path / "人员.xlsx", rows)
    page.route(STATUS_POLL, lambda route: route.continue_())

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "xian")
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/intake/")
    page.select_option("select[name=kind]", "persons")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/intake/jobs/\d+/$"))
    job = ImportJob.objects.get()
    assert page.url == f"{live_server.url}/intake/jobs/{job.pk}/"
    assert page.inner_text("#job-state") == "排队中"
    assert page.get_attribute("#job-status progress", "value") == "0"

    # The page polls while the job waits: wait for one answered poll, then run the job between two polls.
    with page.expect_response(lambda response: "part=status" in response.url) as polled:
        pass
    assert polled.value.status == 200
    time.sleep(0.3)  # the server thread finishes the request it just answered
    finished = import_run(job_id=job.pk)
    assert (finished.status, finished.rows_created, finished.rows_rejected) == ("succeeded", 3, 1)

    # A locator wait, not wait_for_function: Playwright evaluates that string with eval, which the CSP blocks.
    expect(page.locator("#job-state")).to_have_text("已完成", timeout=15000)
    assert page.get_attribute("#job-status progress", "value") == "100"
    assert page.get_attribute("#job-status", "hx-get") is None  # polling stopped
    status = page.inner_text("#job-status")
    assert "新增3 行" in status.replace("\t", "").replace("\n", "")
    issue_rows = page.locator("#issue-table tbody tr")
    assert issue_rows.count() == 1
    cells = [text.strip() for text in issue_rows.first.locator("td").all_inner_texts()]
    assert cells == ["5", "证件号码", "4.33***E+17", "错误", ID_DAMAGED]
    assert page.locator("a", has_text="下载问题报告").count() == 1
