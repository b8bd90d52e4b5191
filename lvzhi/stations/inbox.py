"""The inbox provider of the liaison stations, registered with :mod:`lvzhi.core.inbox` by
``StationsConfig.ready``: matters waiting for triage, for the result of a referral or for feedback (for the
stations' staff and the council's staff, and the deputies responsible), and a deputy's turns to confirm.
Asks transitions for their act keys, never for a state code."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from lvzhi.cases import people
from lvzhi.core.inbox import InboxItem, urgency_of
from lvzhi.stations.access import managed_stations, visible_matters
from lvzhi.stations.models import Matter, TurnDeputy

#: act → what waits (the first act the matter's state offers decides).
WAITING: list[tuple[str, str]] = [("answer", N_("群众意见待分类处理")), ("resolve", N_("转交事项待登记办理结果")),
                                  ("feedback", N_("群众意见待反馈"))]


def _with_act(qs: QuerySet[Matter], act: str) -> QuerySet[Matter]:
    return qs.filter(workflow__transitions__source_id=F("state_id"), workflow__transitions__act=act).distinct()


def station_inbox(user: Any, today: date) -> Iterable[InboxItem]:
    """What waits for ``user`` at the stations: matters of the stations they work for (or, for a deputy,
    the matters they received) with an act waiting; a deputy's unconfirmed coming turns (deadline: the
    turn's day)."""
    out: list[InboxItem] = []
    label = _("联络站")
    member_id = people.member_id_of(user)
    cond = Q(station__in=managed_stations(user).values("pk"))
    if member_id:  # the matters the deputy received, and those left on the portal for their stations
        cond |= Q(reception__deputies=member_id) | Q(reception__isnull=True, station__deputies=member_id)
    mine = visible_matters(user).filter(pk__in=Matter.objects.filter(cond).values("pk"))
    seen: set[int] = set()
    for act, what in WAITING:
        for m in _with_act(mine, act).select_related("station"):
            if m.pk in seen:
                continue
            seen.add(m.pk)
            if act == "resolve" and not (m.roles_of(user) & {"staff", "station_staff"}):
                continue
            out.append(InboxItem(source="stations", type_label=label, what=_(what),
                                 title=f"{m.station.name}：{m.content[:40]}", number="", deadline=m.state_deadline,
                                 urgency=urgency_of(m.state_deadline, today, 5),
                                 url=reverse("station-matter", args=[m.pk])))
    if member_id:
        for row in TurnDeputy.objects.filter(member_id=member_id, confirmed_at__isnull=True, turn__cancelled=False,
                                             turn__date__gte=today).select_related("turn__station"):
            out.append(InboxItem(source="stations", type_label=label, what=_("接待排班待确认"),
                                 title=f"{row.turn.station.name} {row.turn.get_half_day_display()}", number="",
                                 deadline=row.turn.date, urgency=urgency_of(row.turn.date, today, 2),
                                 url=reverse("station-my")))
    return out
