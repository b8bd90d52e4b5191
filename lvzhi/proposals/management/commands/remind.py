"""``lvzhi remind``: in-app reminders of approaching and passed deadlines (run it daily, e.g. from cron).

- handling units (clerks and leaders) of every assignment in handling whose reply deadline (or, for a
  co-handling unit, opinion deadline) is overdue or within the council's ``at_risk_working_days`` working
  days (statutory calendar); the council's proposals staff too when it is overdue;
- proposers (and proposers of proposals merged into the case) who have not yet rated a sent reply while the
  rating window closes within ``at_risk_working_days`` working days.

Each user is reminded at most once per case per day (``dedupe_key`` ``remind:<proposal id>:<date>``), so
running the command twice a day sends nothing new. Prints the number of notifications sent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.models import Notification
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Profile
from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus, ReplyStatus
from lvzhi.proposals.models import Assignment, Evaluation, Proposal, Reply
from lvzhi.proposals.queries import AT_RISK, OVERDUE, urgency_of


def _key(proposal_id: int, today: date) -> str:
    return f"remind:{proposal_id}:{today.isoformat()}"


def send_reminders(today: date | None = None) -> int:
    """Queue the day's reminders (see the module docstring) and return how many notifications were sent
    (users already reminded about a case today are not counted)."""
    today = today or timezone.localdate()
    user_model = get_user_model()
    risk = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    planned: dict[str, list[tuple[list[Any], str, str]]] = defaultdict(list)

    assignments = (Assignment.objects.filter(status=AssignmentStatus.HANDLING, proposal__state__units_may_reply=True)
                   .select_related("proposal", "unit"))
    unit_users: dict[int | None, list[Any]] = defaultdict(list)
    staff_users: dict[int | None, list[Any]] = defaultdict(list)
    # one account may hold several capacities: it is reminded for each unit or council it serves
    for prof in Profile.objects.filter(user__is_active=True, role__in=(Role.UNIT_CLERK, Role.UNIT_LEADER)
                                       ).select_related("user"):
        unit_users[prof.unit_id].append(prof.user)
    for prof in Profile.objects.filter(user__is_active=True, role=Role.STAFF).select_related("user"):
        staff_users[prof.council_id].append(prof.user)
    for a in assignments:
        p = a.proposal
        urgency = urgency_of(a.deadline, today, risk.get(p.council_id, 5))
        if urgency not in (OVERDUE, AT_RISK):
            continue
        what = "会办意见" if a.role == AssignmentRole.CO else "答复"
        status = "已超期" if urgency == OVERDUE else "即将到期"
        text = f"提醒：提案 {p.number}《{p.title}》{what}期限 {a.deadline:%Y-%m-%d}{status}（{a.unit.name}）。"
        url = reverse("proposal-detail", args=[p.pk])
        planned[_key(p.pk, today)].append((unit_users.get(a.unit_id, []), text, url))
        if urgency == OVERDUE:
            planned[_key(p.pk, today)].append((staff_users.get(p.council_id, []), text, url))

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
        rated = Evaluation.objects.filter(reply__in=replies).values_list("evaluator_id", "reply_id")
        done: dict[int, set[int]] = defaultdict(set)
        for user_id, reply_id in rated:
            done[user_id].add(reply_id)
        waiting = [uid for uid in raters if {r.pk for r in replies} - done[uid]]
        if waiting:
            text = f"提醒：提案《{p.title}》的答复请于 {p.state_deadline:%Y-%m-%d} 前完成满意度测评。"
            planned[_key(p.pk, today)].append((list(user_model.objects.filter(pk__in=waiting)), text,
                                               reverse("proposal-detail", args=[p.pk])))

    existing = set(Notification.objects.filter(dedupe_key__in=list(planned))
                   .values_list("recipient_id", "dedupe_key"))
    sent = 0
    with transaction.atomic():
        for key, batches in planned.items():
            seen: set[int] = set()
            for users, text, url in batches:
                fresh = [u for u in users if u.pk not in seen and (u.pk, key) not in existing]
                seen.update(u.pk for u in fresh)
                sent += len(fresh)
                audit.notify(fresh, "reminder", text, url=url, dedupe_key=key)
    return sent


class Command(BaseCommand):
    help = "发送临期、超期提醒（承办单位答复期限、会办意见期限、满意度测评期限）；每人每案每天至多一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）计算，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        sent = send_reminders(today)
        self.stdout.write(f"已发送 {sent} 条提醒。")
