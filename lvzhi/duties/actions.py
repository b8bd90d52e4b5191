"""The writers of meetings, attendance and speeches (the only code that changes them).

Each function is one act: one transaction, the permission checked first (staff of the meeting's council for
managing acts; the invitee themself for answering and checking in), one audit entry
(:func:`lvzhi.core.audit.record`), notifications after commit. A refusal raises
:class:`~lvzhi.core.errors.DomainError` (Chinese message naming the field) and nothing is written.
Rules: WORKFLOWS §7 (attendance: present / excused with approved leave / unexcused).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.duties.access import acting_member_id, may_manage
from lvzhi.duties.choices import CheckInMethod, ContributionKind, LeaveStatus, MeetingKind, Response
from lvzhi.duties.models import CheckIn, Contribution, Invitee, Meeting
from lvzhi.duties.tokens import read_token
from lvzhi.members.models import Council, Member

#: How long before its start a meeting's QR check-in opens.
CHECKIN_OPENS_BEFORE = timedelta(hours=2)


def _text(value: str | None, field: str, label: str, *, required: bool, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _require_staff(actor: Any, council_id: int) -> None:
    if not may_manage(actor, council_id):
        raise ForbiddenError("只有本机构的工作人员可以管理会议和考勤。")


def _lock_meeting(pk: Any) -> Meeting:
    try:
        return Meeting.objects.select_for_update().get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("未找到该会议，或您无权查看。") from None


def _url(meeting: Meeting) -> str:
    return reverse("duties-meeting", args=[meeting.pk])


def _check_members(council_id: int, members: Iterable[Member]) -> list[Member]:
    out = list(dict.fromkeys(members))
    for m in out:
        if m.council_id != council_id:
            raise DomainError(f"{m.name} 不是本机构的委员（代表）。", field="invitees")
    return out


@transaction.atomic
def create_meeting(actor: Any, council: Council, *, kind: str, title: str, start: datetime, end: datetime,
                   agenda: str = "", place: str = "", counts_half_days: bool = False,
                   invitees: Sequence[Member] = (), is_demo: bool = False) -> Meeting:
    """Staff create a meeting of ``council`` and invite ``invitees`` (notified after commit).

    Raises :class:`ForbiddenError` for anyone but the council's staff; :class:`DomainError` naming the field
    for an unknown ``kind``, an empty ``title``, an ``end`` not after ``start``, an invitee of another
    council.
    """
    _require_staff(actor, council.pk)
    if kind not in MeetingKind.values:
        raise DomainError("请选择会议类型。", field="kind")
    title = _text(title, "title", "会议名称", required=True, max_length=200)
    if start is None or end is None:
        raise DomainError("请填写开始和结束时间。", field="start")
    if end <= start:
        raise DomainError("结束时间须晚于开始时间。", field="end")
    members = _check_members(council.pk, invitees)
    meeting = Meeting.objects.create(
        council=council, kind=kind, title=title, agenda=_text(agenda, "agenda", "议程", required=False),
        place=_text(place, "place", "地点", required=False, max_length=200), start=start, end=end,
        counts_half_days=counts_half_days, created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo)
    Invitee.objects.bulk_create([Invitee(meeting=meeting, member=m) for m in members])
    audit.record(meeting, "meeting_created", actor=actor,
                 new={"title": title, "kind": kind, "start": start, "end": end, "invitees": len(members)})
    _notify_invited(meeting, members)
    return meeting


def _notify_invited(meeting: Meeting, members: Sequence[Member]) -> None:
    users = [m.profile.user for m in members if getattr(m, "profile", None) is not None]
    local = timezone.localtime(meeting.start)
    audit.notify(users, "meeting", f"请参加{meeting.get_kind_display()}《{meeting.title}》（{local:%Y-%m-%d %H:%M}，"
                                   f"{meeting.place or '地点另行通知'}），请确认出席或请假。", url=_url(meeting))


@transaction.atomic
def invite(actor: Any, meeting_pk: Any, members: Sequence[Member]) -> list[Invitee]:
    """Staff add invitees to a meeting (those already invited are skipped). Returns the new rows."""
    meeting = _lock_meeting(meeting_pk)
    _require_staff(actor, meeting.council_id)
    if not members:
        raise DomainError("请选择参会人员。", field="invitees")
    wanted = _check_members(meeting.council_id, members)
    known = set(meeting.invitees.values_list("member_id", flat=True))
    new = [m for m in wanted if m.pk not in known]
    rows = Invitee.objects.bulk_create([Invitee(meeting=meeting, member=m) for m in new])
    if new:
        audit.record(meeting, "invited", actor=actor, new={"members": [m.name for m in new]})
        _notify_invited(meeting, new)
    return rows


def _own_invitation(actor: Any, meeting: Meeting) -> Invitee:
    member_id = acting_member_id(actor)
    row = (Invitee.objects.select_for_update().select_related("member").filter(meeting=meeting, member_id=member_id)
           .first() if member_id else None)
    if row is None:
        raise NotFoundError("您不在本次会议的参会名单中。")
    return row


@transaction.atomic
def respond(actor: Any, meeting_pk: Any, *, attend: bool, reason: str = "") -> Invitee:
    """The invitee confirms (``attend=True``) or asks for leave with a ``reason`` (请假), before the meeting
    ends. Asking again replaces the earlier answer; a leave request waits for the staff's decision.
    Raises :class:`NotFoundError` for someone not invited, :class:`DomainError` (``reason`` required for
    leave; the meeting is over; already checked in)."""
    meeting = _lock_meeting(meeting_pk)
    row = _own_invitation(actor, meeting)
    if meeting.has_ended():
        raise DomainError("会议已结束，不能再答复。", field="attend")
    old = {"response": row.response, "leave_status": row.leave_status}
    if attend:
        row.response, row.leave_status, row.leave_reason = Response.CONFIRMED, LeaveStatus.NONE, ""
    else:
        if CheckIn.objects.filter(meeting=meeting, member=row.member).exists():
            raise DomainError("您已签到，不能再请假。", field="reason")
        row.leave_reason = _text(reason, "reason", "请假事由", required=True, max_length=300)
        row.response, row.leave_status = Response.LEAVE, LeaveStatus.PENDING
    row.leave_decided_by, row.leave_note, row.responded_at = None, "", timezone.now()
    row.save()
    audit.record(meeting, "leave_requested" if not attend else "attendance_confirmed", actor=actor, old=old,
                 new={"member": row.member.name, "response": row.response, "reason": row.leave_reason})
    if not attend:
        audit.notify(people.staff_users(meeting.council_id), "leave",
                     f"{row.member.name} 请假：{meeting.title}（{row.leave_reason}），请审批。", url=_url(meeting))
    return row


@transaction.atomic
def decide_leave(actor: Any, invitee_pk: Any, *, approve: bool, note: str = "") -> Invitee:
    """Staff approve or refuse a pending leave request. A refused leave leaves the absence unexcused.
    Raises :class:`DomainError` when there is no pending request."""
    try:
        row = Invitee.objects.select_for_update().select_related("meeting", "member").get(pk=invitee_pk)
    except (Invitee.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    _require_staff(actor, row.meeting.council_id)
    if row.leave_status != LeaveStatus.PENDING:
        raise DomainError(f"{row.member.name} 没有待审批的请假。", field="approve")
    row.leave_status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    row.leave_note = _text(note, "note", "审批意见", required=False, max_length=300)
    row.leave_decided_by = actor
    row.save(update_fields=["leave_status", "leave_note", "leave_decided_by"])
    audit.record(row.meeting, "leave_decided", actor=actor,
                 new={"member": row.member.name, "leave_status": row.leave_status, "note": row.leave_note})
    profile = getattr(row.member, "profile", None)
    audit.notify([profile.user] if profile is not None else [], "leave",
                 f"您的请假（{row.meeting.title}）{'已批准' if approve else '未获批准'}。", url=_url(row.meeting))
    return row


@dataclass(frozen=True)
class CheckInResult:
    """The outcome of a check-in: the row, and whether it already existed (then nothing was written)."""

    checkin: CheckIn
    already: bool

    @property
    def message(self) -> str:
        slot = f"（{self.checkin.slot}）" if self.checkin.slot else ""
        local = timezone.localtime(self.checkin.checked_in_at)
        if self.already:
            return f"您已于 {local:%m-%d %H:%M} 签到{slot}，无需重复签到。"
        return f"签到成功{slot}：{local:%H:%M}。"


@transaction.atomic
def check_in(actor: Any, meeting_pk: Any, token: str, *, now: datetime | None = None) -> CheckInResult:
    """The invitee checks in with the meeting's QR ``token`` (see :mod:`lvzhi.duties.tokens`), in the
    half-day slot of ``now``. Idempotent: a second check-in in the same slot writes nothing and says when
    the first one was. Raises :class:`DomainError` (field ``token``) for a token of another meeting, an
    expired or altered one, a meeting not yet open (more than 2 hours before its start) or over;
    :class:`NotFoundError` for someone not invited."""
    moment = now or timezone.now()
    meeting = _lock_meeting(meeting_pk)
    read_token(token, meeting, now=moment)
    if moment < meeting.start - CHECKIN_OPENS_BEFORE:
        local = timezone.localtime(meeting.start - CHECKIN_OPENS_BEFORE)
        raise DomainError(f"签到尚未开始，请于 {local:%m-%d %H:%M} 后签到。", field="token")
    row = _own_invitation(actor, meeting)
    slot = meeting.current_slot(moment)
    existing = CheckIn.objects.filter(meeting=meeting, member=row.member, slot=slot).first()
    if existing is not None:
        return CheckInResult(existing, True)
    checkin = CheckIn.objects.create(meeting=meeting, member=row.member, slot=slot, method=CheckInMethod.QR,
                                     checked_in_at=moment, recorded_by=actor)
    audit.record(meeting, "checked_in", actor=actor, new={"member": row.member.name, "slot": slot, "method": "qr"})
    return CheckInResult(checkin, False)


def _slot(meeting: Meeting, slot: str | None) -> str:
    slots = meeting.slots()
    if slot in (None, "") and slots == [""]:
        return ""
    if slot not in slots:
        raise DomainError(f"时段「{slot or '未填写'}」不在本次会议的时段中（{'、'.join(s for s in slots if s)}）。",
                          field="slot")
    return str(slot)


@transaction.atomic
def mark_attendance(actor: Any, meeting_pk: Any, *, present: Sequence[int], slot: str | None = None) -> dict[str, int]:
    """Staff tick the attendance list of one slot: the invitees ``present`` (member ids) are checked in, the
    others of the slot's ticks that staff had made are removed (QR check-ins are kept). Returns
    ``{"added": n, "removed": n}``. Raises :class:`DomainError` naming a member who is not invited."""
    meeting = _lock_meeting(meeting_pk)
    _require_staff(actor, meeting.council_id)
    slot_key = _slot(meeting, slot)
    invited = dict(meeting.invitees.values_list("member_id", "member__name"))
    wanted = set()
    for pk in present:
        if pk not in invited:
            raise DomainError("勾选的人员不在本次会议的参会名单中。", field="present")
        wanted.add(pk)
    existing = dict(CheckIn.objects.filter(meeting=meeting, slot=slot_key).values_list("member_id", "method"))
    add = sorted(wanted - set(existing))
    remove = sorted(pk for pk, method in existing.items() if pk not in wanted and method != CheckInMethod.QR)
    CheckIn.objects.bulk_create([CheckIn(meeting=meeting, member_id=pk, slot=slot_key, method=CheckInMethod.STAFF,
                                         recorded_by=actor) for pk in add])
    CheckIn.objects.filter(meeting=meeting, slot=slot_key, member_id__in=remove).delete()
    if add or remove:
        audit.record(meeting, "attendance_marked", actor=actor,
                     new={"slot": slot_key, "added": [invited[p] for p in add],
                          "removed": [invited[p] for p in remove]})
    return {"added": len(add), "removed": len(remove)}


@transaction.atomic
def record_contribution(actor: Any, council: Council, *, member: Member, kind: str, title: str,
                        day: date | None = None, meeting: Meeting | None = None) -> Contribution:
    """Staff record a speech (大会发言, 委员通道) or written submission (书面发言) of ``member``."""
    _require_staff(actor, council.pk)
    if kind not in ContributionKind.values:
        raise DomainError("请选择发言类型。", field="kind")
    if member.council_id != council.pk:
        raise DomainError(f"{member.name} 不是本机构的委员（代表）。", field="member")
    if meeting is not None and meeting.council_id != council.pk:
        raise DomainError("会议不属于本机构。", field="meeting")
    when = day or (timezone.localdate(meeting.start) if meeting is not None else None)
    if when is None:
        raise DomainError("请填写日期。", field="day")
    row = Contribution.objects.create(council=council, member=member, meeting=meeting, kind=kind,
                                      title=_text(title, "title", "题目", required=True, max_length=200), date=when,
                                      recorded_by=actor if getattr(actor, "pk", None) else None)
    audit.record(row, "contribution_recorded", actor=actor, council_id=council.pk,
                 new={"member": member.name, "kind": kind, "title": row.title})
    return row


def bulk_check_in(meeting: Meeting, rows: Iterable[tuple[int, str]], *, actor: Any) -> int:
    """Write check-ins ``(member_id, slot)`` by import, skipping existing ones; the caller holds the
    transaction and the permission. Returns how many were new."""
    existing = set(CheckIn.objects.filter(meeting=meeting).values_list("member_id", "slot"))
    new = [(m, s) for m, s in dict.fromkeys(rows) if (m, s) not in existing]
    try:
        CheckIn.objects.bulk_create([CheckIn(meeting=meeting, member_id=m, slot=s, method=CheckInMethod.IMPORT,
                                             recorded_by=actor) for m, s in new])
    except IntegrityError:  # a concurrent check-in of the same slot: refuse the batch, nothing written
        raise DomainError("导入时有人同时签到，请重新导入。") from None
    return len(new)


# ---------------------------------------------------------------------------------------------- rule sets


@transaction.atomic
def save_rule_set(actor: Any, council: Council, spec: Any, *, rule_set_pk: int | None = None,
                  activate: bool = False, expected_version: int | None = None) -> Any:
    """Create a rule set of ``council`` from ``spec`` (:class:`lvzhi.duties.rules.RuleSetSpec`), or replace
    the content of rule set ``rule_set_pk``; with ``activate`` it becomes the council's active one (the
    others are deactivated). Validated first (:func:`lvzhi.duties.rules.validate`): any problem raises one
    :class:`DomainError` listing them all, and nothing is written. A stale ``expected_version`` raises
    :class:`~lvzhi.core.errors.ConflictError`. Scores are computed from the records, so the next score
    uses the new rules."""
    from lvzhi.core.errors import ConflictError
    from lvzhi.duties.models import GradeBand, MinimumDuty, RuleGroup, RuleItem, RuleSet
    from lvzhi.duties.rules import spec_of, spec_to_dict, validate

    _require_staff(actor, council.pk)
    problems = validate(spec)
    if problems:
        raise DomainError("考评规则有误：" + "；".join(problems), field="rules")
    clash = RuleSet.objects.filter(council=council, name=spec.name)
    old: dict[str, Any] = {}
    if rule_set_pk is not None:
        try:
            rule_set = RuleSet.objects.select_for_update().get(pk=rule_set_pk, council=council)
        except (RuleSet.DoesNotExist, ValueError, TypeError):
            raise NotFoundError() from None
        if expected_version is not None and rule_set.version != expected_version:
            raise ConflictError("该考评规则已被他人修改，请刷新页面后重试。")
        if clash.exclude(pk=rule_set.pk).exists():
            raise DomainError(f"已有名为「{spec.name}」的考评规则。", field="name")
        old = spec_to_dict(spec_of(rule_set))
        rule_set.groups.all().delete()
        rule_set.items.all().delete()
        rule_set.grades.all().delete()
        rule_set.minimum_duties.all().delete()
        rule_set.name, rule_set.source = spec.name, spec.source
        rule_set.base_points, rule_set.max_total = spec.base_points, spec.max_total
        rule_set.version += 1
        rule_set.save()
    else:
        if clash.exists():
            raise DomainError(f"已有名为「{spec.name}」的考评规则。", field="name")
        rule_set = RuleSet.objects.create(council=council, name=spec.name, source=spec.source,
                                          base_points=spec.base_points, max_total=spec.max_total)
    groups = {g.name: RuleGroup.objects.create(rule_set=rule_set, name=g.name, cap=g.cap, order=i)
              for i, g in enumerate(spec.groups)}
    RuleItem.objects.bulk_create([
        RuleItem(rule_set=rule_set, group=groups.get(it.group), order=i, label=it.label, act_kind=it.act_kind,
                 conditions=it.conditions, points=it.points, split=it.split, co_share=it.co_share, per=it.per,
                 skip_first=it.skip_first, cap=it.cap) for i, it in enumerate(spec.items)])
    GradeBand.objects.bulk_create([GradeBand(rule_set=rule_set, name=b.name, min_score=b.min_score,
                                             max_score=b.max_score, order=i) for i, b in enumerate(spec.grades)])
    MinimumDuty.objects.bulk_create([MinimumDuty(rule_set=rule_set, label=d.label, alternatives=d.alternatives,
                                                 min_count=d.min_count, order=i) for i, d in enumerate(spec.duties)])
    if activate:
        RuleSet.objects.filter(council=council).exclude(pk=rule_set.pk).update(active=False)
        if not rule_set.active:
            rule_set.active = True
            rule_set.save(update_fields=["active"])
    audit.record(rule_set, "rules_saved", actor=actor, council_id=council.pk, old=old,
                 new={**spec_to_dict(spec), "active": rule_set.active})
    return rule_set


@transaction.atomic
def activate_rule_set(actor: Any, rule_set_pk: Any) -> Any:
    """Make rule set ``rule_set_pk`` its council's active one (the others are deactivated)."""
    from lvzhi.duties.models import RuleSet

    try:
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set_pk)
    except (RuleSet.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    _require_staff(actor, rule_set.council_id)
    RuleSet.objects.filter(council_id=rule_set.council_id).exclude(pk=rule_set.pk).update(active=False)
    rule_set.active = True
    rule_set.save(update_fields=["active"])
    audit.record(rule_set, "rules_activated", actor=actor, new={"name": rule_set.name})
    return rule_set


def install_example(actor: Any, council: Council, key: str, *, activate: bool = False) -> Any:
    """Install the example rule set ``key`` (``tongcheng``, ``jinan``, ``jiangmen``; see
    :mod:`lvzhi.duties.examples`) for ``council``."""
    from lvzhi.duties.examples import EXAMPLES
    from lvzhi.duties.rules import spec_from_dict

    if key not in EXAMPLES:
        raise DomainError(f"没有名为「{key}」的示例规则（可用：{'、'.join(EXAMPLES)}）。", field="example")
    return save_rule_set(actor, council, spec_from_dict(EXAMPLES[key]), activate=activate)


# ---------------------------------------------------------------------------------------------- consultation


@transaction.atomic
def create_plan(actor: Any, council: Council, *, year: int, title: str) -> Any:
    """Staff draft the consultation plan (协商计划) of ``year``; one per council and year."""
    from lvzhi.duties.models import ConsultationPlan

    _require_staff(actor, council.pk)
    if not 1949 <= int(year) <= 2200:
        raise DomainError("请填写四位年份。", field="year")
    title = _text(title, "title", "名称", required=True, max_length=200)
    if ConsultationPlan.objects.filter(council=council, year=year).exists():
        raise DomainError(f"{year} 年度的协商计划已存在。", field="year")
    plan = ConsultationPlan.objects.create(council=council, year=year, title=title, created_by=actor)
    audit.record(plan, "plan_created", actor=actor, new={"year": year, "title": title})
    return plan


@transaction.atomic
def approve_plan(actor: Any, plan_pk: Any, *, approved_by: str, approved_on: date) -> Any:
    """Record the plan's approval by the party committee (批准机关, date). Approving twice is refused."""
    from lvzhi.duties.models import ConsultationPlan

    plan = ConsultationPlan.objects.select_for_update().filter(pk=plan_pk).first()
    if plan is None:
        raise NotFoundError()
    _require_staff(actor, plan.council_id)
    if plan.approved_on is not None:
        raise DomainError(f"该计划已于 {plan.approved_on:%Y-%m-%d} 批准。", field="approved_on")
    if approved_on is None:
        raise DomainError("请填写批准日期。", field="approved_on")
    plan.approved_by = _text(approved_by, "approved_by", "批准机关", required=True, max_length=100)
    plan.approved_on = approved_on
    plan.save(update_fields=["approved_by", "approved_on"])
    audit.record(plan, "plan_approved", actor=actor, new={"approved_by": plan.approved_by, "approved_on": approved_on})
    return plan


def _check_participants(council_id: int, participants: Sequence[tuple[Member, str]]) -> list[tuple[Member, str]]:
    from lvzhi.duties.choices import TopicRole

    out: dict[int, tuple[Member, str]] = {}
    for member, role in participants:
        if member.council_id != council_id:
            raise DomainError(f"{member.name} 不是本机构的委员（代表）。", field="participants")
        if role not in TopicRole.values:
            raise DomainError("参加身份应为“牵头”或“参加”。", field="participants")
        out[member.pk] = (member, role)
    return list(out.values())


@transaction.atomic
def add_topic(actor: Any, plan_pk: Any, *, title: str, form: str, month: int, lead_committee: Any = None,
              participants: Sequence[tuple[Member, str]] = ()) -> Any:
    """Staff add a topic to the plan: title, form (专题协商 …), planned month (1–12), lead special committee,
    participants ``(member, "lead" | "member")``."""
    from lvzhi.duties.choices import ConsultationForm
    from lvzhi.duties.models import ConsultationPlan, ConsultationTopic, TopicParticipant
    from lvzhi.members.choices import OrganisationKind

    plan = ConsultationPlan.objects.select_for_update().filter(pk=plan_pk).first()
    if plan is None:
        raise NotFoundError()
    _require_staff(actor, plan.council_id)
    title = _text(title, "title", "议题", required=True, max_length=200)
    if form not in ConsultationForm.values:
        raise DomainError("请选择协商形式。", field="form")
    if not 1 <= int(month) <= 12:
        raise DomainError("计划月份应为 1 至 12。", field="month")
    if lead_committee is not None and (lead_committee.council_id != plan.council_id
                                       or lead_committee.kind != OrganisationKind.SPECIAL_COMMITTEE):
        raise DomainError("牵头单位须为本机构的专门委员会。", field="lead_committee")
    people_ = _check_participants(plan.council_id, participants)
    topic = ConsultationTopic.objects.create(plan=plan, title=title, form=form, month=month,
                                             lead_committee=lead_committee, order=plan.topics.count())
    TopicParticipant.objects.bulk_create([TopicParticipant(topic=topic, member=m, role=r) for m, r in people_])
    audit.record(topic, "topic_added", actor=actor, council_id=plan.council_id,
                 new={"title": title, "form": form, "month": month, "participants": [m.name for m, _r in people_]})
    return topic


def _lock_topic(actor: Any, topic_pk: Any) -> Any:
    from lvzhi.duties.models import ConsultationTopic

    topic = ConsultationTopic.objects.select_for_update().select_related("plan").filter(pk=topic_pk).first()
    if topic is None:
        raise NotFoundError()
    _require_staff(actor, topic.plan.council_id)
    return topic


@transaction.atomic
def set_participants(actor: Any, topic_pk: Any, participants: Sequence[tuple[Member, str]]) -> Any:
    """Staff replace the topic's participants."""
    from lvzhi.duties.models import TopicParticipant

    topic = _lock_topic(actor, topic_pk)
    people_ = _check_participants(topic.plan.council_id, participants)
    old = sorted(topic.participants.values_list("member__name", flat=True))
    topic.participants.all().delete()
    TopicParticipant.objects.bulk_create([TopicParticipant(topic=topic, member=m, role=r) for m, r in people_])
    audit.record(topic, "participants_set", actor=actor, council_id=topic.plan.council_id, old={"participants": old},
                 new={"participants": sorted(m.name for m, _r in people_)})
    return topic


@transaction.atomic
def hold_topic(actor: Any, topic_pk: Any, meeting: Meeting) -> Any:
    """Staff link the meeting where the topic was (or will be) consulted (its own council's)."""
    topic = _lock_topic(actor, topic_pk)
    if meeting.council_id != topic.plan.council_id:
        raise DomainError("会议不属于本机构。", field="meeting")
    topic.meeting = meeting
    topic.save(update_fields=["meeting"])
    audit.record(topic, "topic_held", actor=actor, council_id=topic.plan.council_id,
                 new={"meeting": meeting.title})
    return topic


@transaction.atomic
def record_outcome(actor: Any, topic_pk: Any, *, outcome: str, sent_on: date | None) -> Any:
    """Staff record the consultation's outcome (协商成果) and the day it was sent to the leaders."""
    topic = _lock_topic(actor, topic_pk)
    topic.outcome = _text(outcome, "outcome", "协商成果", required=True)
    topic.outcome_sent_on = sent_on
    topic.save(update_fields=["outcome", "outcome_sent_on"])
    audit.record(topic, "outcome_recorded", actor=actor, council_id=topic.plan.council_id,
                 new={"outcome": topic.outcome[:200], "sent_on": sent_on})
    return topic


# ------------------------------------------------------------------------------------ online consultation

#: Longest post in an online consultation (characters).
POST_MAX = 2000


def _topic_url(topic: Any) -> str:
    return reverse("duties-consultation", args=[topic.pk])


@transaction.atomic
def open_thread(actor: Any, topic_pk: Any, *, closes_on: date) -> Any:
    """Staff open the topic's online consultation (网络议政) from today until ``closes_on`` (inclusive) and
    tell its participants. Raises :class:`DomainError` naming the field: a closing day before today, a topic
    with no participants, a thread already summarised."""
    topic = _lock_topic(actor, topic_pk)
    today = timezone.localdate()
    if closes_on is None or closes_on < today:
        raise DomainError("截止日期不能早于今天。", field="closes_on")
    if topic.thread_summarised_at:
        raise DomainError("该议题的网络议政已综述结束。", field="closes_on")
    members = [p.member for p in topic.participants.select_related("member__profile__user")]
    if not members:
        raise DomainError("该议题尚无参加委员，请先确定参加人员。", field="participants")
    topic.thread_opened_on = topic.thread_opened_on or today
    topic.thread_closes_on = closes_on
    topic.save(update_fields=["thread_opened_on", "thread_closes_on"])
    audit.record(topic, "thread_opened", actor=actor, council_id=topic.plan.council_id,
                 new={"closes_on": closes_on})
    audit.notify([m.profile.user for m in members if getattr(m, "profile", None) is not None], "consultation",
                 f"网络议政已开放：{topic.title}（{closes_on:%Y-%m-%d} 截止）", url=_topic_url(topic))
    return topic


def thread_is_open(topic: Any, day: date | None = None) -> bool:
    """Whether participants may post on ``day`` (default today): opened, not summarised, not past the
    closing day."""
    day = day or timezone.localdate()
    return bool(topic.thread_opened_on and not topic.thread_summarised_at and topic.thread_closes_on
                and topic.thread_opened_on <= day <= topic.thread_closes_on)


@transaction.atomic
def post_to_thread(actor: Any, topic_pk: Any, *, text: str) -> Any:
    """A participant of the topic posts their view in its open online consultation (a member abroad as well:
    only the account matters). Raises :class:`NotFoundError` for a topic the actor does not take part in,
    :class:`DomainError` when the thread is not open or the text is empty or longer than :data:`POST_MAX`."""
    from lvzhi.duties.models import ConsultationTopic, TopicPost

    member_id = acting_member_id(actor)
    topic = ConsultationTopic.objects.select_for_update().select_related("plan").filter(
        pk=topic_pk, participants__member_id=member_id).first() if member_id else None
    if topic is None or member_id is None:
        raise NotFoundError("未找到该议题，或您不是该议题的参加委员。")
    if not thread_is_open(topic):
        raise DomainError("该议题的网络议政当前未开放。", field="text")
    post = TopicPost.objects.create(topic=topic, member_id=member_id,
                                    text=_text(text, "text", "发言内容", required=True, max_length=POST_MAX))
    audit.record(post, "thread_post", actor=actor, council_id=topic.plan.council_id,
                 new={"topic": topic.title, "length": len(post.text)})
    return post


@transaction.atomic
def summarise_thread(actor: Any, topic_pk: Any, *, summary: str) -> Any:
    """Staff close the topic's online consultation with a summary (综述) of the posts; if the topic has no
    outcome yet, the summary becomes its draft outcome (协商成果) to be edited and sent. Raises
    :class:`DomainError` for an empty summary or a thread never opened."""
    topic = _lock_topic(actor, topic_pk)
    if not topic.thread_opened_on:
        raise DomainError("该议题未开展网络议政。", field="summary")
    topic.thread_summary = _text(summary, "summary", "综述", required=True)
    topic.thread_summarised_at = timezone.now()
    fields = ["thread_summary", "thread_summarised_at"]
    if not topic.outcome:
        topic.outcome = topic.thread_summary
        fields.append("outcome")
    topic.save(update_fields=fields)
    audit.record(topic, "thread_summarised", actor=actor, council_id=topic.plan.council_id,
                 new={"posts": topic.posts.count(), "summary": topic.thread_summary[:200]})
    return topic


# ---------------------------------------------------------------------------------------------- instructions


@transaction.atomic
def instruct_outcome(actor: Any, topic_pk: Any, *, leader_name: str, level: str, day: date, text: str,
                     units: Sequence[Any], deadline: date) -> Any:
    """Record a leader's instruction (批示) on a topic's consultation outcome and assign it to ``units`` to
    carry out by ``deadline`` (staff or leaders of the council). The units are notified. Raises
    :class:`DomainError` naming the field: no outcome yet, a level not among 区（县）/市/省/国家级, no unit
    or a unit of another council, a deadline before the instruction."""
    from lvzhi.duties.models import ConsultationTopic, InstructionTask, OutcomeInstruction
    from lvzhi.members.access import is_council_leader
    from lvzhi.opinions.choices import InstructionLevel

    topic = ConsultationTopic.objects.select_for_update().select_related("plan").filter(pk=topic_pk).first()
    if topic is None:
        raise NotFoundError()
    council_id = topic.plan.council_id
    if not (may_manage(actor, council_id) or is_council_leader(actor, council_id)):
        raise ForbiddenError("只有本机构的工作人员或领导可以登记批示。")
    if not topic.outcome:
        raise DomainError("该议题尚无协商成果，不能登记批示。", field="topic")
    if level not in InstructionLevel.values:
        raise DomainError("请选择批示级别。", field="level")
    if day is None or deadline is None:
        raise DomainError("请填写批示日期和落实期限。", field="deadline")
    if deadline < day:
        raise DomainError("落实期限不能早于批示日期。", field="deadline")
    chosen = list(dict.fromkeys(units))
    if not chosen:
        raise DomainError("请选择落实单位。", field="units")
    for unit in chosen:
        if unit.council_id != council_id:
            raise DomainError(f"{unit.name} 不是本机构的承办单位。", field="units")
    instruction = OutcomeInstruction.objects.create(
        topic=topic, leader_name=_text(leader_name, "leader_name", "批示领导", required=True, max_length=50),
        level=level, date=day, text=_text(text, "text", "批示内容", required=True), deadline=deadline,
        created_by=actor)
    InstructionTask.objects.bulk_create([InstructionTask(instruction=instruction, unit=u) for u in chosen])
    audit.record(instruction, "outcome_instructed", actor=actor, council_id=council_id,
                 new={"topic": topic.title, "leader": instruction.leader_name, "level": level,
                      "units": [u.name for u in chosen], "deadline": deadline})
    audit.notify(people.unit_users([u.pk for u in chosen]), "instruction",
                 f"请落实{instruction.leader_name}对协商成果《{topic.title}》的批示，期限 {deadline:%Y-%m-%d}。",
                 url=reverse("duties-instructions"))
    return instruction


@transaction.atomic
def report_delivery(actor: Any, task_pk: Any, *, status: str, note: str) -> Any:
    """A unit reports how it carries out an instruction (落实中 / 已落实, with a note); its own clerks and
    leaders only (or the council's staff). Marking it done a second time is refused."""
    from lvzhi.cases.choices import InstructionStatus
    from lvzhi.duties.models import InstructionTask

    task = (InstructionTask.objects.select_for_update().select_related("instruction__topic__plan", "unit")
            .filter(pk=task_pk).first())
    if task is None:
        raise NotFoundError()
    council_id = task.instruction.topic.plan.council_id
    if task.unit_id not in people.unit_roles(actor) and not may_manage(actor, council_id):
        raise NotFoundError()
    if status not in (InstructionStatus.IMPLEMENTING, InstructionStatus.DONE):
        raise DomainError("落实情况应为“落实中”或“已落实”。", field="status")
    if task.status == InstructionStatus.DONE:
        raise DomainError("该批示已落实，无需再报。", field="status")
    old = {"status": task.status}
    task.status = status
    task.note = _text(note, "note", "落实说明", required=True)
    task.done_at = timezone.now() if status == InstructionStatus.DONE else None
    task.save(update_fields=["status", "note", "done_at"])
    audit.record(task.instruction, "instruction_delivery", actor=actor, council_id=council_id, old=old,
                 new={"unit": task.unit.name, "status": status, "note": task.note[:200]})
    audit.notify(people.staff_users(council_id), "instruction",
                 f"{task.unit.name} 报告批示落实情况：{task.instruction.topic.title}。", url=reverse("duties-instructions"))
    return task
