"""The reminder provider of every case type of the handling core (deputies' suggestions …), registered with
:mod:`lvzhi.core.reminders` by ``CasesConfig.ready``, from :func:`lvzhi.cases.queries.deadlines`:

- a unit's reply or co-handling opinion due (overdue, or within the council's ``at_risk_working_days``
  working days, statutory calendar): the unit's clerks and leaders; the council's staff too when overdue;
- an opinion form (意见征询表 / 测评) whose window closes within ``at_risk_working_days`` working days (not
  yet passed): the evaluators who have not answered.

Key ``remind:<case type>:<case id>`` (one reminder per user, case and day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from lvzhi.cases import people, registry
from lvzhi.cases.queries import deadlines
from lvzhi.core.inbox import AT_RISK, OVERDUE, urgency_of
from lvzhi.core.reminders import Reminder
from lvzhi.members.models import Council


def case_reminders(today: date) -> Iterable[Reminder]:
    """The reminders due on ``today`` across every registered case type (see the module docstring)."""
    risk = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    # a bound safely beyond every council's at-risk window (working days are never denser than calendar days,
    # and the longest statutory holiday adds at most 10 non-working days to a 5-working-day window)
    horizon = today + timedelta(days=2 * max(risk.values(), default=5) + 14)
    out: list[Reminder] = []
    for d in deadlines(until=horizon):
        urgency = urgency_of(d.deadline, today, risk.get(d.council_id, 5))
        label = registry.get(d.case_type).label
        name = f"{label} {d.number}《{d.title}》" if d.number else f"{label}《{d.title}》"
        key = f"remind:{d.case_type}:{d.case_id}"
        if d.what == "反馈意见":
            if urgency == AT_RISK:
                out.append(Reminder(key, d.user_ids, f"提醒：{name}的答复请于 {d.deadline:%Y-%m-%d} 前反馈意见（测评）。",
                                    d.url))
            continue
        if urgency not in (OVERDUE, AT_RISK):
            continue
        status = "已超期" if urgency == OVERDUE else "即将到期"
        text = f"提醒：{name}{d.what}期限 {d.deadline:%Y-%m-%d}{status}。"
        out.append(Reminder(key, d.user_ids, text, d.url))
        if urgency == OVERDUE:
            out.append(Reminder(key, tuple(u.pk for u in people.staff_users(d.council_id)), text, d.url))
    return out
