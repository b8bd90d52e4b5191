"""Staff import real proposals from the browser and watch the background job's progress bar finish."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lvzhi.proposals.models import Proposal
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
CSV_PATH = SHARED_DATA / "jszx2019-proposals" / "proposals.csv"


def test_import_page_shows_progress_until_done(live_server: Any, new_page: Any, tmp_path: Path, viewport: str) -> None:
    world = build_world(f"导入测试市政协{viewport}")
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [row for _, row in zip(range(30), reader, strict=False)]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
        writer.writeheader()
        writer.writerows(rows)
    upload = tmp_path / "提案30件.csv"
    upload.write_text(out.getvalue(), encoding="utf-8")

    page = new_page()
    login(page, live_server.url, world.user("staff").username)
    page.goto(f"{live_server.url}/proposals/import/")
    page.get_by_label("导入到会议").select_option(str(world.session.pk))
    page.get_by_label("CSV 文件").set_input_files(str(upload))
    page.get_by_role("button", name="上传并导入").click()
    box = page.locator("[data-job-status-url]")
    expect(box.locator("[data-job-state]")).to_have_text("已完成", timeout=60000)
    expect(box.locator("[data-job-count]")).to_have_text("30/30")
    expect(box.locator("[data-job-text]")).to_contain_text("新建 30 件")
    assert Proposal.objects.filter(session=world.session, source="import").count() == 30
