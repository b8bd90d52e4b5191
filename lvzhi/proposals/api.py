"""JSON API of the proposal lifecycle (mounted at ``/api/proposals`` by ``lvzhi.api``).

Thin, like the pages: parse (ninja schemas in :mod:`lvzhi.proposals.schemas`), authorize through
:mod:`lvzhi.proposals.access` (a proposal, assignment or reply the caller may not see answers 404, exactly
as a missing one), call the action in :mod:`lvzhi.proposals.actions`, answer. Refusals of the actions
(:class:`~lvzhi.core.errors.DomainError`) become ``{"detail", "field"}`` with their status through the
handler registered in ``lvzhi.api``; stale ``version`` → 409.

Endpoints (all under ``/api/proposals``):

=========================================  ==============================================================
``GET  ""``                                list, filtered (``filter_proposals``), ``limit``/``offset``
``POST ""``                                create a draft (201)
``GET  /{id}``                             detail: people, assignments, replies, evaluations, follow-ups,
                                           the caller's roles and possible transitions, timeline
``PATCH /{id}``                            update a draft (``version``)
``POST /{id}/cosigners``                   invite co-signers
``POST /{id}/invitation``                  the invited member confirms or declines
``POST /{id}/submit|withdraw``             proposer (``version``)
``POST /{id}/return|file|not-file``        staff review (``version``)
``POST /{id}/merge``                       merge other submitted proposals into this one
``POST /{id}/assign``, ``POST /assign``    assign one proposal (``version``) / several at once
``POST /assignments/{id}/send-back``       unit sends the case back (申退)
``POST /assignments/{id}/opinion``         co-handling unit's opinion (会办意见)
``POST /assignments/{id}/reply``           unit drafts its reply (multipart, PDF/Word files)
``POST /replies/{id}/sign-off``            unit leader signs off and sends
``POST /replies/{id}/return``              unit leader returns the draft to the clerk (退回答复稿)
``POST /replies/{id}/evaluation``          proposer rates the reply (满意度测评)
``POST /{id}/key|follow-ups|excellent``    supervision overlays
``POST /{id}/close|archive``               staff (``version``)
``GET  /attachments/{id}``                 download an attachment the caller may see
=========================================  ==============================================================
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, QuerySet
from django.http import FileResponse
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile

from lvzhi.core.api_auth import ApiRequest
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.models import Attachment
from lvzhi.core.text_limits import RECORD_MAX, column_max
from lvzhi.members.access import display_name, profile_of
from lvzhi.members.models import HandlingUnit, Member, Organisation, Session
from lvzhi.proposals import actions as act
from lvzhi.proposals.access import (
    access_assignment,
    access_proposal,
    access_reply,
    visible_proposals,
    visible_timeline,
)
from lvzhi.proposals.choices import ReplyStatus
from lvzhi.proposals.models import Assignment, Category, Evaluation, Proposal, Reply
from lvzhi.proposals.queries import filter_proposals
from lvzhi.proposals.schemas import (
    AssignIn,
    AssignmentOut,
    BatchAssignIn,
    BatchResult,
    CommentIn,
    CoSignerOut,
    DraftUpdateIn,
    EvaluationIn,
    EvaluationOut,
    ExcellentIn,
    FileIn,
    FollowUpIn,
    FollowUpOut,
    InvitationAnswerIn,
    InviteIn,
    KeyIn,
    MergeIn,
    Message,
    NotFileIn,
    OpinionIn,
    ProposalCreateIn,
    ProposalDetail,
    ProposalFilters,
    ProposalOut,
    ProposalPage,
    ReplyOut,
    SendBackIn,
    UnitPlanItem,
    ValidationMessage,
    VersionIn,
)
from lvzhi.workflow import engine
from lvzhi.workflow.models import ReplyGrade

router = Router()

#: Error answers every endpoint may give (documented in the OpenAPI schema).
ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 409: Message,
                          422: ValidationMessage}
_SUMMARY_RELATED = ("state", "category", "first_proposer", "organisation")


# ---------------------------------------------------------------------------------------------- helpers


def _get(model: type[Model] | QuerySet[Any], pk: int | None, field: str, label: str) -> Any:
    """Row ``pk`` of ``model`` (a model or queryset), ``None`` for ``None``; :class:`DomainError` naming
    ``field`` when there is no such row."""
    if pk is None:
        return None
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise DomainError(f"{label}（id {pk}）不存在。", field=field)
    return obj


def _get_many(model: type[Model], pks: list[int], field: str, label: str) -> list[Any]:
    found = model._default_manager.in_bulk(pks)
    missing = [str(pk) for pk in pks if pk not in found]
    if missing:
        raise DomainError(f"{label}（id {'、'.join(missing)}）不存在。", field=field)
    return [found[pk] for pk in dict.fromkeys(pks)]


def _plan(items: list[UnitPlanItem]) -> list[tuple[HandlingUnit, str]]:
    units = _get_many(HandlingUnit, [i.unit for i in items], "units", "承办单位")
    by_id = {u.pk: u for u in units}
    return [(by_id[i.unit], i.role.value) for i in items]


def _summary(pk: int) -> Proposal:
    return Proposal.objects.select_related(*_SUMMARY_RELATED).get(pk=pk)


def _attachment_url(attachment: Attachment) -> str:
    return reverse("api:proposal-attachment", kwargs={"attachment_id": attachment.pk})


def _attachment_dict(a: Attachment) -> dict[str, Any]:
    return {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type, "sha256": a.sha256,
            "url": _attachment_url(a)}


def _reply_dicts(replies: list[Reply]) -> dict[int, dict[str, Any]]:
    """Replies as answers, with their attachments and evaluations (two queries for all of them)."""
    ids = [r.pk for r in replies]
    files: dict[int, list[dict[str, Any]]] = {}
    if ids:
        reply_type = ContentType.objects.get_for_model(Reply)
        for a in Attachment.objects.filter(target_type=reply_type, target_id__in=ids).order_by("id"):
            files.setdefault(a.target_id, []).append(_attachment_dict(a))
    ratings: dict[int, list[Evaluation]] = {}
    for ev in Evaluation.objects.filter(reply_id__in=ids).order_by("id") if ids else []:
        ratings.setdefault(ev.reply_id, []).append(ev)
    return {r.pk: {
        "id": r.pk, "assignment_id": r.assignment_id, "round": r.round, "grade": r.grade, "text": r.text,
        "contact_person": r.contact_person, "contact_phone": r.contact_phone, "status": r.status,
        "drafted_by_id": r.drafted_by_id, "signed_by_id": r.signed_by_id, "created_at": r.created_at,
        "sent_at": r.sent_at, "attachments": files.get(r.pk, []), "evaluations": ratings.get(r.pk, []),
    } for r in replies}


def _may_see_unsent(roles: set[str], user: Any, assignment: Assignment) -> bool:
    """A reply not yet signed off is seen by its own unit and by the proposals staff only."""
    profile = profile_of(user)
    return bool(roles & {"staff", "admin"}) or (profile is not None and profile.unit_id == assignment.unit_id)


def _assignment_dict(a: Assignment, replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": a.pk, "proposal_id": a.proposal_id, "unit": {"id": a.unit.pk, "name": a.unit.name},
            "role": a.role, "status": a.status, "round": a.round, "assigned_at": a.assigned_at,
            "deadline": a.deadline, "sendback_deadline": a.sendback_deadline, "sendback_reason": a.sendback_reason,
            "opinion": a.opinion, "opinion_sent_at": a.opinion_sent_at, "replies": replies or []}


def proposal_detail(proposal: Proposal, user: Any) -> dict[str, Any]:
    """Everything the detail endpoint answers about ``proposal`` as seen by ``user`` (shape:
    :class:`~lvzhi.proposals.schemas.ProposalDetail`). Reads only; a fixed number of queries."""
    roles = proposal.roles_of(user)
    assignments = list(proposal.assignments.select_related("unit").order_by("id"))
    by_assignment = {a.pk: a for a in assignments}
    replies = [r for r in Reply.objects.filter(assignment__proposal=proposal).select_related("grade")
               .order_by("round", "id")
               if r.status == ReplyStatus.SENT or _may_see_unsent(roles, user, by_assignment[r.assignment_id])]
    reply_dicts = _reply_dicts(replies)
    grouped: dict[int, list[dict[str, Any]]] = {}
    for r in replies:
        grouped.setdefault(r.assignment_id, []).append(reply_dicts[r.pk])
    timeline = [{
        "id": e.pk, "at": e.created_at, "event": e.event, "actor_id": e.actor_id,
        "actor_name": "" if getattr(e, "redacted", False) else _display_name(e.actor), "from_state": e.from_state, "to_state": e.to_state,
        "comment": e.comment, "old_values": e.old_values, "new_values": e.new_values,
    } for e in visible_timeline(user, proposal, roles)]
    transitions = [{"target": t.target.code, "target_name": t.target.name, "name": t.name,
                    "requires_comment": t.requires_comment} for t in engine.available_transitions(proposal, user)]
    return {
        **ProposalOut.from_orm(proposal).model_dump(),
        "situation": proposal.situation, "analysis": proposal.analysis, "suggestions": proposal.suggestions,
        "not_filed_ground": proposal.not_filed_ground or None, "merged_into_id": proposal.merged_into_id,
        "roles": sorted(roles), "transitions": transitions,
        "cosigners": [{"id": c.pk, "member_id": c.member_id, "member_name": c.member.name, "status": c.status,
                       "expires_at": c.expires_at, "responded_at": c.responded_at}
                      for c in proposal.cosigners.select_related("member").order_by("id")],
        "assignments": [_assignment_dict(a, grouped.get(a.pk)) for a in assignments],
        "follow_ups": list(proposal.follow_ups.order_by("id")),
        "timeline": timeline,
    }


def _display_name(user: Any) -> str:
    if user is None:
        return "系统"
    return display_name(user)


def _ordered(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return qs.order_by(F("submitted_at").desc(nulls_last=True), "-id")


# ---------------------------------------------------------------------------------------------- reading


@router.get("", response={200: ProposalPage, **ERRORS}, summary="提案列表")
def list_proposals(request: ApiRequest, filters: Query[ProposalFilters]) -> dict[str, Any]:
    """The proposals the caller may see, filtered, newest submission first. The number of queries does
    not depend on the number of rows."""
    qs = filter_proposals(visible_proposals(request.auth), filters.as_params())
    total = qs.count()
    items = list(_ordered(qs.select_related(*_SUMMARY_RELATED))[filters.offset:filters.offset + filters.limit])
    return {"total": total, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get("/{int:proposal_id}", response={200: ProposalDetail, **ERRORS}, summary="提案详情")
def get_proposal(request: ApiRequest, proposal_id: int) -> dict[str, Any]:
    return proposal_detail(access_proposal(request.auth, proposal_id), request.auth)


@router.get("/attachments/{int:attachment_id}", url_name="proposal-attachment", summary="下载附件",
            response={404: Message, 401: Message},
            openapi_extra={"responses": {200: {"description": "附件文件", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_attachment(request: ApiRequest, attachment_id: int) -> FileResponse:
    """An attachment of a reply (or of a proposal) the caller may see; unsent replies' files only to their
    unit and the staff."""
    attachment = Attachment.objects.select_related("target_type").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFoundError()
    model = attachment.target_type.model_class()
    if model is Reply:
        reply = access_reply(request.auth, attachment.target_id)
        roles = reply.assignment.proposal.roles_of(request.auth)
        if reply.status != ReplyStatus.SENT and not _may_see_unsent(roles, request.auth, reply.assignment):
            raise NotFoundError()
    elif model is Proposal:
        access_proposal(request.auth, attachment.target_id)
    else:
        raise NotFoundError()
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


# ---------------------------------------------------------------------------------------------- drafting


@router.post("", response={201: ProposalOut, **ERRORS}, summary="起草提案")
def create_proposal(request: ApiRequest, payload: ProposalCreateIn) -> Status[Proposal]:
    session = _get(Session.objects.select_related("term__council"), payload.session, "session", "会议")
    proposal = act.create_proposal(
        request.auth, session=session, title=payload.title,
        category=_get(Category, payload.category, "category", "提案类别"),
        proposer_kind=payload.proposer_kind.value,
        first_proposer=_get(Member, payload.first_proposer, "first_proposer", "第一提案人"),
        organisation=_get(Organisation, payload.organisation, "organisation", "提案单位"),
        situation=payload.situation, analysis=payload.analysis, suggestions=payload.suggestions,
        cosigners=_get_many(Member, payload.cosigners, "cosigners", "联名人"), source="api")
    return Status(201, _summary(proposal.pk))


@router.patch("/{int:proposal_id}", response={200: ProposalOut, **ERRORS}, summary="修改草稿")
def update_draft(request: ApiRequest, proposal_id: int, payload: DraftUpdateIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "category" in fields:
        fields["category"] = _get(Category, fields["category"], "category", "提案类别")
    act.update_draft(request.auth, proposal_id, expected_version=payload.version, **fields)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/cosigners", response={200: list[CoSignerOut], **ERRORS}, summary="邀请联名人")
def invite_cosigners(request: ApiRequest, proposal_id: int, payload: InviteIn) -> list[dict[str, Any]]:
    access_proposal(request.auth, proposal_id)
    members = _get_many(Member, payload.cosigners, "cosigners", "联名人")
    created = act.invite_cosigners(request.auth, proposal_id, members)
    return [{"id": c.pk, "member_id": c.member_id, "member_name": c.member.name, "status": c.status,
             "expires_at": c.expires_at, "responded_at": c.responded_at} for c in created]


@router.post("/{int:proposal_id}/invitation", response={200: CoSignerOut, **ERRORS}, summary="答复联名邀请")
def respond_to_invitation(request: ApiRequest, proposal_id: int, payload: InvitationAnswerIn) -> dict[str, Any]:
    access_proposal(request.auth, proposal_id)
    c = act.respond_to_invitation(request.auth, proposal_id, accept=payload.accept)
    return {"id": c.pk, "member_id": c.member_id, "member_name": c.member.name, "status": c.status,
            "expires_at": c.expires_at, "responded_at": c.responded_at}


@router.post("/{int:proposal_id}/submit", response={200: ProposalOut, **ERRORS}, summary="提交")
def submit_proposal(request: ApiRequest, proposal_id: int, payload: VersionIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.submit_proposal(request.auth, proposal_id, expected_version=payload.version)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/withdraw", response={200: ProposalOut, **ERRORS}, summary="撤回")
def withdraw_proposal(request: ApiRequest, proposal_id: int, payload: VersionIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.withdraw_proposal(request.auth, proposal_id, expected_version=payload.version)
    return _summary(proposal_id)


# ---------------------------------------------------------------------------------------------- review


@router.post("/{int:proposal_id}/return", response={200: ProposalOut, **ERRORS}, summary="退回修改")
def return_for_revision(request: ApiRequest, proposal_id: int, payload: CommentIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.return_for_revision(request.auth, proposal_id, comment=payload.comment, expected_version=payload.version)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/file", response={200: ProposalOut, **ERRORS}, summary="立案")
def file_proposal(request: ApiRequest, proposal_id: int, payload: FileIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.file_proposal(request.auth, proposal_id, category=_get(Category, payload.category, "category", "提案类别"),
                      comment=payload.comment, expected_version=payload.version)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/not-file", response={200: ProposalOut, **ERRORS}, summary="不予立案")
def not_file_proposal(request: ApiRequest, proposal_id: int, payload: NotFileIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.not_file_proposal(request.auth, proposal_id, ground=payload.ground.value, comment=payload.comment,
                          expected_version=payload.version)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/merge", response={200: ProposalOut, **ERRORS}, summary="并案")
def merge_proposals(request: ApiRequest, proposal_id: int, payload: MergeIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.merge_proposals(request.auth, proposal_id, payload.others, comment=payload.comment)
    return _summary(proposal_id)


# ---------------------------------------------------------------------------------------------- assignment


@router.post("/{int:proposal_id}/assign", response={200: list[AssignmentOut], **ERRORS}, summary="交办")
def assign_proposal(request: ApiRequest, proposal_id: int, payload: AssignIn) -> list[dict[str, Any]]:
    """``units``: one ``sole``; or one ``lead`` with any ``co``; or several ``separate``."""
    access_proposal(request.auth, proposal_id)
    created = act.assign_proposal(request.auth, proposal_id, _plan(payload.units),
                                  expected_version=payload.version, comment=payload.comment)
    return [_assignment_dict(a) for a in created]


@router.post("/assign", response={200: BatchResult, **ERRORS}, summary="批量交办")
def assign_batch(request: ApiRequest, payload: BatchAssignIn) -> dict[str, int]:
    """Assigns every listed proposal with the same plan, all or none."""
    if not payload.proposals:
        raise DomainError("请选择要交办的提案。", field="proposals")
    visible = set(visible_proposals(request.auth).filter(pk__in=payload.proposals).values_list("pk", flat=True))
    missing = [str(pk) for pk in payload.proposals if pk not in visible]
    if missing:
        raise DomainError(f"提案（id {'、'.join(missing)}）未找到，或您无权查看。", field="proposals")
    return {"assigned": act.assign_batch(request.auth, list(dict.fromkeys(payload.proposals)),
                                         _plan(payload.units))}


@router.post("/assignments/{int:assignment_id}/send-back", response={200: AssignmentOut, **ERRORS},
             summary="申退")
def send_back(request: ApiRequest, assignment_id: int, payload: SendBackIn) -> dict[str, Any]:
    access_assignment(request.auth, assignment_id)
    return _assignment_dict(act.send_back(request.auth, assignment_id, reason=payload.reason))


@router.post("/assignments/{int:assignment_id}/opinion", response={200: AssignmentOut, **ERRORS},
             summary="提交会办意见")
def send_opinion(request: ApiRequest, assignment_id: int, payload: OpinionIn) -> dict[str, Any]:
    access_assignment(request.auth, assignment_id)
    return _assignment_dict(act.send_opinion(request.auth, assignment_id, text=payload.opinion))


# ---------------------------------------------------------------------------------------------- replies


@router.post("/assignments/{int:assignment_id}/reply", response={201: ReplyOut, **ERRORS}, summary="起草答复")
def draft_reply(request: ApiRequest, assignment_id: int,
                grade: str = Form(..., max_length=column_max(ReplyGrade, "code")),
                text: str = Form(..., max_length=RECORD_MAX),
                contact_person: str = Form("", max_length=column_max(Reply, "contact_person")),
                contact_phone: str = Form("", max_length=column_max(Reply, "contact_phone")),
                for_signoff: Form[bool] = True,
                version: Form[int | None] = None,
                attachments: File[list[UploadedFile]] = None) -> Status[dict[str, Any]]:  # type: ignore[assignment]
    """multipart/form-data: ``grade`` (the council's reply grade code, e.g. ``A``), ``text``, contacts and
    ``attachments`` (PDF or Word files, repeated). ``for_signoff`` (default true) sends the draft to the
    unit leader. ``version``: the proposal's version the draft was written against; stale → 409."""
    access_assignment(request.auth, assignment_id)
    reply = act.draft_reply(request.auth, assignment_id, grade_code=grade.strip(), text=text,
                            contact_person=contact_person, contact_phone=contact_phone,
                            files=list(attachments or []), for_signoff=for_signoff, expected_version=version)
    return Status(201, _reply_dicts([Reply.objects.select_related("grade").get(pk=reply.pk)])[reply.pk])


@router.post("/replies/{int:reply_id}/sign-off", response={200: ReplyOut, **ERRORS}, summary="签发答复")
def sign_off_reply(request: ApiRequest, reply_id: int) -> dict[str, Any]:
    access_reply(request.auth, reply_id)
    act.sign_off_reply(request.auth, reply_id)
    return _reply_dicts([Reply.objects.select_related("grade").get(pk=reply_id)])[reply_id]


@router.post("/replies/{int:reply_id}/return", response={200: ReplyOut, **ERRORS}, summary="退回答复稿")
def return_reply(request: ApiRequest, reply_id: int, payload: CommentIn) -> dict[str, Any]:
    """The unit leader sends a draft awaiting sign-off back to the clerk with ``comment`` (required), as the
    page's 退回答复稿 step does; ``version``: the proposal's version, stale → 409."""
    access_reply(request.auth, reply_id)
    act.return_reply(request.auth, reply_id, comment=payload.comment, expected_version=payload.version)
    return _reply_dicts([Reply.objects.select_related("grade").get(pk=reply_id)])[reply_id]


@router.post("/replies/{int:reply_id}/evaluation", response={201: EvaluationOut, **ERRORS}, summary="满意度测评")
def evaluate_reply(request: ApiRequest, reply_id: int, payload: EvaluationIn) -> Status[Evaluation]:
    access_reply(request.auth, reply_id)
    on_behalf_of = _get(get_user_model(), payload.on_behalf_of, "on_behalf_of", "账号")
    evaluation = act.evaluate_reply(request.auth, reply_id, attitude=payload.attitude.value,
                                    relevance=payload.relevance.value, result=payload.result.value,
                                    overall=payload.overall.value, comment=payload.comment,
                                    on_behalf_of=on_behalf_of)
    return Status(201, evaluation)


# ---------------------------------------------------------------------------------------------- supervision, end


@router.post("/{int:proposal_id}/key", response={200: ProposalOut, **ERRORS}, summary="确定重点提案")
def set_key(request: ApiRequest, proposal_id: int, payload: KeyIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.set_key_proposal(request.auth, proposal_id, is_key=payload.is_key,
                         supervising_leader=payload.supervising_leader, comment=payload.comment)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/follow-ups", response={201: FollowUpOut, **ERRORS}, summary="回头看")
def add_follow_up(request: ApiRequest, proposal_id: int, payload: FollowUpIn) -> Status[Any]:
    access_proposal(request.auth, proposal_id)
    return Status(201, act.add_follow_up(request.auth, proposal_id, note=payload.note, delivered=payload.delivered))


@router.post("/{int:proposal_id}/excellent", response={200: ProposalOut, **ERRORS}, summary="评为优秀提案")
def mark_excellent(request: ApiRequest, proposal_id: int, payload: ExcellentIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.mark_excellent(request.auth, proposal_id, year=payload.year)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/close", response={200: ProposalOut, **ERRORS}, summary="办结")
def close_proposal(request: ApiRequest, proposal_id: int, payload: CommentIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.close_proposal(request.auth, proposal_id, comment=payload.comment, expected_version=payload.version)
    return _summary(proposal_id)


@router.post("/{int:proposal_id}/archive", response={200: ProposalOut, **ERRORS}, summary="归档")
def archive_proposal(request: ApiRequest, proposal_id: int, payload: VersionIn) -> Proposal:
    access_proposal(request.auth, proposal_id)
    act.archive_proposal(request.auth, proposal_id, expected_version=payload.version)
    return _summary(proposal_id)
