"""Pins what no test pinned before (issue 6, "Also fix"): deadlines across a statutory holiday and a make-up
working day, the send-back limit, and an audit entry for every edit of a case that is not a transition.

National Day 2024 (State Council notice): 2024-10-01 … 10-07 are holidays; Sunday 2024-09-29 and Saturday
2024-10-12 are make-up working days (调休). Every expected date below is counted by hand from that notice.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core import calendar
from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message, Report
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------- calendar


@pytest.mark.parametrize(("day", "working"), [
    (date(2024, 9, 28), False),  # Saturday, an ordinary weekend day
    (date(2024, 9, 29), True),   # Sunday, make-up working day
    (date(2024, 9, 30), True),
    *[(date(2024, 10, d), False) for d in range(1, 8)],  # the holiday, Mon–Mon
    (date(2024, 10, 8), True),
    (date(2024, 10, 12), True),  # Saturday, make-up working day
    (date(2024, 10, 13), False),
])
def test_national_day_2024_working_days(day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_working_days_across_national_day_2024_counted_by_hand() -> None:
    # From Fri 27 Sep: 29 Sep (1, make-up Sunday), 30 Sep (2), holiday, 8 Oct (3), 9 Oct (4), 10 Oct (5).
    assert calendar.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)
    # From Mon 30 Sep: 8, 9, 10, 11 Oct (4), Sat 12 Oct (5, make-up), 14, 15, 16, 17, 18 Oct (10).
    assert calendar.add_working_days(date(2024, 9, 30), 10) == date(2024, 10, 18)
    assert calendar.working_days_between(date(2024, 9, 27), date(2024, 10, 10)) == 5
    assert calendar.working_days_between(date(2024, 9, 30), date(2024, 10, 18)) == 10
    assert calendar.add_period(date(2024, 9, 30), 5, "working_days") == date(2024, 10, 12)


def _filed(world: Any, title: str = "关于加快城市更新的建议") -> Proposal:
    p = act.create_proposal(world.user("member0"), session=world.session, title=title, suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    return act.file_proposal(world.user("staff"), p.pk)


def test_assignment_on_the_eve_of_national_day_2024_gets_deadlines_by_the_statutory_calendar(world: Any) -> None:
    """Assigned on Mon 2024-09-30 (a paper assignment entered later): send-back limit 5 working days →
    8, 9, 10, 11 Oct and the make-up Saturday 12 Oct; reply 3 months → 30 Dec; co-handling opinion 1 month →
    30 Oct."""
    p = _filed(world)
    lead, co = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")],
                                   on=date(2024, 9, 30))
    assert lead.sendback_deadline == co.sendback_deadline == date(2024, 10, 12)
    assert lead.deadline == date(2024, 12, 30)
    assert co.deadline == date(2024, 10, 30)


def test_an_assignment_day_in_the_future_is_refused(world: Any, today: date) -> None:
    p = _filed(world)
    with pytest.raises(DomainError, match="交办日期") as err:
        act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")], on=today + timedelta(days=1))
    assert err.value.field == "on"
    assert not Assignment.objects.filter(proposal=p).exists()


# ---------------------------------------------------------------------------------------------- send-back limit


@pytest.mark.parametrize(("days_ago", "accepted"), [(5, True), (6, False)])
def test_send_back_on_the_last_day_is_accepted_after_it_refused(world: Any, today: date, days_ago: int,
                                                                accepted: bool) -> None:
    """A limit of 5 calendar days from the assignment: assigned 5 days ago → today is the last day (accepted);
    6 days ago → the limit was yesterday (refused, naming the date)."""
    world.council.sendback_limit, world.council.sendback_limit_unit = 5, "calendar_days"
    world.council.save()
    p = _filed(world)
    (assignment,) = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")],
                                        on=today - timedelta(days=days_ago))
    assert assignment.sendback_deadline == today - timedelta(days=days_ago - 5)
    if accepted:
        act.send_back(world.user("clerk0"), assignment.pk, reason="不属于本单位职责")
        assert Assignment.objects.get(pk=assignment.pk).status == "sent_back"
        return
    version = Proposal.objects.get(pk=p.pk).version
    with pytest.raises(DomainError) as err:
        act.send_back(world.user("clerk0"), assignment.pk, reason="不属于本单位职责")
    assert "申退期限已过" in err.value.message and f"{today - timedelta(days=1):%Y-%m-%d}" in err.value.message
    assert Assignment.objects.get(pk=assignment.pk).status == "handling"
    assert Proposal.objects.get(pk=p.pk).version == version


# ---------------------------------------------------------------------------------------------- audit


def _assigned(world: Any, plan: str = "sole") -> tuple[Proposal, Assignment]:
    p = _filed(world)
    units = [(world.units[0], "sole")] if plan == "sole" else [(world.units[0], "lead"), (world.units[1], "co")]
    assignments = act.assign_proposal(world.user("staff"), p.pk, units)
    return p, assignments[-1]


def _p_update_draft(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于修改的建议", suggestions="建议")
    return p, lambda: act.update_draft(world.user("member0"), p.pk, title="关于修改后的建议")


def _p_invite(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于联名的建议", suggestions="建议")
    return p, lambda: act.invite_cosigners(world.user("member0"), p.pk, [world.members[1]])


def _p_respond(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于联名的建议", suggestions="建议",
                            cosigners=[world.members[1]])
    return p, lambda: act.respond_to_invitation(world.user("member1"), p.pk, accept=True)


def _p_merge(world: Any) -> tuple[Any, Callable[[], Any]]:
    main = act.submit_proposal(world.user("member0"), act.create_proposal(
        world.user("member0"), session=world.session, title="关于主提案的建议", suggestions="建议").pk)
    other = act.submit_proposal(world.user("member1"), act.create_proposal(
        world.user("member1"), session=world.session, title="关于并入提案的建议", suggestions="建议").pk)
    return main, lambda: act.merge_proposals(world.user("staff"), main.pk, [other.pk])


def _p_reassign(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, a = _assigned(world)
    act.send_back(world.user("clerk0"), a.pk, reason="不属于本单位职责")
    return p, lambda: act.assign_proposal(world.user("staff"), p.pk, [(world.units[1], "sole")])


def _p_send_back(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, a = _assigned(world)
    return p, lambda: act.send_back(world.user("clerk0"), a.pk, reason="不属于本单位职责")


def _p_opinion(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, co = _assigned(world, "lead+co")
    return p, lambda: act.send_opinion(world.user("clerk1"), co.pk, text="同意主办单位意见")


def _p_draft_reply(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, a = _assigned(world)
    return p, lambda: act.draft_reply(world.user("clerk0"), a.pk, grade_code="A", text="答复正文")


def _p_return_reply(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, a = _assigned(world)
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="A", text="答复正文")
    return p, lambda: act.return_reply(world.user("head0"), reply.pk, comment="请补充资金安排")


def _p_sign_off_partial(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = _filed(world)
    first, _second = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "separate"),
                                                                     (world.units[1], "separate")])
    reply = act.draft_reply(world.user("clerk0"), first.pk, grade_code="A", text="答复正文")
    return p, lambda: act.sign_off_reply(world.user("head0"), reply.pk)  # the other unit still handles


def _p_evaluate_merged(world: Any) -> tuple[Any, Callable[[], Any]]:
    main = act.submit_proposal(world.user("member0"), act.create_proposal(
        world.user("member0"), session=world.session, title="关于主提案的建议", suggestions="建议").pk)
    other = act.submit_proposal(world.user("member1"), act.create_proposal(
        world.user("member1"), session=world.session, title="关于并入提案的建议", suggestions="建议").pk)
    act.merge_proposals(world.user("staff"), main.pk, [other.pk])
    act.file_proposal(world.user("staff"), main.pk)
    (a,) = act.assign_proposal(world.user("staff"), main.pk, [(world.units[0], "sole")])
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="A", text="答复正文")
    act.sign_off_reply(world.user("head0"), reply.pk)
    return main, lambda: act.evaluate_reply(world.user("member1"), reply.pk, attitude="satisfied",
                                            relevance="satisfied", result="satisfied", overall="satisfied")


def _p_key(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = _filed(world)
    return p, lambda: act.set_key_proposal(world.user("staff"), p.pk, is_key=True, supervising_leader="王副主席")


def _p_excellent(world: Any) -> tuple[Any, Callable[[], Any]]:
    p = _filed(world)
    return p, lambda: act.mark_excellent(world.user("staff"), p.pk, year=2024)


def _p_follow_up(world: Any) -> tuple[Any, Callable[[], Any]]:
    p, a = _assigned(world)
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="B", text="正在解决")
    act.sign_off_reply(world.user("head0"), reply.pk)
    return p, lambda: act.add_follow_up(world.user("staff"), p.pk, note="已列入明年计划")


def _report(world: Any) -> Report:
    return op.create_report(world.user("member0"), council=world.council, title="老旧小区加装电梯难",
                            situation="进展缓慢。", analysis="资金缺。", suggestion="设立补贴。")


def _published(world: Any, today: date) -> Report:
    staff = world.user("staff")
    report = _report(world)
    op.submit_report(world.user("member0"), report.pk)
    op.screen_report(staff, report.pk, decision="adopt")
    op.sign_off_report(staff, report.pk)
    issue = op.create_issue(staff, world.council, year=2026, number=3, date=today)
    return op.publish_report(staff, report.pk, issue=issue)


def _o_update_report_draft(world: Any) -> tuple[Any, Callable[[], Any]]:
    r = _report(world)
    return r, lambda: op.update_report_draft(world.user("member0"), r.pk, title="老旧小区加装电梯更难")


def _o_edit_report(world: Any) -> tuple[Any, Callable[[], Any]]:
    r = _report(world)
    op.submit_report(world.user("member0"), r.pk)
    op.screen_report(world.user("staff"), r.pk, decision="adopt")
    return r, lambda: op.edit_report(world.user("staff"), r.pk, title="关于加快老旧小区加装电梯的建议")


def _o_delivery(world: Any) -> tuple[Any, Callable[[], Any]]:
    r = _published(world, timezone.localdate())
    return r, lambda: op.record_delivery(world.user("staff"), r.pk, recipient_kind="party_committee",
                                         recipient="市委办公室")


def _o_instruction(world: Any) -> tuple[Any, Callable[[], Any]]:
    r = _published(world, timezone.localdate())
    return r, lambda: op.record_instruction(world.user("staff"), r.pk, leader_name="王市长", level="city",
                                            date=timezone.localdate(), text="请市住建局研究办理。")


def _o_forward_again(world: Any) -> tuple[Any, Callable[[], Any]]:
    r = _published(world, timezone.localdate())
    op.forward_report(world.user("staff"), r.pk, [world.units[0]])
    return r, lambda: op.forward_report(world.user("staff"), r.pk, [world.units[1]])


def _o_forward_answer(world: Any) -> tuple[Any, Callable[[], Any]]:
    from lvzhi.opinions.models import ReportForward

    r = _published(world, timezone.localdate())
    op.forward_report(world.user("staff"), r.pk, [world.units[0], world.units[1]])
    f = ReportForward.objects.filter(report=r).order_by("id").first()
    return r, lambda: op.draft_forward_answer(world.user("clerk0"), f.pk, text="已出台补贴办法。")


def _routed(world: Any) -> Message:
    m = op.register_message(world.user("staff"), world.council, channel="letter", title="路灯不亮",
                            body="小区门口路灯坏了。")
    return op.route_message(world.user("staff"), m.pk, unit=world.units[0])


def _o_message_reply(world: Any) -> tuple[Any, Callable[[], Any]]:
    m = _routed(world)
    return m, lambda: op.draft_message_reply(world.user("clerk0"), m.pk, text="已修复。")


def _o_publish_message(world: Any) -> tuple[Any, Callable[[], Any]]:
    m = _routed(world)
    op.draft_message_reply(world.user("clerk0"), m.pk, text="已修复。")
    op.sign_off_message_reply(world.user("head0"), m.pk)
    return m, lambda: op.publish_message(world.user("staff"), m.pk)


EDITS: dict[str, Callable[[Any], tuple[Any, Callable[[], Any]]]] = {
    "update_draft": _p_update_draft, "invite_cosigners": _p_invite, "respond_to_invitation": _p_respond,
    "merge_proposals": _p_merge, "assign_proposal (re-assign)": _p_reassign, "send_back": _p_send_back,
    "send_opinion": _p_opinion, "draft_reply": _p_draft_reply, "return_reply": _p_return_reply,
    "sign_off_reply (one of two)": _p_sign_off_partial,
    "evaluate_reply (merged proposer)": _p_evaluate_merged, "set_key_proposal": _p_key,
    "mark_excellent": _p_excellent, "add_follow_up": _p_follow_up,
    "update_report_draft": _o_update_report_draft, "edit_report": _o_edit_report,
    "record_delivery": _o_delivery, "record_instruction": _o_instruction,
    "forward_report (again)": _o_forward_again, "draft_forward_answer": _o_forward_answer,
    "draft_message_reply": _o_message_reply, "publish_message": _o_publish_message,
}
# Writers that change a case only by a transition (the engine writes their audit entry), create one, or do
# not change a case (their own objects carry their audit entries).
TRANSITIONS_OR_OTHER = {
    "create_proposal", "submit_proposal", "withdraw_proposal", "return_for_revision", "file_proposal",
    "not_file_proposal", "assign_batch", "close_proposal", "archive_proposal", "proposal_workflow",
    "create_report", "submit_report", "withdraw_report", "screen_report", "sign_off_report", "create_issue",
    "has_staff_role", "publish_report", "sign_off_forward_answer", "close_report", "convert_proposal_to_report",
    "save_informant", "new_tracking_code", "submit_portal_message", "register_message", "route_message",
    "return_message", "reject_message", "sign_off_message_reply", "rate_message", "close_message",
    "import_messages", "report_warnings",
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_that_is_not_a_transition_leaves_an_audit_entry(world: Any, name: str) -> None:
    case, edit = EDITS[name](world)
    model = type(case)
    before = AuditEntry.objects.filter(target_id=case.pk, target_type__model=model._meta.model_name).count()
    edit()
    entries = list(AuditEntry.objects.filter(target_id=case.pk, target_type__model=model._meta.model_name)
                   .order_by("id"))[before:]
    assert entries, f"{name} changed the case without an audit entry"
    assert all(e.event != "transition" for e in entries)  # these are edits, not state changes
    assert all(e.actor_id is not None for e in entries)


def test_every_public_writer_is_either_pinned_above_or_a_transition() -> None:
    names = {n for module in (act, op) for n, f in inspect.getmembers(module, inspect.isfunction)
             if f.__module__ == module.__name__ and not n.startswith("_")}
    pinned = {key.split(" ")[0] for key in EDITS}
    assert names - pinned - TRANSITIONS_OR_OTHER == set()
