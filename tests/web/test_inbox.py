"""The inbox (what waits for each role, overdue first, then at risk, then the rest) and ``lvzhi remind``.

Deadlines that lie in the past are arranged by moving the stored deadline back (as if the case had been
assigned months ago); everything else goes through the actions.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from lvzhi.core.calendar import add_working_days
from lvzhi.core.models import Notification
from lvzhi.members.access import profile_of
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal, Reply
from lvzhi.proposals.queries import AT_RISK, NORMAL, OVERDUE, inbox_items, urgency_of

pytestmark = pytest.mark.django_db


def _set_deadline(p: Proposal, deadline) -> None:
    Assignment.objects.filter(proposal=p).update(deadline=deadline)


def test_urgency_by_working_days(today):
    assert urgency_of(None, today, 5) == NORMAL
    assert urgency_of(today - timedelta(days=1), today, 5) == OVERDUE
    assert urgency_of(today, today, 5) == AT_RISK
    assert urgency_of(add_working_days(today, 5), today, 5) == AT_RISK
    assert urgency_of(add_working_days(today, 6), today, 5) == NORMAL


def test_inbox_orders_overdue_then_at_risk_then_the_rest(world, login, make_proposal, today):
    normal = make_proposal("assigned", title="关于甲事项的建议")
    risk = make_proposal("assigned", member="member1", title="关于乙事项的建议")
    late = make_proposal("assigned", member="member2", title="关于丙事项的建议")
    later = make_proposal("assigned", title="关于丁事项的建议")
    _set_deadline(risk, add_working_days(today, 2))
    _set_deadline(late, today - timedelta(days=3))
    _set_deadline(later, today - timedelta(days=10))
    items = inbox_items(world.user("clerk0"))
    assert [i.title for i in items] == ["关于丁事项的建议", "关于丙事项的建议", "关于乙事项的建议", "关于甲事项的建议"]
    assert [i.urgency for i in items] == [OVERDUE, OVERDUE, AT_RISK, NORMAL]
    html = login("clerk0").get("/").content.decode()
    order = [html.index(t) for t in ("关于丁事项", "关于丙事项", "关于乙事项", "关于甲事项")]
    assert order == sorted(order)
    assert html.count("u-overdue") == 2 and html.count("u-at_risk") == 1 and "已超期" in html and "临期" in html
    assert f'href="/proposals/{normal.pk}/"' in html
    assert "超期 2 项、临期 1 项" in html


def test_member_inbox(world, login, make_proposal):
    draft = make_proposal("draft", cosigners=[world.members[1]])
    replied = make_proposal("replied", title="关于已答复事项的建议")
    mine = {i.what: i for i in inbox_items(world.user("member0"))}
    assert mine["草稿待提交"].proposal_id == draft.pk
    assert mine["答复待测评"].proposal_id == replied.pk
    assert mine["答复待测评"].deadline == Proposal.objects.get(pk=replied.pk).state_deadline
    invited = {i.what: i for i in inbox_items(world.user("member1"))}
    assert invited["联名邀请待确认"].proposal_id == draft.pk and invited["联名邀请待确认"].deadline is not None
    page = login("member1").get("/").content.decode()
    assert "联名邀请待确认" in page and "期限" in page
    # once rated, the reply leaves the inbox
    reply = Reply.objects.get(assignment__proposal=replied)
    act.evaluate_reply(world.user("member0"), reply.pk, attitude="satisfied", relevance="satisfied",
                       result="satisfied", overall="satisfied")
    assert "答复待测评" not in {i.what for i in inbox_items(world.user("member0"))}


def test_staff_inbox(world, login, make_proposal, today):
    submitted = make_proposal("submitted", title="关于待审事项的建议")
    filed = make_proposal("filed", member="member1", title="关于待交办事项的建议")
    sent_back = make_proposal("assigned", member="member2", title="关于申退事项的建议")
    act.send_back(world.user("clerk0"), Assignment.objects.get(proposal=sent_back).pk, reason="非本单位职责")
    lapsed = make_proposal("replied", title="关于测评期满事项的建议")
    Proposal.objects.filter(pk=lapsed.pk).update(state_deadline=today - timedelta(days=1))
    key = make_proposal("assigned", member="member1", title="关于重点事项的建议")
    act.set_key_proposal(world.user("staff"), key.pk, is_key=True, supervising_leader="测试领导")
    items = {(i.what, i.proposal_id) for i in inbox_items(world.user("staff"))}
    assert ("待审查（立案）", submitted.pk) in items
    assert ("已立案待交办", filed.pk) in items
    assert ("单位申退，待重新交办", sent_back.pk) in items
    assert ("测评期满，待办结", lapsed.pk) in items
    assert ("重点提案督办", key.pk) in items
    first = inbox_items(world.user("staff"))[0]
    assert first.proposal_id == lapsed.pk and first.urgency == OVERDUE
    # reassigned: the send-back item is gone
    act.assign_proposal(world.user("staff"), sent_back.pk, [(world.units[1], "sole")])
    assert "单位申退，待重新交办" not in {i.what for i in inbox_items(world.user("staff"))}
    assert "关于申退事项的建议" not in login("staff").get("/").content.decode()


def test_unit_and_leader_inboxes(world, make_proposal, today):
    p = make_proposal("filed")
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")])
    lead = Assignment.objects.get(proposal=p, unit=world.units[0])
    assert [i.what for i in inbox_items(world.user("clerk0"))] == ["办理答复"]
    assert [i.what for i in inbox_items(world.user("clerk1"))] == ["会办意见待提交"]
    act.draft_reply(world.user("clerk0"), lead.pk, grade_code="A", text="答复")
    assert [i.what for i in inbox_items(world.user("head0"))] == ["答复待签发"]
    assert [i.what for i in inbox_items(world.user("clerk0"))] == ["答复已送负责人签发"]
    assert inbox_items(world.user("clerk2")) == []
    # the leader: key proposals they supervise and overdue cases
    act.set_key_proposal(world.user("staff"), p.pk, is_key=True, supervising_leader=profile_of(world.user("leader")).display_name)
    _set_deadline(p, today - timedelta(days=2))
    whats = [i.what for i in inbox_items(world.user("leader"))]
    assert "督办重点提案" in whats and any(w.startswith("超期未答复：市发展和改革局") for w in whats)


def test_remind_sends_once_per_case_per_day(world, make_proposal, today, django_capture_on_commit_callbacks):
    overdue = make_proposal("assigned", title="关于超期事项的建议")
    at_risk = make_proposal("assigned", member="member1", title="关于临期事项的建议")
    make_proposal("assigned", member="member2", title="关于正常事项的建议")
    _set_deadline(overdue, today - timedelta(days=1))
    _set_deadline(at_risk, add_working_days(today, 1))
    rating = make_proposal("replied", member="member2", title="关于待测评事项的建议")
    Proposal.objects.filter(pk=rating.pk).update(state_deadline=add_working_days(today, 2))
    Notification.objects.all().delete()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=out)
    # overdue: clerk0, head0 and staff; at risk: clerk0, head0; rating window: member2
    assert re.search(r"已发送 (\d+) 条提醒", out.getvalue()).group(1) == "6"
    notes = Notification.objects.filter(kind="reminder")
    assert notes.count() == 6
    assert set(notes.filter(recipient=world.user("clerk0")).values_list("url", flat=True)) == {
        f"/proposals/{overdue.pk}/", f"/proposals/{at_risk.pk}/"}
    assert "满意度测评" in notes.get(recipient=world.user("member2")).text
    assert "已超期" in notes.filter(recipient=world.user("staff")).get().text
    again = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", stdout=again)
    assert "已发送 0 条提醒" in again.getvalue() and Notification.objects.filter(kind="reminder").count() == 6
    tomorrow = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind", "--date", (today + timedelta(days=1)).isoformat(), stdout=tomorrow)
    assert "已发送 0 条提醒" not in tomorrow.getvalue()
