"""Reads of supervision and research topics: the duty-record acts of the group's members, the 数读 section
(key ``"supervision"``) and the inbox items of findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.inbox import InboxItem
from lvzhi.core.sections import Section, Table, percent
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.models import Council
from lvzhi.supervision.models import (
    FieldVisit,
    Finding,
    FindingStatus,
    GroupMember,
    GroupRole,
    Question,
    Topic,
    TopicKind,
)


def topic_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Any]:
    """One act ``supervision_topic`` per member of a topic's group, dated the topic's start, with ``topic_kind``,
    ``role`` (组长 / 副组长 / 成员) and ``reported`` (the report is in); one act ``supervision_question`` per
    question a member or deputy put (专题询问, 联席会议), dated its day. Two queries."""
    from lvzhi.duties.acts import Act

    qs = GroupMember.objects.filter(topic__council=council, topic__starts_on__gte=start, topic__starts_on__lte=end)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    for member_id, topic_id, role, title, kind, starts_on, reported_on in qs.values_list(
            "member_id", "topic_id", "role", "topic__title", "topic__kind", "topic__starts_on", "topic__reported_on"):
        yield Act(member_id, "supervision_topic", starts_on, title, f"/supervision/{topic_id}/",
                  f"supervision_topic:{topic_id}", {"topic_kind": kind, "role": role, "reported": reported_on is not None})
    questions = Question.objects.filter(topic__council=council, asked_by__isnull=False, day__gte=start, day__lte=end)
    if member_ids is not None:
        questions = questions.filter(asked_by_id__in=member_ids)
    for q_id, member, topic_id, day, title, kind in questions.values_list(
            "pk", "asked_by_id", "topic_id", "day", "topic__title", "topic__kind"):
        yield Act(member, "supervision_question", day, title, f"/supervision/{topic_id}/", f"supervision_question:{q_id}",
                  {"topic_kind": kind})


def register_acts() -> None:
    """Register the acts provider with the duty record (:mod:`lvzhi.duties.acts`)."""
    from lvzhi.duties.acts import ActKind, register

    register("supervision", "监督调研", [
        ActKind("supervision_topic", "参加监督调研课题", {"topic_kind": "类型", "role": "分工", "reported": "已形成报告"},
                {"topic_kind": {str(k): str(v) for k, v in TopicKind.choices},
                 "role": {str(k): str(v) for k, v in GroupRole.choices},
                 "reported": {"true": "是", "false": "否"}}),
        ActKind("supervision_question", "专题询问提问", {"topic_kind": "类型"},
                {"topic_kind": {str(k): str(v) for k, v in TopicKind.choices}}),
    ], topic_acts)


@dataclass
class SupervisionFigures:
    """A council's figures for topics started in a period: ``topics`` by kind label, ``reported`` topics,
    ``places`` (group memberships) and distinct ``members``, ``experts``, ``visits``; findings assigned,
    ``corrected`` (confirmed corrected, whether checked or not), ``checked`` (follow-up check passed),
    ``overdue`` (open or reported past the due date on ``today``); ``questions`` put at inquiries and meetings
    and the distinct ``answering_units`` (应询单位)."""

    topics: dict[str, int] = field(default_factory=dict)
    reported: int = 0
    places: int = 0
    members: int = 0
    experts: int = 0
    visits: int = 0
    findings: int = 0
    corrected: int = 0
    checked: int = 0
    overdue: int = 0
    questions: int = 0
    answering_units: int = 0
    by_unit: dict[str, list[int]] = field(default_factory=dict)


def supervision_figures(council_id: int, start: date, end: date, today: date | None = None) -> SupervisionFigures:
    """The figures of topics of ``council_id`` starting ``start``..``end``."""
    today = today or timezone.localdate()
    topics = Topic.objects.filter(council_id=council_id, starts_on__gte=start, starts_on__lte=end)
    labels = dict(TopicKind.choices)
    fig = SupervisionFigures()
    fig.topics = {str(labels[k]): n for k, n in Counter(topics.values_list("kind", flat=True)).most_common()}
    fig.reported = topics.filter(reported_on__isnull=False).count()
    group = GroupMember.objects.filter(topic__in=topics)
    fig.places = group.count()
    fig.members = group.values("member_id").distinct().count()
    fig.experts = sum(t.experts.count() for t in topics.prefetch_related("experts"))
    fig.visits = FieldVisit.objects.filter(topic__in=topics).count()
    questions = Question.objects.filter(topic__in=topics)
    fig.questions = questions.count()
    fig.answering_units = questions.values("unit_id").distinct().count()
    for unit, status, due in Finding.objects.filter(topic__in=topics).values_list("unit__name", "status", "due"):
        fig.findings += 1
        done = status in (FindingStatus.CORRECTED, FindingStatus.CHECKED)
        fig.corrected += done
        fig.checked += status == FindingStatus.CHECKED
        fig.overdue += not done and due < today
        row = fig.by_unit.setdefault(unit, [0, 0])
        row[0] += 1
        row[1] += done
    return fig


def figures_section(council_id: int, date_from: date | None, date_to: date | None) -> Section | None:
    """The 数读 section (topics started in the dates; open ends: the year of the other end or this year);
    ``None`` when the council has no topic at all."""
    if not Topic.objects.filter(council_id=council_id).exists():
        return None
    year = (date_to or date_from or timezone.localdate()).year
    start = date_from or date(year, 1, 1)
    end = date_to or date(start.year, 12, 31)
    fig = supervision_figures(council_id, start, end)
    return Section(
        key="supervision", title=_("监督调研"), scope=f"{start:%Y-%m-%d} — {end:%Y-%m-%d}",
        figures=[(_("课题（个）"), sum(fig.topics.values())), (_("形成报告（篇）"), fig.reported),
                 (_("参加委员/代表（人次）"), fig.places), (_("参加委员/代表（人）"), fig.members),
                 (_("邀请专家（人次）"), fig.experts), (_("实地走访（次）"), fig.visits),
                 (_("询问问题（个）"), fig.questions), (_("应询单位（个）"), fig.answering_units),
                 (_("交办问题（个）"), fig.findings), (_("整改完成（个）"), fig.corrected),
                 (_("整改完成率"), percent(fig.corrected / fig.findings if fig.findings else None)),
                 (_("跟踪督办完成（个）"), fig.checked), (_("逾期未整改（个）"), fig.overdue)],
        tables=[Table(_("课题类型"), [_("类型"), _("个数")], [[k, n] for k, n in fig.topics.items()]),
                Table(_("整改单位"), [_("单位"), _("交办"), _("整改完成")],
                      [[u, n, done] for u, (n, done) in sorted(fig.by_unit.items())])])


def open_findings(user: Any, today: date) -> Iterable[InboxItem]:
    """Inbox items: a unit's open findings to correct; for staff, reported corrections to confirm."""
    from lvzhi.cases import people
    from lvzhi.core.inbox import urgency_of

    profile = profile_of(user)
    if profile is None:
        return []
    units = people.unit_roles(user)
    if units:
        rows = Finding.objects.filter(unit_id__in=list(units), status=FindingStatus.OPEN)
        what = "监督调研发现问题待整改"
    elif profile.council_id is not None and is_council_staff(user, profile.council_id):
        rows = Finding.objects.filter(topic__council_id=profile.council_id, status=FindingStatus.REPORTED)
        what = "整改情况待确认"
    else:
        return []
    return [InboxItem(source="supervision_findings", type_label="监督调研", what=what, title=f.text[:60], number="",
                      deadline=f.due, urgency=urgency_of(f.due, today, f.topic.council.at_risk_working_days),
                      url=f"/supervision/{f.topic_id}/") for f in rows.select_related("topic__council")]


def finding_reminders(today: date) -> Iterator[Any]:
    """``lvzhi remind``: a unit's accounts, for every open finding whose correction deadline has passed or falls
    within the council's ``at_risk_working_days`` working days (statutory calendar)."""
    from lvzhi.cases import people
    from lvzhi.core.inbox import NORMAL, OVERDUE, urgency_of
    from lvzhi.core.reminders import Reminder

    for f in Finding.objects.filter(status=FindingStatus.OPEN).select_related("topic__council"):
        urgency = urgency_of(f.due, today, f.topic.council.at_risk_working_days)
        if urgency == NORMAL:
            continue
        users = tuple(u.pk for u in people.unit_users([f.unit_id]))
        if users:
            when = "已逾期" if urgency == OVERDUE else "即将到期"
            yield Reminder(f"remind:supervision-finding:{f.pk}", users,
                           f"《{f.topic.title}》发现的问题整改{when}（期限 {f.due:%Y-%m-%d}）：{f.text[:40]}",
                           f"/supervision/{f.topic_id}/")
