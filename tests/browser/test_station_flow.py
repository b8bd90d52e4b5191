"""A liaison-station reception in a real browser (Debian's chromium) on a phone (375 px): the station's staff
register a reception with two matters, answer one on the spot and turn the other into a deputy suggestion,
which the deputy then finds among their suggestion drafts."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from lvzhi.stations.models import Matter
from lvzhi.suggestions.models import Suggestion
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_proposal_flow import login, open_step
from tests.stations.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于增开白沙社区微循环公交的建议"


@pytest.fixture(params=["phone"])
def viewport(request: Any) -> str:  # this flow is the phone one (the staff register on the spot)
    return str(request.param)


def test_reception_on_a_phone_turns_a_matter_into_a_suggestion(live_server: Any, new_page: Any) -> None:
    world = build_world("浏览器联络站测试人大")
    base = live_server.url
    staff_user = world.user("staff")  # the deputies' affairs staff on duty at the station
    deputy = world.npc.deputies[0]

    page = new_page()
    assert page.viewport_size == VIEWPORTS["phone"]
    login(page, base, staff_user.username)
    page.goto(f"{base}/stations/{world.central.pk}/")
    page.get_by_role("link", name="登记接待").click()
    page.get_by_label(deputy.name).check()
    page.get_by_label("来访群众人数").fill("2")
    page.get_by_label("事项 1 反映内容").fill("小区门口路灯坏了三个月")
    page.get_by_label("事项 1 反映人").fill("王阿姨")
    page.get_by_label("事项 2 反映内容").fill("白沙社区到市区没有直达公交，建议增开微循环线路")
    page.get_by_role("button", name="提交登记").click()
    expect(page.locator(".messages")).to_contain_text("共 2 件事项")
    matters = page.locator("#matters li")
    expect(matters).to_have_count(2)
    # no horizontal scrolling on the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]

    # the first is answered on the spot
    matters.nth(0).get_by_role("link").click()
    step = open_step(page, "当场答复")
    step.get_by_label("答复内容").fill("已当场联系物业，本周内维修")
    step.get_by_role("button", name="当场答复").click()
    expect(page.locator(".case-meta")).to_contain_text("当场答复")

    # the second becomes the deputy's draft suggestion
    page.locator("nav.crumbs a").nth(1).click()  # back to the reception
    page.locator("#matters li").nth(1).get_by_role("link").click()
    expect(page.locator(".text")).to_contain_text("白沙社区到市区没有直达公交")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    step = open_step(page, "转为代表建议")
    step.get_by_label("领衔代表").select_option(label=deputy.name)
    step.get_by_label("建议标题").fill(TITLE)
    step.get_by_role("button", name="转为代表建议").click()
    expect(page.locator(".case-meta")).to_contain_text(TITLE)
    second = Matter.objects.get(content__startswith="白沙社区")
    suggestion = Suggestion.objects.get(title=TITLE)
    assert second.suggestion_id == suggestion.pk and suggestion.state.is_initial

    # the deputy finds it among their drafts and opens it
    other = new_page()
    login(other, base, world.user("deputy0").username)
    other.goto(f"{base}/suggestions/")
    row = other.locator("tr", has=other.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("草稿")
    row.get_by_role("link", name=TITLE).click()
    expect(other.locator("h1")).to_have_text(TITLE)
    back = other.get_by_role("link", name="来自联络站 · 白沙街道中心联络站")
    back.click()  # linked back to the matter, which the deputy (present at the reception) may see
    expect(other.locator(".case-meta")).to_contain_text(TITLE)


def test_citizen_leaves_a_matter_and_the_deputy_confirms_a_turn_on_a_phone(live_server: Any, new_page: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from lvzhi.stations import actions as st

    world = build_world("浏览器门户留言测试人大")
    base = live_server.url
    deputy = world.npc.deputies[0]
    st.publish_turn(world.user("staff"), world.central, date=timezone.localdate() + timedelta(days=4),
                    half_day="pm", hours="14:30—17:00", deputies=[deputy])

    # a citizen, without an account, finds the station by district and leaves a matter
    citizen = new_page()
    citizen.goto(f"{base}/stations/")
    district = citizen.locator("section.card", has=citizen.locator("h2", has_text="蓬江区"))
    district.get_by_role("link", name="白沙街道中心联络站").click()
    expect(citizen.locator("#deputies")).to_contain_text(deputy.name)
    expect(citizen.locator("table")).to_contain_text("14:30—17:00")
    citizen.get_by_label("反映内容（最多 5000 字）").fill("公园健身器材损坏，希望尽快维修")
    citizen.get_by_role("button", name="提交留言").click()
    code = citizen.locator("#tracking-code").inner_text()
    citizen.get_by_role("link", name="查看办理情况").click()
    expect(citizen.locator("body")).to_contain_text("待处理")
    assert Matter.objects.get(tracking_code=code).station == world.central

    # the deputy sees the turn and the matter in the inbox, and confirms the turn
    page = new_page()
    login(page, base, world.user("deputy0").username)
    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("接待排班待确认")
    expect(page.locator("main")).to_contain_text("公园健身器材损坏")
    page.goto(f"{base}/stations/my/")
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".messages")).to_contain_text("已确认接待排班")
    expect(page.locator("table")).to_contain_text("已确认")
