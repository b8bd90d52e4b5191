"""The hot-topics page in a real browser (Debian's chromium), on a phone and a desktop viewport: 600 real
messages of 附件3 imported through the opinions importer, staff choose a date window, the topics table lists
topics with their key terms, and the Chart.js trend chart is drawn on its canvas."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lvzhi.opinions import actions as op
from lvzhi.opinions.sources import SourceMessage, read_messages
from lvzhi.smart import service
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
FILE3 = SHARED_DATA / "tipdm2020c" / "messages_with_likes_附件3.xlsx"
ROWS = 600


@cache
def _file3_slice() -> tuple[SourceMessage, ...]:
    messages, _ = read_messages(FILE3)
    return tuple(messages[:ROWS])


@pytest.fixture(autouse=True)
def _fresh_topics() -> Iterator[None]:
    service._topics_cache.clear()
    yield
    service._topics_cache.clear()


def test_hot_topics_table_and_chart(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"热点测试市政协{viewport}")
    rows = _file3_slice()
    result = op.import_messages(world.council, rows)
    assert result.created > 0
    dates = [m.submitted_at.date() for m in rows if m.submitted_at is not None]  # naive source times
    start, end = min(dates).isoformat(), max(dates).isoformat()

    page = new_page()
    login(page, live_server.url, world.user("staff").username)
    page.goto(f"{live_server.url}/smart/topics/")
    page.get_by_label("开始日期").fill(start)
    page.get_by_label("结束日期").fill(end)
    page.get_by_role("button", name="分析").click()
    expect(page.locator("p.summary")).to_contain_text(f"{start} 至 {end}，共分析群众意见与社情民意")
    expect(page.get_by_label("开始日期")).to_have_value(start)

    # the topics table: ranked rows, each with its key terms and a count
    topics = page.locator("table.topics tbody tr.topic")
    expect(topics.first).to_be_visible()
    n = topics.count()
    assert n >= 3
    for i in range(n):
        row = topics.nth(i)
        cells = row.locator("td")
        assert cells.nth(0).inner_text().strip() == str(i + 1)
        terms = cells.nth(1).locator("small").inner_text().split("、")
        assert terms and all(t.strip() for t in terms)
        assert int(cells.nth(2).inner_text()) >= 3

    # the trend chart: Chart.js loaded from /static, a chart instance on a canvas of non-zero size, pixels drawn
    canvas = page.locator("#chart-topics")
    expect(canvas).to_be_visible()
    chart = page.wait_for_function("""() => {
        const c = document.getElementById('chart-topics');
        const chart = window.Chart && window.Chart.getChart(c);
        if (!chart) { return null; }
        const ctx = c.getContext('2d');
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) { painted++; } }
        return {type: chart.config.type, datasets: chart.data.datasets.length, labels: chart.data.labels,
                width: c.width, height: c.height, painted: painted};
    }""").json_value()
    assert chart["type"] == "line" and chart["datasets"] == min(6, n)
    assert chart["labels"] and chart["labels"] == sorted(chart["labels"])
    assert all(start[:7] <= p <= end[:7] for p in chart["labels"])
    assert chart["width"] > 0 and chart["height"] > 0 and chart["painted"] > 0
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0

    # usable on the viewport: nothing is wider than the screen (on a phone the topics are stacked as cards)
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

    # a representative case opens the message
    first_case = topics.first.locator("td").nth(6).get_by_role("link").first
    title = first_case.inner_text().strip()
    first_case.click()
    expect(page.locator("h1")).to_have_text(title)
