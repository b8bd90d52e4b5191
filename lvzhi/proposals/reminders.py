"""The reminder provider of proposals (提案), registered with :mod:`lvzhi.core.reminders` by
``ProposalsConfig.ready``:

- handling units (clerks and leaders) of every assignment in handling whose reply deadline (or, for a
  co-handling unit, opinion deadline) is overdue or within the council's ``at_risk_working_days`` working
  days (statutory calendar); the council's proposals staff too when it is overdue;
- proposers (and proposers of proposals merged into the case) who have not yet rated a sent reply while the
  rating window closes within ``at_risk_working_days`` working days.

Key ``remind:<proposal id>`` (one reminder per user, proposal and day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import F
from django.urls import reverse

from lvzhi.core.inbox import AT_RISK, OVERDUE, urgency_of
from lvzhi.core.reminders import Reminder
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Profile
from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus, ReplyStatus
from lvzhi.proposals.models import Assignment, Evaluation, Proposal, Reply


def proposal_reminders(today: date) -> Iterable[Reminder]:
    """The proposal reminders due on ``today`` (see the module docstring)."""
    risk = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    out: list[Reminder] = []
    assignments = (Assignment.objects.filter(status=AssignmentStatus.HANDLING, proposal__state__units_may_reply=True)
                   .select_related("proposal", "unit"))
    unit_users: dict[int | None, list[int]] = defaultdict(list)
    staff_users: dict[int | None, list[int]] = defaultdict(list)
    # one account may hold several capacities: it is reminded for each unit or council it serves
    for unit_id, user_id in Profile.objects.filter(user__is_active=True, role__in=(Role.UNIT_CLERK, Role.UNIT_LEADER)
                                                   ).values_list("unit_id", "user_id"):
        unit_users[unit_id].append(user_id)
    for council_id, user_id in Profile.objects.filter(user__is_active=True, role=Role.STAFF
                                                      ).values_list("council_id", "user_id"):
        staff_users[council_id].append(user_id)
    for a in assignments:
        p = a.proposal
        urgency = urgency_of(a.deadline, today, risk.get(p.council_id, 5))
        if urgency not in (OVERDUE, AT_RISK):
            continue
        what = "会办意见" if a.role == AssignmentRole.CO else "答复"
        status = "已超期" if urgency == OVERDUE else "即将到期"
        text = f"提醒：提案 {p.number}《{p.title}》{what}期限 {a.deadline:%Y-%m-%d}{status}（{a.unit.name}）。"
        url = reverse("proposal-detail", args=[p.pk])
        out.append(Reminder(f"remind:{p.pk}", tuple(unit_users.get(a.unit_id, [])), text, url))
        if urgency == OVERDUE:
            out.append(Reminder(f"remind:{p.pk}", tuple(staff_users.get(p.council_id, [])), text, url))

    rating = Proposal.objects.filter(state__proposer_may_rate=True, state_deadline__gte=today).select_related(
        "first_proposer__profile")
    for p in rating:
        if urgency_of(p.state_deadline, today, risk.get(p.council_id, 5)) != AT_RISK:
            continue
        replies = list(Reply.objects.filter(assignment__proposal=p, status=ReplyStatus.SENT,
                                            round=F("assignment__round")))
        raters = set(p.proposer_user_ids())
        for merged in p.merged_proposals.select_related("first_proposer__profile"):
            raters |= merged.proposer_user_ids()
        done: dict[int, set[int]] = defaultdict(set)
        for user_id, reply_id in Evaluation.objects.filter(reply__in=replies).values_list("evaluator_id",
                                                                                          "reply_id"):
            done[user_id].add(reply_id)
        waiting = tuple(sorted(uid for uid in raters if {r.pk for r in replies} - done[uid]))
        if waiting:
            text = f"提醒：提案《{p.title}》的答复请于 {p.state_deadline:%Y-%m-%d} 前完成满意度测评。"
            out.append(Reminder(f"remind:{p.pk}", waiting, text, reverse("proposal-detail", args=[p.pk])))
    return out
