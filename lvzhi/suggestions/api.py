"""JSON API of deputies' suggestions (mounted at ``/api/suggestions``). Thin: parse, access
(:mod:`lvzhi.suggestions.access`), act (:mod:`lvzhi.suggestions.actions` for what only suggestions have,
:mod:`lvzhi.cases.actions` for handling), answer. Unit-level handling acts are at ``/api/cases``.

================================================  ===================================================
``GET  ""`` / ``POST ""``                         list (``limit``/``offset``) / draft (201)
``GET  /{id}`` / ``PATCH /{id}``                  detail / change a draft (``version``)
``POST /{id}/seconders`` / ``/{id}/invitation``   invite seconding deputies / answer an invitation
``POST /{id}/submit|withdraw|return|accept``      the deputy's and the staff's acts (``version``)
``POST /{id}/assign``, ``POST /assign``           assign one (``version``) / several at once
``POST /{id}/key|excellent|follow-ups|instructions|close``  supervision, selection, closing
``GET  /figures``                                 the 数读 figures of a council (``council``, ``session``)
================================================  ===================================================
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, QuerySet
from ninja import Field, Query, Router, Schema, Status

from lvzhi.cases import actions as cases
from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.paging import MAX_OFFSET
from lvzhi.members.access import is_council_leader, is_council_staff
from lvzhi.members.models import HandlingUnit, Member, Organisation, Session
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.access import access_suggestion, visible_suggestions
from lvzhi.suggestions.models import Suggestion
from lvzhi.suggestions.queries import suggestion_detail, suggestion_figures

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class SuggestionOut(Schema):
    id: int
    number: str
    title: str
    category: str
    period: str
    state: str
    state_name: str
    version: int
    session_id: int
    delegation_id: int | None
    submitted_at: datetime | None
    is_key: bool

    @staticmethod
    def resolve_state(obj: Suggestion) -> str:
        return obj.state.code

    @staticmethod
    def resolve_state_name(obj: Suggestion) -> str:
        return obj.state.name


class Page(Schema):
    total: int
    limit: int
    offset: int
    items: list[SuggestionOut]


class CreateIn(Schema):
    session: int
    title: str = Field(..., max_length=200)
    content: str = Field("", max_length=20000)
    category: str = Field("", max_length=50)
    delegation: int | None = None
    leading_deputy: int | None = None
    seconders: list[int] = []


class UpdateIn(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    content: str | None = Field(None, max_length=20000)
    category: str | None = Field(None, max_length=50)
    delegation: int | None = None


class MembersIn(Schema):
    seconders: list[int]
    version: int | None = None


class AnswerIn(Schema):
    accept: bool


class VersionIn(Schema):
    version: int | None = None


class ReturnIn(Schema):
    ground: str = Field(..., max_length=30)
    comment: str = Field(..., max_length=2000)
    version: int | None = None


class AcceptIn(Schema):
    category: str | None = Field(None, max_length=50)
    comment: str = Field("", max_length=2000)
    version: int | None = None


class PlanItem(Schema):
    unit: int
    role: str = Field(..., max_length=10)


class AssignIn(Schema):
    units: list[PlanItem]
    comment: str = Field("", max_length=2000)
    version: int | None = None


class BatchAssignIn(Schema):
    ids: list[int]
    units: list[PlanItem]


class KeyIn(Schema):
    is_key: bool
    comment: str = Field("", max_length=2000)


class ExcellentIn(Schema):
    kind: str = Field(..., max_length=20)
    year: int | None = Field(None, ge=2000, le=2100)


class FollowUpIn(Schema):
    note: str = Field(..., max_length=5000)
    delivered: bool = False


class TextIn(Schema):
    text: str = Field(..., max_length=5000)


class CloseIn(Schema):
    comment: str = Field("", max_length=2000)
    version: int | None = None


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class FiguresQuery(Schema):
    council: int
    session: int | None = None


def _get(model: Any, pk: int | None, field: str, label: str) -> Any:
    if pk is None:
        return None
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise DomainError(f"{label}（id {pk}）不存在。", field=field)
    return obj


def _many(model: Any, pks: list[int], field: str, label: str) -> list[Any]:
    found = model._default_manager.in_bulk(pks)
    missing = [str(pk) for pk in pks if pk not in found]
    if missing:
        raise DomainError(f"{label}（id {'、'.join(missing)}）不存在。", field=field)
    return [found[pk] for pk in dict.fromkeys(pks)]


def _plan(items: list[PlanItem]) -> list[tuple[HandlingUnit, str]]:
    units = {u.pk: u for u in _many(HandlingUnit, [i.unit for i in items], "units", "承办单位")}
    return [(units[i.unit], i.role) for i in items]


def _out(pk: int) -> Suggestion:
    return Suggestion.objects.select_related("state").get(pk=pk)


@router.get("", response={200: Page, **ERRORS}, summary="代表建议列表")
def list_suggestions(request: ApiRequest, q: Query[ListQuery]) -> dict[str, Any]:
    qs = visible_suggestions(request.auth).select_related("state").order_by(
        F("submitted_at").desc(nulls_last=True), "-id")
    return {"total": qs.count(), "limit": q.limit, "offset": q.offset, "items": list(qs[q.offset:q.offset + q.limit])}


@router.post("", response={201: SuggestionOut, **ERRORS}, summary="起草代表建议")
def create(request: ApiRequest, payload: CreateIn) -> Status[Suggestion]:
    session = _get(Session.objects.select_related("term__council"), payload.session, "session", "会议")
    s = act.create_suggestion(request.auth, session=session, title=payload.title, content=payload.content,
                              category=payload.category,
                              delegation=_get(Organisation, payload.delegation, "delegation", "代表团"),
                              leading_deputy=_get(Member, payload.leading_deputy, "leading_deputy", "领衔代表"),
                              seconders=_many(Member, payload.seconders, "seconders", "附议代表"))
    return Status(201, _out(s.pk))


@router.get("/figures", response={200: dict[str, Any], **ERRORS}, summary="代表建议数读")
def figures(request: ApiRequest, q: Query[FiguresQuery]) -> dict[str, Any]:
    """For the council's staff and leaders (others: 404)."""
    if not (is_council_staff(request.auth, q.council) or is_council_leader(request.auth, q.council)):
        raise NotFoundError()
    return suggestion_figures(q.council, session_id=q.session)


@router.get("/{int:suggestion_id}", response={200: dict[str, Any], **ERRORS}, summary="代表建议详情")
def detail(request: ApiRequest, suggestion_id: int) -> dict[str, Any]:
    return suggestion_detail(access_suggestion(request.auth, suggestion_id), request.auth)


@router.patch("/{int:suggestion_id}", response={200: SuggestionOut, **ERRORS}, summary="修改草稿")
def update(request: ApiRequest, suggestion_id: int, payload: UpdateIn) -> Suggestion:
    fields = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "delegation" in fields:
        fields["delegation"] = _get(Organisation, fields["delegation"], "delegation", "代表团")
    act.update_draft(request.auth, suggestion_id, expected_version=payload.version, **fields)
    return _out(suggestion_id)


@router.post("/{int:suggestion_id}/seconders", response={200: SuggestionOut, **ERRORS}, summary="邀请附议代表")
def invite(request: ApiRequest, suggestion_id: int, payload: MembersIn) -> Suggestion:
    act.invite_seconders(request.auth, suggestion_id, _many(Member, payload.seconders, "seconders", "附议代表"),
                         expected_version=payload.version)
    return _out(suggestion_id)


@router.post("/{int:suggestion_id}/invitation", response={200: SuggestionOut, **ERRORS}, summary="答复附议邀请")
def answer_invitation(request: ApiRequest, suggestion_id: int, payload: AnswerIn) -> Suggestion:
    act.respond_to_invitation(request.auth, suggestion_id, accept=payload.accept)
    return _out(suggestion_id)


@router.post("/{int:suggestion_id}/submit", response={200: SuggestionOut, **ERRORS}, summary="提交")
def submit(request: ApiRequest, suggestion_id: int, payload: VersionIn) -> Suggestion:
    return act.submit(request.auth, suggestion_id, expected_version=payload.version)


@router.post("/{int:suggestion_id}/withdraw", response={200: SuggestionOut, **ERRORS}, summary="撤回")
def withdraw(request: ApiRequest, suggestion_id: int, payload: VersionIn) -> Suggestion:
    return act.withdraw(request.auth, suggestion_id, expected_version=payload.version)


@router.post("/{int:suggestion_id}/return", response={200: SuggestionOut, **ERRORS}, summary="退回代表")
def return_(request: ApiRequest, suggestion_id: int, payload: ReturnIn) -> Suggestion:
    return act.return_suggestion(request.auth, suggestion_id, ground=payload.ground, comment=payload.comment,
                                 expected_version=payload.version)


@router.post("/{int:suggestion_id}/accept", response={200: SuggestionOut, **ERRORS}, summary="受理")
def accept(request: ApiRequest, suggestion_id: int, payload: AcceptIn) -> Suggestion:
    return act.accept(request.auth, suggestion_id, category=payload.category, comment=payload.comment,
                      expected_version=payload.version)


@router.post("/{int:suggestion_id}/assign", response={200: SuggestionOut, **ERRORS}, summary="交办")
def assign(request: ApiRequest, suggestion_id: int, payload: AssignIn) -> Suggestion:
    cases.assign(request.auth, Suggestion, suggestion_id, _plan(payload.units), expected_version=payload.version,
                 comment=payload.comment)
    return _out(suggestion_id)


@router.post("/assign", response={200: dict[str, int], **ERRORS}, summary="批量交办")
def assign_batch(request: ApiRequest, payload: BatchAssignIn) -> dict[str, int]:
    return {"assigned": cases.assign_batch(request.auth, Suggestion, payload.ids, _plan(payload.units))}


@router.post("/{int:suggestion_id}/key", response={200: SuggestionOut, **ERRORS}, summary="重点督办")
def key(request: ApiRequest, suggestion_id: int, payload: KeyIn) -> Suggestion:
    cases.set_key(request.auth, Suggestion, suggestion_id, is_key=payload.is_key, comment=payload.comment)
    return _out(suggestion_id)


@router.post("/{int:suggestion_id}/excellent", response={200: SuggestionOut, **ERRORS}, summary="评选")
def excellent(request: ApiRequest, suggestion_id: int, payload: ExcellentIn) -> Suggestion:
    cases.select_excellent(request.auth, Suggestion, suggestion_id, kind=payload.kind, year=payload.year)
    return _out(suggestion_id)


@router.post("/{int:suggestion_id}/follow-ups", response={201: dict[str, Any], **ERRORS}, summary="回头看")
def follow_up(request: ApiRequest, suggestion_id: int, payload: FollowUpIn) -> Status[dict[str, Any]]:
    f = cases.add_follow_up(request.auth, Suggestion, suggestion_id, note=payload.note, delivered=payload.delivered)
    return Status(201, {"id": f.pk, "note": f.note, "delivered": f.delivered})


@router.post("/{int:suggestion_id}/instructions", response={201: dict[str, Any], **ERRORS}, summary="领导批示")
def instruct(request: ApiRequest, suggestion_id: int, payload: TextIn) -> Status[dict[str, Any]]:
    i = cases.instruct(request.auth, Suggestion, suggestion_id, text=payload.text)
    return Status(201, {"id": i.pk, "text": i.text, "status": i.status})


@router.post("/{int:suggestion_id}/close", response={200: SuggestionOut, **ERRORS}, summary="办结")
def close(request: ApiRequest, suggestion_id: int, payload: CloseIn) -> Suggestion:
    cases.close(request.auth, Suggestion, suggestion_id, comment=payload.comment, expected_version=payload.version)
    return _out(suggestion_id)
