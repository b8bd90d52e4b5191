"""``/api/firm-visits``: the visits a user may see (staff and leaders: the council's; a member: visits to their
firm; a unit: visits with issues routed to it) with their issues, and the acts on an issue — the unit answers,
staff or a leader confirm it solved or send it back. Errors as every API: ``{"detail", "field"}``."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import NotFoundError
from lvzhi.firmvisits import actions as writers
from lvzhi.firmvisits.access import visible_visits
from lvzhi.firmvisits.models import FirmIssue, FirmVisit

router = Router()


class Message(Schema):
    detail: str
    field: str | None = None


ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message, 422: Message}


class IssueOut(Schema):
    id: int
    visit_id: int
    text: str
    scope: str
    unit_id: int
    unit: str
    due: date
    status: str
    answer: str
    returned: int

    @staticmethod
    def resolve_unit(obj: FirmIssue) -> str:
        return obj.unit.name


class VisitOut(Schema):
    id: int
    firm: str
    member_id: int | None
    leader: str
    day: date
    notes: str
    issues: list[IssueOut]

    @staticmethod
    def resolve_issues(obj: FirmVisit) -> list[FirmIssue]:
        return list(obj.issues.all())


class AnswerIn(Schema):
    text: str = Field(..., max_length=5000)


class ConfirmIn(Schema):
    solved: bool
    comment: str = Field("", max_length=2000)


def _issue(request: ApiRequest, issue_id: int) -> FirmIssue:
    issue = FirmIssue.objects.filter(pk=issue_id, visit__in=visible_visits(request.auth)).select_related("unit").first()
    if issue is None:
        raise NotFoundError("未找到该问题，或您无权查看。")
    return issue


@router.get("/visits", response={200: list[VisitOut], **ERRORS}, summary="走访企业列表（含反映的问题）")
def visits(request: ApiRequest) -> list[FirmVisit]:
    return list(visible_visits(request.auth).prefetch_related("issues__unit")[:500])


@router.post("/issues/{int:issue_id}/answer", response={200: IssueOut, **ERRORS}, summary="答复企业问题（承办单位）")
def answer(request: ApiRequest, issue_id: int, payload: AnswerIn) -> FirmIssue:
    _issue(request, issue_id)
    writers.answer_issue(request.auth, issue_id, text=payload.text)
    return _issue(request, issue_id)


@router.post("/issues/{int:issue_id}/confirm", response={200: IssueOut, **ERRORS}, summary="确认已解决或退回")
def confirm(request: ApiRequest, issue_id: int, payload: ConfirmIn) -> FirmIssue:
    _issue(request, issue_id)
    writers.confirm_issue(request.auth, issue_id, solved=payload.solved, comment=payload.comment)
    return _issue(request, issue_id)
