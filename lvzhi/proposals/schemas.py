"""Typed shapes of the proposal API (django-ninja / pydantic): what each endpoint reads and answers.

Input field names follow the ``field`` names the action functions put on their errors (``title``,
``category``, ``cosigners``, ``units``, ``grade``…), so a refusal names the input the client sent. Ids of
related objects are plain integers (``category``: a category id). Write endpoints that act on a whole
proposal take its ``version`` (optimistic lock: a stale one answers 409).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from lvzhi.core.paging import MAX_OFFSET
from lvzhi.core.text_limits import ANSWER_MAX, COMMENT_MAX, REASON_MAX, column_max
from lvzhi.proposals.choices import (
    SECTION_MAX,
    AssignmentRole,
    AssignmentStatus,
    CoSignStatus,
    NotFiledGround,
    ProposerKind,
    ReplyStatus,
    Satisfaction,
)
from lvzhi.proposals.models import Proposal

# ---------------------------------------------------------------------------------------------- answers


class Message(Schema):
    """An error or notice: ``detail`` in Chinese, ``field`` the input it concerns (if one)."""

    detail: str
    field: str | None = None


class ValidationMessage(Message):
    """422: the request does not match the schema; ``errors`` lists every problem (pydantic's form)."""

    errors: list[dict[str, Any]] = []


class StateOut(Schema):
    code: str
    name: str
    color: str


class Ref(Schema):
    """A related object by id and name."""

    id: int
    name: str


class GradeOut(Schema):
    code: str
    label: str
    needs_follow_up: bool


class ProposalOut(Schema):
    """One proposal as listed; ``version`` is what write endpoints expect back."""

    id: int
    serial: str = Field(description="提交编号（提交时生成）")
    number: str = Field(description="案号（立案时生成）")
    title: str = Field(description="案由")
    state: StateOut
    state_deadline: date | None = Field(description="本环节期限")
    category: Ref | None
    proposer_kind: ProposerKind
    proposer_name: str
    first_proposer_id: int | None
    organisation_id: int | None
    council_id: int
    session_id: int
    submitted_at: datetime | None
    filed_at: datetime | None
    is_plenary: bool = Field(description="大会提案")
    is_key: bool = Field(description="重点提案")
    supervising_leader: str
    excellent_year: int | None
    version: int
    created_at: datetime


class ProposalPage(Schema):
    """A page of the list: ``total`` rows match, ``items`` holds at most ``limit`` from ``offset``."""

    total: int
    limit: int
    offset: int
    items: list[ProposalOut]


class CoSignerOut(Schema):
    id: int
    member_id: int
    member_name: str
    status: CoSignStatus
    expires_at: date
    responded_at: datetime | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="字节")
    content_type: str
    sha256: str
    url: str = Field(description="下载地址（需登录或令牌）")


class EvaluationOut(Schema):
    id: int
    evaluator_id: int
    attitude: Satisfaction
    relevance: Satisfaction
    result: Satisfaction
    overall: Satisfaction
    comment: str
    created_at: datetime


class ReplyOut(Schema):
    id: int
    assignment_id: int
    round: int
    grade: GradeOut
    text: str
    contact_person: str
    contact_phone: str
    status: ReplyStatus
    drafted_by_id: int | None
    signed_by_id: int | None
    created_at: datetime
    sent_at: datetime | None
    attachments: list[AttachmentOut] = []
    evaluations: list[EvaluationOut] = []


class AssignmentOut(Schema):
    id: int
    proposal_id: int
    unit: Ref
    role: AssignmentRole
    status: AssignmentStatus
    round: int
    assigned_at: datetime
    deadline: date = Field(description="答复期限（会办单位：会办意见期限）")
    sendback_deadline: date = Field(description="申退期限")
    sendback_reason: str
    opinion: str = Field(..., max_length=ANSWER_MAX, description="会办意见")
    opinion_sent_at: datetime | None
    replies: list[ReplyOut] = []


class FollowUpOut(Schema):
    id: int
    note: str
    delivered: bool
    created_by_id: int | None
    created_at: datetime


class TransitionOut(Schema):
    """A state change the caller may make now (the endpoint that makes it is named by ``target``)."""

    target: str = Field(description="目标状态代码")
    target_name: str
    name: str = Field(description="操作名称")
    requires_comment: bool


class TimelineEntryOut(Schema):
    id: int
    at: datetime
    event: str
    actor_id: int | None
    actor_name: str
    from_state: str
    to_state: str
    comment: str
    old_values: dict[str, Any]
    new_values: dict[str, Any]


class ProposalDetail(ProposalOut):
    """A proposal with its text, people, handling record, the caller's roles and possible moves, and its
    timeline (the audit log, oldest first)."""

    situation: str
    analysis: str
    suggestions: str
    not_filed_ground: NotFiledGround | None
    merged_into_id: int | None
    roles: list[str] = Field(description="调用者在本案中的角色")
    transitions: list[TransitionOut]
    cosigners: list[CoSignerOut]
    assignments: list[AssignmentOut]
    follow_ups: list[FollowUpOut]
    timeline: list[TimelineEntryOut]


class BatchResult(Schema):
    assigned: int


# ---------------------------------------------------------------------------------------------- requests


class ProposalFilters(Schema):
    """List filters (see ``lvzhi.proposals.queries.filter_proposals``) and the page window."""

    q: str | None = Field(None, description="全文检索（中文分词）")
    council: int | None = None
    term: int | None = None
    session: int | None = None
    state: str | None = Field(None, description="状态代码，如 submitted、assigned")
    category: int | None = None
    unit: int | None = Field(None, description="承办单位 id")
    proposer: str | None = Field(None, description="提案者名称包含")
    kind: ProposerKind | None = None
    key: bool | None = Field(None, description="仅重点提案")
    overdue: bool | None = Field(None, description="仅超期未答复")
    plenary: bool | None = Field(None, description="大会提案 true / 平时提案 false")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def as_params(self) -> dict[str, str]:
        """The filters as the query-string values :func:`filter_proposals` reads."""
        out: dict[str, str] = {}
        for name in ("q", "council", "term", "session", "state", "category", "unit", "proposer", "kind"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value.value if hasattr(value, "value") else value)
        for name in ("key", "overdue"):
            if getattr(self, name):
                out[name] = "1"
        if self.plenary is not None:
            out["plenary"] = "1" if self.plenary else "0"
        return out


class ProposalCreateIn(Schema):
    """A new draft. A member drafts for themself (``first_proposer`` defaults to their member record)."""

    session: int = Field(description="会议 id")
    title: str = Field(..., max_length=200, description="案由，如「关于……的建议」")
    category: int | None = None
    proposer_kind: ProposerKind = ProposerKind.MEMBER
    first_proposer: int | None = Field(None, description="第一提案人（委员 id）")
    organisation: int | None = Field(None, description="提案单位（组织 id，集体提案）")
    situation: str = Field("", max_length=SECTION_MAX)
    analysis: str = Field("", max_length=SECTION_MAX)
    suggestions: str = Field("", max_length=SECTION_MAX)
    cosigners: list[int] = Field([], description="邀请联名的委员 id")


class DraftUpdateIn(Schema):
    """Changed fields of a draft only (absent fields stay as they are)."""

    version: int
    title: str | None = Field(None, max_length=200)
    category: int | None = None
    situation: str | None = Field(None, max_length=SECTION_MAX)
    analysis: str | None = Field(None, max_length=SECTION_MAX)
    suggestions: str | None = Field(None, max_length=SECTION_MAX)


class VersionIn(Schema):
    version: int = Field(description="读取时的版本号；已被他人修改时返回 409")


class CommentIn(VersionIn):
    comment: str = Field("", max_length=COMMENT_MAX)


class FileIn(CommentIn):
    category: int | None = None


class NotFileIn(CommentIn):
    ground: NotFiledGround


class MergeIn(Schema):
    others: list[int] = Field(description="并入本案的提案 id")
    comment: str = Field("", max_length=COMMENT_MAX)


class InviteIn(Schema):
    cosigners: list[int] = Field(description="委员 id")


class InvitationAnswerIn(Schema):
    accept: bool


class UnitPlanItem(Schema):
    unit: int = Field(description="承办单位 id")
    role: AssignmentRole


class AssignIn(CommentIn):
    units: list[UnitPlanItem]


class BatchAssignIn(Schema):
    proposals: list[int] = Field(description="提案 id")
    units: list[UnitPlanItem]


class SendBackIn(Schema):
    reason: str = Field(..., max_length=REASON_MAX)


class OpinionIn(Schema):
    opinion: str = Field(..., max_length=ANSWER_MAX, description="会办意见")


class EvaluationIn(Schema):
    attitude: Satisfaction = Field(description="办理态度")
    relevance: Satisfaction = Field(description="答复针对性")
    result: Satisfaction = Field(description="办理结果")
    overall: Satisfaction = Field(description="总体评价")
    comment: str = Field("", max_length=COMMENT_MAX)
    on_behalf_of: int | None = Field(None, description="工作人员代录时：提案者的账号 id")


class KeyIn(Schema):
    is_key: bool = True
    supervising_leader: str = Field("", max_length=column_max(Proposal, "supervising_leader"))
    comment: str = Field("", max_length=COMMENT_MAX)


class FollowUpIn(Schema):
    note: str = Field(..., max_length=ANSWER_MAX)
    delivered: bool = False


class ExcellentIn(Schema):
    year: int | None = Field(None, ge=1949, le=2200, description="年度；null 取消")
