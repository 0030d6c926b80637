"""Every page of every demo role fits a 390 px phone: after `demo_setup`, each of the seven demo logins walks its
pages in headless Chromium at 390x844 (the home page, then every same-site link three clicks deep, one page per
URL shape: /matching/jobs/59/ stands for every job page) and no page is wider than the screen, nor a reflowed
table wider than its box. Charts are drawn
for the screen they are on: no chart label is rendered smaller than MIN_LABEL_PX."""

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from laborcoop.demo.generator import regions as demo_regions
from tests.browser.console import watch_console
from tests.regions_fixture import load_sample_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MIN_LABEL_PX = 9.5
ROLES = ("sheng", "zhou", "xian", "xiang", "jjr", "qiye", "rexian")
# Not pages: signing out, static files, the API and its documentation, the Django admin, file downloads.
SKIPPED = ("/accounts/logout", "/static/", "/api/", "/admin/")
DOWNLOAD = re.compile(r"/templates/|/download|/report/$|/feedback/$|\.(xlsx|xls|csv|pdf)$")
ID_SEGMENT = re.compile(r"/(?:\d+|[0-9a-f]{8,}[^/]*|[0-9]{12})(?=/|$)")

# The widest element that sticks out, for the failure message.
WIDEST = """() => {
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && (!worst || r.right > worst.right)) {
      worst = {right: Math.round(r.right), tag: el.tagName.toLowerCase(), cls: el.className.toString().slice(0, 40),
               text: (el.innerText || '').slice(0, 30)};
    }
  }
  return worst;
}"""
# Reflowed tables (class responsive) wider than their box: cells cut off or scrolled sideways on a phone.
CRAMPED_TABLES = """() => [...document.querySelectorAll('table.responsive')]
  .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
  .map(t => (t.id || t.className) + ' ' + Math.round(t.getBoundingClientRect().width) + ' px')"""
# The smallest rendered font size of a visible chart label (SVG text scaled by its viewBox).
SMALLEST_LABEL = """() => {
  let smallest = null;
  for (const t of document.querySelectorAll('svg text')) {
    const svg = t.ownerSVGElement;
    if (!svg || svg.getBoundingClientRect().width === 0 || t.getClientRects().length === 0) continue;
    if (svg.closest('[aria-hidden=true]')) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
    if (smallest === null || px < smallest.px) smallest = {px: Math.round(px * 10) / 10, text: t.textContent};
  }
  return smallest;
}"""


def _shape(path: str) -> str:
    return ID_SEGMENT.sub("/N", path)


def _walk(page: Any, base: str) -> tuple[int, list[str]]:
    problems: list[str] = []
    shapes: set[str] = set()
    frontier = ["/"]
    opened = 0
    for _depth in range(4):  # the home page, then three clicks
        following: list[str] = []
        for href in frontier:
            shape = _shape(href)
            if shape in shapes or DOWNLOAD.search(href):
                continue
            shapes.add(shape)
            response = page.goto(base + href)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{href}: {width} px wide, {page.evaluate(WIDEST)}")
            for table in page.evaluate(CRAMPED_TABLES):
                problems.append(f"{href}: reflowed table {table} wide, wider than its box")
            label = page.evaluate(SMALLEST_LABEL)
            if label is not None and label["px"] < MIN_LABEL_PX:
                problems.append(f"{href}: chart label {label['text']!r} drawn at {label['px']} px")
            for link in page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))"):
                path = link.split("#")[0].split("?")[0]
                if path and not path.startswith(SKIPPED):
                    following.append(path)
        frontier = following
    return opened, problems


def test_every_page_of_every_role_fits_a_phone(live_server: Any, browser: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    load_sample_regions()
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)  # the sample tree stands in for the country
    call_command("demo_setup", laborers=200, stdout=StringIO())
    base = live_server.url
    failures: list[str] = []
    opened = 0
    for username in ROLES:
        context = browser.new_context(locale="zh-CN", viewport=PHONE)
        console = watch_console(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "demo-2026")
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)  # brokers and the hotline land on their desk
            count, problems = _walk(page, base)
            opened += count
            failures += [f"{username}: {p}" for p in problems + console]
        finally:
            context.close()
    assert not failures, "\n".join(failures)
    assert opened > 150  # the walk went through every role's pages, not just the home pages
