"""The header search (issue 11, item 4): one box in the header searches every case type the user may see —
number, title, text, proposer — and never shows what the user could not open. Expectations follow the
access rules (proposals/access.py, opinions/access.py): staff see the council's cases but others' drafts; a
member sees their own proposals and the public ones; a unit's clerk sees only what was sent to the unit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.opinions import actions as opin
from lvzhi.proposals import actions as pact
from tests.conftest import World

pytestmark = pytest.mark.django_db




def _groups(client: Client, q: str) -> dict[str, list[str]]:
    """{case type key: titles shown} read from the page."""
    page = client.get("/search/", {"q": q})
    assert page.status_code == 200
    html = page.content.decode()
    out: dict[str, list[str]] = {}
    for key in ("proposal", "suggestion", "report", "message"):
        start = html.find(f'id="search-{key}"')
        if start < 0:
            continue
        section = html[start:html.find("</section>", start)]
        out[key] = [part.split("</a>")[0].split(">")[-1] for part in section.split('<td><a href="')[1:]]
    return out


def test_search_shows_each_user_only_what_they_may_open(world: World, login: Any) -> None:
    staff = world.user("staff")
    submitted = pact.create_proposal(world.user("member0"), session=world.session, title="关于加快城市更新的建议",
                                     situation="老旧小区改造滞后。", analysis="分析", suggestions="建议")
    pact.submit_proposal(world.user("member0"), submitted.pk)
    pact.create_proposal(world.user("member1"), session=world.session, title="关于城市更新试点的建议",
                         situation="草稿", analysis="分析", suggestions="建议")  # a draft of 李四
    message = opin.submit_portal_message(world.council, title="城市更新后路灯不亮", body="幸福路路灯不亮。")
    opin.route_message(staff, message.pk, unit=world.units[1])

    assert _groups(login("staff"), "城市更新") == {
        "proposal": ["关于加快城市更新的建议"], "message": ["城市更新后路灯不亮"]}
    # 李四 sees his draft; 张三's proposal is not public before filing.
    assert _groups(login("member1"), "城市更新") == {"proposal": ["关于城市更新试点的建议"]}
    assert _groups(login("member0"), "城市更新") == {"proposal": ["关于加快城市更新的建议"]}
    # The unit the message went to sees it; another unit sees nothing.
    assert _groups(login("clerk1"), "路灯") == {"message": ["城市更新后路灯不亮"]}
    other = login("clerk0").get("/search/", {"q": "路灯"}).content.decode()
    assert "城市更新后路灯不亮" not in other and "没有找到您可以查看的相关案件。" in other
    # The proposal's text and its proposer are searched too.
    assert _groups(login("staff"), "老旧小区") == {"proposal": ["关于加快城市更新的建议"]}
    assert _groups(login("staff"), "张三") == {"proposal": ["关于加快城市更新的建议"]}


def test_more_than_ten_links_to_the_filtered_list_and_bad_queries_are_harmless(world: World, login: Any) -> None:
    for i in range(12):
        opin.submit_portal_message(world.council, title=f"噪音扰民第{i}号", body="夜间施工。")
    page = login("staff").get("/search/", {"q": "噪音"}).content.decode()
    assert "群众意见（12）" in page and page.count("噪音扰民第") == 10
    assert "/opinions/?tab=messages&amp;q=%E5%99%AA%E9%9F%B3" in page
    listing = login("staff").get("/opinions/", {"tab": "messages", "q": "噪音"}).content.decode()
    assert listing.count("噪音扰民第") == 12  # the list shows all of them
    for q in ("", "   ", "%", "_", "'; DROP TABLE x; --", "长" * 5000):
        assert login("staff").get("/search/", {"q": q}).status_code == 200
    assert Client().get("/search/", {"q": "噪音"}).status_code == 302  # login first
