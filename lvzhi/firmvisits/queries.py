"""Reads of firm visits: the year's figures as the 数读 section ``"firm_visits"`` and inbox items."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.inbox import InboxItem
from lvzhi.core.sections import Section, Table, percent
from lvzhi.firmvisits.models import FirmIssue, FirmVisit, IssueScope, IssueStatus
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of


@dataclass
class VisitFigures:
    """Visits dated in a period: ``visits``, ``firms`` (distinct firm names), ``members_firms`` (distinct
    members whose firms were visited); their issues, ``common`` / ``individual``, ``solved`` (confirmed);
    ``by_unit``: unit → [issues, solved]."""

    visits: int = 0
    firms: int = 0
    members_firms: int = 0
    issues: int = 0
    common: int = 0
    individual: int = 0
    solved: int = 0
    by_unit: dict[str, list[int]] = field(default_factory=dict)


def visit_figures(council_id: int, start: date, end: date) -> VisitFigures:
    visits = FirmVisit.objects.filter(council_id=council_id, day__gte=start, day__lte=end)
    fig = VisitFigures(visits=visits.count())
    fig.firms = len({name.strip() for name in visits.values_list("firm", flat=True)})
    fig.members_firms = visits.exclude(member=None).values("member_id").distinct().count()
    for unit, scope, status in FirmIssue.objects.filter(visit__in=visits).values_list("unit__name", "scope", "status"):
        fig.issues += 1
        fig.common += scope == IssueScope.COMMON
        fig.individual += scope == IssueScope.INDIVIDUAL
        fig.solved += status == IssueStatus.SOLVED
        row = fig.by_unit.setdefault(unit, [0, 0])
        row[0] += 1
        row[1] += status == IssueStatus.SOLVED
    return fig


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> Section | None:
    """The section (visits dated in the range; open ends: the year of the other end, or this year); ``None``
    when the council never recorded a visit."""
    if not FirmVisit.objects.filter(council_id=council_id).exists():
        return None
    year = (date_to or date_from or timezone.localdate()).year
    start = date_from or date(year, 1, 1)
    end = date_to or date(start.year, 12, 31)
    fig = visit_figures(council_id, start, end)
    return Section(
        key="firm_visits", title=_("领导联系委员企业"), scope=f"{start:%Y-%m-%d} — {end:%Y-%m-%d}",
        figures=[(_("走访企业（家）"), fig.firms), (_("走访（次）"), fig.visits),
                 (_("其中委员/代表企业（家）"), fig.members_firms), (_("反映问题（个）"), fig.issues),
                 (_("共性问题（个）"), fig.common), (_("个性问题（个）"), fig.individual),
                 (_("已解决（个）"), fig.solved),
                 (_("解决率"), percent(fig.solved / fig.issues if fig.issues else None))],
        tables=[Table(_("承办单位"), [_("单位"), _("交办"), _("已解决")],
                      [[u, n, s] for u, (n, s) in sorted(fig.by_unit.items())])])


def open_issues(user: Any, today: date) -> Iterable[InboxItem]:
    """Inbox: a unit's open issues to answer; staff and leaders the answered ones to confirm."""
    from lvzhi.cases import people
    from lvzhi.core.inbox import urgency_of

    profile = profile_of(user)
    if profile is None:
        return []
    units = people.unit_roles(user)
    if units:
        rows = FirmIssue.objects.filter(unit_id__in=list(units), status=IssueStatus.OPEN)
        what = "企业反映问题待办理"
    elif profile.council_id is not None and (is_council_staff(user, profile.council_id)
                                             or is_council_leader(user, profile.council_id)):
        rows = FirmIssue.objects.filter(visit__council_id=profile.council_id, status=IssueStatus.ANSWERED)
        what = "企业问题办理情况待确认"
    else:
        return []
    return [InboxItem(source="firm_issues", type_label="走访企业", what=what, title=f"{i.visit.firm}：{i.text[:50]}",
                      number="", deadline=i.due, urgency=urgency_of(i.due, today, i.visit.council.at_risk_working_days),
                      url=f"/firm-visits/{i.visit_id}/") for i in rows.select_related("visit__council")]


def issue_reminders(today: date) -> Iterable[Any]:
    """``lvzhi remind``: a unit's accounts, for every open issue whose deadline has passed or is near."""
    from lvzhi.cases import people
    from lvzhi.core.inbox import NORMAL, OVERDUE, urgency_of
    from lvzhi.core.reminders import Reminder

    out = []
    for i in FirmIssue.objects.filter(status=IssueStatus.OPEN).select_related("visit__council"):
        urgency = urgency_of(i.due, today, i.visit.council.at_risk_working_days)
        if urgency == NORMAL:
            continue
        users = tuple(u.pk for u in people.unit_users([i.unit_id]))
        if users:
            when = "已逾期" if urgency == OVERDUE else "即将到期"
            out.append(Reminder(f"remind:firm-issue:{i.pk}", users,
                                f"{i.visit.firm}反映的问题办理{when}（期限 {i.due:%Y-%m-%d}）：{i.text[:40]}",
                                f"/firm-visits/{i.visit_id}/"))
    return out
