"""The portal's published answers can be browsed by keyword, category, replying unit and place (issue 11,
item 9), and the search never reveals what the portal masks: a hidden name or number cannot be found.
Expected sets are worked out by hand from the messages made here."""

from __future__ import annotations

import pytest
from django.test import Client

from lvzhi.opinions import actions as act
from lvzhi.opinions.models import Message
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _answered(world: World, title: str, *, unit: int, category: str, place: str = "", body: str = "内容。",
              publish: bool = True) -> Message:
    staff = world.user("staff")
    message = act.submit_portal_message(world.council, title=title, body=body, place=place)
    act.route_message(staff, message.pk, unit=world.units[unit], category=category)
    act.draft_message_reply(world.user(f"clerk{unit}"), message.pk, text="已处理。")
    act.sign_off_message_reply(world.user(f"head{unit}"), message.pk)
    if publish:
        act.publish_message(staff, message.pk)
    return message


def _titles(params: dict[str, str]) -> list[str]:
    html = Client().get("/portal/", params).content.decode()
    section = html[html.index("已答复的留言"):]
    return [part.split("</a>")[0].split(">")[-1] for part in section.split("<h3><a href=")[1:]]


def test_browse_by_keyword_category_unit_and_place(world: World) -> None:
    _answered(world, "幸福路路灯不亮", unit=0, category="城乡建设", place="江海区幸福路")
    _answered(world, "公交站台没有遮雨棚", unit=1, category="交通运输", place="蓬江区建设路")
    _answered(world, "学校门口交通拥堵", unit=1, category="交通运输", place="江海区幸福路")
    _answered(world, "未公开的路灯问题", unit=0, category="城乡建设", publish=False)
    transport = str(world.units[1].pk)

    assert _titles({}) == ["学校门口交通拥堵", "公交站台没有遮雨棚", "幸福路路灯不亮"]  # newest answer first
    assert _titles({"q": "路灯"}) == ["幸福路路灯不亮"]  # the unpublished one is never shown
    assert _titles({"q": "交通"}) == ["学校门口交通拥堵", "公交站台没有遮雨棚"]  # title or category
    assert _titles({"category": "交通运输", "place": "幸福路"}) == ["学校门口交通拥堵"]
    assert _titles({"unit": transport}) == ["学校门口交通拥堵", "公交站台没有遮雨棚"]
    assert _titles({"unit": "abc"}) == [] and _titles({"category": "不存在"}) == []
    page = Client().get("/portal/", {"category": "交通运输"}).content.decode()
    assert 'option value="交通运输" selected' in page and "找到 2 条" in page


def test_search_cannot_find_what_the_portal_masks(world: World) -> None:
    _answered(world, "张伟反映小区噪音扰民", unit=0, category="环境保护", body="联系电话13800138000。")
    html = Client().get("/portal/").content.decode()
    assert "张伟" not in html  # masked on display …
    assert _titles({"q": "张伟"}) == []  # … so not findable either
    assert len(_titles({"q": "噪音"})) == 1
    refused = Client().get("/portal/", {"q": "13800138000"})
    assert refused.status_code == 200 and "不能按电话、证件等号码搜索" in refused.content.decode()
    assert _titles({"q": "13800138000"}) == [_titles({})[0]]  # the refused query filters nothing
