"""The statistics page in a real browser (Debian's chromium, phone and desktop): the six charts drawn by
stats.js from the page's data — the two new ones (citizens' messages by channel, instructions by level) with
the figures of the data — and no script error."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_proposal_flow import login
from tests.reports.conftest import build_dataset, build_opinions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["chart-category", "chart-kind", "chart-grade", "chart-satisfaction", "chart-channel", "chart-level"]


def test_stats_page_draws_every_chart(live_server: Any, new_page: Any) -> None:
    ds = build_dataset()
    build_opinions(ds)
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server.url, ds.user("staff").username)
    page.goto(f"{live_server.url}/stats/")
    expect(page.get_by_role("heading", name="群众意见", exact=True)).to_be_visible()
    drawn = page.wait_for_function("""(ids) => {
        if (!window.Chart) { return null; }
        const out = {};
        for (const id of ids) {
            const chart = window.Chart.getChart(document.getElementById(id));
            if (!chart) { return null; }
            out[id] = {type: chart.config.type, data: chart.data.datasets.map(d => d.data),
                       series: chart.data.datasets.map(d => d.label || null), width: chart.width};
        }
        return out;
    }""", arg=CHARTS).json_value()
    assert set(drawn) == set(CHARTS) and all(c["width"] > 0 for c in drawn.values())
    assert drawn["chart-channel"]["type"] == "doughnut"
    assert drawn["chart-channel"]["data"] == [[2, 3, 1, 1, 0]]  # portal, letter, visit, enterprise, imported
    assert drawn["chart-level"]["data"] == [[1, 1, 1, 1], [1, 1, 1, 1]]
    assert drawn["chart-level"]["series"] == ["批示件次", "获批示信息（篇）"]
    link = page.get_by_role("link", name="查看社情民意与群众意见统计明细").first
    link.click()
    expect(page).to_have_url(f"{live_server.url}/opinions/stats/")
    assert errors == []
