"""Job pages as a permission matrix: anonymous, wrong role, right role in another region, right role in the
region. Denied requests change nothing and leak nothing."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employers import services as s
from laborcoop.employers.models import Enterprise, JobPosting
from tests.conftest import make_user
from tests.employers.conftest import client_for, form_post, job_data
from tests.factories import EnterpriseFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


def job_audits() -> int:
    return AuditEntry.objects.filter(object_type="employers.jobposting").count()


def state(job: JobPosting) -> tuple[Any, ...]:
    job.refresh_from_db()
    return (job.title, job.openings, job.status, job.version, job_audits(), JobPosting.objects.count())


def job_urls(job: JobPosting) -> list[str]:
    return [
        reverse("employers:job_detail", args=[job.pk]),
        reverse("employers:job_edit", args=[job.pk]),
        reverse("audit:history", args=["job", job.pk]),
    ]


def denied_posts(job: JobPosting) -> list[tuple[str, dict[str, Any]]]:
    return [
        (reverse("employers:job_create", args=[job.enterprise_id]), form_post(job_data())),
        (reverse("employers:job_edit", args=[job.pk]), form_post(job_data(title="改名", version=1))),
        (reverse("employers:job_close", args=[job.pk]), {"version": 1}),
        (reverse("employers:job_status", args=[job.pk]), {"status": "paused", "version": 1}),
    ]


def test_anonymous_is_sent_to_login_and_changes_nothing(luxi_job: JobPosting) -> None:
    client = client_for(None)
    before = state(luxi_job)
    for url in [*job_urls(luxi_job), reverse("employers:job_list")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    for url, data in denied_posts(luxi_job):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert state(luxi_job) == before


def test_user_without_roles_is_refused_everything(users: dict[str, Any], luxi_job: JobPosting) -> None:
    client = client_for(make_user("nobody_t", "433122000000", []))
    before = state(luxi_job)

    for url in [*job_urls(luxi_job), reverse("employers:job_list")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "缝纫工" not in response.content.decode()
    for url, data in denied_posts(luxi_job):
        assert client.post(url, data).status_code == 403, url
    assert state(luxi_job) == before


@pytest.mark.parametrize("role", ["viewer", "hotline"])
def test_read_only_roles_see_jobs_but_cannot_change_them(
    users: dict[str, Any], luxi_job: JobPosting, role: str
) -> None:
    client = client_for(users[role])
    before = state(luxi_job)

    detail = client.get(reverse("employers:job_detail", args=[luxi_job.pk]))
    edit = client.get(reverse("employers:job_edit", args=[luxi_job.pk]))
    create = client.get(reverse("employers:job_create", args=[luxi_job.enterprise_id]))

    assert detail.status_code == 200
    body = detail.content.decode()
    assert reverse("employers:job_edit", args=[luxi_job.pk]) not in body
    assert reverse("employers:job_close", args=[luxi_job.pk]) not in body
    assert (edit.status_code, create.status_code) == (403, 403)
    for url, data in denied_posts(luxi_job):
        assert client.post(url, data).status_code == 403, url
    assert state(luxi_job) == before


def test_other_county_gets_404_and_changes_nothing(users: dict[str, Any], luxi_job: JobPosting) -> None:
    client = client_for(users["other_county_officer"])
    before = state(luxi_job)

    for url in [*job_urls(luxi_job), reverse("employers:job_create", args=[luxi_job.enterprise_id])]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "缝纫工" not in response.content.decode()
    for url, data in denied_posts(luxi_job):
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("employers:job_detail", args=[999999])).status_code == 404
    assert state(luxi_job) == before


def test_enterprise_user_gets_404_for_other_enterprises_jobs(
    users: dict[str, Any], luxi_job: JobPosting, jinan_job: JobPosting
) -> None:
    client = client_for(users["enterprise"])
    before = state(luxi_job)

    for url in [*job_urls(luxi_job), reverse("employers:job_create", args=[luxi_job.enterprise_id])]:
        assert client.get(url).status_code == 404, url
    for url, data in denied_posts(luxi_job):
        assert client.post(url, data).status_code == 404, url
    listing = client.get(reverse("employers:job_list")).content.decode()

    assert state(luxi_job) == before
    assert "装配工" in listing
    assert "缝纫工" not in listing


def test_lists_show_no_foreign_rows(users: dict[str, Any], luxi_job: JobPosting, fenghuang_job: JobPosting) -> None:
    luxi = client_for(users["county_officer"]).get(reverse("employers:job_list")).content.decode()
    fenghuang = client_for(users["other_county_officer"]).get(reverse("employers:job_list")).content.decode()
    searched = client_for(users["other_county_officer"]).get(reverse("employers:job_list"), {"q": "缝纫"})

    assert "缝纫工" in luxi
    assert "面点师" not in luxi
    assert "面点师" in fenghuang
    assert "缝纫工" not in fenghuang
    assert searched.status_code == 200
    assert "缝纫工" not in searched.content.decode()


def test_htmx_list_request_gets_only_the_rows(users: dict[str, Any], luxi_job: JobPosting) -> None:
    response = client_for(users["county_officer"]).get(
        reverse("employers:job_list"), {"status": "open"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "缝纫工" in body
    assert "<html" not in body


def test_job_list_page_query_count_does_not_grow_with_rows(users: dict[str, Any], luxi: Enterprise) -> None:
    client = client_for(users["county_officer"])
    JobPostingFactory.create_batch(2, enterprise=luxi)
    with CaptureQueriesContext(connection) as two_rows:
        client.get(reverse("employers:job_list"))
    JobPostingFactory.create_batch(15, enterprise=luxi)

    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(reverse("employers:job_list"))

    assert response.content.decode().count('data-label="岗位名称"') == 17
    assert len(many_rows.captured_queries) == len(two_rows.captured_queries)


def test_enterprise_list_page_query_count_does_not_grow_with_rows(users: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    EnterpriseFactory.create_batch(2, region_id="433122000000")
    with CaptureQueriesContext(connection) as two_rows:
        client.get(reverse("employers:enterprise_list"))
    for enterprise in EnterpriseFactory.create_batch(10, region_id="433122000000"):
        JobPostingFactory(enterprise=enterprise)

    with CaptureQueriesContext(connection) as many_rows:
        response = client.get(reverse("employers:enterprise_list"))

    assert response.content.decode().count('data-label="企业名称"') == 12
    assert len(many_rows.captured_queries) == len(two_rows.captured_queries)


def test_detail_shows_every_field_in_chinese(users: dict[str, Any], luxi: Enterprise) -> None:
    job = s.job_create(
        acting_user=users["county_officer"],
        enterprise=luxi,
        data=job_data(sex_requirement="2", provides_meals=False, is_low_threshold=True),
    )

    response = client_for(users["county_officer"]).get(reverse("employers:job_detail", args=[job.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "电子装配工",
        "泸溪白沙制衣有限公司",
        "武溪镇",
        "20 人",
        "4500–6500 元",
        "广东省/深圳市/宝安区",
        "18–50 岁",
        "女",
        "初中",
        "提供住宿</dt><dd>是",
        "提供餐食</dt><dd>否",
        "低门槛岗位</dt><dd>是",
        "招聘中",
        "两班倒，包吃住。",
    ]:
        assert text in body, text
    assert reverse("audit:history", args=["job", job.pk]) in body
    assert reverse("employers:job_edit", args=[job.pk]) in body
    assert reverse("employers:enterprise_detail", args=[luxi.pk]) in body


def test_broker_sees_jobs_of_his_village_without_enterprise_link(users: dict[str, Any]) -> None:
    village = EnterpriseFactory(name="黑塘村帮扶车间", region_id=users["broker"].home_region_id)
    job = JobPostingFactory(enterprise=village, title="手工编织")
    client = client_for(users["broker"])

    response = client.get(reverse("employers:job_detail", args=[job.pk]))

    assert response.status_code == 200
    assert reverse("employers:enterprise_detail", args=[village.pk]) not in response.content.decode()
    assert client.get(reverse("employers:job_edit", args=[job.pk])).status_code == 403


def test_officer_posts_a_job(users: dict[str, Any], luxi: Enterprise) -> None:
    client = client_for(users["county_officer"])

    form = client.get(reverse("employers:job_create", args=[luxi.pk]))
    response = client.post(reverse("employers:job_create", args=[luxi.pk]), form_post(job_data()))

    assert form.status_code == 200
    assert 'value="433122107000"' in form.content.decode()  # work place defaults to the enterprise's region
    job = JobPosting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:job_detail", args=[job.pk])
    assert (job.enterprise, job.region_id, job.work_region_id) == (luxi, "433122107000", "440306000000")
    assert job.provides_accommodation is True
    assert job_audits() == 1


def test_enterprise_user_posts_and_edits_own_jobs(users: dict[str, Any], jinan: Enterprise) -> None:
    client = client_for(users["enterprise"])

    created = client.post(reverse("employers:job_create", args=[jinan.pk]), form_post(job_data()))
    job = JobPosting.objects.get()
    edited = client.post(
        reverse("employers:job_edit", args=[job.pk]), form_post(job_data(openings=5, version=job.version))
    )

    assert (created.status_code, edited.status_code) == (302, 302)
    job.refresh_from_db()
    assert (job.enterprise, job.region_id, job.openings, job.version) == (jinan, "370102000000", 5, 2)


def test_invalid_job_shows_the_messages_and_saves_nothing(users: dict[str, Any], luxi: Enterprise) -> None:
    response = client_for(users["county_officer"]).post(
        reverse("employers:job_create", args=[luxi.pk]),
        form_post(job_data(wage_min=7000, wage_max=6000, age_min=15, work_region_code="440000000000")),
    )

    body = response.content.decode()
    assert response.status_code == 400
    for message in [s.WAGE_RANGE, s.AGE_TOO_LOW, s.REGION_TOO_HIGH]:
        assert message in body, message
    assert JobPosting.objects.count() == 0


def test_officer_edits_a_job(users: dict[str, Any], luxi_job: JobPosting) -> None:
    client = client_for(users["county_officer"])

    form = client.get(reverse("employers:job_edit", args=[luxi_job.pk]))
    response = client.post(
        reverse("employers:job_edit", args=[luxi_job.pk]),
        form_post(job_data(title="高级缝纫工", version=1)),
    )

    assert form.status_code == 200
    assert 'value="缝纫工"' in form.content.decode()
    assert 'value="440306000000"' in form.content.decode()
    assert response.status_code == 302
    luxi_job.refresh_from_db()
    assert (luxi_job.title, luxi_job.version) == ("高级缝纫工", 2)


def test_stale_job_edit_is_a_409(users: dict[str, Any], luxi_job: JobPosting) -> None:
    JobPosting.objects.filter(pk=luxi_job.pk).update(version=3)
    before = state(luxi_job)

    response = client_for(users["county_officer"]).post(
        reverse("employers:job_edit", args=[luxi_job.pk]), form_post(job_data(title="改名", version=2))
    )

    assert response.status_code == 409
    assert state(luxi_job) == before


def test_pause_reopen_and_close_buttons(users: dict[str, Any], luxi_job: JobPosting) -> None:
    client = client_for(users["county_officer"])
    detail_url = reverse("employers:job_detail", args=[luxi_job.pk])
    status_url = reverse("employers:job_status", args=[luxi_job.pk])

    page = client.get(detail_url).content.decode()
    assert "暂停招聘" in page
    assert "结束招聘" in page
    assert "恢复招聘" not in page

    paused = client.post(status_url, {"status": "paused", "version": 1})
    luxi_job.refresh_from_db()
    assert (paused.status_code, paused["Location"], luxi_job.status) == (302, detail_url, "paused")
    assert "恢复招聘" in client.get(detail_url).content.decode()

    client.post(status_url, {"status": "open", "version": 2})
    luxi_job.refresh_from_db()
    assert luxi_job.status == "open"

    closed = client.post(reverse("employers:job_close", args=[luxi_job.pk]), {"version": 3})
    luxi_job.refresh_from_db()
    assert (closed.status_code, luxi_job.status, luxi_job.version) == (302, "closed", 4)
    assert job_audits() == 3
    page = client.get(detail_url).content.decode()
    assert "结束招聘</button>" not in page
    assert "恢复招聘" in page


def test_status_buttons_are_post_only(users: dict[str, Any], luxi_job: JobPosting) -> None:
    client = client_for(users["county_officer"])

    assert client.get(reverse("employers:job_close", args=[luxi_job.pk])).status_code == 405
    assert client.get(reverse("employers:job_status", args=[luxi_job.pk])).status_code == 405


def test_unknown_status_is_refused_with_a_message(users: dict[str, Any], luxi_job: JobPosting) -> None:
    before = state(luxi_job)

    response = client_for(users["county_officer"]).post(
        reverse("employers:job_status", args=[luxi_job.pk]), {"status": "deleted"}, follow=True
    )

    assert s.STATUS_INVALID in response.content.decode()
    assert state(luxi_job) == before


def test_stale_status_change_is_a_409(users: dict[str, Any], luxi_job: JobPosting) -> None:
    before = state(luxi_job)

    response = client_for(users["county_officer"]).post(
        reverse("employers:job_close", args=[luxi_job.pk]), {"version": 0}
    )

    assert response.status_code == 409
    assert state(luxi_job) == before


def test_job_history_is_scoped(users: dict[str, Any], luxi_job: JobPosting) -> None:
    s.job_set_status(acting_user=users["county_officer"], job=luxi_job, status="paused")
    url = reverse("audit:history", args=["job", luxi_job.pk])

    own = client_for(users["county_officer"]).get(url)

    assert own.status_code == 200
    assert "招聘中 → 暂停" in own.content.decode()
    assert client_for(users["enterprise"]).get(url).status_code == 404


@pytest.mark.parametrize(
    "role", ["county_officer", "township_officer", "prefecture_admin", "province_admin", "viewer", "hotline"]
)
def test_right_role_in_region_sees_the_job(users: dict[str, Any], luxi_job: JobPosting, role: str) -> None:
    client = client_for(users[role])

    detail = client.get(reverse("employers:job_detail", args=[luxi_job.pk]))
    listing = client.get(reverse("employers:job_list"))

    assert detail.status_code == 200
    assert "缝纫工" in listing.content.decode()
