"""The suggestion list's Excel export: the rows the list page shows for the user with its filters, drafts only
when asked (and then only the user's own), the columns staff need, cells worked out by hand."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.access import visible_suggestions
from lvzhi.suggestions.exports import SUGGESTION_HEADERS
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted, answer
from tests.cases.npc import NPC

pytestmark = pytest.mark.django_db


def rows(client: Any, **params: str) -> list[list[Any]]:
    response = client.get(reverse("suggestion-list-xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["代表建议清单"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_is_the_list_with_its_filters(npc: NPC, login: Any) -> None:
    a = accepted(npc, seconders=(1,), title="甲建议")
    cases.assign(npc.user("staff"), Suggestion, a.pk, [(npc.units[0], "sole")])
    lead = Assignment.objects.get(suggestion=a)
    answer(npc, lead, "A")
    b = accepted(npc, deputy="deputy1", title="乙建议")
    act.create_suggestion(npc.user("deputy0"), session=npc.session, title="丁草稿")
    act.create_suggestion(npc.user("deputy1"), session=npc.session, title="戊草稿")

    staff = rows(login("staff"))
    assert staff[0] == SUGGESTION_HEADERS
    # a plain loop over what the staff may see, drafts left out: 甲 and 乙
    expected = sorted(s.title for s in visible_suggestions(npc.user("staff")) if not s.state.is_draft)
    assert expected == ["乙建议", "甲建议"]
    assert sorted(r[1] for r in staff[1:]) == expected
    by_title = {r[1]: dict(zip(SUGGESTION_HEADERS, r, strict=True)) for r in staff[1:]}
    row = by_title["甲建议"]
    a.refresh_from_db()
    today = timezone.localdate()
    assert row["建议编号"] == a.number and row["领衔代表"] == "陈代表" and row["附议代表"] == "林代表"
    assert row["承办单位"] == "市住房和城乡建设局（单办）" and row["答复类别"] == "A类"
    assert row["交办日期"].date() == today and row["答复期限"].date() == lead.deadline
    assert row["答复日期"] == today.isoformat()
    assert row["提出时间"] == "闭会期间" and isinstance(row["提交时间"], datetime) and row["受理时间"] is not None
    assert row["重点督办"] is None
    other = by_title["乙建议"]
    assert (other["领衔代表"], other["承办单位"], other["答复类别"], other["交办日期"]) == ("林代表", None, None, None)
    # the list page's filters apply
    assert [r[1] for r in rows(login("staff"), unit=str(npc.units[0].pk))[1:]] == ["甲建议"]
    assert [r[1] for r in rows(login("staff"), q=b.number)[1:]] == ["乙建议"]


def test_drafts_only_when_asked_and_only_ones_own(npc: NPC, login: Any) -> None:
    accepted(npc, title="甲建议")
    act.create_suggestion(npc.user("deputy0"), session=npc.session, title="丁草稿")
    act.create_suggestion(npc.user("deputy1"), session=npc.session, title="戊草稿")
    deputy = login("deputy0")
    assert "丁草稿" in deputy.get(reverse("suggestion-list")).content.decode()  # on the page …
    assert [r[1] for r in rows(deputy)[1:]] == ["甲建议"]  # … but not exported by default
    assert sorted(r[1] for r in rows(deputy, drafts="1")[1:]) == ["丁草稿", "甲建议"]  # not 林代表's 戊草稿
    assert sorted(r[1] for r in rows(login("staff"), drafts="1")[1:]) == ["甲建议"]  # nobody's drafts for staff
    assert rows(login("clerk1"))[1:] == []  # a unit: only what is assigned to it
    html = login("staff").get(reverse("suggestion-list"), {"key": "1"}).content.decode()
    assert f'href="{reverse("suggestion-list-xlsx")}?key=1"' in html
