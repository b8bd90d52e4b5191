"""Setting up a livelihood-project vote in a real browser (Debian's chromium): staff on a desktop pick the
collection, three screened candidates for three places — refused, the message under the candidates — then
two places; they record the standing committee's approval date; the presiding officer can then open it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Screening, Vote
from tests.browser.test_livelihood_vote import page_for
from tests.browser.test_proposal_flow import login
from tests.cases.npc import build_npc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_set_up_and_approve_a_vote(live_server: Any, browser: Browser) -> None:
    npc = build_npc("浏览器设立票决市人大")
    staff = npc.user("staff")
    today = timezone.localdate()
    window = act.open_collection(staff, npc.council, year=today.year, opens=today, closes=today)
    titles = ["老旧小区加装电梯", "中小学课后服务", "社区长者饭堂"]
    for i, title in enumerate(titles):
        act.screen_project(staff, act.submit_project(npc.user(f"deputy{i}"), window, title=title),
                           outcome=Screening.ACCEPTED)
    base = live_server.url
    page = page_for(browser, "desktop")
    login(page, base, staff.username)
    page.goto(f"{base}/livelihood/")
    page.get_by_role("link", name="新建表决").click()
    page.get_by_label("项目征集（年度）").select_option(label=str(window))
    expect(page.get_by_label("全体代表人数")).to_have_value("5")
    for title in titles:
        page.get_by_label(title, exact=False).check()
    page.get_by_label("应选项目数").fill("3")
    page.get_by_role("button", name="创建表决").click()
    expect(page.get_by_role("alert")).to_contain_text("候选项目数（3）须多于应选项目数（3）")
    page.get_by_label("应选项目数").fill("2")
    page.get_by_role("button", name="创建表决").click()
    expect(page.locator("h1")).to_have_text(f"{today.year}年民生实事项目票决")
    page.get_by_label("通过候选名单的常委会会议日期").fill(today.isoformat())
    page.get_by_role("button", name="登记候选名单通过").click()
    expect(page.get_by_text(f"候选名单已经 {today:%Y-%m-%d} 常委会会议通过。")).to_be_visible()
    vote = Vote.objects.get()
    assert (vote.places, vote.electorate, vote.candidates.count(), vote.list_meeting_on) == (2, 5, 3, today)
    officer = page_for(browser, "desktop")
    login(officer, base, npc.user("leader").username)
    officer.goto(f"{base}/livelihood/votes/{vote.pk}/")
    officer.get_by_role("button", name="宣布开始表决").click()
    expect(officer.locator("#vote-status")).to_have_text("表决进行中")
