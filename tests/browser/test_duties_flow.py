"""Meetings and the duty record in a real browser (Debian's chromium), the member on a phone viewport: the
member asks for leave, later checks in by the meeting's QR link, and opens their duty record where the
score is explained act by act; staff see the attendance and the QR code at the door."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from lvzhi.duties import actions as act
from lvzhi.duties.models import CheckIn, Invitee
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leave_then_qr_check_in_then_the_score_explained(live_server: Any, browser: Browser) -> None:
    world = build_world("浏览器测试市政协履职")
    base = live_server.url
    staff_user = world.user("staff")
    act.install_example(staff_user, world.council, "tongcheng", activate=True)
    now = timezone.now()
    meeting = act.create_meeting(staff_user, world.council, kind="plenary", title="政协第十四届第四次全体会议",
                                 start=now - timedelta(minutes=20), end=now + timedelta(hours=3),
                                 place="市会议中心", invitees=world.members)

    phone = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN", is_mobile=True)  # type: ignore[arg-type]
    desk = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")  # type: ignore[arg-type]
    try:
        member = phone.new_page()
        login(member, base, world.user("member0").username)
        # 1. the member finds the meeting and asks for leave
        member.goto(f"{base}/duties/meetings/")
        member.get_by_role("link", name="政协第十四届第四次全体会议").click()
        member.get_by_label("请假事由").fill("赴外地参加行业会议")
        member.get_by_role("button", name="请假", exact=True).click()
        expect(member.locator(".messages")).to_contain_text("请假申请已提交")
        expect(member.locator("#my-attendance")).to_contain_text("待审批")
        assert Invitee.objects.get(meeting=meeting, member=world.members[0]).leave_reason == "赴外地参加行业会议"

        # 2. staff see the request and show the QR code at the door
        staff = desk.new_page()
        login(staff, base, staff_user.username)
        staff.goto(f"{base}/duties/meetings/{meeting.pk}/")
        expect(staff.locator("#attendance")).to_contain_text("赴外地参加行业会议")
        staff.get_by_role("link", name="签到二维码").click()
        qr = staff.get_by_role("img", name="签到二维码")
        expect(qr).to_be_visible()
        staff.wait_for_function("() => document.querySelector('main img').complete")  # a function: no eval (CSP)
        assert staff.evaluate("document.querySelector('main img').naturalWidth") > 100  # the SVG loaded
        checkin_url = staff.locator("#checkin-url").get_attribute("href")
        assert checkin_url and "/checkin/?t=" in checkin_url

        # 3. plans changed: the member comes after all and scans the code on the phone
        member.goto(checkin_url)
        expect(member.locator("h1")).to_have_text("政协第十四届第四次全体会议")
        assert not CheckIn.objects.exists()  # opening the link writes nothing
        member.get_by_role("button", name="确认签到").click()
        expect(member.locator("#checkin-result")).to_contain_text("签到成功")
        member.goto(checkin_url)
        member.get_by_role("button", name="确认签到").click()
        expect(member.locator("#checkin-result")).to_contain_text("无需重复签到")
        assert CheckIn.objects.filter(meeting=meeting).count() == 1

        # 4. the member opens their duty record: the plenary attended earns 50 under the Tongcheng rules
        member.goto(f"{base}/duties/record/")
        expect(member.locator("#score-total")).to_have_text("50.00")
        expect(member.locator("#score-grade")).to_have_text("不合格")
        row = member.locator("table.explain tr", has_text="政协第十四届第四次全体会议")
        expect(row).to_contain_text("出席全体会议")
        expect(row).to_contain_text("50")
        # the phone layout does not scroll sideways
        assert member.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"] + 1
    finally:
        phone.close()
        desk.close()


def test_staff_import_a_sheet_and_change_a_rule(live_server: Any, browser: Browser, tmp_path: Any) -> None:
    """Staff import an attendance sheet (a bad one first: the row is named, nothing imported), then raise
    the Tongcheng points of an approved plenary leave from 30 to 40 and see 李四 pass from 30 to 40."""
    import openpyxl

    world = build_world("浏览器测试市政协考勤")
    staff_user = world.user("staff")
    act.install_example(staff_user, world.council, "tongcheng", activate=True)
    start = timezone.now() - timedelta(days=2)
    meeting = act.create_meeting(staff_user, world.council, kind="plenary", title="全体会议（补录）", start=start,
                                 end=start + timedelta(hours=4), invitees=world.members)

    def sheet(name: str, rows: list[list[str]]) -> str:
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        path = tmp_path / name
        wb.save(path)
        return str(path)

    desk = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")  # type: ignore[arg-type]
    try:
        page = desk.new_page()
        login(page, live_server.url, staff_user.username)
        page.goto(f"{live_server.url}/duties/meetings/{meeting.pk}/")
        page.get_by_role("link", name="导入签到表").click()
        page.get_by_label("签到表（.xlsx）").set_input_files(
            sheet("bad.xlsx", [["姓名", "出席情况"], ["张三", "出席"], ["李四", "请假"], ["赵六", "出席"]]))
        page.get_by_role("button", name="上传并导入").click()
        errors = page.locator(".import-errors")
        expect(errors).to_contain_text("未导入任何数据")
        expect(errors.locator("tbody tr").first).to_contain_text("4")
        expect(errors).to_contain_text("「赵六」不在本次会议的参会名单中")
        assert not CheckIn.objects.filter(meeting=meeting).exists()
        page.get_by_label("签到表（.xlsx）").set_input_files(
            sheet("good.xlsx", [["姓名", "出席情况"], ["张三", "出席"], ["李四", "请假"], ["王五", "缺席"]]))
        page.get_by_role("button", name="上传并导入").click()
        expect(page.locator(".messages")).to_contain_text("出席 1，请假 1，缺席 1")
        year = timezone.localdate(start).year
        page.goto(f"{live_server.url}/duties/scores/?year={year}")
        ranking = page.locator("#ranking")
        expect(ranking.locator("tr", has_text="李四")).to_contain_text("30.00")
        # the rule page: 全体会议请假（经批准） is the second item
        page.goto(f"{live_server.url}/duties/rules/")
        page.get_by_role("link", name="桐城市政协委员履职考核（百分制）").click()
        row = page.locator("#items tbody tr").nth(1)
        expect(row).to_contain_text("全体会议请假（经批准）")
        row.get_by_label("分值").fill("40")
        row.get_by_label("上限").fill("40")
        row.get_by_role("button", name="保存").click()
        expect(page.locator(".messages")).to_contain_text("积分已按新规则重新计算")
        page.goto(f"{live_server.url}/duties/scores/?year={year}")
        expect(page.locator("#ranking tr", has_text="李四")).to_contain_text("40.00")
    finally:
        desk.close()
