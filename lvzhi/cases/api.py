"""JSON API of the handling core's unit-level acts, for every case type (mounted at ``/api/cases``).

Thin: parse, call :mod:`lvzhi.cases.actions` (which locks the case only if the caller may see it: an
assignment or reply of an invisible case answers 404), answer. Case-level acts (assign, key, close …) are on
each case type's router (e.g. ``/api/suggestions/{id}/assign``).

==========================================  ==========================================================
``GET  /inbox``                              what waits for the caller across every case type
``POST /assignments/{id}/send-back``         the unit sends a wrong assignment back (within the limit)
``POST /assignments/{id}/opinion``           a co-handling unit's opinion to the lead unit
``POST /assignments/{id}/contacts``          a talk with the submitter before replying (面商)
``POST /assignments/{id}/reply``             the clerk drafts the reply (``version``: the loaded one)
``POST /assignments/{id}/extend``            staff extend the reply deadline (up to the maximum)
``GET  /assignments/{id}/co-opinions``       co-handling opinions the lead clerk sees while drafting
``POST /replies/{id}/return``                the unit leader sends a draft back to the clerk
``POST /replies/{id}/sign-off``              the unit leader signs off
``GET  /replies/{id}/letter``                preview of the reply letter
``POST /replies/{id}/evaluation``            an evaluator's opinion form (意见征询表)
==========================================  ==========================================================
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from ninja import Field, Router, Schema, Status

from lvzhi.cases import actions as cases
from lvzhi.cases import people, queries, registry
from lvzhi.cases.choices import ReplyStatus
from lvzhi.cases.models import Assignment, Reply
from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class AssignmentOut(Schema):
    id: int
    case_type: str
    case_id: int = Field(..., alias="object_id")
    unit_id: int
    role: str
    status: str
    round: int
    deadline: date
    latest_deadline: date
    sendback_deadline: date
    sendback_reason: str
    opinion: str


class ReplyOut(Schema):
    id: int
    assignment_id: int
    round: int
    kind: str
    grade: str
    text: str
    contact_person: str
    contact_phone: str
    status: str
    leader_comment: str
    signed_at: datetime | None

    @staticmethod
    def resolve_grade(obj: Reply) -> str:
        return obj.grade.code


class InboxItemOut(Schema):
    case_type: str
    case_id: int
    what: str
    title: str
    number: str
    deadline: date | None
    urgency: str
    url: str
    ref: int | None


class ReasonIn(Schema):
    reason: str = Field(..., max_length=1000)
    version: int | None = None


class TextIn(Schema):
    text: str = Field(..., max_length=5000)
    version: int | None = None


class ContactIn(Schema):
    contacted_on: date
    way: str = Field(..., max_length=10)
    with_whom: str = Field(..., max_length=100)
    notes: str = Field(..., max_length=5000)


class ReplyIn(Schema):
    grade: str = Field(..., max_length=5)
    text: str = Field(..., max_length=20000)
    contact_person: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=30)
    submit: bool = True
    kind: str = Field("answer", max_length=10)
    version: int = Field(..., description="the case version the clerk loaded (stale: 409)")


class ExtendIn(Schema):
    until: date
    reason: str = Field(..., max_length=1000)


class CommentIn(Schema):
    comment: str = Field(..., max_length=2000)
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


class EvaluationIn(Schema):
    scores: dict[str, str]
    comment: str = Field("", max_length=2000)
    on_behalf_of: int | None = Field(None, description="staff entering a paper form: the evaluator's user id")


class EvaluationOut(Schema):
    id: int
    reply_id: int
    evaluator_id: int
    scores: dict[str, str]
    rehandle: bool
    comment: str


@router.get("/inbox", response={200: list[InboxItemOut], **ERRORS}, summary="待办（全部案件类型）")
def inbox(request: ApiRequest) -> list[queries.InboxItem]:
    return queries.inbox_items(request.auth)


@router.post("/assignments/{int:assignment_id}/send-back", response={200: AssignmentOut, **ERRORS},
             summary="退回交办")
def send_back(request: ApiRequest, assignment_id: int, payload: ReasonIn) -> Assignment:
    return cases.send_back(request.auth, assignment_id, reason=payload.reason, expected_version=payload.version)


@router.post("/assignments/{int:assignment_id}/opinion", response={200: AssignmentOut, **ERRORS},
             summary="会办意见")
def send_opinion(request: ApiRequest, assignment_id: int, payload: TextIn) -> Assignment:
    return cases.send_opinion(request.auth, assignment_id, text=payload.text, expected_version=payload.version)


@router.post("/assignments/{int:assignment_id}/contacts", response={201: dict[str, Any], **ERRORS},
             summary="沟通记录（面商）")
def record_contact(request: ApiRequest, assignment_id: int, payload: ContactIn) -> Status[dict[str, Any]]:
    record = cases.record_contact(request.auth, assignment_id, contacted_on=payload.contacted_on, way=payload.way,
                                  with_whom=payload.with_whom, notes=payload.notes)
    return Status(201, {"id": record.pk, "contacted_on": record.contacted_on.isoformat(), "way": record.way})


@router.post("/assignments/{int:assignment_id}/reply", response={200: ReplyOut, **ERRORS}, summary="起草答复")
def draft_reply(request: ApiRequest, assignment_id: int, payload: ReplyIn) -> Reply:
    return cases.draft_reply(request.auth, assignment_id, grade=payload.grade, text=payload.text,
                             contact_person=payload.contact_person, contact_phone=payload.contact_phone,
                             submit=payload.submit, kind=payload.kind, expected_version=payload.version)


@router.post("/assignments/{int:assignment_id}/extend", response={200: AssignmentOut, **ERRORS},
             summary="延长答复期限")
def extend(request: ApiRequest, assignment_id: int, payload: ExtendIn) -> Assignment:
    return cases.extend_deadline(request.auth, assignment_id, until=payload.until, reason=payload.reason)


def _visible_assignment(request: ApiRequest, assignment_id: int) -> Assignment:
    a = Assignment.objects.filter(pk=assignment_id).select_related("content_type").first()
    model = a.content_type.model_class() if a is not None else None
    if a is None or model is None:
        raise NotFoundError()
    if not registry.for_model(model).visible(request.auth).filter(pk=a.object_id).exists():
        raise NotFoundError()
    return a


@router.get("/assignments/{int:assignment_id}/co-opinions", response={200: list[dict[str, Any]], **ERRORS},
            summary="会办单位意见")
def co_opinions(request: ApiRequest, assignment_id: int) -> list[dict[str, Any]]:
    return queries.co_handling_opinions(_visible_assignment(request, assignment_id))


@router.post("/replies/{int:reply_id}/return", response={200: ReplyOut, **ERRORS}, summary="退回经办人修改")
def return_reply(request: ApiRequest, reply_id: int, payload: CommentIn) -> Reply:
    return cases.return_reply(request.auth, reply_id, comment=payload.comment, expected_version=payload.version)


@router.post("/replies/{int:reply_id}/sign-off", response={200: ReplyOut, **ERRORS}, summary="签发答复")
def sign_off(request: ApiRequest, reply_id: int, payload: VersionIn) -> Reply:
    return cases.sign_off_reply(request.auth, reply_id, expected_version=payload.version)


@router.get("/replies/{int:reply_id}/letter", response={200: dict[str, Any], **ERRORS}, summary="答复函预览")
def letter(request: ApiRequest, reply_id: int) -> dict[str, Any]:
    reply = Reply.objects.filter(pk=reply_id).select_related("assignment", "grade").first()
    if reply is None:
        raise NotFoundError()
    a = _visible_assignment(request, reply.assignment_id)
    case: Any = a.case
    if reply.status != ReplyStatus.SIGNED and a.unit_id not in people.unit_roles(request.auth) \
            and "staff" not in case.roles_of(request.auth):
        raise NotFoundError()  # an unsigned letter is seen by its unit and the staff only
    return queries.reply_letter(reply)


@router.post("/replies/{int:reply_id}/evaluation", response={201: EvaluationOut, **ERRORS},
             summary="意见征询表（满意度测评）")
def evaluate(request: ApiRequest, reply_id: int, payload: EvaluationIn) -> Status[Any]:
    behalf = None
    if payload.on_behalf_of is not None:
        behalf = get_user_model().objects.filter(pk=payload.on_behalf_of).first()
        if behalf is None:
            raise DomainError(f"用户（id {payload.on_behalf_of}）不存在。", field="on_behalf_of")
    return Status(201, cases.evaluate(request.auth, reply_id, scores=payload.scores, comment=payload.comment,
                               on_behalf_of=behalf))
