"""Saved filters on the lists (issue 11, item 4): a user saves the current filters of a list under a name,
finds them on the same list, opens the list so again, and deletes them; only their own; bad input named."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lvzhi.core.models import SavedFilter
from tests.conftest import World

pytestmark = pytest.mark.django_db




def test_save_open_and_delete_a_filter(world: World, login: Any) -> None:
    staff = login("staff")
    page = staff.get("/proposals/", {"q": "交通", "key": "1", "page": "2"}).content.decode()
    assert "保存筛选" in page
    resp = staff.post("/filters/", {"path": "/proposals/", "name": " 交通 重点 ", "query": "q=交通&key=1&page=2"})
    assert resp.status_code == 302 and resp["Location"] == "/proposals/?q=%E4%BA%A4%E9%80%9A&key=1"
    saved = SavedFilter.objects.get()
    assert (saved.name, saved.query) == ("交通 重点", "q=%E4%BA%A4%E9%80%9A&key=1")  # no page number
    listing = staff.get("/proposals/").content.decode()
    assert 'href="/proposals/?q=%E4%BA%A4%E9%80%9A&amp;key=1"' in listing and "交通 重点" in listing
    # The same name again replaces; the list of others does not show it; another user cannot delete it.
    staff.post("/filters/", {"path": "/proposals/", "name": "交通 重点", "query": "q=公交"})
    assert SavedFilter.objects.get().query == "q=%E5%85%AC%E4%BA%A4"
    assert "/proposals/?q=%E5%85%AC%E4%BA%A4" not in staff.get("/suggestions/").content.decode()
    assert "交通 重点" not in login("leader").get("/proposals/").content.decode()
    assert login("leader").post(f"/filters/{saved.pk}/delete/").status_code == 404
    assert staff.post(f"/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_bad_saves_are_refused_with_a_reason(world: World, login: Any) -> None:
    staff = login("staff")
    for data, reason in (
        ({"path": "/proposals/", "name": "", "query": "q=x"}, "请填写筛选名称。"),
        ({"path": "/proposals/", "name": "长" * 41, "query": "q=x"}, "筛选名称不能超过 40 个字。"),
        ({"path": "/proposals/", "name": "空", "query": "page=3"}, "当前没有设置筛选条件，无需保存。"),
        ({"path": "/no/such/page/", "name": "x", "query": "q=x"}, "无法保存该页面的筛选。"),
        ({"path": "//evil.example/", "name": "x", "query": "q=x"}, "无法保存该页面的筛选。"),
    ):
        resp = staff.post("/filters/", data, follow=True)
        assert resp.status_code in (200, 404) and reason in resp.content.decode(), reason
        assert all("evil.example" not in url for url, _code in resp.redirect_chain)
    assert not SavedFilter.objects.exists()
    assert Client().post("/filters/", {"path": "/proposals/", "name": "x", "query": "q=x"}).status_code == 302
    assert not SavedFilter.objects.exists()
