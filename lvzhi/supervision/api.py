"""``/api/supervision``: topics a user may see (staff and leaders: the council's; a member or deputy: their
groups'; a unit: those with findings assigned to it), a topic's group, visits, report and findings, and the
acts on findings — the unit reports its correction, staff confirm it or send it back, staff record the
follow-up check. Errors as every API: ``{"detail", "field"}`` with the writer's status."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import NotFoundError
from lvzhi.supervision import actions as writers
from lvzhi.supervision.access import access_topic, visible_topics
from lvzhi.supervision.models import Finding, Topic

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class TopicOut(Schema):
    id: int
    council_id: int
    kind: str
    kind_name: str
    title: str
    year: int
    lead_body: str
    starts_on: date
    ends_on: date | None
    reported_on: date | None

    @staticmethod
    def resolve_kind_name(obj: Topic) -> str:
        return str(obj.get_kind_display())


class FindingOut(Schema):
    id: int
    topic_id: int
    unit_id: int
    unit: str
    text: str
    recommendation: str
    due: date
    status: str
    status_name: str
    correction: str
    check_note: str
    reopened: int

    @staticmethod
    def resolve_unit(obj: Finding) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_status_name(obj: Finding) -> str:
        return str(obj.get_status_display())


class CorrectionIn(Schema):
    text: str = Field(..., max_length=5000)


class ConfirmIn(Schema):
    accepted: bool
    comment: str = Field("", max_length=2000)


class FollowUpIn(Schema):
    holds: bool
    note: str = Field(..., max_length=5000)


def _finding(request: ApiRequest, finding_id: int) -> Finding:
    finding = Finding.objects.filter(pk=finding_id, topic__in=visible_topics(request.auth)).select_related("unit").first()
    if finding is None:
        raise NotFoundError("未找到该问题，或您无权查看。")
    return finding


@router.get("/topics", response={200: list[TopicOut], **ERRORS}, summary="监督调研课题列表")
def topics(request: ApiRequest) -> list[Topic]:
    return list(visible_topics(request.auth)[:500])


@router.get("/topics/{int:topic_id}", response={200: dict[str, Any], **ERRORS}, summary="课题详情")
def topic_detail(request: ApiRequest, topic_id: int) -> dict[str, Any]:
    topic = access_topic(request.auth, topic_id)
    out: dict[str, Any] = TopicOut.model_validate(topic).model_dump(mode="json")
    out.update(
        plan=topic.plan, report=topic.report, recommendations=topic.recommendations,
        group=[{"member_id": g.member_id, "name": g.member.name, "role": g.role}
               for g in topic.group.select_related("member")],
        experts=[{"name": e.name, "affiliation": e.affiliation} for e in topic.experts.all()],
        visits=[{"day": v.day.isoformat(), "place": v.place, "notes": v.notes} for v in topic.visits.all()],
        questions=[{"day": q.day.isoformat(), "asked_by": q.asked_by_id, "unit_id": q.unit_id, "unit": q.unit.name,
                    "respondent": q.respondent, "question": q.question, "answer": q.answer}
                   for q in topic.questions.select_related("unit")],
        findings=[FindingOut.model_validate(f).model_dump(mode="json") for f in topic.findings.select_related("unit")],
    )
    return out


@router.post("/findings/{int:finding_id}/correction", response={200: FindingOut, **ERRORS}, summary="报告整改情况（整改单位）")
def correction(request: ApiRequest, finding_id: int, payload: CorrectionIn) -> Finding:
    _finding(request, finding_id)
    writers.report_correction(request.auth, finding_id, text=payload.text)
    return _finding(request, finding_id)


@router.post("/findings/{int:finding_id}/confirm", response={200: FindingOut, **ERRORS}, summary="确认整改完成或退回（工作人员）")
def confirm(request: ApiRequest, finding_id: int, payload: ConfirmIn) -> Finding:
    _finding(request, finding_id)
    writers.confirm_correction(request.auth, finding_id, accepted=payload.accepted, comment=payload.comment)
    return _finding(request, finding_id)


@router.post("/findings/{int:finding_id}/follow-up", response={200: FindingOut, **ERRORS}, summary="跟踪督办（工作人员）")
def follow_up(request: ApiRequest, finding_id: int, payload: FollowUpIn) -> Finding:
    _finding(request, finding_id)
    writers.follow_up(request.auth, finding_id, holds=payload.holds, note=payload.note)
    return _finding(request, finding_id)
