"""The suggestion list: filters, batch assignment (all or none), and a number of queries that does not
grow with the rows."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import accepted
from tests.cases.npc import NPC

pytestmark = pytest.mark.django_db


def titles(client: Any, query: str = "") -> set[str]:
    page = client.get(f"/suggestions/?{query}").content.decode()
    return {t for t in ("甲建议", "乙建议", "丙建议", "丁草稿") if t in page}


def test_filters(npc: NPC, login: Any) -> None:
    closing = timezone.make_aware(datetime.combine(npc.session.plenary_end, time(12)))
    a = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="甲建议", content="公交线网",
                              delegation=npc.delegations[0])
    act.submit(npc.user("deputy0"), a.pk, at=closing)  # 大会期间, 蓬江区代表团
    b = accepted(npc, title="乙建议")  # 闭会期间, accepted
    c = accepted(npc, deputy="deputy1", title="丙建议")
    cases.assign(npc.user("staff"), Suggestion, c.pk, [(npc.units[1], "sole")])
    cases.set_key(npc.user("staff"), Suggestion, c.pk, is_key=True)
    act.create_suggestion(npc.user("deputy0"), session=npc.session, title="丁草稿")
    staff = login("staff")
    assert titles(staff) == {"甲建议", "乙建议", "丙建议"}  # the staff do not see deputies' drafts
    assert titles(login("deputy0")) == {"甲建议", "乙建议", "丙建议", "丁草稿"}
    assert titles(staff, "period=session") == {"甲建议"}
    assert titles(staff, "period=interim") == {"乙建议", "丙建议"}
    assert titles(staff, f"delegation={npc.delegations[0].pk}") == {"甲建议"}
    assert titles(staff, f"unit={npc.units[1].pk}") == {"丙建议"}
    assert titles(staff, "key=1") == {"丙建议"}
    assert titles(staff, f"state={b.state.code}") == {"乙建议"}
    assert titles(staff, "q=公交") == {"甲建议", "乙建议", "丙建议"}  # each one's content mentions 公交
    assert titles(staff, "q=线网") == {"甲建议"}
    assert titles(staff, f"q={b.number}") == {"乙建议"}
    assert titles(staff, "unit=abc") == set()
    assert titles(staff, f"session={npc.session.pk}") == {"甲建议", "乙建议", "丙建议"}
    # a unit sees what is assigned to it
    assert titles(login("clerk1")) == {"丙建议"}


def test_batch_assignment_is_all_or_none(npc: NPC, login: Any) -> None:
    one, two = accepted(npc, title="甲建议"), accepted(npc, title="乙建议")
    submitted = act.create_suggestion(npc.user("deputy0"), session=npc.session, title="丙建议", content="内容")
    act.submit(npc.user("deputy0"), submitted.pk)
    staff = login("staff")
    plan = {"batch-mode": "lead", "batch-main_unit": npc.units[0].pk, "batch-other_units": [npc.units[1].pk]}
    r = staff.post("/suggestions/", {**plan, "ids": [one.pk, two.pk, submitted.pk]})
    assert r.status_code == 400 and "《丙建议》" in r.content.decode()
    assert not Assignment.objects.exists()
    r = staff.post("/suggestions/", {**plan})
    assert r.status_code == 400 and "请先勾选" in r.content.decode()
    r = staff.post("/suggestions/", {**plan, "ids": [one.pk, two.pk]})
    assert r.status_code == 302
    for s in (one, two):
        roles = sorted(Assignment.objects.filter(object_id=s.pk, case_type="suggestion").values_list("role", flat=True))
        assert roles == ["co", "lead"]
    # only the staff assign
    assert login("deputy0").post("/suggestions/", {**plan, "ids": [one.pk]}).status_code == 404


def _make(npc: NPC, n: int, start: int) -> None:
    for i in range(start, start + n):
        s = accepted(npc, title=f"第{i}件建议", seconders=(1,) if i % 2 else ())
        if i % 3 == 0:
            cases.assign(npc.user("staff"), Suggestion, s.pk, [(npc.units[0], "lead"), (npc.units[1], "co")])


def _count(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/suggestions/").status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow_with_rows(npc: NPC, login: Any) -> None:
    _make(npc, 5, 0)
    staff, deputy, clerk = login("staff"), login("deputy0"), login("clerk0")
    few = (_count(staff), _count(deputy), _count(clerk))
    _make(npc, 55, 5)
    assert Suggestion.objects.count() == 60
    assert (_count(staff), _count(deputy), _count(clerk)) == few
