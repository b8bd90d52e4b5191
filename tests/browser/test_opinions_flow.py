"""The issue-3 channels in a real browser (Debian's chromium), on a phone and a desktop viewport:

1. a citizen's message from the public portal to staff (with the recommendation panel of a model trained on
   real titles), a handling unit's clerk and leader, publication, and the citizen's rating by tracking code —
   the public list never shows the citizen's phone number;
2. a member's 社情民意 report adopted, signed off, published in an issue, given a leader's instruction and
   closed with feedback, which the member then reads on the report page;
3. the portal's rate limit: the 6th post in the window is refused in Chinese and the form keeps its text.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from lvzhi.opinions.models import Message, Report
from lvzhi.opinions.sources import read_labelled
from lvzhi.smart import service, store, training
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
TITLES = SHARED_DATA / "tipdm2020c" / "titles_labelled.tsv"
PHONE = "13912345678"
#: The unit model learns "transport → 交通局, education → 教育局, commerce → 发改局" from real labelled titles.
UNIT_OF_CATEGORY = {"交通运输": "市交通运输局", "教育文体": "市教育局", "商贸旅游": "市发展和改革局"}


@pytest.fixture(autouse=True)
def _fresh_state(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Models stored under tmp_path, empty model/index caches and an empty rate-limit cache."""
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    service.reset_indexes()
    cache.clear()
    yield
    store.clear_cache()
    service.reset_indexes()
    cache.clear()


def _stratified(per_class: int, seed: int = 0) -> list[tuple[str, str]]:
    """``per_class`` real labelled titles of each of the 7 categories, drawn with a fixed seed."""
    by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for text, label in read_labelled(TITLES):
        by_label[label].append((text, label))
    rng = random.Random(seed)
    return [row for label in sorted(by_label) for row in rng.sample(by_label[label], per_class)]


def _write_tsv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("text\tlabel\n" + "".join(f"{t}\t{lab}\n" for t, lab in rows), encoding="utf-8")
    return path


def _train_models(council_id: int, tmp_path: Path) -> None:
    """A small category model (shared) and the council's unit model, both from real titles, no CV."""
    rows = _stratified(40)
    training.train_kind("message-category", labelled=[_write_tsv(tmp_path / "cat.tsv", rows)], cv=False)
    units = [(t, UNIT_OF_CATEGORY[lab]) for t, lab in rows if lab in UNIT_OF_CATEGORY]
    training.train_kind("message-unit", labelled=[_write_tsv(tmp_path / "unit.tsv", units)],
                        council_id=council_id, history=False, cv=False)


def _open_from_list(page: Page, base: str, tab: str, title: str) -> None:
    """Open the case from the list; on a phone the list's rows are cards whose values carry their labels."""
    page.goto(f"{base}/opinions/?tab={tab}")
    row = page.locator("table.cases tbody tr", has=page.get_by_role("link", name=title))
    shown = row.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    if page.viewport_size and page.viewport_size["width"] < 768:
        assert shown[:2] == ['"标题"', '"渠道"' if tab == "messages" else '"报送者"'], shown
    else:
        assert set(shown) == {"none"}, shown
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)


def test_portal_message_to_rated_answer(live_server: Any, new_page: Any, tmp_path: Path, viewport: str) -> None:
    world = build_world(f"留言测试市政协{viewport}")
    _train_models(world.council.pk, tmp_path)
    base = live_server.url
    title = "A市出租车拒载、绕路现象严重"
    body = f"晚高峰在火车站打车，出租车司机拒载短途乘客、绕路多收费，请交通部门加强出租车管理。我的电话 {PHONE}，欢迎联系。"

    # 1. an anonymous visitor posts a message on the portal and gets a tracking code
    visitor = new_page()
    visitor.goto(f"{base}/portal/")
    visitor.get_by_label("标题").fill(title)
    visitor.get_by_label("内容").fill(body)
    visitor.get_by_label("地点").fill("A市火车站")
    visitor.get_by_label("联系方式").fill(PHONE)
    visitor.get_by_role("button", name="提交留言").click()
    expect(visitor.locator("h1")).to_have_text("留言已提交")
    code = visitor.locator(".tracking-code").inner_text().strip()
    message = Message.objects.get(title=title)
    assert code and code == message.tracking_code and message.channel == "portal"

    # 2. staff open it from the list, see the recommendation panel and route it with the suggested unit
    staff = new_page()
    login(staff, base, world.user("staff").username)
    _open_from_list(staff, base, "messages", title)
    panel = staff.locator("section.smart")
    expect(panel.get_by_role("heading", name="推荐分类与承办单位")).to_be_visible()
    expect(panel).to_contain_text("分类：交通运输")
    expect(panel).to_contain_text("承办单位：市交通运输局")
    first_unit = panel.locator("li", has_text="承办单位：").first.inner_text()
    assert first_unit.startswith("承办单位：市交通运输局")
    unit_select = staff.get_by_label("承办单位")
    expect(unit_select.locator("option:checked")).to_have_text("市交通运输局")  # the suggestion, preselected
    expect(staff.get_by_label("分类", exact=True)).to_have_value("交通运输")
    staff.get_by_role("button", name="转办", exact=True).click()  # the one click
    expect(staff.locator(".page-head .badge")).to_have_text("办理中")
    message.refresh_from_db()
    assert message.unit is not None and message.unit.name == "市交通运输局" and message.category == "交通运输"

    # 3. the unit's clerk drafts the answer; the unit's leader signs it off
    answer = "经核查，已约谈相关出租车公司，对拒载、绕路的驾驶员依法处罚，并在火车站增设执法岗。"
    clerk = new_page()
    login(clerk, base, world.user("clerk1").username)
    _open_from_list(clerk, base, "messages", title)
    clerk.get_by_label("答复内容").fill(answer)
    clerk.get_by_role("button", name="提交负责人签发").click()
    expect(clerk.locator("body")).to_contain_text("答复（待负责人签发）")
    head = new_page()
    login(head, base, world.user("head1").username)
    _open_from_list(head, base, "messages", title)
    head.get_by_role("button", name="签发答复").click()
    expect(head.locator(".page-head .badge")).to_have_text("已答复待评价")

    # 4. staff publish it on the portal
    staff.reload()
    staff.get_by_role("button", name="在门户公开（自动隐去个人信息）").click()
    expect(staff.locator(".facts")).to_contain_text("已公开")
    steps = staff.locator(".timeline")  # events and states named in Chinese, never by their codes
    expect(steps).to_contain_text("创建（待转办）")
    expect(steps).to_contain_text("待转办 → 办理中")
    expect(steps).to_contain_text("转办 · 市交通运输局")
    expect(steps).to_contain_text("办理中 → 已答复待评价")
    for raw in ("created", "transition", "received", "routed", "replied"):
        expect(steps).not_to_contain_text(raw)

    # 5. the visitor looks the code up, reads the answer and rates it
    visitor.goto(f"{base}/portal/")
    visitor.get_by_role("link", name="凭查询码查看办理进度和评价答复").click()
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("article")).to_contain_text(answer)
    expect(visitor.locator("article")).to_contain_text("市交通运输局")
    visitor.get_by_label("满意", exact=True).check()
    visitor.get_by_role("button", name="提交评价").click()
    expect(visitor.locator("body")).to_contain_text("感谢您的评价")
    expect(visitor.locator("article")).to_contain_text("群众评价：满意")
    message.refresh_from_db()
    assert message.rating == "satisfied"

    # 6. the public list shows the answered message with the phone number masked
    visitor.goto(f"{base}/portal/")
    item = visitor.locator("article", has=visitor.get_by_role("link", name=title))
    expect(item).to_contain_text(answer)
    expect(item).to_contain_text("139****5678")
    assert PHONE not in visitor.content()
    visitor.screenshot(path=str(tmp_path / f"portal-list-{viewport}.png"), full_page=True)
    item.get_by_role("link", name=title).click()
    expect(visitor.locator("h1")).to_have_text(title)
    expect(visitor.locator("article")).to_contain_text("群众评价：满意")
    assert PHONE not in visitor.content()
    visitor.screenshot(path=str(tmp_path / f"portal-message-{viewport}.png"), full_page=True)


def test_report_adopted_published_and_instructed(live_server: Any, new_page: Any, viewport: str) -> None:
    world = build_world(f"社情民意测试市政协{viewport}")
    base = live_server.url
    title = "关于加快老旧小区加装电梯的建议"

    # 1. the member writes and submits the report
    member = new_page()
    login(member, base, world.user("member0").username)
    member.goto(f"{base}/opinions/")
    member.get_by_role("link", name="报送社情民意").click()
    member.get_by_label("标题").fill(title)
    member.get_by_label("基本情况").fill("我市老旧小区多为六层以下住宅，无电梯，老年住户上下楼困难。")
    member.get_by_label("问题分析").fill("加装电梯需全体业主协商，费用分摊难以达成一致，审批环节多。")
    member.get_by_label("意见建议").fill("一、简化审批；二、财政给予补贴；三、由街道组织协商。")
    member.get_by_role("button", name="保存并报送").click()
    expect(member.locator("h1")).to_have_text(title)
    expect(member.locator(".page-head .badge")).to_have_text("待筛选")

    # 2. staff create an issue of 《社情民意》, adopt, sign off and publish the report in it
    staff = new_page()
    login(staff, base, world.user("staff").username)
    staff.goto(f"{base}/opinions/")
    staff.get_by_label("年度").fill("2026")
    staff.get_by_label("期号").fill("7")
    staff.get_by_label("出刊日期").fill("2026-03-20")
    staff.get_by_role("button", name="新建一期").click()
    expect(staff.locator("body")).to_contain_text("期刊已创建")
    _open_from_list(staff, base, "reports", title)
    staff.get_by_label("意见", exact=True).fill("反映问题具体，建议可行。")
    staff.get_by_role("button", name="采用").click()
    expect(staff.locator(".page-head .badge")).to_have_text("已采用待签发")
    staff.get_by_role("button", name="签发", exact=True).click()
    expect(staff.locator(".page-head .badge")).to_have_text("已签发待刊发")
    staff.get_by_label("期次").select_option(index=1)
    staff.get_by_role("button", name="刊发", exact=True).click()
    expect(staff.locator(".page-head .badge")).to_have_text("已刊发报送")
    expect(staff.locator(".facts")).to_contain_text("第1篇")

    # 3. staff record a leader's instruction (批示) and feed the outcome back
    instruction = "请市住建局牵头研究，年内出台加装电梯补贴办法。"
    staff.get_by_label("批示领导").fill("王市长")
    staff.get_by_label("批示级别").select_option(label="市级")
    staff.get_by_label("批示日期").fill("2026-03-25")
    staff.get_by_label("批示内容").fill(instruction)
    staff.get_by_role("button", name="登记批示").click()
    expect(staff.locator("body")).to_contain_text(instruction)
    outcome = "市住建局已起草补贴办法，征求意见中。"
    staff.get_by_label("办理结果反馈").fill(outcome)
    staff.get_by_role("button", name="反馈办结").click()
    expect(staff.locator(".page-head .badge")).to_have_text("已反馈")

    # 4. the member sees the issue, the instruction and the outcome on the report page
    member.reload()
    expect(member.locator(".page-head .badge")).to_have_text("已反馈")
    expect(member.locator(".facts")).to_contain_text("第1篇")
    instructions = member.locator("section", has=member.get_by_role("heading", name="领导批示"))
    expect(instructions).to_contain_text("王市长（市级）")
    expect(instructions).to_contain_text(instruction)
    feedback = member.locator("section", has=member.get_by_role("heading", name="办理结果反馈"))
    expect(feedback).to_contain_text(outcome)
    report = Report.objects.get(title=title)
    assert report.state.code == "closed" and report.instructions.count() == 1 and report.piece == 1


def test_portal_rate_limit_keeps_the_form(live_server: Any, new_page: Any, viewport: str) -> None:
    build_world(f"限流测试市政协{viewport}")
    base = live_server.url
    visitor = new_page()
    for i in range(5):
        visitor.goto(f"{base}/portal/")
        visitor.get_by_label("标题").fill(f"路灯不亮第{i + 1}次反映")
        visitor.get_by_label("内容").fill("小区门口路灯已坏一个月。")
        visitor.get_by_role("button", name="提交留言").click()
        expect(visitor.locator("h1")).to_have_text("留言已提交")
    visitor.goto(f"{base}/portal/")
    visitor.get_by_label("标题").fill("第六条留言")
    visitor.get_by_label("内容").fill("这是第六条留言的内容，应当保留。")
    visitor.get_by_label("地点").fill("B区")
    visitor.get_by_label("联系方式").fill("张先生")
    visitor.get_by_role("button", name="提交留言").click()
    expect(visitor.get_by_role("alert")).to_contain_text("提交过于频繁")
    expect(visitor.get_by_role("alert")).to_contain_text("每 10 分钟最多提交 5 条留言")
    expect(visitor.get_by_role("alert")).to_have_css("color", "rgb(179, 38, 30)")  # shown as an error (--bad)
    expect(visitor.get_by_label("标题")).to_have_value("第六条留言")
    expect(visitor.get_by_label("内容")).to_have_value("这是第六条留言的内容，应当保留。")
    expect(visitor.get_by_label("地点")).to_have_value("B区")
    expect(visitor.get_by_label("联系方式")).to_have_value("张先生")
    assert Message.objects.count() == 5 and not Message.objects.filter(title="第六条留言").exists()
