"""``lvzhi remind`` covers every deadline of every case type (proposals, messages, deputies' suggestions),
through the providers registered with ``lvzhi.core.reminders``; the command lives in core.

The day is fixed at Friday 2024-09-27, before the National Day holiday: 2024-09-29 (Sunday) and 2024-10-12
(Saturday) are working days, 2024-10-01..07 are not. Each council warns 5 working days ahead (the default).
Working days after 2024-09-27, counted by hand: 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 (5),
10-11 (6), 10-12 (7). Stored deadlines are moved to these dates (as if assigned long ago).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from lvzhi.cases.models import Assignment as CaseAssignment
from lvzhi.core.models import Notification
from lvzhi.core.reminders import providers
from lvzhi.opinions import actions as opin
from lvzhi.opinions.models import Message
from lvzhi.proposals import actions as pact
from lvzhi.proposals.models import Assignment as ProposalAssignment
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import answer, assigned
from tests.cases.npc import build_npc

pytestmark = pytest.mark.django_db
DAY = date(2024, 9, 27)


def _remind(day: date, capture) -> int:
    out = io.StringIO()
    with capture(execute=True):
        call_command("remind", "--date", day.isoformat(), stdout=out)
    text = out.getvalue()
    return int(text.split("已发送 ")[1].split(" 条")[0])


def _proposal(world, member: str, unit: int, title: str):
    p = pact.create_proposal(world.user(member), session=world.session, title=title, situation="情况",
                             analysis="分析", suggestions="建议")
    pact.submit_proposal(world.user(member), p.pk)
    pact.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    pact.assign_proposal(world.user("staff"), p.pk, [(world.units[unit], "sole")])
    return p


def test_remind_lives_in_core_and_every_type_provides():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lvzhi"
    assert (root / "core" / "management" / "commands" / "remind.py").exists()
    assert not (root / "proposals" / "management" / "commands" / "remind.py").exists()
    assert {"proposal", "opinions", "cases"} <= set(providers())


def test_every_case_type_reminded_on_hand_computed_working_days(world, django_capture_on_commit_callbacks):
    npc = build_npc()
    s_risk, (a_risk,) = assigned(npc, [(0, "sole")], title="建议：10-10 到期")       # 5th working day: at risk
    s_normal, (a_normal,) = assigned(npc, [(1, "sole")], title="建议：10-11 到期")   # 6th: not yet
    s_late, (a_late,) = assigned(npc, [(2, "sole")], title="建议：09-26 到期")       # passed: overdue
    s_rate, (a_rate,) = assigned(npc, [(0, "sole")], title="建议：反馈 10-08 截止")
    answer(npc, a_rate, "A")
    CaseAssignment.objects.filter(pk=a_risk.pk).update(deadline=date(2024, 10, 10))
    CaseAssignment.objects.filter(pk=a_normal.pk).update(deadline=date(2024, 10, 11))
    CaseAssignment.objects.filter(pk=a_late.pk).update(deadline=date(2024, 9, 26))
    Suggestion.objects.filter(pk=s_rate.pk).update(state_deadline=date(2024, 10, 8))    # 3rd: at risk

    m = opin.register_message(world.user("staff"), world.council, channel="letter", title="路灯损坏",
                              body="小区门口路灯损坏多日。")
    opin.route_message(world.user("staff"), m.pk, unit=world.units[0])
    Message.objects.filter(pk=m.pk).update(deadline=date(2024, 9, 30))                  # 2nd: at risk
    p_normal = _proposal(world, "member0", 1, "提案：10-12 到期")
    p_risk = _proposal(world, "member1", 2, "提案：10-09 到期")
    ProposalAssignment.objects.filter(proposal=p_normal).update(deadline=date(2024, 10, 12))  # 7th: not yet
    ProposalAssignment.objects.filter(proposal=p_risk).update(deadline=date(2024, 10, 9))     # 4th: at risk
    Notification.objects.all().delete()

    # suggestions: unit 0 (2) + unit 2 and both staff (4) + deputy0's opinion form (1);
    # message: CPPCC unit 0 (2); proposal: CPPCC unit 2 (2)
    assert _remind(DAY, django_capture_on_commit_callbacks) == 11
    notes = Notification.objects.filter(kind="reminder")
    got = {(n.recipient_id, n.url) for n in notes}
    expected = {(npc.user(u).pk, f"/suggestions/{s_risk.pk}/") for u in ("clerk0", "head0")}
    expected |= {(npc.user(u).pk, f"/suggestions/{s_late.pk}/") for u in ("clerk2", "head2", "staff", "staff2")}
    expected.add((npc.user("deputy0").pk, f"/suggestions/{s_rate.pk}/"))
    expected |= {(world.user(u).pk, f"/opinions/messages/{m.pk}/") for u in ("clerk0", "head0")}
    expected |= {(world.user(u).pk, f"/proposals/{p_risk.pk}/") for u in ("clerk2", "head2")}
    assert got == expected
    assert "已超期" in notes.get(recipient=npc.user("staff")).text
    assert "即将到期" in notes.get(recipient=world.user("clerk0")).text
    assert "2024-10-08" in notes.get(recipient=npc.user("deputy0")).text
    # the same day again: nothing new
    assert _remind(DAY, django_capture_on_commit_callbacks) == 0
    # the next working day (Sunday 09-29, a make-up day): the message was answered, so its unit is not
    # reminded; 10-11 is now the 5th working day ahead (09-30, 10-08, 10-09, 10-10, 10-11), so unit 1 is;
    # 10-12 is the 6th, still not
    Message.objects.filter(pk=m.pk).update(reply_status="sent")
    assert _remind(date(2024, 9, 29), django_capture_on_commit_callbacks) == 11
    day2 = {(n.recipient_id, n.url) for n in Notification.objects.filter(dedupe_key__endswith=":2024-09-29")}
    assert day2 == (expected - {(world.user(u).pk, f"/opinions/messages/{m.pk}/") for u in ("clerk0", "head0")}) | {
        (npc.user(u).pk, f"/suggestions/{s_normal.pk}/") for u in ("clerk1", "head1")}
