"""JSON API of meetings, attendance, duty records and scores (mounted at ``/api/duties``). Thin: parse,
access (:mod:`lvzhi.duties.access`), act (:mod:`lvzhi.duties.actions`), answer.

============================================  ===========================================================
``GET  /meetings`` / ``POST /meetings``       meetings the caller may see / create one (staff, 201)
``GET  /meetings/{id}``                       detail; the caller's invitation; the attendance for overseers
``POST /meetings/{id}/respond``               the invitee confirms or asks for leave (``reason``)
``POST /meetings/{id}/checkin``               check in with the QR ``token`` (idempotent: ``already``)
``POST /meetings/{id}/attendance``            staff tick one slot (``present`` member ids, ``slot``)
``POST /invitees/{id}/leave``                 staff approve or refuse a leave request
``GET  /records/{member_id}``                 a member's acts and score explained (``year`` [+ ``quarter``] or ``term``)
``GET  /scores``                              the caller's council ranked (``year``), as ``lvzhi duty-scores``
``GET  /plans``                               the council's consultation plans with their topics (``year``)
============================================  ===========================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.text_limits import RECORD_MAX, column_max
from lvzhi.duties import actions as act
from lvzhi.duties import record as rec
from lvzhi.duties.access import (
    access_meeting,
    access_member_record,
    acting_council_id,
    acting_member_id,
    may_oversee,
    visible_meetings,
)
from lvzhi.duties.models import CheckIn, Meeting
from lvzhi.duties.providers import meeting_outcomes
from lvzhi.duties.scoring import member_json, score_council
from lvzhi.members.models import Council, Member

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class MeetingOut(Schema):
    id: int
    council_id: int
    kind: str
    kind_name: str
    title: str
    agenda: str
    place: str
    start: datetime
    end: datetime
    counts_half_days: bool
    slots: list[str]

    @staticmethod
    def resolve_kind_name(obj: Meeting) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_slots(obj: Meeting) -> list[str]:
        return obj.slots()


class MeetingIn(Schema):
    kind: str = Field(..., max_length=column_max(Meeting, "kind"))
    title: str = Field(..., max_length=200)
    start: datetime
    end: datetime
    agenda: str = Field("", max_length=RECORD_MAX)
    place: str = Field("", max_length=200)
    counts_half_days: bool = False
    invitees: list[int] = []


class RespondIn(Schema):
    attend: bool
    reason: str = Field("", max_length=300)


class CheckInIn(Schema):
    token: str = Field(..., max_length=500)


class CheckInOut(Schema):
    already: bool
    slot: str
    checked_in_at: datetime
    message: str


class AttendanceIn(Schema):
    present: list[int]
    slot: str = Field("", max_length=column_max(CheckIn, "slot"))


class LeaveIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)


class PeriodQuery(Schema):
    year: int | None = None
    quarter: int | None = None
    term: int | None = None


def _period(q: PeriodQuery, owner_id: int, *, council: bool = False) -> rec.Period:
    params = {"year": str(q.year) if q.year is not None else "", "term": str(q.term) if q.term is not None else "",
              "quarter": str(q.quarter) if q.quarter is not None else ""}
    return rec.period_from(params, owner_id, council=council)


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, summary="会议活动列表")
def meetings(request: ApiRequest) -> QuerySet[Meeting]:
    return visible_meetings(request.auth).distinct()[:500]


@router.post("/meetings", response={201: MeetingOut, **ERRORS}, summary="新建会议（工作人员）")
def create_meeting(request: ApiRequest, payload: MeetingIn) -> Status[Meeting]:
    council_id = acting_council_id(request.auth)
    council = Council.objects.filter(pk=council_id).first() if council_id else None
    if council is None:
        raise NotFoundError()
    members = list(Member.objects.filter(pk__in=payload.invitees, council=council))
    if len(members) != len(set(payload.invitees)):
        raise DomainError("参会人员中有不属于本机构的委员（代表）。", field="invitees")
    m = act.create_meeting(request.auth, council, kind=payload.kind, title=payload.title, start=payload.start,
                           end=payload.end, agenda=payload.agenda, place=payload.place,
                           counts_half_days=payload.counts_half_days, invitees=members)
    return Status(201, m)


@router.get("/meetings/{int:meeting_id}", response={200: dict[str, Any], **ERRORS}, summary="会议详情与考勤")
def meeting_detail(request: ApiRequest, meeting_id: int) -> dict[str, Any]:
    m = access_meeting(request.auth, meeting_id)
    out: dict[str, Any] = MeetingOut.model_validate(m).model_dump()
    member_id = acting_member_id(request.auth)
    invitees = list(m.invitees.select_related("member"))
    checked = set(CheckIn.objects.filter(meeting=m).values_list("member_id", "slot"))
    outcomes = meeting_outcomes(m, [(i.member_id, i.leave_status) for i in invitees], checked, timezone.now())

    def row(i: Any) -> dict[str, Any]:
        return {"id": i.pk, "member_id": i.member_id, "name": i.member.name, "response": i.response,
                "leave_status": i.leave_status, "leave_reason": i.leave_reason,
                "attendance": {slot: str(v) for slot, v in outcomes[i.member_id].items()}}

    out["mine"] = next((row(i) for i in invitees if i.member_id == member_id), None)
    if may_oversee(request.auth, m.council_id):
        out["invitees"] = [row(i) for i in invitees]
    return out


@router.post("/meetings/{int:meeting_id}/respond", response={200: dict[str, Any], **ERRORS},
             summary="确认出席或请假")
def respond(request: ApiRequest, meeting_id: int, payload: RespondIn) -> dict[str, Any]:
    access_meeting(request.auth, meeting_id)
    i = act.respond(request.auth, meeting_id, attend=payload.attend, reason=payload.reason)
    return {"id": i.pk, "response": i.response, "leave_status": i.leave_status, "leave_reason": i.leave_reason}


@router.post("/meetings/{int:meeting_id}/checkin", response={200: CheckInOut, **ERRORS}, summary="扫码签到")
def checkin(request: ApiRequest, meeting_id: int, payload: CheckInIn) -> dict[str, Any]:
    result = act.check_in(request.auth, meeting_id, payload.token)
    return {"already": result.already, "slot": result.checkin.slot, "checked_in_at": result.checkin.checked_in_at,
            "message": result.message}


@router.post("/meetings/{int:meeting_id}/attendance", response={200: dict[str, int], **ERRORS},
             summary="工作人员勾选出席")
def attendance(request: ApiRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, int]:
    access_meeting(request.auth, meeting_id)
    return act.mark_attendance(request.auth, meeting_id, present=payload.present, slot=payload.slot)


@router.post("/invitees/{int:invitee_id}/leave", response={200: dict[str, Any], **ERRORS}, summary="审批请假")
def leave(request: ApiRequest, invitee_id: int, payload: LeaveIn) -> dict[str, Any]:
    i = act.decide_leave(request.auth, invitee_id, approve=payload.approve, note=payload.note)
    return {"id": i.pk, "leave_status": i.leave_status, "note": i.leave_note}


@router.get("/records/{int:member_id}", response={200: dict[str, Any], **ERRORS}, summary="委员履职档案")
def record(request: ApiRequest, member_id: int, q: Query[PeriodQuery]) -> dict[str, Any]:
    m = access_member_record(request.auth, member_id)
    period = _period(q, m.pk)
    acts, score, rule_name = rec.member_record(m, period)
    return {
        "member": {"id": m.pk, "name": m.name}, "period": {"label": period.label, "start": period.start,
                                                          "end": period.end},
        "acts": [{"key": a.key, "kind": a.kind, "date": a.day, "title": a.title, "url": a.url, "attrs": dict(a.attrs)}
                 for a in acts],
        "rule_set": rule_name or None, "score": member_json(score, lines=True) if score is not None else None,
    }


@router.get("/scores", response={200: dict[str, Any], **ERRORS}, summary="本机构履职积分排名")
def scores(request: ApiRequest, q: Query[PeriodQuery]) -> dict[str, Any]:
    council_id = acting_council_id(request.auth)
    if council_id is None or not may_oversee(request.auth, council_id):
        raise NotFoundError()
    council = Council.objects.get(pk=council_id)
    period = _period(q, council.pk, council=True)
    try:
        result = score_council(council, period.start, period.end)
    except LookupError as exc:
        raise DomainError(str(exc), field="council") from None
    return {"council": {"id": council.pk, "name": council.name}, "period": period.label,
            "rule_set": result.rule_set.name, "members": [member_json(s) for s in result.members]}


@router.get("/plans", response={200: list[dict[str, Any]], **ERRORS}, summary="协商计划与议题")
def plans(request: ApiRequest, year: int | None = None) -> list[dict[str, Any]]:
    """The consultation plans of the caller's council (staff and leaders; others 404), with their topics."""
    from lvzhi.duties.models import ConsultationPlan

    council_id = acting_council_id(request.auth)
    if council_id is None or not may_oversee(request.auth, council_id):
        raise NotFoundError()
    qs = ConsultationPlan.objects.filter(council_id=council_id).prefetch_related(
        "topics__participants__member", "topics__lead_committee", "topics__meeting")
    if year is not None:
        qs = qs.filter(year=year)
    return [{"id": p.pk, "year": p.year, "title": p.title, "approved_by": p.approved_by,
             "approved_on": p.approved_on, "topics": [{
                 "id": t.pk, "title": t.title, "form": t.form, "month": t.month,
                 "lead_committee": t.lead_committee.name if t.lead_committee else None,
                 "meeting_id": t.meeting_id, "outcome": t.outcome, "outcome_sent_on": t.outcome_sent_on,
                 "participants": [{"member_id": x.member_id, "name": x.member.name, "role": x.role}
                                  for x in t.participants.all()]} for t in p.topics.all()]} for p in qs]
