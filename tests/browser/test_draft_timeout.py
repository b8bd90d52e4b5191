"""A member writing a proposal loses nothing when the session ends: the text is kept in the browser as it is
typed, the login page says the session ended, and after logging in again the form has the text back."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from lvzhi.proposals.models import Proposal
from tests.browser.test_proposal_flow import login
from tests.conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于在城区开通夜间公交线路的建议"
SITUATION = "城区夜间23时后没有公交，夜班职工出行困难。"


def test_draft_survives_a_session_timeout(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"草稿测试市政协{viewport}")
    base = live_server.url
    page = new_page()
    login(page, base, world.user("member0").username)
    page.goto(f"{base}/proposals/new/")
    page.get_by_label("案由").press_sequentially(TITLE[:6])  # typed key by key, as a member does
    page.get_by_label("案由").fill(TITLE)
    page.get_by_label("情况").fill(SITUATION)

    # the session ends on the server's side: the browser no longer has a valid session cookie
    context = page.context
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    assert len(kept) < len(context.cookies())
    context.clear_cookies()
    context.add_cookies(kept)  # type: ignore[arg-type]
    page.reload()
    expect(page).to_have_url(f"{base}/login/?next=/proposals/new/")
    expect(page.locator("#session-ended")).to_contain_text("登录已失效")

    page.get_by_label("用户名").fill(world.user("member0").username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/proposals/new/")
    expect(page.get_by_label("案由")).to_have_value(TITLE)
    expect(page.get_by_label("情况")).to_have_value(SITUATION)
    expect(page.locator(".draft-restored")).to_be_visible()

    # saved: the browser's copy is gone, a new form starts empty
    page.get_by_label("具体建议").fill("开通两条夜间线路。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    assert Proposal.objects.filter(title=TITLE, situation=SITUATION).exists()
    page.goto(f"{base}/proposals/new/")
    expect(page.get_by_label("案由")).to_have_value("")
    assert page.locator(".draft-restored").count() == 0

    # a deliberate logout: the login page does not speak of a timeout, and no copy stays in the browser
    page.goto(f"{base}/proposals/new/")
    page.get_by_label("案由").fill("另一件尚未保存的提案")
    if viewport == "phone":
        page.locator("[data-nav-toggle]").click()  # on a phone the account links are in the menu
    page.locator("form.logout button").click()
    expect(page).to_have_url(f"{base}/login/")
    assert page.locator("#session-ended").count() == 0
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('lvzhi-draft:')).length") == 0
