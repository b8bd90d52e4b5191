"""Headless-browser fixtures: Debian's chromium driven by Playwright against Django's live server.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM calls there as
"async-unsafe"; the test thread only prepares data before pages are driven, so the check is lifted here.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags that work on these machines (no network but loopback; running as root).
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]
VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: Any) -> str:
    return str(request.param)


@pytest.fixture
def new_page(browser: Browser, viewport: str) -> Iterator[Any]:
    """A factory of fresh pages (one browser context each, so each user has their own session)."""
    contexts = []

    def make() -> Page:
        ctx = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN",  # type: ignore[arg-type]
                                  is_mobile=viewport == "phone")
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
