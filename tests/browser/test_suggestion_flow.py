"""A joint deputies' suggestion through every step in a real browser (Debian's chromium), on a phone and a
desktop viewport: the deputy drafts and submits, the seconding deputy confirms, the staff accept and assign
lead + co-handling, the co-handler gives its opinion, the clerk records the talk (面商) and drafts the reply
with a PDF, the unit leader previews the letter and signs it off, and each deputy returns the opinion form."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lvzhi.cases.models import Evaluation, Reply
from lvzhi.suggestions.models import Suggestion
from tests.browser.test_proposal_flow import MINIMAL_PDF, login, open_step
from tests.cases.npc import build_npc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于优化侨乡公交线网的建议"


def fill_opinion_form(page: Page, result: str = "满意") -> None:
    step = open_step(page, "意见征询表")
    for legend, level in (("联系沟通", "满意"), ("办理态度", "满意"), ("办理结果", result)):
        step.locator("fieldset", has=page.locator("legend", has_text=legend)).get_by_label(level, exact=True).check()
    step.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("意见征询表已提交")


def test_joint_suggestion_in_the_browser(live_server: Any, new_page: Any, tmp_path: Path, viewport: str) -> None:
    npc = build_npc(f"浏览器测试市人大{viewport}")
    base = live_server.url

    # 1. the leading deputy drafts on the phone-first form and invites a seconding deputy
    deputy = new_page()
    login(deputy, base, npc.user("deputy0").username)
    deputy.goto(f"{base}/suggestions/")
    deputy.get_by_role("link", name="提出建议").first.click()
    deputy.get_by_label("标题").fill(TITLE)
    deputy.get_by_label("内容").fill("一、增开社区微循环公交；二、优化换乘站点。")
    deputy.get_by_label("附议代表").select_option(label=npc.deputies[1].name)
    deputy.get_by_role("button", name="保存").click()
    expect(deputy.locator("h1")).to_have_text(TITLE)
    s = Suggestion.objects.get(title=TITLE)
    detail = f"{base}/suggestions/{s.pk}/"

    # 2. the seconding deputy confirms
    seconder = new_page()
    login(seconder, base, npc.user("deputy1").username)
    seconder.goto(detail)
    step = open_step(seconder, "附议邀请")
    step.get_by_label("确认附议").check()
    step.locator("button[type=submit]").click()
    expect(seconder.locator("#deputies")).to_contain_text("已确认")

    # 3. the deputy submits
    deputy.goto(detail)
    open_step(deputy, "提交建议").get_by_role("button", name="提交").click()
    expect(deputy.locator(".case-meta")).to_contain_text("待受理")
    expect(deputy.locator(".case-meta")).to_contain_text("闭会期间")

    # 4. the staff accept and assign a lead and a co-handling unit
    staff = new_page()
    login(staff, base, npc.user("staff").username)
    staff.goto(detail)
    open_step(staff, "受理").locator("button[type=submit]").click()
    expect(staff.locator(".case-meta")).to_contain_text("16-3-001")
    step = open_step(staff, "交办")
    step.get_by_label("主办 + 会办").check()
    step.get_by_label("承办单位（单办、主办或第一个分办单位）").select_option(label=npc.units[0].name)
    step.get_by_label("会办单位或其他分办单位").select_option(label=npc.units[1].name)
    step.locator("button[type=submit]").click()
    expect(staff.locator(".case-meta")).to_contain_text("办理中")

    # 5. the co-handling unit gives its opinion
    co = new_page()
    login(co, base, npc.user("clerk1").username)
    co.goto(detail)
    step = open_step(co, "提交会办意见")
    step.get_by_label("会办意见").fill("同意增开线路，站点配套由我局落实。")
    step.locator("button[type=submit]").click()
    expect(co.locator(".messages")).to_contain_text("会办意见已送主办单位")

    # 6. the lead clerk records the talk with the deputy and drafts the reply with a PDF
    pdf = tmp_path / "答复函.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    clerk = new_page()
    login(clerk, base, npc.user("clerk0").username)
    clerk.goto(detail)
    expect(clerk.locator(".co-opinions")).to_contain_text("站点配套由我局落实")
    step = open_step(clerk, "沟通记录（面商）")
    step.get_by_label("当面沟通").check()
    step.get_by_label("沟通情况").fill("当面听取陈代表意见，代表同意分两步实施。")
    step.locator("button[type=submit]").click()
    expect(clerk.locator(".contacts")).to_contain_text("当面听取陈代表意见")
    step = open_step(clerk, "拟写答复")
    step.get_by_label(re.compile("A类：")).check()
    step.get_by_label("答复内容").fill("已增开两条社区微循环线路，换乘站点年内完成优化。")
    step.get_by_label("答复函附件").set_input_files(str(pdf))
    step.locator("button[type=submit]").click()
    expect(clerk.locator(".messages")).to_contain_text("答复已提交负责人签发")

    # 7. the unit leader previews the letter and signs it off
    head = new_page()
    login(head, base, npc.user("head0").username)
    head.goto(detail)
    head.get_by_role("link", name=re.compile("预览答复函并签发")).click()
    letter = head.locator("#letter")
    expect(letter).to_contain_text(f"{npc.deputies[0].name}、{npc.deputies[1].name}")
    expect(letter).to_contain_text("已增开两条社区微循环线路")
    expect(letter).to_contain_text("站点配套由我局落实")
    expect(letter).to_contain_text("答复函.pdf")
    head.get_by_role("button", name="签发", exact=True).click()
    expect(head.locator(".case-meta")).to_contain_text("已答复待反馈")

    # 8. each deputy returns the opinion form
    deputy.goto(detail)
    fill_opinion_form(deputy)
    seconder.goto(detail)
    fill_opinion_form(seconder, result="基本满意")
    expect(seconder.locator(".case-meta")).to_contain_text("已反馈")
    seconder.screenshot(path=str(tmp_path / f"suggestion-{viewport}.png"), full_page=True)
    reply = Reply.objects.get(assignment__object_id=s.pk, assignment__role="lead")
    assert reply.status == "signed" and reply.grade.code == "A"
    assert sorted(e.scores["result"] for e in Evaluation.objects.filter(reply=reply)) == ["basically", "satisfied"]
