"""The one inbox (待办) across every case type: proposals, citizens' messages, public-opinion reports and
deputies' suggestions meet in ``lvzhi.core.inbox`` through providers; each role sees its own items, overdue
first. Expectations are written from the rules (who must act next, by which date), not read from the code.

Past deadlines are arranged by moving the stored deadline back (as if routed weeks ago); everything else
goes through the actions.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from lvzhi.cases import actions as cases
from lvzhi.core.calendar import add_working_days
from lvzhi.core.inbox import AT_RISK, NORMAL, OVERDUE, inbox_items, providers
from lvzhi.opinions import actions as opin
from lvzhi.opinions.models import Message
from lvzhi.proposals import actions as pact
from tests.cases.helpers import accepted, answer, assigned
from tests.cases.npc import build_npc

pytestmark = pytest.mark.django_db
LVZHI = Path(__file__).resolve().parents[2] / "lvzhi"


@pytest.fixture(autouse=True)
def _chinese():
    """The labels are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def _proposal(world, member="member0", title="关于加快城市更新的建议", until="submitted"):
    p = pact.create_proposal(world.user(member), session=world.session, title=title, situation="情况",
                             analysis="分析", suggestions="建议一；建议二")
    pact.submit_proposal(world.user(member), p.pk)
    if until == "assigned":
        pact.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
        pact.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    return p


def _message(world, title):
    return opin.register_message(world.user("staff"), world.council, channel="letter", title=title,
                                 body="小区门口路灯损坏多日。", submitter_name="王先生")


def _seen(user, today=None):
    return [(i.type_label, i.what, i.title) for i in inbox_items(user, today=today)]


def test_core_imports_no_case_type_and_every_type_provides():
    """core knows no case type: the inbox page reads the registry the apps fill in."""
    names: set[str] = set()
    for path in (LVZHI / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    assert not {n for n in names if n.startswith(("lvzhi.proposals", "lvzhi.opinions", "lvzhi.suggestions",
                                                   "lvzhi.cases", "lvzhi.reports"))}
    assert {"proposal", "opinions", "cases"} <= set(providers())


def test_cppcc_staff_sees_proposals_to_review_and_messages_to_route(world, today):
    _proposal(world, title="关于待审事项的建议")
    m = _message(world, "路灯损坏")
    staff = world.user("staff")
    assert sorted(_seen(staff)) == sorted([("提案", "待审查（立案）", "关于待审事项的建议"),
                                           ("群众意见", "群众意见待转办", "路灯损坏")])
    # the message must be routed within 3 working days: the day after its deadline it is overdue and first
    late = m.state_deadline + timedelta(days=1)
    items = inbox_items(staff, today=late)
    assert (items[0].what, items[0].urgency) == ("群众意见待转办", OVERDUE)
    # a unit clerk and a member have nothing of this
    assert _seen(world.user("clerk0")) == [] and _seen(world.user("member1")) == []


def test_unit_inbox_orders_messages_and_proposals_by_urgency(world, today):
    staff, clerk, head = world.user("staff"), world.user("clerk0"), world.user("head0")
    _proposal(world, title="关于公交优化的建议", until="assigned")
    soon = _message(world, "井盖缺失")
    late = _message(world, "噪音扰民")
    opin.route_message(staff, soon.pk, unit=world.units[0], deadline=add_working_days(today, 2))
    opin.route_message(staff, late.pk, unit=world.units[0], deadline=add_working_days(today, 10))
    Message.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=4))
    items = inbox_items(clerk)
    assert [(i.what, i.title, i.urgency) for i in items] == [
        ("答复群众意见", "噪音扰民", OVERDUE), ("答复群众意见", "井盖缺失", AT_RISK),
        ("办理答复", "关于公交优化的建议", NORMAL)]
    assert _seen(world.user("clerk1")) == []  # another unit
    # the clerk drafts for sign-off: the item moves to the unit leader as an answer to sign
    opin.draft_message_reply(clerk, soon.pk, text="已安排维修。", for_signoff=True)
    assert ("群众意见", "答复群众意见", "井盖缺失") not in _seen(clerk)
    assert ("群众意见", "群众意见答复待签发", "井盖缺失") in _seen(head)
    html = _page(head)
    assert "群众意见答复待签发" in html and "超期 1 项、临期 1 项" in html and "群众意见" in html


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_npc_roles_see_suggestions_to_assign_answers_to_sign_and_key_cases(db, today):
    npc = build_npc()
    waiting = accepted(npc, title="关于增设学位的建议")
    _s, (a,) = assigned(npc, [(0, "sole")], title="关于公交线网优化的建议")
    answer(npc, a, "A", sign=False)
    assert _seen(npc.user("staff")) == [("代表建议", "待交办", "关于增设学位的建议")]
    assert _seen(npc.user("head0")) == [("代表建议", "签发答复", "关于公交线网优化的建议")]
    assert _seen(npc.user("clerk1")) == []
    leader = npc.user("leader")
    assert _seen(leader) == []
    group = cases.create_key_group(npc.user("staff"), npc.council, "suggestion", year=today.year, theme="教育",
                                   special_committee=npc.committee, leading_leader=leader, plan="季度督办")
    cases.add_to_key_group(npc.user("staff"), group.pk, [waiting.pk])
    assert _seen(leader) == [("代表建议", "督办", "关于增设学位的建议")]
    assert "督办" in _page(leader) and "代表建议" in _page(leader)
    cases.add_key_group_note(leader, group.pk, text="已听取汇报，要求秋季学期前落实。")
    assert _seen(leader) == []  # the 督办 note clears the item until the case changes
