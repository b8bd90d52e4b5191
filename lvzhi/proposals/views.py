"""Proposal pages (thin: parse, authorize, call the action, render).

Every step of the lifecycle posts to ``/proposals/<pk>/do/<step>/`` (``…/<target>/`` for a step about one
assignment or reply). :data:`STEPS` maps the step name to its form and to the call of the one action in
``lvzhi.proposals.actions`` that does it. A refusal (:class:`DomainError`) re-renders the case page with the
user's input and the action's message beside the named field; missing or invisible cases answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.events import event_label
from lvzhi.core.models import Attachment
from lvzhi.core.paging import CappedPaginator
from lvzhi.core.posting import post_or_back_to
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import HandlingUnit, Session
from lvzhi.proposals import actions as act
from lvzhi.proposals import forms as pf
from lvzhi.proposals.access import access_proposal, access_reply, visible_proposals, visible_timeline
from lvzhi.proposals.choices import NotFiledGround, ProposerKind, ReplyStatus
from lvzhi.proposals.models import Assignment, Category, Evaluation, Proposal, Reply
from lvzhi.proposals.queries import FILTER_PARAMS, StepRef, available_steps, list_proposals
from lvzhi.workflow import engine
from lvzhi.workflow.engine import StateNames
from lvzhi.workflow.models import State

PAGE_SIZE = 25

# Audit events of a proposal as the timeline names them (transitions show the from → to state names).
EVENT_LABELS = {
    "created": L_("起草"), "edited": L_("修改"), "cosigner_invited": L_("邀请联名"),
    "cosign_confirmed": L_("确认联名"), "cosign_declined": L_("拒绝联名"), "cosign_lapsed": L_("联名邀请失效"),
    "merged_in": L_("并案"), "assigned_unit": L_("交办单位"), "reassigned": L_("重新交办"),
    "sent_back": L_("申退"), "opinion_sent": L_("提交会办意见"), "reply_drafted": L_("拟写答复"),
    "reply_sent": L_("签发答复"), "reply_returned": L_("退回答复稿"), "evaluated": L_("满意度测评"), "key_set": L_("确定为重点提案"),
    "key_unset": L_("取消重点提案"), "follow_up": L_("回头看"), "excellent": L_("优秀提案评选"),
}


def _proposal_or_404(user: Any, pk: Any) -> Proposal:
    try:
        return access_proposal(user, pk)
    except NotFoundError:
        raise Http404(_("未找到该提案，或您无权查看。")) from None


def _attach_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show ``exc.message`` beside the form field it names (or above the form when it names none)."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


# ---------------------------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    """One step of the lifecycle on the case page.

    ``run(user, proposal, target, data, version)`` calls the action and returns the success message;
    ``takes_version`` says the action checks ``expected_version`` itself (otherwise the view checks the
    version before calling it, under the same row lock); ``target`` is ``assignment``, ``reply`` or ``None``.
    """

    title: Any
    form: type[pf.CaseForm]
    run: Callable[[Any, Proposal, Any, dict[str, Any], int], str]
    takes_version: bool = False
    target: str | None = None
    aliases: dict[str, str] | None = None
    danger: bool = False
    multipart: bool = False
    button: Any = None


def _draft_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("title", "category", "situation", "analysis", "suggestions") if k in data}


def _run_edit(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.update_draft(user, p.pk, expected_version=version, **_draft_fields(data))
    return _("提案已保存。")


def _run_invite(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    members = list(data.get("cosigners") or [])
    if not members:
        raise DomainError(_("请选择要邀请的联名人。"), field="cosigners")
    created = act.invite_cosigners(user, p.pk, members)
    return _("已邀请 %(n)s 位联名人。") % {"n": len(created)}


def _run_cosign(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    accept = data["decision"] == "accept"
    act.respond_to_invitation(user, p.pk, accept=accept)
    return _("已确认联名。") if accept else _("已拒绝联名。")


def _run_submit(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.submit_proposal(user, p.pk, expected_version=version)
    return _("提案已提交，等待审查。")


def _run_withdraw(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.withdraw_proposal(user, p.pk, expected_version=version)
    return _("提案已撤回。")


def _run_return(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.return_for_revision(user, p.pk, comment=data.get("comment", ""), expected_version=version)
    return _("已退回提案者修改。")


def _run_file(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    filed = act.file_proposal(user, p.pk, category=data.get("category"), comment=data.get("comment", ""),
                              expected_version=version)
    return _("已立案，案号 %(n)s。") % {"n": filed.number}


def _run_not_file(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.not_file_proposal(user, p.pk, ground=data.get("ground", ""), comment=data.get("comment", ""),
                          expected_version=version)
    return _("已作不予立案处理。")


def _run_merge(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    others = [o.pk for o in data.get("others") or []]
    act.merge_proposals(user, p.pk, others, comment=data.get("comment", ""))
    return _("已将 %(n)s 件提案并入本案。") % {"n": len(others)}


def _run_assign(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    form_plan = data["_plan"]
    created = act.assign_proposal(user, p.pk, form_plan, expected_version=version, comment=data.get("comment", ""))
    return _("已交办给：%(units)s。") % {"units": "、".join(a.unit.name for a in created)}


def _run_send_back(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.send_back(user, target, reason=data.get("reason", ""))
    return _("已申退，等待提案委员会重新交办。")


def _run_opinion(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.send_opinion(user, target, text=data.get("opinion", ""))
    return _("会办意见已送主办单位。")


def _run_reply(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    reply = act.draft_reply(user, target, grade_code=data.get("grade", ""), text=data.get("text", ""),
                            contact_person=data.get("contact_person", ""),
                            contact_phone=data.get("contact_phone", ""), files=data.get("attachments") or [],
                            for_signoff=bool(data.get("for_signoff")), expected_version=version)
    if reply.status == ReplyStatus.PENDING_SIGNOFF:
        return _("答复已提交负责人签发。")
    return _("答复草稿已保存。")


def _run_signoff(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.sign_off_reply(user, target)
    return _("答复已签发。")


def _run_return_reply(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.return_reply(user, target, comment=data.get("comment", ""), expected_version=version)
    return _("答复稿已退回经办人修改。")


def _run_evaluate(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.evaluate_reply(user, target, attitude=data.get("attitude", ""), relevance=data.get("relevance", ""),
                       result=data.get("result", ""), overall=data.get("overall", ""),
                       comment=data.get("comment", ""), on_behalf_of=data.get("on_behalf_of"))
    return _("测评已提交。")


def _run_key(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    is_key = bool(data.get("is_key"))
    act.set_key_proposal(user, p.pk, is_key=is_key, supervising_leader=data.get("supervising_leader", ""),
                         comment=data.get("comment", ""))
    return _("已确定为重点提案。") if is_key else _("已取消重点提案。")


def _run_follow_up(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.add_follow_up(user, p.pk, note=data.get("note", ""), delivered=bool(data.get("delivered")))
    return _("回头看情况已记录。")


def _run_excellent(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    year = data.get("year")
    act.mark_excellent(user, p.pk, year=year)
    return _("已评为 %(y)s 年度优秀提案。") % {"y": year} if year else _("已取消优秀提案。")


def _run_close(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.close_proposal(user, p.pk, comment=data.get("comment", ""), expected_version=version)
    return _("提案已办结。")


def _run_archive(user: Any, p: Proposal, target: Any, data: dict[str, Any], version: int) -> str:
    act.archive_proposal(user, p.pk, expected_version=version)
    return _("提案已归档。")


L = gettext_lazy
STEPS: dict[str, Step] = {
    "edit": Step(L("修改提案"), pf.EditForm, _run_edit, takes_version=True),
    "invite": Step(L("邀请联名人"), pf.InviteForm, _run_invite),
    "submit": Step(L("提交提案"), pf.ConfirmForm, _run_submit, takes_version=True, button=L("提交")),
    "cosign": Step(L("联名邀请"), pf.CosignForm, _run_cosign),
    "withdraw": Step(L("撤回提案"), pf.ConfirmForm, _run_withdraw, takes_version=True, danger=True,
                     button=L("撤回")),
    "file": Step(L("立案"), pf.FileForm, _run_file, takes_version=True),
    "return": Step(L("退回修改"), pf.ReturnForm, _run_return, takes_version=True),
    "not_file": Step(L("不予立案"), pf.NotFileForm, _run_not_file, takes_version=True, danger=True),
    "merge": Step(L("并案"), pf.MergeForm, _run_merge),
    "assign": Step(L("交办"), pf.CaseAssignForm, _run_assign, takes_version=True,
                   aliases={"units": "main_unit"}),
    "send_back": Step(L("申退"), pf.SendBackForm, _run_send_back, target="assignment", danger=True),
    "opinion": Step(L("提交会办意见"), pf.OpinionForm, _run_opinion, target="assignment"),
    "reply": Step(L("拟写答复"), pf.ReplyForm, _run_reply, takes_version=True, target="assignment",
                  multipart=True),
    "signoff": Step(L("签发答复"), pf.ConfirmForm, _run_signoff, target="reply", button=L("签发")),
    "return_reply": Step(L("退回答复稿"), pf.ReturnReplyForm, _run_return_reply, takes_version=True,
                         target="reply", button=L("退回")),
    "evaluate": Step(L("满意度测评"), pf.EvaluateForm, _run_evaluate, target="reply"),
    "key": Step(L("重点提案"), pf.KeyForm, _run_key),
    "follow_up": Step(L("回头看"), pf.FollowUpForm, _run_follow_up),
    "excellent": Step(L("优秀提案"), pf.ExcellentForm, _run_excellent),
    "close": Step(L("办结"), pf.CloseForm, _run_close, takes_version=True),
    "archive": Step(L("归档"), pf.ConfirmForm, _run_archive, takes_version=True, button=L("归档")),
}


def _step_url(proposal: Proposal, ref: StepRef) -> str:
    if ref.target is None:
        return reverse("proposal-step", args=[proposal.pk, ref.name])
    return reverse("proposal-step-target", args=[proposal.pk, ref.name, ref.target])


def _make_form(step: Step, ref: StepRef, proposal: Proposal, user: Any, request: HttpRequest | None = None
               ) -> pf.CaseForm:
    kwargs: dict[str, Any] = {"proposal": proposal, "user": user, "prefix": ref.key}
    if request is not None:
        return step.form(request.POST, request.FILES, **kwargs)
    return step.form(**kwargs)


# ---------------------------------------------------------------------------------------------- pages


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The proposals the user may see, filtered (``FILTER_PARAMS``) and paginated (25 a page). Staff
    select rows and assign them in one batch (POST)."""
    profile = profile_of(request.user)
    is_staff = profile is not None and profile.role in (Role.STAFF, Role.ADMIN)
    batch_form = None
    status = 200
    selected: set[int] = set()
    if request.method == "POST":
        if not is_staff:
            raise Http404()
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
        selected = set(ids)
        batch_form = pf.AssignForm(request.POST, council_id=profile.council_id, prefix="batch")  # type: ignore[union-attr]
        if not ids:
            batch_form.is_valid()
            batch_form.add_error(None, _("请先勾选要交办的提案。"))
            status = 400
        elif batch_form.is_valid():
            try:
                count = act.assign_batch(request.user, ids, batch_form.plan())
            except DomainError as exc:
                _attach_error(batch_form, exc, {"units": "main_unit"})
                status = exc.status
            else:
                messages.success(request, _("已批量交办 %(n)s 件提案。") % {"n": count})
                return redirect(request.get_full_path())
        else:
            status = 400
    params = request.GET
    qs = list_proposals(request.user, params)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(params.get("page"))
    council_id = profile.council_id if profile else None
    council_q = {} if council_id is None else {"council_id": council_id}
    filters = {k: params.get(k, "") for k in FILTER_PARAMS}
    query = params.copy()
    query.pop("page", None)
    states = (State.objects.filter(workflow__case_type="proposal", workflow__active=True,
                                   **({} if council_id is None else {"workflow__council_id": council_id}))
              .values_list("code", "name").order_by("order").distinct())
    context = {
        "page": page, "filters": filters, "query": query.urlencode(), "is_staff": is_staff,
        "sessions": Session.objects.filter(**({} if council_id is None else {"term__council_id": council_id}))
        .select_related("term__council"),
        "categories": Category.objects.filter(**council_q), "units": HandlingUnit.objects.filter(**council_q),
        "states": list(dict(states).items()), "kinds": ProposerKind.choices,
        "batch_form": batch_form or (pf.AssignForm(council_id=council_id, prefix="batch") if is_staff else None),
        "selected": selected, "may_create": profile is not None and profile.role in (
            Role.MEMBER, Role.STAFF, Role.ADMIN),
    }
    return render(request, "proposals/list.html", context, status=status)


def _detail_context(request: HttpRequest, proposal: Proposal,
                    bound: tuple[str, pf.CaseForm] | None = None) -> dict[str, Any]:
    user = request.user
    roles = proposal.roles_of(user)
    profile = profile_of(user)
    is_unit = bool(roles & {"unit_clerk", "unit_leader"})
    insider = bool(roles & {"staff", "admin"})
    assignments = list(proposal.assignments.select_related("unit").order_by("id"))
    replies = list(Reply.objects.filter(assignment__proposal=proposal).select_related(
        "assignment__unit", "grade", "signed_by", "drafted_by").prefetch_related(
        "signed_by__profiles", "drafted_by__profiles").order_by("assignment_id", "round"))
    own_unit = profile.unit_id if profile else None
    replies = [r for r in replies if r.status == ReplyStatus.SENT or insider
               or (is_unit and r.assignment.unit_id == own_unit)]
    reply_type = ContentType.objects.get_for_model(Reply)
    files: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(target_type=reply_type, target_id__in=[r.pk for r in replies]):
        files.setdefault(a.target_id, []).append(a)
    for r in replies:
        r.files = files.get(r.pk, [])  # type: ignore[attr-defined]
    evaluations = list(Evaluation.objects.filter(reply__in=replies).select_related(
        "reply__assignment__unit", "evaluator").prefetch_related("evaluator__profiles"))
    state_names = StateNames(proposal.workflow_id)
    timeline = [{"entry": e, "from": gettext(names[0]), "to": gettext(names[1]),
                 "label": event_label(e.event, EVENT_LABELS), "unit": (e.new_values or {}).get("unit", "")}
                for e in visible_timeline(user, proposal, roles)
                for names in [state_names.of_entry(e)]]
    # the proposals merged into this one, linked only where this user may open them (a member reads the main
    # case, not the other members' merged proposals)
    merged = list(proposal.merged_proposals.select_related("first_proposer", "organisation"))
    openable = set(visible_proposals(user).filter(pk__in=[m.pk for m in merged]).values_list("pk", flat=True))
    for m in merged:
        m.may_open = m.pk in openable  # type: ignore[attr-defined]
    merged_into_open = proposal.merged_into_id is not None and visible_proposals(user).filter(
        pk=int(proposal.merged_into_id)).exists()
    step_forms = []
    for ref in available_steps(user, proposal, roles=roles):
        step = STEPS[ref.name]
        if ref.name == "edit":
            step_forms.append({"ref": ref, "step": step, "url": reverse("proposal-edit", args=[proposal.pk]),
                               "link": True})
            continue
        form = bound[1] if bound and bound[0] == ref.key else _make_form(step, ref, proposal, user)
        step_forms.append({"ref": ref, "step": step, "form": form, "url": _step_url(proposal, ref),
                           "open": bool(bound and bound[0] == ref.key),
                           # the unit leader reads the letter as it will be sent before signing it off
                           "preview_url": reverse("reply-letter", args=[ref.target]) if ref.name == "signoff"
                           else ""})
    if bound and not any(s.get("form") is bound[1] for s in step_forms):
        # The step is no longer offered (e.g. a double submit): still show the refused form and its message.
        key = bound[0]
        name = key.split("-")[0]
        step_forms.insert(0, {"ref": StepRef(name), "step": STEPS[name], "form": bound[1], "url": "",
                              "open": True, "stale": True})
    return {
        "proposal": proposal, "roles": roles, "assignments": assignments, "replies": replies,
        "evaluations": evaluations, "timeline": timeline, "step_forms": step_forms,
        "cosigners": list(proposal.cosigners.select_related("member__sector")),
        "follow_ups": list(proposal.follow_ups.select_related("created_by").prefetch_related("created_by__profiles")),
        "merged": merged, "merged_into_open": merged_into_open,
        "not_filed_ground": NotFiledGround(proposal.not_filed_ground).label if proposal.not_filed_ground else "",
        "may_convert": engine.act_allowed(proposal, "convert", roles),
    }


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: the proposal, its co-signers, assignments, replies, evaluations, follow-ups and
    timeline, and below them the forms of the steps this user may take now."""
    proposal = _proposal_or_404(request.user, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _take_step(request: HttpRequest, proposal: Proposal, spec: Step, form: pf.CaseForm,
               target: int | None) -> int | None:
    """Validate ``form`` and run ``spec``; ``None`` on success (message queued), else the HTTP status to
    re-render the form with (its errors attached)."""
    if not form.is_valid():
        return 400
    data = dict(form.cleaned_data)
    if isinstance(form, pf.AssignForm):
        data["_plan"] = form.plan()
    version = data.pop("version")
    refusal: DomainError | None = None
    with transaction.atomic():
        try:
            if not spec.takes_version:
                engine.lock_case(Proposal, proposal.pk, expected_version=version)
            message = spec.run(request.user, proposal, target, data, version)
        except DomainError as exc:
            # The refusing action rolled back its own writes (its own transaction); what it committed on
            # purpose before refusing (a late co-sign answer's expiry) must not be rolled back here.
            refusal = exc
    if isinstance(refusal, NotFoundError):
        raise Http404()
    if refusal is not None:
        _attach_error(form, refusal, spec.aliases)
        return refusal.status
    messages.success(request, message)
    return None


@login_required
@post_or_back_to("proposal-detail")
def proposal_step(request: HttpRequest, pk: int, step: str, target: Any = None) -> HttpResponse:
    """Take one step (see :data:`STEPS`) on proposal ``pk``; ``target`` is the assignment or reply."""
    spec = STEPS.get(step)
    if spec is None or (spec.target is None) != (target is None):
        raise Http404()
    proposal = _proposal_or_404(request.user, pk)
    if spec.target == "assignment" and not Assignment.objects.filter(pk=target, proposal=proposal).exists():
        raise Http404()
    if spec.target == "reply" and not Reply.objects.filter(pk=target, assignment__proposal=proposal).exists():
        raise Http404()
    ref = StepRef(step, target)
    form = _make_form(spec, ref, proposal, request.user, request)
    status = _take_step(request, proposal, spec, form, target)
    if status is None:
        return redirect("proposal-detail", pk=proposal.pk)
    proposal = _proposal_or_404(request.user, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal, (ref.key, form)),
                  status=status)


@login_required
def proposal_new(request: HttpRequest) -> HttpResponse:
    """A new proposal (草稿); then the case page offers submitting it."""
    profile = profile_of(request.user)
    if profile is None or profile.role not in (Role.MEMBER, Role.STAFF, Role.ADMIN):
        raise Http404()
    form = pf.NewProposalForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = act.create_proposal(
                    request.user, session=data["session"], title=data["title"], category=data.get("category"),
                    proposer_kind=data["proposer_kind"], first_proposer=data.get("first_proposer"),
                    organisation=data.get("organisation"), situation=data["situation"],
                    analysis=data["analysis"], suggestions=data["suggestions"],
                    cosigners=list(data.get("cosigners") or []))
            except DomainError as exc:
                _attach_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("草稿已保存。确认内容后请提交。"))
                return redirect("proposal-detail", pk=proposal.pk)
    return render(request, "proposals/form.html", {"form": form, "heading": _("提出提案")}, status=status)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned proposal (the proposer or the staff who entered it)."""
    proposal = _proposal_or_404(request.user, pk)
    ref = StepRef("edit")
    status: int | None = 200
    if request.method == "POST":
        form = _make_form(STEPS["edit"], ref, proposal, request.user, request)
        status = _take_step(request, proposal, STEPS["edit"], form, None)
        if status is None:
            return redirect("proposal-detail", pk=proposal.pk)
    elif ref not in available_steps(request.user, proposal):
        raise Http404()
    else:
        form = _make_form(STEPS["edit"], ref, proposal, request.user)
    return render(request, "proposals/form.html", {"form": form, "heading": _("修改提案"), "proposal": proposal},
                  status=status)


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Download an attachment of a proposal or a reply the user may see (unsent replies: only the unit's
    staff and the council's staff). Anything else answers 404."""
    attachment = Attachment.objects.filter(pk=pk).select_related("target_type").first()
    if attachment is None:
        raise Http404()
    model = attachment.target_type.model_class()
    try:
        if model is Reply:
            reply = access_reply(request.user, attachment.target_id)
            if reply.status != ReplyStatus.SENT:
                roles = reply.assignment.proposal.roles_of(request.user)
                profile = profile_of(request.user)
                own = profile is not None and profile.unit_id == reply.assignment.unit_id
                if not ("staff" in roles or own):
                    raise NotFoundError()
        elif model is Proposal:
            access_proposal(request.user, attachment.target_id)
        else:
            raise NotFoundError()
    except NotFoundError:
        raise Http404() from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
