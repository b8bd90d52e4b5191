"""The livelihood-project vote in a real browser (Debian's chromium): the presiding officer opens the vote
on a desktop; a deputy votes on a phone (375 px) — the server refuses two 赞成 for one place, then the
ballot goes in and the receipt is shown; the officer's turnout figure follows by itself; staff register a
paper ballot, the officer closes, staff import the paper tally, and the officer sees and publishes the
result. Expected figures worked out by hand below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect

from lvzhi.livelihood import actions as act
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_proposal_flow import login
from tests.cases.npc import build_npc
from tests.livelihood.helpers import make_vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_for(browser: Browser, viewport: str) -> Page:
    ctx = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN",  # type: ignore[arg-type]
                              is_mobile=viewport == "phone")
    ctx.set_default_timeout(15000)
    return ctx.new_page()


def ballot_row(page: Page, code: str) -> Any:
    return page.locator("fieldset", has=page.locator("legend", has_text=f"{code} "))


def test_deputy_votes_on_a_phone_and_the_officer_closes(live_server: Any, browser: Browser, tmp_path: Path) -> None:
    npc = build_npc("浏览器票决市人大")
    vote = make_vote(npc, places=1, candidates=3, electorate=5, opened=False)
    base = live_server.url
    url = f"{base}/livelihood/votes/{vote.pk}/"

    officer = page_for(browser, "desktop")
    login(officer, base, npc.user("leader").username)
    officer.goto(url)
    officer.get_by_role("button", name="宣布开始表决").click()
    expect(officer.locator("#vote-status")).to_have_text("表决进行中")
    expect(officer.locator("#turnout [data-voted]")).to_have_text("0")

    deputy = page_for(browser, "phone")
    login(deputy, base, npc.user("deputy0").username)
    deputy.goto(f"{base}/livelihood/")
    deputy.get_by_role("link", name=vote.title).click()
    ballot_row(deputy, "01").get_by_label("赞成").check()
    ballot_row(deputy, "02").get_by_label("赞成").check()
    deputy.get_by_role("button", name="投票").click()
    expect(deputy.get_by_role("alert")).to_contain_text("赞成票不能多于应选项目数")
    expect(ballot_row(deputy, "01").get_by_label("赞成")).to_be_checked()  # the choices are kept
    ballot_row(deputy, "02").get_by_label("反对").check()
    deputy.get_by_role("button", name="投票").click()
    receipt = deputy.locator("#receipt").inner_text()
    assert len(receipt) == 12
    # Fits a phone: nothing wider than the 375 px screen.
    assert deputy.evaluate("document.documentElement.scrollWidth") <= 375
    deputy.goto(url)
    expect(deputy.get_by_role("status").first).to_contain_text("您已投票")

    # The officer's turnout follows without reloading (polled every 3 s).
    expect(officer.locator("#turnout [data-voted]")).to_have_text("1", timeout=12000)
    act.cast_ballot(npc.user("deputy1"), vote, {"01": "赞成"})
    act.issue_paper_ballots(npc.user("staff"), vote, [npc.deputies[2]])
    expect(officer.locator("#turnout [data-voted]")).to_have_text("3", timeout=12000)
    officer.get_by_role("button", name="宣布结束表决并计票").click()
    expect(officer.locator("#vote-status")).to_have_text("表决已结束")

    # Staff import the paper tally: one ballot, 赞成 01.
    wb = Workbook()
    wb.active.append(["选票编号", "01", "02", "03"])
    wb.active.append(["P001", "赞成", None, "反对"])
    path = tmp_path / "tally.xlsx"
    wb.save(path)
    staff = page_for(browser, "desktop")
    login(staff, base, npc.user("staff").username)
    staff.goto(url)
    staff.get_by_label("计票表（xlsx）").set_input_files(str(path))
    staff.get_by_role("button", name="导入并计票").click()
    expect(staff.locator(".messages")).to_contain_text("已导入纸质选票 1 张")

    # 3 ballots (2 online + 1 paper), all valid. 01: 赞成 d0 d1 P001 = 3 of 5 deputies > half → 当选.
    # 02: 反对 d0 = 1, 弃权 2; 03: 反对 P001 = 1.
    officer.goto(url)
    result = officer.locator("#result")
    expect(result).to_contain_text("收回选票 3 张，有效 3 张，无效 0 张；空缺名额 0 个")
    rows = result.locator("tbody tr")
    for i, (yes, no, abstain, outcome) in enumerate([("3", "0", "0", "当选"), ("0", "1", "2", "未当选"),
                                                      ("0", "1", "2", "未当选")]):
        expect(rows.nth(i).locator("td")).to_have_text([f"0{i + 1}", vote.candidates.order_by("code")[i].title,
                                                         yes, no, abstain, outcome])
    officer.get_by_role("button", name="公布结果").click()
    expect(officer.locator("#vote-status")).to_have_text("结果已公布")
    deputy.goto(url)
    expect(deputy.locator("#result")).to_contain_text("当选")
    deputy.get_by_label("回执码").fill(receipt)
    deputy.get_by_role("button", name="核实").click()
    expect(deputy.locator("#verify-result")).to_contain_text("已计入")
