"""Load test of the officers' registry pages with imports running (run by scripts/loadtest.sh).

Users (total = --users):
- ImportUser (fixed LOADTEST_IMPORTERS, default 5): logs in as the county officer, uploads a generated persons
  xlsx through the import page (multipart POST with the CSRF token), polls GET /api/v1/imports/{id}/ until the
  job has finished (a failed job is a failure), then uploads the next file.
- OfficerUser (the rest, e.g. 50): logs in through the HTML form as xian, xiang or zhou, searches the laborer
  list by surname and opens laborer records found on the page; /healthz now and then as the baseline (the
  cheapest request of the same server under the same load).

Requests are grouped under names with placeholders ("/registry/laborers/[id]/") so the CSV has one row per
page kind. Every login, upload and page is checked (status, expected content), not only the status code.
"""

import itertools
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo-2026")
OFFICERS = os.environ.get("LOADTEST_OFFICERS", "xian,xiang,zhou").split(",")
IMPORT_USER = os.environ.get("LOADTEST_IMPORT_USER", "xian")
IMPORT_DIR = Path(os.environ.get("LOADTEST_IMPORT_DIR", "var/loadtest/imports"))
IMPORT_POLL_SECONDS = 2.0
IMPORT_MAX_WAIT_SECONDS = float(os.environ.get("LOADTEST_IMPORT_MAX_WAIT", "600"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Common surnames of western Hunan (the demo data): each search finds a page of people.
SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "向", "田", "彭", "龙", "吴", "石", "梁", "符", "滕"]

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LABORER_LINK = re.compile(r'href="/registry/laborers/(\d+)/"')
JOB_LOCATION = re.compile(r"/intake/jobs/(\d+)/")

_officer_names = itertools.cycle(OFFICERS)
_file_numbers = itertools.count()


def login(user: HttpUser, username: str) -> None:
    """Log in through the HTML form as a browser does: GET the form, POST it with its CSRF token."""
    page = user.client.get("/accounts/login/", name="/accounts/login/ (form)")
    found = CSRF_FIELD.search(page.text or "")
    if not found:
        raise StopUser(f"login form without a CSRF token ({page.status_code})")
    with user.client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": found.group(1), "next": "/"},
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="/accounts/login/ (post)",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login of {username} answered {response.status_code}")
            raise StopUser


class OfficerUser(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username = next(_officer_names)
        login(self, self.username)
        self.seen: list[str] = []

    @task(6)
    def search_and_open(self) -> None:
        surname = random.choice(SURNAMES)
        with self.client.get(
            "/registry/laborers/", params={"q": surname}, name="/registry/laborers/?q=[surname]", catch_response=True
        ) as response:
            if response.status_code != 200 or "laborer" not in response.text:
                response.failure(f"list answered {response.status_code}")
                return
            ids = LABORER_LINK.findall(response.text)
        if ids:
            self.seen = ids[:20]
            self.open_record(random.choice(ids))

    @task(3)
    def open_seen_record(self) -> None:
        if self.seen:
            self.open_record(random.choice(self.seen))

    @task(2)
    def list_page(self) -> None:
        page = random.randint(1, 20)
        with self.client.get(
            "/registry/laborers/", params={"page": page}, name="/registry/laborers/?page=[n]", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"list page answered {response.status_code}")

    @task(1)
    def healthz(self) -> None:
        with self.client.get("/healthz", name="/healthz (baseline)", catch_response=True) as response:
            if response.status_code != 200 or '"ok"' not in response.text:
                response.failure(f"healthz answered {response.status_code}")

    def open_record(self, pk: str) -> None:
        with self.client.get(
            f"/registry/laborers/{pk}/", name="/registry/laborers/[id]/", catch_response=True
        ) as response:
            if response.status_code != 200 or "证件号码" not in response.text:
                response.failure(f"record answered {response.status_code}")


class ImportUser(HttpUser):
    fixed_count = int(os.environ.get("LOADTEST_IMPORTERS", "5"))
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.files = sorted(IMPORT_DIR.glob("*.xlsx"))
        if not self.files:
            raise StopUser(f"no xlsx files in {IMPORT_DIR}")
        login(self, IMPORT_USER)

    @task
    def upload_and_wait(self) -> None:
        path = self.files[next(_file_numbers) % len(self.files)]
        form = self.client.get("/intake/", name="/intake/ (form)")
        found = CSRF_FIELD.search(form.text or "")
        if not found:
            return
        with self.client.post(
            "/intake/",
            data={"kind": "persons", "csrfmiddlewaretoken": found.group(1)},
            files={"file": (path.name, path.read_bytes(), XLSX)},
            headers={"Referer": f"{self.host}/intake/"},
            name="/intake/ (upload xlsx)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            job = JOB_LOCATION.search(response.headers.get("Location", ""))
            if response.status_code != 302 or not job:
                response.failure(f"upload answered {response.status_code}")
                return
        self.wait_for_job(job.group(1))

    def wait_for_job(self, pk: str) -> None:
        deadline = time.monotonic() + IMPORT_MAX_WAIT_SECONDS
        while time.monotonic() < deadline:
            with self.client.get(
                f"/api/v1/imports/{pk}/", name="/api/v1/imports/[id]/ (poll)", catch_response=True
            ) as response:
                status = response.json().get("status") if response.status_code == 200 else None
                if status is None:
                    response.failure(f"poll answered {response.status_code}")
                    return
                if status == "failed":
                    response.failure(f"import {pk} failed")
                    return
                if status == "succeeded":
                    return
            time.sleep(IMPORT_POLL_SECONDS)
        self.environment.events.request.fire(
            request_type="IMPORT",
            name="import finished in time",
            response_time=IMPORT_MAX_WAIT_SECONDS * 1000,
            response_length=0,
            exception=TimeoutError(f"import {pk} not finished"),
        )
