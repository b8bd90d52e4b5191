"""Writing help (issue 11, item 8): while a member types a public-opinion report, each part shows its count
and limit, and the total warns once it passes the recommended 1,500 characters; the guide with its example
is on the form; required fields are marked. Counts worked out by hand: 1,000 + 600 = 1,600 > 1,500."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from lvzhi.opinions.actions import BODY_MAX
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_counters_warn_past_the_recommended_length(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"写作帮助市政协{viewport}")
    page = new_page()
    login(page, live_server.url, world.user("member0").username)
    page.goto(f"{live_server.url}/opinions/reports/new/")
    total = page.locator("[data-count-total=report]")
    expect(total).to_have_text("合计 0 字，建议不超过 1500 字")
    page.locator("#r-situation").fill("况" * 1000)
    expect(page.locator("#r-situation + .counter")).to_have_text(f"已写 1000 字（上限 {BODY_MAX} 字）")
    expect(total).to_have_text("合计 1000 字，建议不超过 1500 字")
    page.locator("#r-analysis").fill("析" * 600)
    expect(total).to_have_text("合计 1600 字，已超过建议的 1500 字，请精简")
    expect(total).to_have_class("counter-total over")
    page.locator("#r-analysis").fill("析" * 500)
    expect(total).to_have_text("合计 1500 字，建议不超过 1500 字")

    page.get_by_text("撰写指引与范例").click()
    expect(page.get_by_text("一事一报：一篇信息只反映一个问题")).to_be_visible()


def test_proposal_form_marks_required_fields_and_counts(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"必填标记市政协{viewport}")
    page = new_page()
    login(page, live_server.url, world.user("member0").username)
    page.goto(f"{live_server.url}/proposals/new/")
    expect(page.locator("label[for=id_title] .required")).to_have_text("*")
    expect(page.locator("label[for=id_situation] .required")).to_have_count(0)
    page.locator("#id_suggestions").fill("一是增开夜班线路。")
    expect(page.locator("#id_suggestions + .counter")).to_contain_text("已写 9 字")
    expect(page.get_by_text("提案撰写指引与范例")).to_be_visible()
