"""The Django admin behind the access layer: staff only, capability-gated, scoped, read-only for domain
models, and never showing encrypted ID numbers, their hashes or full phone numbers."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.core.models import AuditEntry
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import Region
from laborcoop.registry.models import Household, Laborer
from tests.conftest import make_user
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def luxi_laborer(regions: dict[str, Any]) -> Laborer:
    """A laborer in 黑塘村 (泸溪县 武溪镇)."""
    return LaborerFactory(household=HouseholdFactory(region_id="433122107201"))


@pytest.fixture
def fenghuang_laborer(regions: dict[str, Any]) -> Laborer:
    """A laborer in 棉寨村 (凤凰县)."""
    return LaborerFactory(household=HouseholdFactory(region_id="433123109201"), id_number=fresh_id_number("433123"))


def _staff(username: str, region: str | None, roles: list[str], **extra: Any) -> User:
    return make_user(username, region, roles, is_staff=True, **extra)


@pytest.fixture
def staff_prefecture_admin(users: dict[str, User]) -> User:
    return _staff("zhou_staff", "433100000000", ["admin"])


@pytest.fixture
def staff_county_officer(users: dict[str, User]) -> User:
    return _staff("xian_staff", "433122000000", ["officer"])


def _rows(response: Any) -> list[Any]:
    return list(response.context["cl"].result_list)


def _admin_url(model: type, view: str, *args: Any) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


# --- who reaches the admin ---------------------------------------------------------------------------------


def test_anonymous_and_non_staff_are_sent_to_admin_login(users: dict[str, User]) -> None:
    for client in (Client(), client_for(users["prefecture_admin"])):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        listing = client.get(_admin_url(Laborer, "changelist"))
        assert listing.status_code == 302


def test_index_lists_only_models_the_roles_may_see(staff_county_officer: User) -> None:
    response = client_for(staff_county_officer).get(reverse("admin:index"))

    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert models == {"Household", "Laborer", "Enterprise", "JobPosting", "Region"}


def test_index_for_staff_admin_includes_users_and_audit(staff_prefecture_admin: User) -> None:
    response = client_for(staff_prefecture_admin).get(reverse("admin:index"))

    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"User", "AuditEntry", "Laborer"} <= models
    for app in response.context["app_list"]:
        for model in app["models"]:
            assert model["add_url"] is None, model["object_name"]


@pytest.mark.parametrize(("model", "expected"), [(User, 403), (AuditEntry, 403), (Laborer, 200), (Household, 200)])
def test_changelists_follow_capabilities(staff_county_officer: User, model: type, expected: int) -> None:
    response = client_for(staff_county_officer).get(_admin_url(model, "changelist"))

    assert response.status_code == expected


def test_staff_broker_cannot_see_enterprises(users: dict[str, User]) -> None:
    broker = _staff("jjr_staff", "433122107201", ["broker"])

    response = client_for(broker).get(_admin_url(Enterprise, "changelist"))

    assert response.status_code == 403


# --- registry: scoped, read-only, masked -------------------------------------------------------------------


def test_laborer_list_is_scoped(staff_county_officer: User, luxi_laborer: Laborer, fenghuang_laborer: Laborer) -> None:
    response = client_for(staff_county_officer).get(_admin_url(Laborer, "changelist"))

    assert _rows(response) == [luxi_laborer]
    assert fenghuang_laborer.name not in response.content.decode()


def test_household_list_is_scoped(
    staff_county_officer: User, luxi_laborer: Laborer, fenghuang_laborer: Laborer
) -> None:
    response = client_for(staff_county_officer).get(_admin_url(Household, "changelist"))

    assert _rows(response) == [luxi_laborer.household]


def test_laborer_outside_scope_is_treated_as_missing(staff_county_officer: User, fenghuang_laborer: Laborer) -> None:
    response = client_for(staff_county_officer).get(_admin_url(Laborer, "change", fenghuang_laborer.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_laborer_page_shows_masked_values_only(staff_county_officer: User, luxi_laborer: Laborer) -> None:
    luxi_laborer.refresh_from_db()

    response = client_for(staff_county_officer).get(_admin_url(Laborer, "change", luxi_laborer.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert luxi_laborer.id_masked in page
    assert "138****5678" in page
    for secret in (
        luxi_laborer.id_number_enc,
        luxi_laborer.id_number_hash,
        luxi_laborer.reveal_id_number(),
        luxi_laborer.phone,
    ):
        assert secret not in page
    assert "id_number_enc" not in page
    assert "id_number_hash" not in page


def test_laborer_cannot_be_changed_added_or_deleted(staff_prefecture_admin: User, luxi_laborer: Laborer) -> None:
    client = client_for(staff_prefecture_admin)
    name = luxi_laborer.name

    change = client.post(_admin_url(Laborer, "change", luxi_laborer.pk), {"name": "改过的名字"})
    add = client.get(_admin_url(Laborer, "add"))
    delete = client.post(_admin_url(Laborer, "delete", luxi_laborer.pk), {"post": "yes"})
    household_delete = client.post(_admin_url(Household, "delete", luxi_laborer.household_id), {"post": "yes"})

    assert [change.status_code, add.status_code, delete.status_code, household_delete.status_code] == [
        403,
        403,
        403,
        403,
    ]
    luxi_laborer.refresh_from_db()
    assert luxi_laborer.name == name
    assert Laborer.objects.filter(pk=luxi_laborer.pk).exists()
    assert Household.objects.filter(pk=luxi_laborer.household_id).exists()


def test_superuser_cannot_delete_laborers_either(luxi_laborer: Laborer, users: dict[str, User]) -> None:
    operator = make_user("ops", None, [], is_staff=True, is_superuser=True)

    response = client_for(operator).post(_admin_url(Laborer, "delete", luxi_laborer.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Laborer.objects.filter(pk=luxi_laborer.pk).exists()


# --- accounts ----------------------------------------------------------------------------------------------


def test_user_admin_is_scoped_like_the_account_pages(staff_prefecture_admin: User, users: dict[str, User]) -> None:
    client = client_for(staff_prefecture_admin)

    listing = client.get(_admin_url(User, "changelist"))
    province = client.get(_admin_url(User, "change", users["province_admin"].pk))

    names = {u.username for u in _rows(listing)}
    assert names == {"zhou_staff", "zhou_t", "xian_t", "fenghuang_t", "xiang_t", "jjr_t", "viewer_t"}
    assert province.status_code == 302


def test_staff_admin_cannot_change_users_in_the_admin(staff_prefecture_admin: User, users: dict[str, User]) -> None:
    target = users["county_officer"]

    response = client_for(staff_prefecture_admin).post(
        _admin_url(User, "change", target.pk), {"is_staff": "on", "roles": '["admin"]'}
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert (target.is_staff, target.roles) == (False, ["officer"])


def test_superuser_grants_staff_in_the_admin_with_audit(users: dict[str, User]) -> None:
    operator = make_user("ops", None, [], is_staff=True, is_superuser=True)
    target = users["county_officer"]

    response = client_for(operator).post(
        _admin_url(User, "change", target.pk), {"is_staff": "on", "roles": '["admin"]', "username": "hacked"}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.is_staff, target.roles, target.username) == (True, ["officer"], "xian_t")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERMISSION)
    assert (entry.actor, entry.changes) == (operator, {"is_staff": [False, True]})


def test_users_are_never_deleted_or_added_in_the_admin(users: dict[str, User]) -> None:
    operator = make_user("ops", None, [], is_staff=True, is_superuser=True)
    client = client_for(operator)

    delete = client.post(_admin_url(User, "delete", users["broker"].pk), {"post": "yes"})
    add = client.get(_admin_url(User, "add"))

    assert (delete.status_code, add.status_code) == (403, 403)
    assert User.objects.filter(pk=users["broker"].pk).exists()


# --- employers and regions ---------------------------------------------------------------------------------


def test_enterprise_and_job_admin_are_scoped_and_read_only(staff_county_officer: User, users: dict[str, User]) -> None:
    luxi = EnterpriseFactory(region_id="433122000000")
    JobPostingFactory(enterprise=luxi)
    JobPostingFactory(enterprise=users["enterprise"].enterprise)  # 济南: outside 泸溪县
    client = client_for(staff_county_officer)

    enterprises = client.get(_admin_url(Enterprise, "changelist"))
    jobs = client.get(_admin_url(JobPosting, "changelist"))
    change = client.post(_admin_url(Enterprise, "change", luxi.pk), {"name": "改名"})

    assert _rows(enterprises) == [luxi]
    assert [j.enterprise for j in _rows(jobs)] == [luxi]
    assert change.status_code == 403
    luxi.refresh_from_db()
    assert luxi.name != "改名"


def test_region_admin_lists_the_users_subtree(staff_county_officer: User) -> None:
    response = client_for(staff_county_officer).get(_admin_url(Region, "changelist"))

    codes = {r.code for r in _rows(response)}
    assert codes
    assert all(code.startswith("433122") for code in codes)
    assert client_for(staff_county_officer).get(_admin_url(Region, "add")).status_code == 403
