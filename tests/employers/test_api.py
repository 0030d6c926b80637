"""/api/v1/enterprises/ and /api/v1/jobs/: permission matrix, scope, writes through employers.services."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.checksums import make_uscc
from laborcoop.core.validation.uscc import USCC_BAD_CHECKSUM
from laborcoop.employers import services
from laborcoop.employers.models import Enterprise, JobPosting
from tests.api.conftest import (
    NOT_FOUND_BODY,
    _fresh_process_state,  # noqa: F401 (autouse: a fresh cache for each test)
)
from tests.factories import EnterpriseFactory, JobPostingFactory

pytestmark = pytest.mark.django_db

Api = Callable[[str | None], APIClient]
ENTERPRISES = "/api/v1/enterprises/"
JOBS = "/api/v1/jobs/"
NEW_USCC = make_uscc("91433122MA4L00009")


def enterprise_url(enterprise: Enterprise) -> str:
    return f"{ENTERPRISES}{enterprise.pk}/"


def job_url(job: JobPosting) -> str:
    return f"{JOBS}{job.pk}/"


def enterprise_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "泸溪浦市农产品加工有限公司",
        "uscc": NEW_USCC,
        "region_code": "433122108000",
        "industry": "C",
        "size": "small",
        "contact_name": "张经理",
        "contact_phone": "0743-4221234",
    }
    body.update(overrides)
    return body


def job_body(enterprise: Enterprise, **overrides: Any) -> dict[str, Any]:
    today = date.today()
    body = {
        "enterprise_id": enterprise.pk,
        "title": "竹编学徒",
        "occupation": "竹编工",
        "openings": 5,
        "wage_min": 3000,
        "wage_max": 4500,
        "work_region_code": "433122000000",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def nothing_written(enterprises: int, jobs: int) -> None:
    assert Enterprise.objects.count() == enterprises
    assert JobPosting.objects.count() == jobs
    assert AuditEntry.objects.count() == 0


# --- enterprises: reads -----------------------------------------------------------------------------------


def test_enterprise_list_matrix(api: Api, rows: dict[str, Any]) -> None:
    assert api(None).get(ENTERPRISES).status_code == 401
    assert api("broker").get(ENTERPRISES).status_code == 403
    assert ids(api("other_county_officer").get(ENTERPRISES)) == [rows["fh_enterprise"].pk]
    assert ids(api("county_officer").get(ENTERPRISES)) == [rows["luxi_enterprise"].pk]
    assert ids(api("enterprise").get(ENTERPRISES)) == [rows["own_enterprise"].pk]
    assert set(ids(api("hotline").get(ENTERPRISES))) == {rows["luxi_enterprise"].pk, rows["fh_enterprise"].pk}


def test_enterprise_row_shape(api: Api, rows: dict[str, Any]) -> None:
    [row] = api("county_officer").get(ENTERPRISES).json()["results"]
    enterprise = rows["luxi_enterprise"]
    assert row["name"] == "泸溪县帮扶车间"
    assert row["uscc"] == enterprise.uscc
    assert row["region_code"] == "433122000000"
    assert row["region_name"] == "泸溪县"
    assert row["contact_phone"] == "13900002222"  # business data, shown in full
    assert row["open_jobs"] == 1
    assert row["version"] == 1


def test_enterprise_list_filters(api: Api, rows: dict[str, Any]) -> None:
    workshop = EnterpriseFactory(region_id="433122108000", name="浦市竹编合作社", is_assist_workshop=True)
    client = api("county_officer")
    assert ids(client.get(ENTERPRISES, {"q": "竹编"})) == [workshop.pk]
    assert ids(client.get(ENTERPRISES, {"is_assist_workshop": "true"})) == [workshop.pk]
    assert client.get(ENTERPRISES, {"industry": "Z"}).status_code == 400


def test_enterprise_list_query_count(api: Api, rows: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    client = api("county_officer")
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(ENTERPRISES))) == 1
    for _ in range(6):
        JobPostingFactory(enterprise=EnterpriseFactory(region_id="433122107000"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ids(client.get(ENTERPRISES))) == 7


def test_enterprise_detail_matrix(api: Api, rows: dict[str, Any]) -> None:
    enterprise = rows["luxi_enterprise"]
    assert api(None).get(enterprise_url(enterprise)).status_code == 401
    assert api("broker").get(enterprise_url(enterprise)).status_code == 403
    for who in ["other_county_officer", "enterprise"]:
        foreign = api(who).get(enterprise_url(enterprise))
        missing = api(who).get(f"{ENTERPRISES}999999/")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json() == NOT_FOUND_BODY
    assert api("county_officer").get(enterprise_url(enterprise)).json()["name"] == "泸溪县帮扶车间"
    own = rows["own_enterprise"]
    assert api("enterprise").get(enterprise_url(own)).json()["id"] == own.pk


# --- enterprises: writes ----------------------------------------------------------------------------------


def test_enterprise_create(api: Api, users: dict[str, Any]) -> None:
    response = api("county_officer").post(ENTERPRISES, enterprise_body(), format="json")
    assert response.status_code == 201
    enterprise = Enterprise.objects.get(uscc=NEW_USCC)
    assert response.json()["id"] == enterprise.pk
    assert response.json()["region_code"] == "433122108000"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("create", users["county_officer"], str(enterprise.pk))


@pytest.mark.parametrize("who", ["broker", "viewer", "hotline", "enterprise"])
def test_enterprise_create_wrong_role_is_403(api: Api, users: dict[str, Any], who: str) -> None:
    response = api(who).post(ENTERPRISES, enterprise_body(), format="json")
    assert response.status_code == 403
    nothing_written(enterprises=1, jobs=0)


def test_enterprise_user_is_told_why(api: Api, users: dict[str, Any]) -> None:
    response = api("enterprise").post(ENTERPRISES, enterprise_body(), format="json")
    assert response.json() == {"detail": services.ENTERPRISE_USER_CANNOT_CREATE}


def test_enterprise_create_outside_scope_and_invalid(api: Api, users: dict[str, Any]) -> None:
    foreign = api("other_county_officer").post(ENTERPRISES, enterprise_body(), format="json")
    assert foreign.status_code == 400
    assert foreign.json() == {"region_code": [services.REGION_OUT_OF_SCOPE]}
    bad = api("county_officer").post(ENTERPRISES, enterprise_body(uscc=NEW_USCC[:-1] + "0"), format="json")
    assert bad.status_code == 400
    assert bad.json()["uscc"] == [USCC_BAD_CHECKSUM]
    missing = api("county_officer").post(ENTERPRISES, {"name": "缺项企业"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["contact_name"] == ["该字段是必填项。"]
    nothing_written(enterprises=1, jobs=0)


def test_enterprise_patch(api: Api, rows: dict[str, Any]) -> None:
    enterprise = rows["luxi_enterprise"]
    response = api("county_officer").patch(
        enterprise_url(enterprise), {"version": 1, "contact_name": "李主任"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    saved = Enterprise.objects.get(pk=enterprise.pk)
    assert (saved.contact_name, saved.uscc, saved.contact_phone) == ("李主任", enterprise.uscc, "13900002222")
    assert AuditEntry.objects.get().changes == {"contact_name": ["王经理", "李主任"]}


def test_enterprise_patch_denials(api: Api, rows: dict[str, Any]) -> None:
    enterprise = rows["luxi_enterprise"]
    body = {"version": 1, "contact_name": "李主任"}
    assert api(None).patch(enterprise_url(enterprise), body, format="json").status_code == 401
    assert api("viewer").patch(enterprise_url(enterprise), body, format="json").status_code == 403
    assert api("broker").patch(enterprise_url(enterprise), body, format="json").status_code == 403
    assert api("other_county_officer").patch(enterprise_url(enterprise), body, format="json").status_code == 404
    assert api("enterprise").patch(enterprise_url(enterprise), body, format="json").status_code == 404
    client = api("county_officer")
    assert client.patch(enterprise_url(enterprise), {"version": 7, "name": "改名"}, format="json").status_code == 409
    saved = Enterprise.objects.get(pk=enterprise.pk)
    assert (saved.contact_name, saved.name, saved.version) == ("王经理", "泸溪县帮扶车间", 1)
    assert AuditEntry.objects.count() == 0


def test_enterprise_user_edits_own_profile_but_not_locked_fields(api: Api, rows: dict[str, Any]) -> None:
    own = rows["own_enterprise"]
    client = api("enterprise")
    ok = client.patch(enterprise_url(own), {"version": 1, "description": "汽车零部件装配"}, format="json")
    assert ok.status_code == 200
    locked = client.patch(enterprise_url(own), {"version": 2, "region_code": "433122000000"}, format="json")
    assert locked.status_code == 400
    assert locked.json() == {"region_code": [services.ENTERPRISE_FIELD_LOCKED]}
    assert Enterprise.objects.get(pk=own.pk).region_id == "370102000000"


# --- jobs: reads ------------------------------------------------------------------------------------------


def test_job_list_matrix(api: Api, rows: dict[str, Any]) -> None:
    assert api(None).get(JOBS).status_code == 401
    assert ids(api("other_county_officer").get(JOBS)) == [rows["fh_job"].pk]
    assert ids(api("county_officer").get(JOBS)) == [rows["luxi_job"].pk]
    # brokers see jobs (of enterprises) in their own village only
    assert ids(api("broker").get(JOBS)) == []
    village_job = JobPostingFactory(enterprise=EnterpriseFactory(region_id="433122107201"))
    assert ids(api("broker").get(JOBS)) == [village_job.pk]
    assert ids(api("enterprise").get(JOBS)) == [rows["own_job"].pk]


def test_job_row_shape(api: Api, rows: dict[str, Any]) -> None:
    [row] = api("county_officer").get(JOBS).json()["results"]
    job = rows["luxi_job"]
    assert row["id"] == job.pk
    assert row["enterprise_id"] == rows["luxi_enterprise"].pk
    assert row["enterprise_name"] == "泸溪县帮扶车间"
    assert row["region_code"] == "433122000000"
    assert row["work_region_code"] == "433122000000"
    assert row["work_region_name"] == "泸溪县"
    assert row["status"] == "open"
    assert (row["wage_min"], row["wage_max"], row["sex_requirement"], row["education_min"]) == (4000, 6000, "", "")


def test_job_filters(api: Api, rows: dict[str, Any]) -> None:
    enterprise = rows["luxi_enterprise"]
    paused = JobPostingFactory(enterprise=enterprise, status="paused")
    expired = JobPostingFactory(
        enterprise=enterprise, valid_from=date.today() - timedelta(days=90), valid_until=date.today() - timedelta(1)
    )
    client = api("county_officer")
    assert ids(client.get(JOBS, {"status": "paused"})) == [paused.pk]
    assert ids(client.get(JOBS, {"open_only": "true"})) == [rows["luxi_job"].pk]
    assert set(ids(client.get(JOBS))) == {rows["luxi_job"].pk, paused.pk, expired.pk}
    assert client.get(JOBS, {"status": "gone"}).status_code == 400


def test_job_list_query_count(api: Api, rows: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    client = api("county_officer")
    with CaptureQueriesContext(connection) as few:
        assert len(ids(client.get(JOBS))) == 1
    for _ in range(6):
        JobPostingFactory(enterprise=EnterpriseFactory(region_id="433122107000"), work_region_id="440306000000")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ids(client.get(JOBS))) == 7


def test_job_detail_matrix(api: Api, rows: dict[str, Any]) -> None:
    job = rows["luxi_job"]
    assert api(None).get(job_url(job)).status_code == 401
    for who in ["other_county_officer", "enterprise"]:
        foreign = api(who).get(job_url(job))
        assert foreign.status_code == 404
        assert foreign.json() == api(who).get(f"{JOBS}999999/").json() == NOT_FOUND_BODY
    assert api("county_officer").get(job_url(job)).json()["title"] == "竹编工"
    assert api("broker").get(job_url(job)).status_code == 404
    assert api("hotline").get(job_url(job)).status_code == 200


# --- jobs: writes -----------------------------------------------------------------------------------------


def test_job_create(api: Api, rows: dict[str, Any]) -> None:
    response = api("county_officer").post(JOBS, job_body(rows["luxi_enterprise"]), format="json")
    assert response.status_code == 201
    job = JobPosting.objects.get(pk=response.json()["id"])
    assert (job.enterprise, job.region_id, job.status) == (rows["luxi_enterprise"], "433122000000", "open")
    assert AuditEntry.objects.get().action == "create"


def test_enterprise_user_posts_for_own_enterprise_only(api: Api, rows: dict[str, Any]) -> None:
    client = api("enterprise")
    assert client.post(JOBS, job_body(rows["own_enterprise"]), format="json").status_code == 201
    foreign = client.post(JOBS, job_body(rows["luxi_enterprise"]), format="json")
    assert foreign.status_code == 400
    assert foreign.json() == {"enterprise_id": [NOT_FOUND_BODY["detail"]]}
    assert JobPosting.objects.filter(enterprise=rows["luxi_enterprise"]).count() == 1


@pytest.mark.parametrize("who", ["broker", "viewer", "hotline"])
def test_job_create_wrong_role_is_403(api: Api, rows: dict[str, Any], who: str) -> None:
    assert api(who).post(JOBS, job_body(rows["luxi_enterprise"]), format="json").status_code == 403
    nothing_written(enterprises=3, jobs=3)


def test_job_create_other_region_and_invalid(api: Api, rows: dict[str, Any]) -> None:
    foreign = api("other_county_officer").post(JOBS, job_body(rows["luxi_enterprise"]), format="json")
    assert foreign.status_code == 400
    assert foreign.json() == {"enterprise_id": [NOT_FOUND_BODY["detail"]]}
    bad = api("county_officer").post(JOBS, job_body(rows["luxi_enterprise"], wage_min=5000), format="json")
    assert bad.status_code == 400
    assert bad.json() == {"wage_min": [services.WAGE_RANGE]}
    assert api(None).post(JOBS, job_body(rows["luxi_enterprise"]), format="json").status_code == 401
    nothing_written(enterprises=3, jobs=3)


def test_job_patch_and_status(api: Api, rows: dict[str, Any]) -> None:
    job = rows["luxi_job"]
    client = api("county_officer")
    patched = client.patch(job_url(job), {"version": 1, "openings": 12}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["openings"], patched.json()["version"]) == (12, 2)
    stale = client.patch(job_url(job), {"version": 1, "openings": 3}, format="json")
    assert stale.status_code == 409
    paused = client.post(f"{job_url(job)}status/", {"status": "paused", "version": 2}, format="json")
    assert paused.status_code == 200
    assert (paused.json()["status"], paused.json()["version"]) == ("paused", 3)
    saved = JobPosting.objects.get(pk=job.pk)
    assert (saved.openings, saved.status, saved.title) == (12, "paused", "竹编工")
    assert AuditEntry.objects.count() == 2


def test_job_write_denials_change_nothing(api: Api, rows: dict[str, Any]) -> None:
    job = rows["luxi_job"]
    body = {"version": 1, "openings": 99}
    status_body = {"status": "closed", "version": 1}
    assert api(None).patch(job_url(job), body, format="json").status_code == 401
    assert api("broker").patch(job_url(job), body, format="json").status_code == 403
    assert api("broker").post(f"{job_url(job)}status/", status_body, format="json").status_code == 403
    for who in ["other_county_officer", "enterprise"]:
        assert api(who).patch(job_url(job), body, format="json").status_code == 404
        assert api(who).post(f"{job_url(job)}status/", status_body, format="json").status_code == 404
    invalid = api("county_officer").patch(job_url(job), {"version": 1, "age_max": 90}, format="json")
    assert invalid.status_code == 400
    assert invalid.json() == {"age_max": [services.AGE_TOO_HIGH]}
    saved = JobPosting.objects.get(pk=job.pk)
    assert (saved.openings, saved.status, saved.age_max, saved.version) == (10, "open", 60, 1)
    assert AuditEntry.objects.count() == 0
