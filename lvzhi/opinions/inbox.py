"""The inbox provider of public-opinion reports (社情民意) and citizens' messages (群众意见), registered with
:mod:`lvzhi.core.inbox` by ``OpinionsConfig.ready``. Reads the active capacity (``profile_of``); asks states
for flags and transitions for their act keys, never for a state code."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.inbox import InboxItem, urgency_of
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Council
from lvzhi.opinions.choices import ForwardStatus, ReplyStatus
from lvzhi.opinions.models import Message, Report, ReportForward


def _with_act(qs: QuerySet[Any], act: str) -> QuerySet[Any]:
    """The cases of ``qs`` whose current state has an outgoing transition ``act``."""
    return qs.filter(workflow__transitions__source_id=F("state_id"), workflow__transitions__act=act).distinct()


def opinion_inbox(user: Any, today: date) -> Iterable[InboxItem]:
    """What waits for ``user`` among reports and messages:

    - staff of the council: messages in an assignable state (群众意见待转办, deadline: the state's), reports
      that may be screened (社情民意待筛选) or signed off (社情民意待签发), deadline: the state's;
    - leaders of the council: reports that may be signed off;
    - unit clerk / leader: messages routed to their unit without a reply sent or waiting (答复群众意见,
      deadline: the routing's), report forwards in handling (社情民意办理, deadline: the forward's);
      unit leader also: message replies and forward answers waiting for sign-off (签发答复).
    """
    profile = profile_of(user)
    if profile is None:
        return []
    risk: dict[int, int] = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    out: list[InboxItem] = []

    def add(case: Report | Message, label: str, what: str, deadline: date | None, url: str) -> None:
        out.append(InboxItem(source="opinions", type_label=label, what=what, title=case.title,
                             number=getattr(case, "number", "") or "", deadline=deadline,
                             urgency=urgency_of(deadline, today, risk.get(case.council_id, 5)), url=url))

    report_label, message_label = _("社情民意"), _("群众意见")
    council_id = profile.council_id
    if council_id is not None and is_council_staff(user, council_id):
        messages = Message.objects.filter(council_id=council_id, state__assignable=True)
        for m in messages:
            add(m, message_label, _("群众意见待转办"), m.state_deadline, reverse("opinions-message", args=[m.pk]))
        reports = Report.objects.filter(council_id=council_id)
        for r in _with_act(reports, "adopt"):
            add(r, report_label, _("社情民意待筛选"), r.state_deadline, reverse("opinions-report", args=[r.pk]))
    if council_id is not None and (is_council_staff(user, council_id) or is_council_leader(user, council_id)):
        for r in _with_act(Report.objects.filter(council_id=council_id), "sign_off"):
            add(r, report_label, _("社情民意待签发"), r.state_deadline, reverse("opinions-report", args=[r.pk]))
    if profile.unit_id and profile.role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
        leader = profile.role == Role.UNIT_LEADER
        routed = Message.objects.filter(unit_id=profile.unit_id, state__units_may_reply=True)
        for m in routed:
            url = reverse("opinions-message", args=[m.pk])
            if m.reply_status == ReplyStatus.PENDING_SIGNOFF:
                if leader:
                    add(m, message_label, _("群众意见答复待签发"), m.deadline, url)
            elif m.reply_status != ReplyStatus.SENT:
                add(m, message_label, _("答复群众意见"), m.deadline, url)
        forwards = ReportForward.objects.filter(unit_id=profile.unit_id, report__state__units_may_reply=True,
                                                status__in=[ForwardStatus.HANDLING, ForwardStatus.PENDING_SIGNOFF]
                                                ).select_related("report")
        for f in forwards:
            url = reverse("opinions-report", args=[f.report_id])
            if f.status == ForwardStatus.HANDLING:
                add(f.report, report_label, _("社情民意办理"), f.deadline, url)
            elif leader:
                add(f.report, report_label, _("办理情况待签发"), f.deadline, url)
    return out
