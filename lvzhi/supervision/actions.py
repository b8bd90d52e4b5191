"""The writers of supervision and research topics: each checks permission (:class:`ForbiddenError`), validates
(:class:`DomainError` naming the field, nothing written), runs in a transaction and records an audit entry;
edits of a topic take the version the user loaded (:class:`ConflictError` when someone changed it meanwhile).

Lifecycle of a finding (发现的问题): ``open`` (待整改) → the unit reports its correction (``reported``) → staff
confirm it (``corrected``) or send it back (``open``, counted in ``reopened``) → the follow-up check (跟踪督办):
the correction holds (``checked``) or the problem came back (``open`` again, counted in ``reopened``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.members.models import Council, HandlingUnit, Member
from lvzhi.supervision.access import may_manage
from lvzhi.supervision.models import (
    KINDS_BY_COUNCIL,
    Expert,
    FieldVisit,
    Finding,
    FindingStatus,
    GroupMember,
    GroupRole,
    Topic,
    TopicKind,
)


def _require_staff(actor: Any, council_id: int) -> None:
    if not may_manage(actor, council_id):
        raise ForbiddenError("只有本机构的工作人员可以办理此事项。")


def _text(value: str | None, field: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _locked(topic_id: int) -> Topic:
    topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
    if topic is None:
        raise DomainError("课题不存在。", field="topic")
    return topic


def _check_version(topic: Topic, version: int | None) -> None:
    if version is not None and version != topic.version:
        raise ConflictError("该课题已被他人修改，请刷新后重试。")


def _bump(topic: Topic) -> None:
    Topic.objects.filter(pk=topic.pk).update(version=F("version") + 1)
    topic.version += 1


@transaction.atomic
def create_topic(actor: Any, council: Council, *, kind: str, title: str, year: int, starts_on: date,
                 ends_on: date | None = None, lead_body: str = "", plan: str = "") -> Topic:
    """A topic of ``council`` (staff): the kind must be one the council carries out (CPPCC: 民主监督, 调查研究;
    people's congress: 专题调研, 执法检查, 专题询问)."""
    _require_staff(actor, council.pk)
    allowed = KINDS_BY_COUNCIL.get(council.kind, ())
    if kind not in allowed:
        names = "、".join(str(TopicKind(k).label) for k in allowed)
        raise DomainError(f"请选择课题类型：{names}。", field="kind")
    if not 1949 <= year <= 2200:
        raise DomainError(f"年度无效：{year}。", field="year")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("结束日期不能早于开始日期。", field="ends_on")
    topic = Topic.objects.create(council=council, kind=kind, year=year, starts_on=starts_on, ends_on=ends_on,
                                 title=_text(title, "title", "题目", required=True),
                                 lead_body=_text(lead_body, "lead_body", "牵头单位", max_length=100),
                                 plan=_text(plan, "plan", "工作方案", max_length=20000), created_by=actor)
    audit.record(topic, "topic_created", actor=actor, council_id=council.pk, new={"kind": kind, "title": topic.title})
    return topic


@transaction.atomic
def set_group(actor: Any, topic_id: int, members: Sequence[tuple[Member, str]], *, version: int | None = None) -> Topic:
    """Replace the group with ``members`` as ``(member, role)`` (staff); every member must be of the topic's
    council, each at most once; the members are told."""
    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    _check_version(topic, version)
    seen: set[int] = set()
    for member, role in members:
        if member.council_id != topic.council_id:
            raise DomainError(f"{member.name} 不是本机构的委员或代表。", field="members")
        if member.pk in seen:
            raise DomainError(f"{member.name} 重复。", field="members")
        if role not in GroupRole.values:
            raise DomainError(f"分工无效：{role}。", field="members")
        seen.add(member.pk)
    before = set(topic.group.values_list("member_id", flat=True))
    topic.group.all().delete()
    GroupMember.objects.bulk_create([GroupMember(topic=topic, member=m, role=r) for m, r in members])
    _bump(topic)
    audit.record(topic, "group_set", actor=actor, council_id=topic.council_id,
                 old={"members": sorted(before)}, new={"members": sorted(seen)})
    added = [m for m, _r in members if m.pk not in before]
    users = list(get_user_model().objects.filter(profile__member_id__in=[m.pk for m in added], is_active=True))
    audit.notify(users, "supervision", f"您已被列入“{topic.title}”课题组。", url=f"/supervision/{topic.pk}/")
    return topic


@transaction.atomic
def add_expert(actor: Any, topic_id: int, *, name: str, affiliation: str = "") -> Expert:
    """An expert invited to the group (staff)."""
    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    expert = Expert.objects.create(topic=topic, name=_text(name, "name", "姓名", required=True, max_length=50),
                                   affiliation=_text(affiliation, "affiliation", "单位及职务"))
    audit.record(topic, "expert_added", actor=actor, council_id=topic.council_id, new={"name": expert.name})
    return expert


@transaction.atomic
def record_visit(actor: Any, topic_id: int, *, day: date, place: str, notes: str = "") -> FieldVisit:
    """A field visit of the group (staff); not before the topic starts."""
    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    if day < topic.starts_on:
        raise DomainError(f"走访日期不能早于课题开始日期 {topic.starts_on:%Y-%m-%d}。", field="day")
    visit = FieldVisit.objects.create(topic=topic, day=day, place=_text(place, "place", "地点", required=True),
                                      notes=_text(notes, "notes", "情况记录", max_length=20000))
    audit.record(topic, "visit_recorded", actor=actor, council_id=topic.council_id, new={"day": day, "place": visit.place})
    return visit


@transaction.atomic
def submit_report(actor: Any, topic_id: int, *, report: str, recommendations: str, reported_on: date,
                  version: int | None = None) -> Topic:
    """The topic's report (主要发现) and recommendations (意见建议), dated ``reported_on`` (staff)."""
    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    _check_version(topic, version)
    if reported_on < topic.starts_on:
        raise DomainError(f"报告日期不能早于课题开始日期 {topic.starts_on:%Y-%m-%d}。", field="reported_on")
    topic.report = _text(report, "report", "报告（主要发现）", required=True, max_length=50000)
    topic.recommendations = _text(recommendations, "recommendations", "意见建议", required=True, max_length=50000)
    old = topic.reported_on
    topic.reported_on = reported_on
    topic.save(update_fields=["report", "recommendations", "reported_on"])
    _bump(topic)
    audit.record(topic, "report_submitted", actor=actor, council_id=topic.council_id,
                 old={"reported_on": old}, new={"reported_on": reported_on})
    return topic


@transaction.atomic
def add_finding(actor: Any, topic_id: int, *, unit: HandlingUnit, text: str, due: date,
                recommendation: str = "") -> Finding:
    """A finding of the report assigned to ``unit`` to correct by ``due`` (staff); needs the report first;
    the unit's accounts are told."""
    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    if topic.reported_on is None:
        raise DomainError("请先提交课题报告，再把发现的问题交办整改。", field="report")
    if unit.council_id != topic.council_id:
        raise DomainError("整改单位须为本机构的承办单位。", field="unit")
    if due < topic.reported_on:
        raise DomainError("整改期限不能早于报告日期。", field="due")
    finding = Finding.objects.create(topic=topic, unit=unit, due=due,
                                     text=_text(text, "text", "问题", required=True, max_length=5000),
                                     recommendation=_text(recommendation, "recommendation", "建议", max_length=5000))
    audit.record(finding, "finding_assigned", actor=actor, council_id=topic.council_id,
                 new={"unit": unit.name, "due": due})
    audit.notify(people.unit_users([unit.pk]), "supervision",
                 f"{topic.title}：发现问题请于 {due:%Y-%m-%d} 前整改：{finding.text[:60]}", url=f"/supervision/{topic.pk}/")
    return finding


def _finding(finding_id: int) -> Finding:
    finding = Finding.objects.select_for_update().select_related("topic").filter(pk=finding_id).first()
    if finding is None:
        raise DomainError("问题不存在。", field="finding")
    return finding


@transaction.atomic
def report_correction(actor: Any, finding_id: int, *, text: str) -> Finding:
    """The unit reports how it corrected the problem (its clerk or leader; only while open)."""
    finding = _finding(finding_id)
    if finding.unit_id not in people.unit_roles(actor):
        raise ForbiddenError("只有整改单位可以报告整改情况。")
    if finding.status != FindingStatus.OPEN:
        raise ConflictError("该问题的整改情况已经报告。")
    finding.correction = _text(text, "text", "整改情况", required=True, max_length=5000)
    finding.status, finding.reported_at = FindingStatus.REPORTED, timezone.now()
    finding.save(update_fields=["correction", "status", "reported_at"])
    audit.record(finding, "correction_reported", actor=actor, council_id=finding.topic.council_id)
    return finding


@transaction.atomic
def confirm_correction(actor: Any, finding_id: int, *, accepted: bool, comment: str = "") -> Finding:
    """Staff confirm the reported correction (整改完成) or send it back open with ``comment``."""
    finding = _finding(finding_id)
    _require_staff(actor, finding.topic.council_id)
    if finding.status != FindingStatus.REPORTED:
        raise DomainError("整改单位尚未报告整改情况。", field="status")
    if accepted:
        finding.status, finding.confirmed_at = FindingStatus.CORRECTED, timezone.now()
    else:
        comment = _text(comment, "comment", "退回意见", required=True, max_length=2000)
        finding.status, finding.reopened = FindingStatus.OPEN, finding.reopened + 1
    finding.save(update_fields=["status", "confirmed_at", "reopened"])
    audit.record(finding, "correction_confirmed" if accepted else "correction_returned", actor=actor,
                 council_id=finding.topic.council_id, comment=comment)
    if not accepted:
        audit.notify(people.unit_users([finding.unit_id]), "supervision", f"整改情况被退回：{comment[:60]}",
                     url=f"/supervision/{finding.topic_id}/")
    return finding


@transaction.atomic
def follow_up(actor: Any, finding_id: int, *, holds: bool, note: str) -> Finding:
    """The follow-up check (跟踪督办) of a corrected finding (staff): the correction holds (``checked``) or the
    problem came back (open again, the unit told)."""
    finding = _finding(finding_id)
    _require_staff(actor, finding.topic.council_id)
    if finding.status != FindingStatus.CORRECTED:
        raise DomainError("只有整改完成的问题可以跟踪督办。", field="status")
    finding.check_note = _text(note, "note", "跟踪督办情况", required=True, max_length=5000)
    finding.checked_at = timezone.now()
    if holds:
        finding.status = FindingStatus.CHECKED
    else:
        finding.status, finding.reopened = FindingStatus.OPEN, finding.reopened + 1
    finding.save(update_fields=["check_note", "checked_at", "status", "reopened"])
    audit.record(finding, "follow_up_checked" if holds else "follow_up_reopened", actor=actor,
                 council_id=finding.topic.council_id, comment=finding.check_note)
    if not holds:
        audit.notify(people.unit_users([finding.unit_id]), "supervision", f"跟踪督办发现问题反弹，请重新整改：{note[:60]}",
                     url=f"/supervision/{finding.topic_id}/")
    return finding


@transaction.atomic
def record_question(actor: Any, topic_id: int, *, day: date, unit: HandlingUnit, question: str, answer: str = "",
                    respondent: str = "", asked_by: Member | None = None) -> Any:
    """A question put on ``day`` (by ``asked_by``, a member or deputy of the council, when given) and the answer
    given on the spot by ``unit`` (``respondent``: who answered, e.g. 市生态环境局局长) — staff; not before the
    topic starts."""
    from lvzhi.supervision.models import Question

    topic = _locked(topic_id)
    _require_staff(actor, topic.council_id)
    if unit.council_id != topic.council_id:
        raise DomainError("应询单位须为本机构的承办单位。", field="unit")
    if asked_by is not None and asked_by.council_id != topic.council_id:
        raise DomainError(f"{asked_by.name} 不是本机构的委员或代表。", field="asked_by")
    if day < topic.starts_on:
        raise DomainError(f"询问日期不能早于课题开始日期 {topic.starts_on:%Y-%m-%d}。", field="day")
    q = Question.objects.create(topic=topic, day=day, unit=unit, asked_by=asked_by,
                                question=_text(question, "question", "问题", required=True, max_length=5000),
                                answer=_text(answer, "answer", "答复要点", max_length=20000),
                                respondent=_text(respondent, "respondent", "应询人", max_length=100))
    audit.record(topic, "question_recorded", actor=actor, council_id=topic.council_id,
                 new={"unit": unit.name, "asked_by": asked_by.pk if asked_by else None})
    return q
