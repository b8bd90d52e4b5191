"""The reminder provider of citizens' messages (群众意见) and public-opinion reports (社情民意), registered with
:mod:`lvzhi.core.reminders` by ``OpinionsConfig.ready``:

- a message routed to a unit (state where units may reply) without a reply sent, whose deadline is overdue
  or within the council's ``at_risk_working_days`` working days (statutory calendar): the unit's clerks and
  leaders; the council's staff too when overdue;
- a report forwarded to a unit and not yet answered, by the forward's deadline: likewise.

Keys ``remind:message:<id>`` and ``remind:report:<id>``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from lvzhi.core.inbox import AT_RISK, OVERDUE, urgency_of
from lvzhi.core.reminders import Reminder
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Profile
from lvzhi.opinions.choices import ForwardStatus, ReplyStatus
from lvzhi.opinions.models import Message, ReportForward


def opinion_reminders(today: date) -> Iterable[Reminder]:
    """The message and report reminders due on ``today`` (see the module docstring)."""
    risk = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    unit_users: dict[int | None, list[int]] = defaultdict(list)
    staff_users: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, user_id in Profile.objects.filter(user__is_active=True, role__in=(Role.UNIT_CLERK, Role.UNIT_LEADER)
                                                   ).values_list("unit_id", "user_id"):
        unit_users[unit_id].append(user_id)
    for council_id, user_id in Profile.objects.filter(user__is_active=True, role=Role.STAFF
                                                      ).values_list("council_id", "user_id"):
        staff_users[council_id].append(user_id)
    out: list[Reminder] = []

    def due(key: str, council_id: int, unit_id: int, unit: str, what: str, deadline: date | None, url: str) -> None:
        urgency = urgency_of(deadline, today, risk.get(council_id, 5))
        if urgency not in (OVERDUE, AT_RISK) or deadline is None:
            return
        status = "已超期" if urgency == OVERDUE else "即将到期"
        text = f"提醒：{what}办理期限 {deadline:%Y-%m-%d}{status}（{unit}）。"
        out.append(Reminder(key, tuple(unit_users.get(unit_id, [])), text, url))
        if urgency == OVERDUE:
            out.append(Reminder(key, tuple(staff_users.get(council_id, [])), text, url))

    messages = (Message.objects.filter(state__units_may_reply=True, unit__isnull=False, deadline__isnull=False)
                .exclude(reply_status=ReplyStatus.SENT).select_related("unit"))
    for m in messages:
        if m.unit_id is not None and m.unit is not None:
            due(f"remind:message:{m.pk}", m.council_id, m.unit_id, m.unit.name, f"群众意见《{m.title}》",
                m.deadline, reverse("opinions-message", args=[m.pk]))
    forwards = (ReportForward.objects.filter(report__state__units_may_reply=True, deadline__isnull=False,
                                             status__in=[ForwardStatus.HANDLING, ForwardStatus.PENDING_SIGNOFF])
                .select_related("report", "unit"))
    for f in forwards:
        due(f"remind:report:{f.report_id}", f.report.council_id, f.unit_id, f.unit.name,
            f"社情民意《{f.report.title}》", f.deadline, reverse("opinions-report", args=[f.report_id]))
    return out
