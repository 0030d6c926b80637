"""Enterprise pages as a permission matrix: anonymous, wrong role, right role in another region, right role in
the region. Denied requests change nothing and leak nothing."""

from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employers import services as s
from laborcoop.employers.models import Enterprise
from tests.employers.conftest import LUXI_USCC, NEW_USCC, client_for, enterprise_data, form_post
from tests.factories import JobPostingFactory

pytestmark = pytest.mark.django_db


def employer_audits() -> int:
    """Audit rows about enterprises and jobs (signing in writes its own row)."""
    return AuditEntry.objects.filter(object_type__startswith="employers.").count()


def state(enterprise: Enterprise) -> tuple[Any, ...]:
    enterprise.refresh_from_db()
    return (enterprise.name, enterprise.uscc, enterprise.region_id, enterprise.version, employer_audits())


def object_urls(enterprise: Enterprise) -> list[str]:
    return [
        reverse("employers:enterprise_detail", args=[enterprise.pk]),
        reverse("employers:enterprise_edit", args=[enterprise.pk]),
        reverse("employers:job_create", args=[enterprise.pk]),
    ]


def test_anonymous_is_sent_to_login(luxi: Enterprise) -> None:
    urls = [
        *object_urls(luxi),
        reverse("employers:enterprise_list"),
        reverse("employers:enterprise_create"),
    ]
    for url in urls:
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_anonymous_post_changes_nothing(luxi: Enterprise) -> None:
    before = state(luxi)
    count = Enterprise.objects.count()

    client = client_for(None)
    client.post(reverse("employers:enterprise_create"), form_post(enterprise_data()))
    client.post(reverse("employers:enterprise_edit", args=[luxi.pk]), form_post(enterprise_data(name="改名")))

    assert state(luxi) == before
    assert Enterprise.objects.count() == count


def test_broker_has_no_enterprise_pages(users: dict[str, Any], luxi: Enterprise) -> None:
    client = client_for(users["broker"])
    for url in [reverse("employers:enterprise_list"), reverse("employers:enterprise_create"), *object_urls(luxi)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "泸溪白沙制衣有限公司" not in response.content.decode()


@pytest.mark.parametrize("role", ["broker", "viewer", "hotline", "enterprise"])
def test_wrong_role_cannot_register_an_enterprise(users: dict[str, Any], role: str) -> None:
    client = client_for(users[role])

    assert client.get(reverse("employers:enterprise_create")).status_code == 403
    response = client.post(reverse("employers:enterprise_create"), form_post(enterprise_data()))

    assert response.status_code == 403
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()
    assert employer_audits() == 0


@pytest.mark.parametrize("role", ["viewer", "hotline"])
def test_read_only_roles_see_but_cannot_edit(users: dict[str, Any], luxi: Enterprise, role: str) -> None:
    client = client_for(users[role])
    before = state(luxi)

    detail = client.get(reverse("employers:enterprise_detail", args=[luxi.pk]))
    edit = client.get(reverse("employers:enterprise_edit", args=[luxi.pk]))
    post = client.post(
        reverse("employers:enterprise_edit", args=[luxi.pk]), form_post(enterprise_data(name="改名", uscc=LUXI_USCC))
    )

    assert detail.status_code == 200
    assert reverse("employers:enterprise_edit", args=[luxi.pk]) not in detail.content.decode()
    assert (edit.status_code, post.status_code) == (403, 403)
    assert state(luxi) == before


def test_other_county_gets_the_same_404_as_a_missing_record(
    users: dict[str, Any], luxi: Enterprise, fenghuang: Enterprise
) -> None:
    client = client_for(users["other_county_officer"])
    before = state(luxi)
    for url in object_urls(luxi):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "泸溪白沙制衣有限公司" not in response.content.decode()
    post = client.post(
        reverse("employers:enterprise_edit", args=[luxi.pk]),
        form_post(enterprise_data(name="改名", uscc=LUXI_USCC, region_code="433123000000", version=1)),
    )
    missing = client.get(reverse("employers:enterprise_detail", args=[999999]))

    assert post.status_code == missing.status_code == 404
    assert state(luxi) == before
    listing = client.get(reverse("employers:enterprise_list"), {"q": "白沙"})
    assert listing.status_code == 200
    assert "泸溪白沙制衣有限公司" not in listing.content.decode()
    full = client.get(reverse("employers:enterprise_list")).content.decode()
    assert "凤凰沱江食品有限公司" in full
    assert "泸溪白沙制衣有限公司" not in full


def test_other_county_cannot_register_into_a_foreign_county(users: dict[str, Any]) -> None:
    response = client_for(users["other_county_officer"]).post(
        reverse("employers:enterprise_create"), form_post(enterprise_data(region_code="433122000000"))
    )

    assert response.status_code == 400
    assert s.REGION_OUT_OF_SCOPE in response.content.decode()
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_county_officer_lists_his_enterprises(users: dict[str, Any], luxi: Enterprise, fenghuang: Enterprise) -> None:
    response = client_for(users["county_officer"]).get(reverse("employers:enterprise_list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "泸溪白沙制衣有限公司" in body
    assert "凤凰沱江食品有限公司" not in body
    assert "济南测试制造有限公司" not in body
    assert reverse("employers:enterprise_create") in body


def test_list_filters_by_designation(users: dict[str, Any], luxi: Enterprise) -> None:
    client = client_for(users["county_officer"])

    workshops = client.get(reverse("employers:enterprise_list"), {"is_assist_workshop": "on"}).content.decode()
    bases = client.get(reverse("employers:enterprise_list"), {"is_assist_base": "on"}).content.decode()

    assert "泸溪白沙制衣有限公司" in workshops
    assert "泸溪白沙制衣有限公司" not in bases


def test_enterprise_user_lands_on_own_enterprise(users: dict[str, Any], jinan: Enterprise) -> None:
    response = client_for(users["enterprise"]).get(reverse("employers:enterprise_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("employers:enterprise_detail", args=[jinan.pk])


def test_enterprise_user_sees_own_but_not_other_enterprises(
    users: dict[str, Any], jinan: Enterprise, luxi: Enterprise
) -> None:
    client = client_for(users["enterprise"])

    own = client.get(reverse("employers:enterprise_detail", args=[jinan.pk]))
    other = client.get(reverse("employers:enterprise_detail", args=[luxi.pk]))

    assert own.status_code == 200
    assert other.status_code == 404
    assert "泸溪白沙制衣有限公司" not in other.content.decode()


def test_detail_shows_the_profile_its_jobs_and_the_history_link(users: dict[str, Any], luxi: Enterprise) -> None:
    JobPostingFactory(enterprise=luxi, title="缝纫工")
    JobPostingFactory(enterprise=luxi, title="熨烫工", status="paused")

    response = client_for(users["county_officer"]).get(reverse("employers:enterprise_detail", args=[luxi.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in [LUXI_USCC, "湖南省/湘西土家族苗族自治州/泸溪县/武溪镇", "制造业", "中型", "0743-4221234"]:
        assert text in body, text
    assert "缝纫工" in body
    assert "熨烫工" in body
    assert "暂停" in body
    assert reverse("audit:history", args=["enterprise", luxi.pk]) in body
    assert reverse("employers:enterprise_edit", args=[luxi.pk]) in body
    assert reverse("employers:job_create", args=[luxi.pk]) in body


def test_county_officer_registers_an_enterprise(users: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])

    form = client.get(reverse("employers:enterprise_create"))
    response = client.post(reverse("employers:enterprise_create"), form_post(enterprise_data()))

    assert form.status_code == 200
    assert 'value="433122000000"' in form.content.decode()  # the officer's county is suggested
    created = Enterprise.objects.get(uscc=NEW_USCC)
    assert response.status_code == 302
    assert response["Location"] == reverse("employers:enterprise_detail", args=[created.pk])
    assert created.region_id == "433122108000"
    assert created.is_assist_workshop is True
    assert AuditEntry.objects.filter(object_type="employers.enterprise", object_id=str(created.pk)).count() == 1


def test_invalid_post_shows_the_messages_and_saves_nothing(users: dict[str, Any], luxi: Enterprise) -> None:
    response = client_for(users["county_officer"]).post(
        reverse("employers:enterprise_create"),
        form_post(enterprise_data(uscc=LUXI_USCC, contact_phone="12345", region_code="433100000000")),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert s.USCC_TAKEN in body
    assert s.REGION_TOO_HIGH in body
    assert "联系电话应为手机号码或固定电话" in body
    assert Enterprise.objects.count() == 2  # luxi and the enterprise user's own


def test_county_officer_edits_an_enterprise(users: dict[str, Any], luxi: Enterprise) -> None:
    client = client_for(users["county_officer"])

    form = client.get(reverse("employers:enterprise_edit", args=[luxi.pk]))
    response = client.post(
        reverse("employers:enterprise_edit", args=[luxi.pk]),
        form_post(enterprise_data(name="泸溪白沙服饰有限公司", uscc=LUXI_USCC, region_code="433122107000", version=1)),
    )

    assert form.status_code == 200
    assert "泸溪白沙制衣有限公司" in form.content.decode()
    assert response.status_code == 302
    luxi.refresh_from_db()
    assert (luxi.name, luxi.version) == ("泸溪白沙服饰有限公司", 2)


def test_stale_edit_is_a_409_and_changes_nothing(users: dict[str, Any], luxi: Enterprise) -> None:
    Enterprise.objects.filter(pk=luxi.pk).update(version=2)
    before = state(luxi)

    response = client_for(users["county_officer"]).post(
        reverse("employers:enterprise_edit", args=[luxi.pk]),
        form_post(enterprise_data(name="改名", uscc=LUXI_USCC, version=1)),
    )

    assert response.status_code == 409
    assert state(luxi) == before


def test_enterprise_user_edits_own_profile_but_locked_fields_are_ignored(
    users: dict[str, Any], jinan: Enterprise
) -> None:
    client = client_for(users["enterprise"])

    form = client.get(reverse("employers:enterprise_edit", args=[jinan.pk]))
    response = client.post(
        reverse("employers:enterprise_edit", args=[jinan.pk]),
        form_post(
            enterprise_data(
                name="济南测试制造股份有限公司",
                uscc=NEW_USCC,
                region_code="433122000000",
                is_assist_workshop=True,
                version=1,
            )
        ),
    )

    assert form.status_code == 200
    assert "disabled" in form.content.decode()
    assert response.status_code == 302
    jinan.refresh_from_db()
    assert jinan.name == "济南测试制造股份有限公司"
    assert jinan.uscc != NEW_USCC
    assert jinan.region_id == "370102000000"
    assert jinan.is_assist_workshop is False


def test_enterprise_user_cannot_edit_another_enterprise(users: dict[str, Any], luxi: Enterprise) -> None:
    before = state(luxi)
    client = client_for(users["enterprise"])

    get = client.get(reverse("employers:enterprise_edit", args=[luxi.pk]))
    post = client.post(
        reverse("employers:enterprise_edit", args=[luxi.pk]), form_post(enterprise_data(name="改名", version=1))
    )

    assert (get.status_code, post.status_code) == (404, 404)
    assert state(luxi) == before


def test_history_page_of_an_enterprise(users: dict[str, Any], luxi: Enterprise) -> None:
    s.enterprise_update(
        acting_user=users["county_officer"],
        enterprise=luxi,
        data=enterprise_data(name="泸溪白沙服饰有限公司", uscc=LUXI_USCC, region_code="433122107000"),
        expected_version=1,
    )
    url = reverse("audit:history", args=["enterprise", luxi.pk])

    own = client_for(users["county_officer"]).get(url)
    foreign = client_for(users["other_county_officer"]).get(url)

    assert own.status_code == 200
    assert "泸溪白沙服饰有限公司" in own.content.decode()
    assert foreign.status_code == 404


@pytest.mark.parametrize("role", ["county_officer", "township_officer", "prefecture_admin", "province_admin", "viewer"])
def test_right_role_in_region_sees_the_enterprise(users: dict[str, Any], luxi: Enterprise, role: str) -> None:
    client = client_for(users[role])

    detail = client.get(reverse("employers:enterprise_detail", args=[luxi.pk]))
    listing = client.get(reverse("employers:enterprise_list"))

    assert detail.status_code == 200
    assert listing.status_code == 200
    assert "泸溪白沙制衣有限公司" in listing.content.decode()
