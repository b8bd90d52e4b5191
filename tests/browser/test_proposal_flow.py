"""The proposal lifecycle in a real browser (Debian's chromium), on a phone and a desktop viewport:
a member submits with a co-signer, staff file and assign, a unit replies with a PDF, its leader signs off,
and the member rates the reply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lvzhi.proposals.models import Evaluation, Proposal
from tests.conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(f"{base}/login/")


def open_step(page: Page, title: str) -> Any:
    """Open the step's <details> on the case page and return it."""
    step = page.locator("details.step", has=page.locator("summary", has_text=title)).first
    step.locator("summary").click()
    return step


def test_member_to_rating_in_the_browser(live_server: Any, new_page: Any, tmp_path: Path, viewport: str) -> None:
    world = build_world(f"浏览器测试市政协{viewport}")
    base = live_server.url
    member, cosigner = world.user("member0"), world.user("member1")

    # 1. the member drafts a proposal and invites a co-signer
    page = new_page()
    login(page, base, member.username)
    page.goto(f"{base}/proposals/new/")
    page.get_by_label("案由").fill("关于加强侨乡历史建筑保护利用的建议")
    page.get_by_label("情况").fill("侨乡历史建筑数量多，部分年久失修。")
    page.get_by_label("具体建议").fill("一、建立保护名录；二、设立修缮专项资金。")
    page.get_by_label("邀请联名人").select_option(label=f"{world.members[1].name}（{world.members[1].sector}）")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("关于加强侨乡历史建筑保护利用的建议")
    proposal = Proposal.objects.get(title="关于加强侨乡历史建筑保护利用的建议")
    detail = f"{base}/proposals/{proposal.pk}/"

    # 2. the co-signer confirms
    page2 = new_page()
    login(page2, base, cosigner.username)
    page2.goto(detail)
    step = open_step(page2, "联名邀请")
    step.get_by_label("确认联名").check()
    step.locator("button[type=submit]").click()
    expect(page2.locator("body")).to_contain_text("已确认")

    # 3. the member submits
    page.goto(detail)
    open_step(page, "提交提案").get_by_role("button", name="提交").click()
    expect(page.locator(".case-meta")).to_contain_text("待审查")

    # 4. staff file and assign
    staff = new_page()
    login(staff, base, world.user("staff").username)
    staff.goto(detail)
    step = open_step(staff, "立案")
    step.get_by_label("类别").select_option(label=world.categories[0].name)
    step.locator("button[type=submit]").click()
    expect(staff.locator(".case-meta")).to_contain_text("14-3-001")
    step = open_step(staff, "交办")
    step.get_by_label("承办单位（单办、主办或第一个分办单位）").select_option(label=world.units[0].name)
    step.locator("button[type=submit]").click()
    expect(staff.locator(".case-meta")).to_contain_text("办理中")

    # 5. the unit's clerk drafts the reply with a PDF; the unit leader signs it off
    pdf = tmp_path / "答复函.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    clerk = new_page()
    login(clerk, base, world.user("clerk0").username)
    clerk.goto(detail)
    step = open_step(clerk, "拟写答复")
    step.get_by_label("B").check()
    step.get_by_label("答复内容").fill("已将历史建筑保护纳入年度计划，正在编制保护名录。")
    step.get_by_label("答复函附件").set_input_files(str(pdf))
    step.locator("button[type=submit]").click()
    expect(clerk.locator("#h-replies")).to_be_visible()
    expect(clerk.locator(".files")).to_contain_text("答复函.pdf")

    head = new_page()
    login(head, base, world.user("head0").username)
    head.goto(detail)
    open_step(head, "签发答复").get_by_role("button", name="签发").click()
    expect(head.locator(".case-meta")).to_contain_text("已答复待测评")

    # 6. the member rates the reply
    page.goto(detail)
    step = open_step(page, "满意度测评")
    for legend in ("办理态度", "答复针对性", "办理结果", "总体评价"):
        step.locator("fieldset", has=page.locator("legend", has_text=legend)).get_by_label("满意", exact=True).check()
    step.locator("button[type=submit]").click()
    expect(page.locator(".case-meta")).to_contain_text("已测评")
    page.screenshot(path=str(tmp_path / f"rated-{viewport}.png"), full_page=True)
    assert Evaluation.objects.filter(reply__assignment__proposal=proposal, overall="satisfied").count() == 1


def test_bad_input_is_answered_in_chinese_in_the_browser(live_server: Any, new_page: Any) -> None:
    world = build_world("浏览器错误测试市政协")
    base = live_server.url
    page = new_page()
    login(page, base, world.user("member0").username)
    page.goto(f"{base}/proposals/new/")
    page.get_by_label("案由").fill("关于某事的建议")
    # remove the browser's own required check so the server's answer is what the user sees
    page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    page.get_by_label("案由").fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field-error").first).to_contain_text("案由")
    assert not Proposal.objects.exists()
