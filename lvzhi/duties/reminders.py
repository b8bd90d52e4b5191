"""Reminders of instructions on consultation outcomes not yet carried out (registered with
:mod:`lvzhi.core.reminders`, sent by ``lvzhi remind``): each unit's accounts, for every task whose deadline
has passed or falls within the council's ``at_risk_working_days`` working days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.urls import reverse

from lvzhi.cases import people
from lvzhi.cases.choices import InstructionStatus
from lvzhi.core.inbox import NORMAL, OVERDUE, urgency_of
from lvzhi.core.reminders import Reminder
from lvzhi.duties.models import InstructionTask


def instruction_reminders(today: date) -> Iterator[Reminder]:
    tasks = (InstructionTask.objects.exclude(status=InstructionStatus.DONE)
             .select_related("instruction__topic__plan__council", "unit"))
    url = reverse("duties-instructions")
    for task in tasks:
        ins = task.instruction
        urgency = urgency_of(ins.deadline, today, ins.topic.plan.council.at_risk_working_days)
        if urgency == NORMAL:
            continue
        users = tuple(u.pk for u in people.unit_users([task.unit_id]))
        if not users:
            continue
        when = "已逾期" if urgency == OVERDUE else "即将到期"
        yield Reminder(f"remind:duty-instruction:{task.pk}", users,
                       f"{ins.leader_name}对《{ins.topic.title}》的批示落实{when}（期限 {ins.deadline:%Y-%m-%d}）。", url)
