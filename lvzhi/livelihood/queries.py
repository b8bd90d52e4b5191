"""The 数读 figures of livelihood projects (issue 7 §10): per council and year, what was collected (by
deputies / the public / staff), screened, listed, voted, elected, and how the elected projects were rated.
Read-only; callers check access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.inbox import InboxItem
from lvzhi.core.reminders import Reminder
from lvzhi.core.sections import Section as FigureSection
from lvzhi.core.sections import Table
from lvzhi.livelihood.models import (
    Candidate,
    CollectionWindow,
    DeliveryProject,
    Evaluation,
    MicroBatch,
    MicroProject,
    Milestone,
    ProjectSuggestion,
    Screening,
    Source,
    Vote,
)
from lvzhi.members.access import is_council_staff, profile_of


@dataclass
class YearFigures:
    """One year's figures. ``suggestions`` counts all collected, ``by_source`` per source (``deputy``,
    ``public``, ``staff``); ``screened`` those with an outcome, ``listed`` those put on a candidate list;
    ``delivered``: elected projects handed over for delivery, ``completed`` those whose completion report
    was signed off, ``on_time`` those signed off on or before their planned completion date;
    ``micro``/``micro_batches``/``micro_people_served``: micro projects approved (numbered) in the year's
    batches and the people they serve; ``candidates``/``places`` of the year's first-round votes, ``ballots`` returned in them (re-votes not
    counted twice), ``elected`` candidates elected in any round; ``satisfaction``: per elected project
    title its result (满意/基本满意/不满意) once evaluated."""

    year: int
    suggestions: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    screened: int = 0
    listed: int = 0
    candidates: int = 0
    places: int = 0
    ballots: int = 0
    elected: int = 0
    satisfaction: dict[str, str | None] = field(default_factory=dict)
    delivered: int = 0
    completed: int = 0
    on_time: int = 0
    micro: int = 0
    micro_batches: int = 0
    micro_people_served: int = 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def year_figures(council_id: int, year: int) -> YearFigures:
    """The figures of ``council_id`` for collection year ``year`` (votes attached to that year's window)."""
    out = YearFigures(year)
    suggestions = ProjectSuggestion.objects.filter(council_id=council_id, window__year=year)
    out.suggestions = suggestions.count()
    out.by_source = dict(suggestions.values_list("source").annotate(n=Count("id")).order_by())
    out.screened = suggestions.exclude(screening=Screening.PENDING).count()
    out.listed = suggestions.filter(candidacies__vote__parent__isnull=True).distinct().count()
    votes = Vote.objects.filter(council_id=council_id, window__year=year)
    for vote in votes.filter(parent__isnull=True):
        out.candidates += vote.candidates.count()
        out.places += vote.places
        out.ballots += int((vote.result or {}).get("ballots", 0))
    out.elected = Candidate.objects.filter(vote__in=votes, vote__published_at__isnull=False,
                                           outcome="elected").count()
    for evaluation in Evaluation.objects.filter(council_id=council_id, year=year, result__isnull=False):
        for item in (evaluation.result or {}).values():
            out.satisfaction[str(item["title"])] = item["result"]
    from lvzhi.cases.choices import ReplyStatus
    from lvzhi.cases.models import Reply

    delivery = DeliveryProject.objects.filter(council_id=council_id, year=year)
    out.delivered = delivery.count()
    for project in delivery:
        signed = (Reply.objects.filter(assignment__in=project.assignments.all(), status=ReplyStatus.SIGNED)
                  .order_by("signed_at").values_list("signed_at", flat=True).first())
        if signed is not None:
            out.completed += 1
            out.on_time += int(project.due is None or timezone.localdate(signed) <= project.due)
    micro = MicroProject.objects.filter(council_id=council_id, batch__year=year).exclude(number="")
    out.micro = micro.count()
    out.micro_batches = MicroBatch.objects.filter(council_id=council_id, year=year).count()
    out.micro_people_served = sum(micro.values_list("people_served", flat=True))
    return out


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> FigureSection | None:
    """The livelihood projects' 数读 for the statistics page and ``lvzhi stats`` (:mod:`lvzhi.core.sections`): the
    collection year of ``date_to`` (default: this year); ``None`` for a council that is not a people's congress
    or has no collection that year."""
    from lvzhi.members.choices import CouncilKind
    from lvzhi.members.models import Council

    council = Council.objects.filter(pk=council_id).first()
    if council is None or council.kind != CouncilKind.NPC:
        return None
    year = (date_to or timezone.localdate()).year
    if not CollectionWindow.objects.filter(council_id=council_id, year=year).exists():
        return None
    fig = year_figures(council_id, year)
    labels = dict(Source.choices)
    by_source = "、".join(f"{labels.get(k, k)} {n}" for k, n in sorted(fig.by_source.items())) or "—"
    return FigureSection(
        key="livelihood", title=str(_("民生实事")), scope=str(_("%(year)d 年") % {"year": year}),
        figures=[(str(_("征集项目建议")), fig.suggestions), (str(_("按来源")), by_source),
                 (str(_("已审查")), fig.screened), (str(_("候选项目（名额）")), f"{fig.candidates}（{fig.places}）"),
                 (str(_("收回选票")), fig.ballots), (str(_("票决产生")), fig.elected),
                 (str(_("交付实施")), fig.delivered), (str(_("已完成")), fig.completed),
                 (str(_("按期完成")), fig.on_time), (str(_("民生微实事")), fig.micro),
                 (str(_("微实事惠及人数")), fig.micro_people_served)],
        tables=[Table(str(_("满意度测评")), [str(_("项目")), str(_("测评结果"))],
                      [[title, result or "—"] for title, result in fig.satisfaction.items()])])


def council_figures(council_id: int) -> list[YearFigures]:
    """The figures of every collection year of ``council_id``, newest first."""
    years = CollectionWindow.objects.filter(council_id=council_id).order_by("-year").values_list("year", flat=True)
    return [year_figures(council_id, y) for y in years]


def overdue_milestones(user: Any, today: date) -> Iterable[InboxItem]:
    """The inbox provider of delivery: milestones past or near their due date and not reached, of the
    projects ``user`` acts on (a responsible unit's clerk or leader, the council's staff)."""
    from lvzhi.core.inbox import urgency_of
    from lvzhi.livelihood.access import visible_projects
    from lvzhi.livelihood.defaults import project_url

    profile = profile_of(user)
    if profile is None:
        return []
    if profile.unit_id is None and not is_council_staff(user, profile.council_id):
        return []
    items = []
    soon = today + timedelta(days=14)
    milestones = (Milestone.objects.filter(project__in=visible_projects(user), done_on__isnull=True, due__lte=soon,
                                           project__state__is_terminal=False)
                  .select_related("project", "project__council"))
    for m in milestones:
        items.append(InboxItem(
            source="livelihood", type_label="民生实事项目", what=f"实施节点：{m.title}", title=m.project.title,
            number=m.project.number, deadline=m.due,
            urgency=urgency_of(m.due, today, m.project.council.at_risk_working_days), url=project_url(m.project_id)))
    return items


def milestone_reminders(today: date) -> Iterable[Reminder]:
    """``lvzhi remind``: one reminder per delivery project with a milestone not reached that is overdue or
    within the council's at-risk working days, to the clerks and leaders of its active units."""
    from lvzhi.cases import people
    from lvzhi.cases.choices import AssignmentStatus
    from lvzhi.core.inbox import NORMAL, urgency_of
    from lvzhi.livelihood.defaults import project_url

    due: dict[int, list[Milestone]] = {}
    milestones = (Milestone.objects.filter(done_on__isnull=True, due__lte=today + timedelta(days=31),
                                           project__state__is_terminal=False)
                  .select_related("project", "project__council").order_by("due"))
    for m in milestones:
        if urgency_of(m.due, today, m.project.council.at_risk_working_days) != NORMAL:
            due.setdefault(m.project_id, []).append(m)
    for items in due.values():
        project = items[0].project
        units = project.assignments.exclude(status=AssignmentStatus.WITHDRAWN).values_list("unit_id", flat=True)
        users = tuple(sorted(u.pk for u in people.unit_users(list(units))))
        if users:
            names = "、".join(f"{m.title}（{m.due:%Y-%m-%d}）" for m in items)
            yield Reminder(key=f"remind:livelihood_project:{project.pk}", user_ids=users,
                           text=f"民生实事项目《{project.title}》有实施节点到期或逾期：{names}。", url=project_url(project.pk))


def open_findings(user: Any, today: date) -> Iterable[InboxItem]:
    """The inbox provider of supervision: problems found and not yet corrected, for the unit to correct
    (open) or, for the council's staff, to confirm (reported)."""
    from lvzhi.cases import people
    from lvzhi.core.inbox import urgency_of
    from lvzhi.livelihood.defaults import project_url
    from lvzhi.livelihood.models import Finding, FindingStatus

    profile = profile_of(user)
    if profile is None:
        return []
    units = people.unit_roles(user)
    if units:
        rows = Finding.objects.filter(unit_id__in=list(units), status=FindingStatus.OPEN)
        what = "监督发现问题待整改"
    elif profile.council_id is not None and is_council_staff(user, profile.council_id):
        rows = Finding.objects.filter(activity__council_id=profile.council_id, status=FindingStatus.REPORTED)
        what = "整改情况待确认"
    else:
        return []
    return [InboxItem(source="livelihood_findings", type_label="民生实事监督", what=what, title=f.text[:60],
                      number=f.project.number if f.project else "", deadline=f.due,
                      urgency=urgency_of(f.due, today, f.activity.council.at_risk_working_days),
                      url=project_url(f.project_id) if f.project_id else "/livelihood/")
            for f in rows.select_related("activity__council", "project")]
