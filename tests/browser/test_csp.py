"""The strict Content-Security-Policy in Chromium: the pages of every role load with no CSP violation, no
uncaught script error and no console error at all; htmx still works under the policy; the behaviours moved
out of inline handlers (the region picker, the export link that follows the filters) still work; Swagger UI
renders under its own, relaxed style policy. The header values themselves: tests/core/test_security_headers.py.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from laborcoop.matching.choices import RecState
from laborcoop.matching.models import Recommendation
from laborcoop.matching.tokens import personal_link_token
from laborcoop.notifications.services import notification_enqueue
from laborcoop.tracking.choices import TaskKind
from laborcoop.tracking.models import FollowUpTask
from tests.browser.console import watch_console
from tests.factories import EnterpriseFactory, JobPostingFactory, LaborerFactory, UserFactory
from tests.tracking.test_trajectory import build_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["province_admin", "prefecture_admin", "county_officer", "broker", "hotline", "enterprise"]


@pytest.fixture
def watched(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A desktop-sized page (every menu group laid out) and the console problems of its context."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    problems = watch_console(context, all_errors=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page, problems
    context.close()


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)  # home: a desk for brokers and the hotline


def menu_paths(page: Any) -> list[str]:
    """Every page the navigation bar offers this user (the menus grow; the test follows)."""
    hrefs: list[str] = page.eval_on_selector_all("header .nav a[href]", "links => links.map(a => a.pathname)")
    return list(dict.fromkeys(hrefs))


def visit(page: Any, base: str, path: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response is not None
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.wait_for_load_state("networkidle")  # htmx parts loaded after the page (hx-trigger="load")


@pytest.mark.parametrize("role", ROLES)
def test_pages_of_a_role_run_under_the_policy(
    role: str, live_server: Any, watched: tuple[Any, list[str]], users: dict[str, Any]
) -> None:
    page, problems = watched
    user = users[role]
    history = build_history(users["broker"])  # employment, wages, insurance, a follow-up: the trajectory chart
    FollowUpTask.objects.create(
        laborer=history.laborer,
        region_id=history.laborer.region_id,
        kind=TaskKind.CONTACT,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    job = JobPostingFactory(enterprise=users["enterprise"].enterprise, title="电子厂操作工")
    notification_enqueue(
        channel="in_app",
        recipient_user=user,
        template="job_recommended",
        context={"name": "张三", "job_count": 1, "link": "/matching/r/x/", "valid_days": 7},
        dedupe_key=f"csp-{role}",
        region_code="433122107201",
    )
    base = live_server.url

    login(page, base, user.username)
    paths = ["/", *menu_paths(page), "/notifications/", "/api/docs/"]
    if "registry.view" in user.caps:
        paths += [f"/registry/laborers/{history.laborer.pk}/"]  # the SVG chart and its legend
    if role == "broker":
        paths += [f"/tracking/laborers/{history.laborer.pk}/log/"]  # the radio choices
    if role == "enterprise":
        paths += [f"/employers/jobs/{job.pk}/", f"/matching/jobs/{job.pk}/"]
    assert len(paths) >= 5
    for path in dict.fromkeys(paths):
        visit(page, base, path)

    assert not problems, "\n".join(problems)


def test_htmx_filter_and_the_moved_handlers_work(
    live_server: Any, watched: tuple[Any, list[str]], users: dict[str, Any]
) -> None:
    page, problems = watched
    enterprise = EnterpriseFactory(name="泸溪白沙制衣有限公司", region_id="433122107000")
    JobPostingFactory(title="电子厂操作工", enterprise=enterprise)
    JobPostingFactory(title="缝纫普工", enterprise=enterprise)
    base = live_server.url
    login(page, base, users["county_officer"].username)

    # htmx: the job filter form swaps the rows in place (hx-get) and pushes the URL, no page load.
    visit(page, base, "/employers/jobs/")
    page.evaluate("window.__same_document = true")
    assert page.locator("#job-rows tbody tr").count() == 2
    page.fill("form.filters input[name=q]", "缝纫")
    page.press("form.filters input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/employers/jobs/\?.*q=%E7%BC%9D%E7%BA%AB.*"))
    page.locator("#job-rows tbody tr").nth(1).wait_for(state="detached")
    assert "缝纫普工" in page.inner_text("#job-rows")
    assert page.evaluate("window.__same_document") is True  # swapped by htmx, not reloaded
    # htmx injected no <style> (blocked by the CSP): its indicator rules come from app.css.
    assert page.locator("head style").count() == 0

    # The export link takes the filters shown on screen, set by htmx after the page loaded (was an onclick=).
    page.click("#export-link")
    page.wait_for_url(re.compile(r".*/exports/new/jobs/\?.*q=%E7%BC%9D%E7%BA%AB.*"))

    # The region picker submits on change (was an inline onchange=).
    visit(page, base, "/registry/laborers/")
    page.select_option(".picker select[name=region]", "433122107000")
    page.wait_for_url(re.compile(r".*region=433122107000.*"))
    assert "武溪镇" in page.inner_text(".picker strong")

    assert not problems, "\n".join(problems)


def test_personal_link_page_and_answer_under_the_policy(
    live_server: Any, watched: tuple[Any, list[str]], users: dict[str, Any]
) -> None:
    page, problems = watched
    history = build_history(users["broker"])
    base = live_server.url
    # build_history's recommendation has no score factors, which the transition's full_clean refuses.
    Recommendation.objects.filter(laborer=history.laborer).update(
        factors=[{"name": "occupation", "points": 20, "explanation": "工种相符"}]
    )
    token = personal_link_token(laborer_id=history.laborer.pk)
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))

    visit(page, base, f"/matching/r/{token}/")
    page.click("button:has-text('我有意向')")
    page.wait_for_load_state("networkidle")

    # The answer passed Django's CSRF check: the page's Referrer-Policy keeps the Origin header of its posts.
    assert Recommendation.objects.get(laborer=history.laborer).state == RecState.INTERESTED
    # Static files, the form post, the redirect: each Referer is the bare origin, never the path with the token.
    referers = {r.headers.get("referer") for r in requests}
    assert referers - {None} == {f"{base}/"}
    assert not problems, "\n".join(problems)


def test_swagger_ui_renders_with_no_inline_script(
    live_server: Any, watched: tuple[Any, list[str]], users: dict[str, Any]
) -> None:
    page, problems = watched
    base = live_server.url
    login(page, base, users["county_officer"].username)

    response = page.goto(f"{base}/api/docs/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]  # the start-up script is a file (/api/docs/?script), not inline
    assert "'unsafe-eval'" not in policy
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 10

    assert not problems, "\n".join(problems)


def test_django_admin_runs_under_the_policy(
    live_server: Any, watched: tuple[Any, list[str]], users: dict[str, Any]
) -> None:
    page, problems = watched
    UserFactory(username="root", is_staff=True, is_superuser=True, home_region_id="430000000000", roles=["admin"])
    laborer = LaborerFactory()
    base = live_server.url

    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "demo-2026")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/registry/laborer/",
        f"/admin/registry/laborer/{laborer.pk}/change/",
    ]:
        visit(page, base, path)

    assert not problems, "\n".join(problems)
