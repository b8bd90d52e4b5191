"""JSON API of public-opinion reports and citizens' messages (mounted at ``/api/opinions`` by ``lvzhi.api``).

Thin, like the pages: parse, authorize through :mod:`lvzhi.opinions.access` (a case the caller may not see
answers 404, exactly as a missing one), call the action, answer. Action refusals become
``{"detail", "field"}`` with their status through the handler in ``lvzhi.api``.

=============================================  =========================================================
``GET  /reports``, ``POST /reports``           list (``q``, ``state``, ``kind``, ``limit``/``offset``);
                                               create a draft (``submit: true`` submits it at once)
``GET  /reports/{id}``                         detail with instructions, deliveries, forwards, timeline
``POST /reports/{id}/transition``              ``action``: submit, withdraw, adopt, keep, edit, sign_off,
                                               publish, deliver, instruct, forward, answer,
                                               answer_sign_off, close
``GET  /messages``, ``POST /messages``         list (``q``, ``state``, ``channel``, ``category``);
                                               staff register a letter, visit or enterprise issue
``GET  /messages/{id}``                        detail with timeline and smart suggestions
``POST /messages/{id}/transition``             ``action``: route, return, reject, draft_reply, sign_off,
                                               publish, unpublish, close
``GET  /stats``                                ``opinion_statistics`` and ``message_statistics``
``POST /portal/messages``                      public, no authentication, rate-limited (429); ``photos``:
                                               up to 3 base64 JPEG/PNG/WebP files (≤ 5 MB each)
``GET  /portal/messages/{code}``               public: the message by tracking code (masked)
``POST /portal/messages/{code}/rating``        public: the citizen rates the reply (``comment`` ≤ 200)
``GET  /portal/published``                     public: answered, published messages (masked)
=============================================  =========================================================
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Any

from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from lvzhi.core import attachments
from lvzhi.core.audit import timeline
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.images import PHOTO_MAX_BYTES, PHOTO_MAX_COUNT
from lvzhi.core.paging import MAX_OFFSET
from lvzhi.core.text_limits import CODE_MAX, COMMENT_MAX, SIGNED_MAX, column_max
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import HandlingUnit, Member, Organisation
from lvzhi.opinions import actions, queries, ratelimit
from lvzhi.opinions.access import (
    access_message,
    access_report,
    may_manage,
    message_by_code,
    public_messages,
    visible_messages,
    visible_reports,
)
from lvzhi.opinions.actions import BODY_MAX, CONTACT_MAX, NAME_MAX, PLACE_MAX, RATING_COMMENT_MAX, TITLE_MAX
from lvzhi.opinions.models import (
    BulletinIssue,
    Informant,
    Instruction,
    Message,
    Report,
    ReportDelivery,
    ReportForward,
)

router = Router()


# ---------------------------------------------------------------------------------------------- schemas


class ReportIn(Schema):
    title: str = Field("", max_length=TITLE_MAX)
    situation: str = Field("", max_length=BODY_MAX)
    analysis: str = Field("", max_length=BODY_MAX)
    suggestion: str = Field("", max_length=BODY_MAX)
    submitter_kind: str = Field("member", max_length=column_max(Report, "submitter_kind"))
    member_id: int | None = None
    organisation_id: int | None = None
    informant_id: int | None = None
    submit: bool = False


class ReportActionIn(Schema):
    """One act on a report; which fields matter depends on ``action`` (see the module docstring)."""

    action: str = Field(..., max_length=CODE_MAX)
    version: int | None = None
    comment: str = Field("", max_length=COMMENT_MAX)
    title: str | None = Field(None, max_length=TITLE_MAX)
    situation: str | None = Field(None, max_length=BODY_MAX)
    analysis: str | None = Field(None, max_length=BODY_MAX)
    suggestion: str | None = Field(None, max_length=BODY_MAX)
    issue_id: int | None = None
    piece: int | None = None
    recipient_kind: str = Field("", max_length=column_max(ReportDelivery, "recipient_kind"))
    recipient: str = Field("", max_length=column_max(ReportDelivery, "recipient"))
    sent_on: date | None = None
    leader_name: str = Field("", max_length=column_max(Instruction, "leader_name"))
    level: str = Field("", max_length=column_max(Instruction, "level"))
    instruction_date: date | None = None
    text: str = Field("", max_length=BODY_MAX)
    unit_ids: list[int] = []
    forward_id: int | None = None
    outcome: str = Field("", max_length=BODY_MAX)


class MessageIn(Schema):
    channel: str = Field("letter", max_length=column_max(Message, "channel"))
    title: str = Field("", max_length=TITLE_MAX)
    body: str = Field("", max_length=BODY_MAX)
    place: str = Field("", max_length=PLACE_MAX)
    contact: str = Field("", max_length=CONTACT_MAX)
    submitter_name: str = Field("", max_length=NAME_MAX)
    enterprise_name: str = Field("", max_length=column_max(Message, "enterprise_name"))
    member_id: int | None = None
    visit_leader: str = Field("", max_length=column_max(Message, "visit_leader"))
    submitted_at: datetime | None = None


class MessageActionIn(Schema):
    action: str = Field(..., max_length=CODE_MAX)
    version: int | None = None
    unit_id: int | None = None
    category: str = Field("", max_length=column_max(Message, "category"))
    deadline: date | None = None
    comment: str = Field("", max_length=COMMENT_MAX)
    reason: str = Field("", max_length=BODY_MAX)
    text: str = Field("", max_length=BODY_MAX)
    # route: the signed ``shown`` value of the message's detail (what the client was shown)
    shown: str = Field("", max_length=SIGNED_MAX)


# A photo in JSON: base64 of at most PHOTO_MAX_BYTES (4 characters per 3 bytes), optionally as a data: URL.
PHOTO_B64_MAX = 4 * -(-PHOTO_MAX_BYTES // 3) + 40


class PortalIn(Schema):
    title: str = Field("", max_length=TITLE_MAX)
    body: str = Field("", max_length=BODY_MAX)
    place: str = Field("", max_length=PLACE_MAX)
    contact: str = Field("", max_length=CONTACT_MAX)
    photos: list[Annotated[str, Field(max_length=PHOTO_B64_MAX)]] = Field(
        default_factory=list, max_length=PHOTO_MAX_COUNT,
        description="至多 3 张照片，每张为 JPEG/PNG/WebP 文件的 base64（可带 data:image/…;base64, 前缀），≤ 5 MB")


class RatingIn(Schema):
    rating: str = Field(..., max_length=column_max(Message, "rating"))
    comment: str = Field("", max_length=RATING_COMMENT_MAX, description="评价说明（可不填）")


class ListParams(Schema):
    q: str = ""
    state: str = ""
    kind: str = ""
    channel: str = ""
    category: str = ""
    limit: int = 50
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class StatsParams(Schema):
    date_from: date | None = None
    date_to: date | None = None


# ---------------------------------------------------------------------------------------------- output


def _report_out(r: Report) -> dict[str, Any]:
    return {"id": r.pk, "title": r.title, "original_title": r.original_title, "state": r.state.code,
            "state_name": r.state.name, "version": r.version, "submitter_kind": r.submitter_kind,
            "submitter": r.submitter_name, "submitted_at": r.submitted_at, "adopted_at": r.adopted_at,
            "issue": {"id": r.issue_id, "year": r.issue.year, "number": r.issue.number, "piece": r.piece}
            if r.issue is not None else None,
            "source_proposal_id": r.source_proposal_id}


def _report_detail(r: Report, user: Any) -> dict[str, Any]:
    out = _report_out(r)
    out.update({
        "situation": r.situation, "analysis": r.analysis, "suggestion": r.suggestion, "outcome": r.outcome,
        "length": r.length, "warnings": actions.report_warnings(r), "roles": sorted(r.roles_of(user)),
        "instructions": [{"leader_name": i.leader_name, "level": i.level, "date": i.date, "text": i.text}
                         for i in r.instructions.all()],
        "deliveries": [{"recipient_kind": d.recipient_kind, "recipient": d.recipient, "sent_on": d.sent_on}
                       for d in r.deliveries.all()],
        "forwards": [{"id": f.pk, "unit": f.unit.name, "status": f.status, "deadline": f.deadline,
                      "answer": f.answer, "answered_at": f.answered_at}
                     for f in r.forwards.select_related("unit")],
        "timeline": _timeline(r),
    })
    return out


def _timeline(case: Any) -> list[dict[str, Any]]:
    return [{"at": e.created_at, "event": e.event, "from_state": e.from_state, "to_state": e.to_state,
             "actor": e.actor.get_username() if e.actor is not None else None, "comment": e.comment}
            for e in timeline(case)]


def _message_out(m: Message) -> dict[str, Any]:
    return {"id": m.pk, "channel": m.channel, "title": m.title, "state": m.state.code, "state_name": m.state.name,
            "version": m.version, "category": m.category, "unit_id": m.unit_id, "deadline": m.deadline,
            "submitted_at": m.submitted_at, "reply_status": m.reply_status, "replied_at": m.replied_at,
            "reply_unit_name": m.reply_unit.name if m.reply_unit is not None else m.reply_unit_name,
            "published": m.published, "rating": m.rating, "likes": m.likes, "dislikes": m.dislikes}


def _message_detail(m: Message, user: Any) -> dict[str, Any]:
    out = _message_out(m)
    roles = m.roles_of(user)
    out.update({"body": m.body, "place": m.place, "reply_text": m.reply_text, "roles": sorted(roles),
                "enterprise_name": m.enterprise_name, "visit_leader": m.visit_leader, "timeline": _timeline(m),
                "rating_comment": m.rating_comment, "photos_hidden": m.photos_hidden,
                "photos": [{"id": p.pk, "name": p.name, "content_type": p.content_type, "size": p.size,
                            "url": reverse("opinions-message-photo", args=[m.pk, p.pk])}
                           for p in attachments.photos_of(m)]})
    if "staff" in roles:
        out.update({"tracking_code": m.tracking_code, "contact": m.contact, "submitter_name": m.submitter_name,
                    "recommend": (recommend := queries.recommendations(m)),
                    "shown": queries.sign_shown(m, recommend) if recommend else "", "similar": queries.similar(m)})
    return out


def _council(request: HttpRequest) -> Any:
    profile = profile_of(request.user)
    if profile is None or profile.council is None:
        raise NotFoundError()
    return profile.council


def _get(model: Any, pk: int | None, field: str, label: str, council_id: int) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, council_id=council_id).first()
    if obj is None:
        raise DomainError(f"所选{label}不存在。", field=field)
    return obj


# ---------------------------------------------------------------------------------------------- reports


@router.get("/reports", summary="社情民意信息列表")
def list_reports(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    qs = queries.filter_reports(visible_reports(request.user), params.dict()).select_related(
        "state", "member", "organisation", "informant", "issue")
    limit = max(1, min(params.limit, 200))
    return {"count": qs.count(), "items": [_report_out(r) for r in qs[params.offset:params.offset + limit]]}


@router.post("/reports", response={201: dict}, summary="起草（或直接报送）社情民意信息")
def create_report(request: HttpRequest, payload: ReportIn) -> Status:
    from django.db import transaction

    council = _council(request)
    with transaction.atomic():
        report = actions.create_report(
            request.user, council=council, title=payload.title, situation=payload.situation,
            analysis=payload.analysis, suggestion=payload.suggestion, submitter_kind=payload.submitter_kind,
            member=_get(Member, payload.member_id, "member_id", "委员", council.pk),
            organisation=_get(Organisation, payload.organisation_id, "organisation_id", "报送单位", council.pk),
            informant=_get(Informant, payload.informant_id, "informant_id", "信息员", council.pk))
        if payload.submit:
            actions.submit_report(request.user, report.pk)
    return Status(201, _report_detail(access_report(request.user, report.pk), request.user))


@router.get("/reports/{report_id}", summary="社情民意信息详情")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report_detail(access_report(request.user, report_id), request.user)


@router.post("/reports/{report_id}/transition", summary="社情民意信息的办理操作")
def report_transition(request: HttpRequest, report_id: int, payload: ReportActionIn) -> dict[str, Any]:
    report = access_report(request.user, report_id)
    user, a, pk, v = request.user, payload.action, report_id, payload.version
    if a == "submit":
        actions.submit_report(user, pk, expected_version=v)
    elif a == "withdraw":
        actions.withdraw_report(user, pk)
    elif a in ("adopt", "keep"):
        actions.screen_report(user, pk, decision=a, comment=payload.comment, expected_version=v)
    elif a == "edit":
        fields = {k: getattr(payload, k) for k in ("title", "situation", "analysis", "suggestion")
                  if getattr(payload, k) is not None}
        if report.state.submitter_may_edit:
            actions.update_report_draft(user, pk, expected_version=v, **fields)
        else:
            actions.edit_report(user, pk, expected_version=v, **fields)
    elif a == "sign_off":
        actions.sign_off_report(user, pk, comment=payload.comment, expected_version=v)
    elif a == "publish":
        issue = _get(BulletinIssue, payload.issue_id, "issue_id", "期刊", report.council_id)
        if issue is None:
            raise DomainError("请选择刊发期次。", field="issue_id")
        actions.publish_report(user, pk, issue=issue, piece=payload.piece, expected_version=v)
    elif a == "deliver":
        actions.record_delivery(user, pk, recipient_kind=payload.recipient_kind, recipient=payload.recipient,
                                sent_on=payload.sent_on)
    elif a == "instruct":
        actions.record_instruction(user, pk, leader_name=payload.leader_name, level=payload.level,
                                   date=payload.instruction_date, text=payload.text)  # type: ignore[arg-type]
    elif a == "forward":
        units = [_get(HandlingUnit, u, "unit_ids", "承办单位", report.council_id) for u in payload.unit_ids]
        actions.forward_report(user, pk, units, comment=payload.comment, expected_version=v)
    elif a in ("answer", "answer_sign_off"):
        forward = ReportForward.objects.filter(report=report, pk=payload.forward_id or -1).first()
        if forward is None:
            raise DomainError("转办记录不存在。", field="forward_id")
        if a == "answer":
            actions.draft_forward_answer(user, forward.pk, text=payload.text)
        else:
            actions.sign_off_forward_answer(user, forward.pk)
    elif a == "close":
        actions.close_report(user, pk, outcome=payload.outcome, expected_version=v)
    else:
        raise DomainError(f"未知操作「{a}」。", field="action")
    return _report_detail(access_report(user, pk), user)


# ---------------------------------------------------------------------------------------------- messages


@router.get("/messages", summary="群众意见列表")
def list_messages(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    qs = queries.filter_messages(visible_messages(request.user), params.dict()).select_related("state", "reply_unit")
    limit = max(1, min(params.limit, 200))
    return {"count": qs.count(), "items": [_message_out(m) for m in qs[params.offset:params.offset + limit]]}


@router.post("/messages", response={201: dict}, summary="登记来信、来访或企业问题")
def create_message(request: HttpRequest, payload: MessageIn) -> Status:
    council = _council(request)
    message = actions.register_message(
        request.user, council, channel=payload.channel, title=payload.title, body=payload.body,
        place=payload.place, contact=payload.contact, submitter_name=payload.submitter_name,
        enterprise_name=payload.enterprise_name,
        member=_get(Member, payload.member_id, "member_id", "委员", council.pk), visit_leader=payload.visit_leader,
        submitted_at=payload.submitted_at)
    return Status(201, _message_detail(access_message(request.user, message.pk), request.user))


@router.get("/messages/{message_id}", summary="群众意见详情")
def get_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    return _message_detail(access_message(request.user, message_id), request.user)


@router.post("/messages/{message_id}/transition", summary="群众意见的办理操作")
def message_transition(request: HttpRequest, message_id: int, payload: MessageActionIn) -> dict[str, Any]:
    message = access_message(request.user, message_id)
    user, a, pk = request.user, payload.action, message_id
    if a == "route":
        unit = _get(HandlingUnit, payload.unit_id, "unit_id", "承办单位", message.council_id)
        if unit is None:
            raise DomainError("请选择承办单位。", field="unit_id")
        shown = queries.read_shown(message, payload.shown)
        actions.route_message(user, pk, unit=unit, category=payload.category, deadline=payload.deadline,
                              suggested=queries.suggestion_summary(shown), shown=shown, comment=payload.comment,
                              expected_version=payload.version)
    elif a == "return":
        actions.return_message(user, pk, reason=payload.reason)
    elif a == "reject":
        actions.reject_message(user, pk, reason=payload.reason)
    elif a == "draft_reply":
        actions.draft_message_reply(user, pk, text=payload.text, expected_version=payload.version)
    elif a == "sign_off":
        actions.sign_off_message_reply(user, pk, expected_version=payload.version)
    elif a in ("publish", "unpublish"):
        actions.publish_message(user, pk, published=a == "publish")
    elif a == "close":
        actions.close_message(user, pk, comment=payload.comment)
    else:
        raise DomainError(f"未知操作「{a}」。", field="action")
    return _message_detail(access_message(user, pk), user)


@router.get("/stats", summary="社情民意与群众意见统计")
def stats(request: HttpRequest, params: Query[StatsParams]) -> dict[str, Any]:
    """Figures for the caller's council (staff, administrators and leaders); see
    :func:`lvzhi.opinions.queries.opinion_statistics` and :func:`~lvzhi.opinions.queries.message_statistics`
    for shapes and units (ratios 0–1, durations in calendar days)."""
    council = _council(request)
    profile = profile_of(request.user)
    if not (may_manage(request.user, council.pk) or (profile and profile.role == Role.LEADER)):
        raise NotFoundError()
    return {"reports": queries.opinion_statistics(council, params.date_from, params.date_to),
            "messages": queries.message_statistics(council, params.date_from, params.date_to)}


# ---------------------------------------------------------------------------------------------- public portal


@router.post("/portal/messages", auth=None, response={201: dict, 429: dict}, summary="公众留言（无需登录，限频）")
def portal_post(request: HttpRequest, payload: PortalIn) -> Status:
    council = queries.portal_council()
    if council is None:
        raise NotFoundError("门户尚未开通。")
    if not ratelimit.allow(request):
        return Status(429, {"detail": ratelimit.refusal_message(), "field": None})
    message = actions.submit_portal_message(council, title=payload.title, body=payload.body, place=payload.place,
                                            contact=payload.contact, photos=_decoded_photos(payload.photos))
    return Status(201, {"tracking_code": message.tracking_code, "id": message.pk})


def _decoded_photos(photos: list[str]) -> list[ContentFile[bytes]]:
    """The base64 photos of a portal post as files (a ``data:…;base64,`` prefix is dropped); the images
    themselves are judged by :func:`lvzhi.core.images.clean_photos`. Raises :class:`DomainError` (``photos``)
    for text that is not base64."""
    files = []
    for index, text in enumerate(photos, 1):
        data = text.split(",", 1)[1] if text.startswith("data:") and "," in text else text
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(f"第 {index} 张照片不是有效的 base64 编码。", field="photos") from None
        files.append(ContentFile(raw, name="photo"))
    return files


@router.get("/portal/messages/{code}", auth=None, summary="凭查询码查看留言（个人信息已隐去）")
def portal_lookup(request: HttpRequest, code: str) -> dict[str, Any]:
    message = message_by_code(code)
    view = queries.public_view(message)
    view["may_rate"] = bool(message.state.proposer_may_rate and not message.rating)
    return view


@router.post("/portal/messages/{code}/rating", auth=None, summary="群众评价答复")
def portal_rate(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, Any]:
    message = actions.rate_message(code, rating=payload.rating, comment=payload.comment)
    return queries.public_view(message_by_code(message.tracking_code))


@router.get("/portal/published", auth=None, summary="已公开的答复（个人信息已隐去）")
def portal_published(request: HttpRequest, limit: int = 20,
                     offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
    council = queries.portal_council()
    qs = public_messages(council.pk if council else -1).select_related("state", "reply_unit").order_by(
        "-replied_at", "-id")
    limit = max(1, min(limit, 100))
    page = list(qs[offset:offset + limit])
    photos = queries.public_photos(page)
    return {"count": qs.count(), "items": [queries.public_view(m, photos=photos.get(m.pk, [])) for m in page]}
