"""Headless Chromium (Debian's package) driven by Playwright. No browser is downloaded.

Every browser test also runs as a check of the Content-Security-Policy: the `page` fixture's context records
any CSP violation and any uncaught script error in any of its pages, and the test fails on them.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.console import watch_console

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run scripts/ensure-chromium.sh")
    # Playwright's sync API runs an event loop in this thread; Django's test DB access stays synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    problems = watch_console(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert not problems, "CSP violations or script errors in the browser:\n" + "\n".join(problems)
