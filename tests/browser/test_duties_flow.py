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
        staff.wait_for_function("document.querySelector('main img').complete")
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
