"""Account pages: the permission matrix (anonymous, wrong role, right role in the wrong region, right role in
the right region) and the hierarchy each admin sees."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.accounts import services as s
from laborcoop.accounts.forms import PASSWORDS_DIFFER
from laborcoop.accounts.models import User
from laborcoop.core.errors import ObjectNotFound
from laborcoop.core.models import AuditEntry
from tests.conftest import make_user

PASSWORD = "Xiangxi-2026!"
SECRET_NAME = "泸溪经办甲"
NON_ADMIN_ROLES = ["county_officer", "viewer", "broker", "hotline", "enterprise"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _changes_without_logins() -> int:
    return AuditEntry.objects.exclude(action=AuditEntry.Action.LOGIN).count()


def _target_pages(pk: int) -> list[str]:
    return [
        reverse("accounts:user_detail", args=[pk]),
        reverse("accounts:user_edit", args=[pk]),
        reverse("accounts:user_password", args=[pk]),
    ]


def _edit_post() -> dict[str, Any]:
    return {"full_name": "改名", "roles": ["viewer"], "home_region_code": "433122000000", "is_active": "on"}


@pytest.fixture
def luxi_target(users: dict[str, User]) -> User:
    """The 泸溪县 account the pages are asked about, with a name that must not leak into denials."""
    return make_user("luxi_target", "433122000000", ["officer"], first_name=SECRET_NAME)


@pytest.fixture
def fenghuang_admin(users: dict[str, User]) -> User:
    """An admin of another county (凤凰县) than the target user's (泸溪县)."""
    return make_user("fenghuang_admin", "433123000000", ["admin"])


# --- anonymous --------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(users: dict[str, User]) -> None:
    target = users["county_officer"]
    urls = [reverse("accounts:user_list"), reverse("accounts:user_create"), *_target_pages(target.pk)]

    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


def test_anonymous_post_changes_nothing(users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = Client().post(reverse("accounts:user_edit", args=[target.pk]), _edit_post())

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.roles == ["officer"]
    assert AuditEntry.objects.count() == 0


# --- wrong role -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_non_admin_roles_get_403(users: dict[str, User], luxi_target: User, role: str) -> None:
    client = _client(users[role])
    urls = [reverse("accounts:user_list"), reverse("accounts:user_create"), *_target_pages(luxi_target.pk)]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET_NAME not in response.content.decode()


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_non_admin_post_changes_nothing(users: dict[str, User], role: str) -> None:
    client = _client(users[role])
    target = users["broker"]
    users_before = User.objects.count()

    responses = [
        client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_post()),
        client.post(reverse("accounts:user_set_active", args=[target.pk]), {}),
        client.post(
            reverse("accounts:user_password", args=[target.pk]), {"password1": PASSWORD, "password2": PASSWORD}
        ),
        client.post(
            reverse("accounts:user_create"),
            {"username": "sneaky", "roles": ["admin"], "home_region_code": "433122000000", "password1": PASSWORD},
        ),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    target.refresh_from_db()
    assert (target.roles, target.is_active, target.first_name) == (["broker"], True, "")
    assert User.objects.count() == users_before
    assert _changes_without_logins() == 0


# --- right role, wrong region -----------------------------------------------------------------------------


def test_other_county_admin_gets_404_for_luxi_user(luxi_target: User, fenghuang_admin: User) -> None:
    client = _client(fenghuang_admin)

    for url in _target_pages(luxi_target.pk):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET_NAME not in response.content.decode()
        assert luxi_target.username not in response.content.decode()


def test_other_county_admin_post_changes_nothing(users: dict[str, User], fenghuang_admin: User) -> None:
    client = _client(fenghuang_admin)
    target = users["county_officer"]
    password_before = User.objects.values_list("password", flat=True).get(pk=target.pk)

    responses = [
        client.post(reverse("accounts:user_edit", args=[target.pk]), _edit_post()),
        client.post(reverse("accounts:user_set_active", args=[target.pk]), {}),
        client.post(
            reverse("accounts:user_password", args=[target.pk]), {"password1": PASSWORD, "password2": PASSWORD}
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    target.refresh_from_db()
    assert (target.roles, target.is_active, target.first_name) == (["officer"], True, "")
    assert target.password == password_before
    assert _changes_without_logins() == 0


def test_other_county_admin_cannot_create_in_luxi(users: dict[str, User], fenghuang_admin: User) -> None:
    response = _client(fenghuang_admin).post(
        reverse("accounts:user_create"),
        {
            "username": "luxi_new",
            "roles": ["officer"],
            "home_region_code": "433122000000",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 400
    assert s.REGION_OUT_OF_SCOPE in response.content.decode()
    assert not User.objects.filter(username="luxi_new").exists()


def test_other_county_admin_list_leaves_luxi_out(luxi_target: User, fenghuang_admin: User) -> None:
    response = _client(fenghuang_admin).get(reverse("accounts:user_list"))

    assert response.status_code == 200
    names = [u.username for u in response.context["page"].rows]
    assert names == ["fenghuang_admin", "fenghuang_t"]
    assert SECRET_NAME not in response.content.decode()


# --- right role, right region -----------------------------------------------------------------------------


def test_prefecture_admin_reaches_every_page_of_luxi_user(users: dict[str, User]) -> None:
    client = _client(users["prefecture_admin"])
    target = users["county_officer"]

    for url in [reverse("accounts:user_list"), reverse("accounts:user_create"), *_target_pages(target.pk)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["can"]["USERS_MANAGE"]
        assert response.context["nav_groups"]


def test_detail_shows_the_account(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).get(
        reverse("accounts:user_detail", args=[users["county_officer"].pk])
    )

    page = response.content.decode()
    assert "xian_t" in page
    assert "泸溪县" in page
    assert "经办人" in page


def test_province_admin_sees_the_whole_province(users: dict[str, User]) -> None:
    response = _client(users["province_admin"]).get(reverse("accounts:user_list"))

    names = {u.username for u in response.context["page"].rows}
    assert names == {
        "sheng_t",
        "rexian_t",
        "zhou_t",
        "xian_t",
        "xiang_t",
        "jjr_t",
        "viewer_t",
        "fenghuang_t",
    }


def test_prefecture_admin_does_not_see_province_rows(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).get(reverse("accounts:user_list"))

    rows = response.context["page"].rows
    assert [u.username for u in rows] == ["zhou_t", "viewer_t", "xian_t", "xiang_t", "jjr_t", "fenghuang_t"]
    page = response.content.decode()
    assert "sheng_t" not in page
    assert "rexian_t" not in page


def test_prefecture_admin_gets_404_for_province_admin(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).get(
        reverse("accounts:user_detail", args=[users["province_admin"].pk])
    )

    assert response.status_code == 404


def test_list_filters_by_region_and_name(users: dict[str, User]) -> None:
    client = _client(users["prefecture_admin"])

    by_region = client.get(reverse("accounts:user_list"), {"region": "433122107000"})
    by_name = client.get(reverse("accounts:user_list"), {"q": "xia"})

    assert [u.username for u in by_region.context["page"].rows] == ["xiang_t", "jjr_t"]
    assert [u.username for u in by_name.context["page"].rows] == ["xian_t", "xiang_t"]


def test_list_htmx_request_renders_only_rows(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).get(reverse("accounts:user_list"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.templates[0].name == "accounts/_user_rows.html"


def test_create_page_creates_and_redirects(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_create"),
        {
            "username": "luxi_viewer",
            "full_name": "孙七",
            "roles": ["viewer", "hotline"],
            "home_region_code": "433122000000",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    created = User.objects.get(username="luxi_viewer")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[created.pk])
    assert created.roles == ["viewer", "hotline"]
    assert created.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_id=str(created.pk)).count() == 1


def test_create_page_shows_service_errors(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_create"),
        {
            "username": "XIAN_T",
            "roles": ["broker"],
            "home_region_code": "433122000000",
            "password1": "12345678",
            "password2": "12345678",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert s.USERNAME_TAKEN in page
    assert s.BROKER_REGION_LEVEL in page
    assert "12345678" not in page  # password inputs are never re-rendered with their value
    assert response.context["form"].errors["password1"]


def test_create_page_requires_matching_passwords(users: dict[str, User]) -> None:
    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_create"),
        {
            "username": "luxi_x",
            "roles": ["viewer"],
            "home_region_code": "433122000000",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == [PASSWORDS_DIFFER]
    assert not User.objects.filter(username="luxi_x").exists()


def test_edit_page_saves_roles_and_region(users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"full_name": "改名", "roles": ["officer", "viewer"], "home_region_code": "433122107000", "is_active": "on"},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.roles, target.home_region_id) == ("改名", ["officer", "viewer"], "433122107000")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERMISSION)
    assert entry.changes["roles"] == [["officer"], ["officer", "viewer"]]


def test_edit_page_prefills_the_form(users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = _client(users["prefecture_admin"]).get(reverse("accounts:user_edit", args=[target.pk]))

    form = response.context["form"]
    assert form.initial["roles"] == ["officer"]
    assert form.initial["home_region_code"] == "433122000000"
    assert form.initial["is_active"] is True


def test_edit_own_account_keeps_roles_and_active_whatever_is_posted(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]

    response = _client(admin).post(
        reverse("accounts:user_edit", args=[admin.pk]),
        {"full_name": "周管理", "roles": ["viewer"], "home_region_code": "433100000000"},
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.first_name, admin.roles, admin.is_active) == ("周管理", ["admin"], True)


def test_edit_page_shows_service_errors(users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_edit", args=[target.pk]),
        {"roles": ["officer"], "home_region_code": "430523000000", "is_active": "on"},
    )

    assert response.status_code == 400
    assert s.REGION_OUT_OF_SCOPE in response.content.decode()
    target.refresh_from_db()
    assert target.home_region_id == "433122000000"


def test_password_page_resets_password(users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_password", args=[target.pk]), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_password_page_on_own_account_keeps_admin_signed_in(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]
    client = _client(admin)

    client.post(reverse("accounts:user_password", args=[admin.pk]), {"password1": PASSWORD, "password2": PASSWORD})
    response = client.get(reverse("accounts:user_list"))

    assert response.status_code == 200


def test_password_page_refuses_weak_password(users: dict[str, User]) -> None:
    target = users["county_officer"]
    before = User.objects.values_list("password", flat=True).get(pk=target.pk)

    response = _client(users["prefecture_admin"]).post(
        reverse("accounts:user_password", args=[target.pk]), {"password1": "password", "password2": "password"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert User.objects.values_list("password", flat=True).get(pk=target.pk) == before


def test_set_active_page_disables_and_enables(users: dict[str, User]) -> None:
    client = _client(users["prefecture_admin"])
    target = users["broker"]
    url = reverse("accounts:user_set_active", args=[target.pk])

    client.post(url, {})
    target.refresh_from_db()
    assert not target.is_active
    client.post(url, {"is_active": "on"})

    target.refresh_from_db()
    assert target.is_active


def test_set_active_page_refuses_own_account(users: dict[str, User]) -> None:
    admin = users["prefecture_admin"]
    client = _client(admin)

    response = client.post(reverse("accounts:user_set_active", args=[admin.pk]), {}, follow=True)

    admin.refresh_from_db()
    assert admin.is_active
    assert s.OWN_ACCOUNT_UNDEACTIVATABLE in response.content.decode()


def test_set_active_page_is_post_only(users: dict[str, User]) -> None:
    target = users["broker"]

    response = _client(users["prefecture_admin"]).get(reverse("accounts:user_set_active", args=[target.pk]))

    assert response.status_code == 405


def test_user_history_is_scoped_like_the_account(users: dict[str, User], fenghuang_admin: User) -> None:
    target = users["county_officer"]
    s.user_update(acting_user=users["prefecture_admin"], target=target, full_name="改名")
    url = reverse("audit:history", args=["user", target.pk])

    assert _client(users["prefecture_admin"]).get(url).status_code == 200
    assert _client(fenghuang_admin).get(url).status_code == 404
    assert _client(users["county_officer"]).get(url).status_code == 403


def test_access_managed_user_hides_missing_and_foreign_alike(users: dict[str, User]) -> None:
    from laborcoop.accounts.access_users import access_managed_user

    with pytest.raises(ObjectNotFound):
        access_managed_user(user=users["prefecture_admin"], target_id=999999)
    with pytest.raises(ObjectNotFound):
        access_managed_user(user=users["prefecture_admin"], target_id="abc")


def test_enterprise_user_is_managed_where_the_enterprise_is(users: dict[str, User]) -> None:
    from laborcoop.accounts.access_users import managed_users_for
    from tests.factories import EnterpriseFactory

    luxi_enterprise = EnterpriseFactory(region_id="433122000000")
    stray = make_user("stray_qiye", "370102000000", ["enterprise"], enterprise=luxi_enterprise)

    assert stray in managed_users_for(users["prefecture_admin"])
    assert users["enterprise"] not in managed_users_for(users["prefecture_admin"])  # 济南 enterprise
    assert stray not in managed_users_for(make_user("fenghuang_admin", "433123000000", ["admin"]))


def test_user_list_query_count_does_not_grow_with_rows(users: dict[str, User]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnterpriseFactory

    client = _client(users["province_admin"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:user_list")).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    enterprise = EnterpriseFactory(region_id="433122000000")
    for n in range(6):
        make_user(f"more_{n}", "433122107201", ["broker"])
        make_user(f"qiye_{n}", "433122000000", ["enterprise"], enterprise=enterprise)

    assert queries() == before
