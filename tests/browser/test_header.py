"""The header on a 375 px phone and a 1366 px desktop: on the phone one line (brand, 通知, 菜单) far below the
190 px it once took, the account links in the menu; every header link and button at least 44 × 44 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def test_header_height_and_tap_targets(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"页头测试市政协{viewport}")
    page = new_page()
    login(page, live_server.url, world.user("staff").username)
    page.goto(f"{live_server.url}/proposals/")
    header = page.locator("header.topbar")
    notify = page.locator(".notify-link")
    password = page.locator(".userbox a", has_text="修改密码")
    logout = page.locator("form.logout button")
    if viewport == "phone":
        height = _box(header)["height"]
        assert height <= 64, height  # one line: 44 px targets and a little padding (was 166 px for staff)
        assert _box(page.locator("main"))["y"] <= 64
        expect(password).to_be_hidden()
        page.locator("[data-nav-toggle]").click()  # the menu holds the account links and the language
        expect(password).to_be_visible()
        expect(logout).to_be_visible()
        expect(page.locator("#lang-select")).to_be_visible()
    else:
        assert _box(header)["height"] <= 2 * TAP + 24  # at most two rows (a staff menu and the account links)
    targets = [notify, password, logout, page.locator("#site-nav a").first]
    if viewport == "phone":
        targets.append(page.locator("[data-nav-toggle]"))
    for target in targets:
        box = _box(target)
        assert box["height"] >= TAP and box["width"] >= TAP, (target, box)
