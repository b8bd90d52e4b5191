"""Pages of deputies' suggestions (thin: parse, access, act, render).

Every step posts to ``/suggestions/<pk>/do/<step>/`` (``…/<target>/`` for a step about one assignment,
reply, instruction or key group). :data:`STEPS` maps the step name to its form and to the call of the one
writer that does it (:mod:`lvzhi.suggestions.actions` or :mod:`lvzhi.cases.actions`). Which steps a user
sees comes from :func:`lvzhi.suggestions.steps.steps_for`. A refusal (:class:`DomainError`) re-renders the
page with the user's input and the writer's message beside the named field; missing or invisible
suggestions answer 404. Every form carries the version the user saw: a stale one is refused (409).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_

from lvzhi.cases import actions as cases
from lvzhi.cases import people
from lvzhi.cases.choices import ReplyStatus
from lvzhi.cases.models import Assignment, Evaluation, Instruction, KeyGroup, Reply
from lvzhi.cases.policy import policy_for
from lvzhi.cases.queries import assignments_of, co_handling_opinions, reply_letter
from lvzhi.core import audit
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.events import event_label
from lvzhi.core.models import Attachment
from lvzhi.core.paging import CappedPaginator
from lvzhi.core.pdf import pdf_download
from lvzhi.core.posting import post_or_back_to
from lvzhi.core.workbooks import xlsx_download
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.models import HandlingUnit, Organisation, Session
from lvzhi.reports import documents
from lvzhi.suggestions import actions as act
from lvzhi.suggestions import exports
from lvzhi.suggestions import forms as sf
from lvzhi.suggestions.access import access_suggestion, access_suggestion_reply
from lvzhi.suggestions.choices import DELEGATION_KIND, Period
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion
from lvzhi.suggestions.steps import (
    FILTER_PARAMS,
    StepRef,
    instructions_of,
    key_groups_of,
    list_suggestions,
    steps_for,
)
from lvzhi.workflow import engine
from lvzhi.workflow.models import State

PAGE_SIZE = 25

# Audit events of a suggestion as the timeline names them (transitions show the from → to state names).
EVENT_LABELS = {
    "created": L_("起草"), "edited": L_("修改"), "seconders_invited": L_("邀请附议"),
    "second_confirmed": L_("确认附议"), "second_declined": L_("不附议"), "seconders_lapsed": L_("附议邀请失效"),
    "assigned_units": L_("交办单位"), "reassigned": L_("重新交办"), "sent_back": L_("退回交办"),
    "deadline_extended": L_("延长答复期限"), "opinion_sent": L_("提交会办意见"), "contact_recorded": L_("沟通（面商）"),
    "reply_drafted": L_("拟写答复"), "reply_returned": L_("负责人退回答复"), "reply_signed": L_("签发答复"),
    "evaluated": L_("反馈意见征询表"), "key_set": L_("确定为重点督办"), "key_unset": L_("取消重点督办"),
    "key_group_joined": L_("列入督办专题"), "follow_up": L_("回头看"), "selected": L_("评选"),
    "unselected": L_("取消评选"), "excellent_handling": L_("优秀办理评选"), "instructed": L_("领导批示"),
    "instruction_note": L_("批示落实情况"),
}


def _suggestion_or_404(user: Any, pk: Any) -> Suggestion:
    try:
        return access_suggestion(user, pk)
    except NotFoundError:
        raise Http404(_("未找到该建议，或您无权查看。")) from None


def _attach_error(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show ``exc.message`` beside the form field it names (or above the form when it names none)."""
    field = (aliases or {}).get(exc.field or "", exc.field or "")
    if field.startswith("scores."):
        field = "score_" + field[len("scores."):]
    form.add_error(field if field in form.fields else None, exc.message)


# ---------------------------------------------------------------------------------------------- steps

Run = Callable[[Any, Suggestion, Any, Any, int], str]


@dataclass(frozen=True)
class Step:
    """One step on the suggestion's page: its title, form, and ``run(user, suggestion, target, form,
    version)`` that calls the writer and returns the success message. ``target`` names what the step is
    about (``assignment``, ``reply``, ``instruction``, ``group`` or ``None``)."""

    title: Any
    form: type[sf.CaseForm]
    run: Run
    target: str | None = None
    aliases: dict[str, str] | None = None
    danger: bool = False
    multipart: bool = False
    button: Any = None


def _d(form: forms.Form, name: str, default: Any = "") -> Any:
    value = form.cleaned_data.get(name)
    return default if value is None else value


def _run_edit(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    act.update_draft(user, s.pk, expected_version=v, title=_d(f, "title"), content=_d(f, "content"),
                     category=_d(f, "category"), delegation=f.cleaned_data.get("delegation"))
    return _("建议已保存。")


def _run_invite(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    created = act.invite_seconders(user, s.pk, list(_d(f, "seconders", [])), expected_version=v)
    return _("已邀请 %(n)s 位代表附议。") % {"n": len(created)}


def _run_second(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    accept = f.cleaned_data["decision"] == "accept"
    act.respond_to_invitation(user, s.pk, accept=accept)
    return _("已确认附议。") if accept else _("已答复不附议。")


def _run_submit(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    act.submit(user, s.pk, expected_version=v)
    return _("建议已提交，等待受理。")


def _run_withdraw(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    act.withdraw(user, s.pk, expected_version=v)
    return _("建议已撤回。")


def _run_return(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    act.return_suggestion(user, s.pk, ground=_d(f, "ground"), comment=_d(f, "comment"), expected_version=v)
    return _("已退回代表。")


def _run_accept(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    done = act.accept(user, s.pk, category=_d(f, "category"), comment=_d(f, "comment"), expected_version=v)
    return _("已受理，编号 %(n)s。") % {"n": done.number}


def _run_assign(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    created = cases.assign(user, Suggestion, s.pk, f.plan(), expected_version=v, comment=_d(f, "comment"))
    return _("已交办给：%(units)s。") % {"units": "、".join(a.unit.name for a in created)}


def _run_send_back(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.send_back(user, t, reason=_d(f, "reason"), expected_version=v)
    return _("已退回交办，等待重新交办。")


def _run_extend(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    until = f.cleaned_data.get("until")
    if until is None:
        raise DomainError(_("请填写延期后的答复期限。"), field="until")
    cases.extend_deadline(user, t, until=until, reason=_d(f, "reason"))
    return _("答复期限已延至 %(d)s。") % {"d": until.isoformat()}


def _run_opinion(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.send_opinion(user, t, text=_d(f, "opinion"), expected_version=v)
    return _("会办意见已送主办单位。")


def _run_contact(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.record_contact(user, t, contacted_on=f.cleaned_data.get("contacted_on"), way=_d(f, "way"),
                         with_whom=_d(f, "with_whom"), notes=_d(f, "notes"))
    return _("沟通记录已保存。")


def _run_reply(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    reply = cases.draft_reply(user, t, grade=_d(f, "grade"), text=_d(f, "text"),
                              contact_person=_d(f, "contact_person"), contact_phone=_d(f, "contact_phone"),
                              files=_d(f, "attachments", []), submit=bool(f.cleaned_data.get("for_signoff")),
                              kind=f.kind, expected_version=v)
    if reply.status == ReplyStatus.PENDING_SIGNOFF:
        return _("答复已提交负责人签发。")
    return _("答复草稿已保存。")


def _run_signoff(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.sign_off_reply(user, t, expected_version=v)
    return _("答复已签发。")


def _run_return_reply(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.return_reply(user, t, comment=_d(f, "comment"), expected_version=v)
    return _("答复已退回经办人修改。")


def _run_evaluate(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    evaluation = cases.evaluate(user, t, scores=f.scores(), comment=_d(f, "comment"),
                                on_behalf_of=f.cleaned_data.get("on_behalf_of"))
    if evaluation.rehandle:
        return _("意见征询表已提交。您对办理不满意，承办单位将重新办理。")
    return _("意见征询表已提交。")


def _run_key(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    is_key = bool(f.cleaned_data.get("is_key"))
    cases.set_key(user, Suggestion, s.pk, is_key=is_key, comment=_d(f, "comment"))
    return _("已确定为重点督办建议。") if is_key else _("已取消重点督办。")


def _run_key_group(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    group = f.cleaned_data.get("group")
    if group is None:
        group = cases.create_key_group(user, s.council, CASE_TYPE, year=s.session.plenary_end.year,
                                       theme=_d(f, "theme"), special_committee=f.cleaned_data.get("special_committee"),
                                       leading_leader=f.cleaned_data.get("leading_leader"), plan=_d(f, "plan"))
    cases.add_to_key_group(user, group.pk, [s.pk])
    return _("已列入督办专题「%(t)s」。") % {"t": group.theme}


def _run_key_note(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.add_key_group_note(user, t, text=_d(f, "text"))
    return _("督办进展已记录。")


def _run_instruct(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.instruct(user, Suggestion, s.pk, text=_d(f, "text"))
    return _("批示已送工作机构和承办单位。")


def _run_instruction_note(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.add_instruction_note(user, t, text=_d(f, "text"), status=_d(f, "status"))
    return _("落实情况已记录。")


def _run_follow_up(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.add_follow_up(user, Suggestion, s.pk, note=_d(f, "note"), delivered=bool(f.cleaned_data.get("delivered")))
    return _("回头看情况已记录。")


def _run_excellent(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    year = f.cleaned_data.get("year")
    cases.select_excellent(user, Suggestion, s.pk, kind=_d(f, "kind"), year=year)
    return _("评选结果已保存。") if year else _("已取消评选。")


def _run_excellent_handling(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    year = f.cleaned_data.get("year")
    cases.select_excellent_handling(user, t, year=year)
    return _("已评为 %(y)s 年度优秀办理。") % {"y": year} if year else _("已取消优秀办理。")


def _run_close(user: Any, s: Suggestion, t: Any, f: Any, v: int) -> str:
    cases.close(user, Suggestion, s.pk, comment=_d(f, "comment"), expected_version=v)
    return _("建议已办结。")


L = L_
STEPS: dict[str, Step] = {
    "edit": Step(L("修改建议"), sf.EditForm, _run_edit),
    "invite": Step(L("邀请附议代表"), sf.InviteForm, _run_invite),
    "second": Step(L("附议邀请"), sf.SecondForm, _run_second),
    "submit": Step(L("提交建议"), sf.ConfirmForm, _run_submit, button=L("提交")),
    "withdraw": Step(L("撤回建议"), sf.ConfirmForm, _run_withdraw, danger=True, button=L("撤回")),
    "return": Step(L("退回代表"), sf.ReturnForm, _run_return, danger=True),
    "accept": Step(L("受理"), sf.AcceptForm, _run_accept),
    "assign": Step(L("交办"), sf.AssignForm, _run_assign, aliases={"units": "main_unit"}),
    "reassign": Step(L("重新交办或增加承办单位"), sf.AssignForm, _run_assign, aliases={"units": "main_unit"}),
    "send_back": Step(L("退回交办"), sf.SendBackForm, _run_send_back, target="assignment", danger=True),
    "extend": Step(L("延长答复期限"), sf.ExtendForm, _run_extend, target="assignment"),
    "opinion": Step(L("提交会办意见"), sf.OpinionForm, _run_opinion, target="assignment"),
    "contact": Step(L("沟通记录（面商）"), sf.ContactForm, _run_contact, target="assignment"),
    "reply": Step(L("拟写答复"), sf.ReplyForm, _run_reply, target="assignment", multipart=True),
    "final": Step(L("办结后再次答复"), sf.FinalForm, _run_reply, target="assignment", multipart=True),
    "signoff": Step(L("签发答复"), sf.ConfirmForm, _run_signoff, target="reply", button=L("签发")),
    "return_reply": Step(L("退回经办人修改"), sf.ReturnReplyForm, _run_return_reply, target="reply", danger=True),
    "evaluate": Step(L("意见征询表"), sf.EvaluateForm, _run_evaluate, target="reply"),
    "key": Step(L("重点督办"), sf.KeyForm, _run_key),
    "key_group": Step(L("列入督办专题"), sf.KeyGroupForm, _run_key_group, aliases={"ids": "group"}),
    "key_note": Step(L("督办进展"), sf.KeyNoteForm, _run_key_note, target="group"),
    "instruct": Step(L("批示"), sf.InstructForm, _run_instruct),
    "instruction_note": Step(L("批示落实情况"), sf.InstructionNoteForm, _run_instruction_note, target="instruction"),
    "follow_up": Step(L("回头看"), sf.FollowUpForm, _run_follow_up, aliases={"reply": "note"}),
    "excellent": Step(L("优秀建议、金点子评选"), sf.ExcellentForm, _run_excellent),
    "excellent_handling": Step(L("优秀办理评选"), sf.ExcellentHandlingForm, _run_excellent_handling,
                               target="assignment"),
    "close": Step(L("办结"), sf.CloseForm, _run_close),
}

#: Steps taken on the reply-letter preview page (the unit leader's), listed there rather than on the case page.
PREVIEW_STEPS = ("signoff", "return_reply")


def _target(spec: Step, suggestion: Suggestion, target: Any) -> Any:
    """The object ``target`` of a step about one (it must belong to ``suggestion``), or ``None``."""
    if spec.target is None:
        return None
    ct = ContentType.objects.get_for_model(Suggestion)
    found: Any = None
    if spec.target == "assignment":
        found = Assignment.objects.filter(pk=target, content_type=ct, object_id=suggestion.pk).first()
    elif spec.target == "reply":
        found = Reply.objects.filter(pk=target, assignment__content_type=ct,
                                     assignment__object_id=suggestion.pk).select_related("assignment").first()
    elif spec.target == "instruction":
        found = Instruction.objects.filter(pk=target, content_type=ct, object_id=suggestion.pk).first()
    elif spec.target == "group":
        found = KeyGroup.objects.filter(pk=target, cases__content_type=ct, cases__object_id=suggestion.pk).first()
    if found is None:
        raise Http404()
    return found


def _step_url(suggestion: Suggestion, name: str, target: int | None) -> str:
    if target is None:
        return reverse("suggestion-step", args=[suggestion.pk, name])
    return reverse("suggestion-step-target", args=[suggestion.pk, name, target])


def _make_form(spec: Step, key: str, suggestion: Suggestion, user: Any, target: Any,
               request: HttpRequest | None = None) -> sf.CaseForm:
    kwargs: dict[str, Any] = {"suggestion": suggestion, "user": user, "target": target, "prefix": key}
    if request is not None:
        return spec.form(request.POST, request.FILES, **kwargs)
    return spec.form(**kwargs)


# ---------------------------------------------------------------------------------------------- list


def _council_id(user: Any) -> int | None:
    profile = profile_of(user)
    return profile.council_id if profile is not None else None


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """The suggestions the user may see, filtered (:data:`FILTER_PARAMS`) and paginated (25 a page). The
    council's staff select accepted rows and assign them in one batch (POST, all or none)."""
    council_id = _council_id(request.user)
    is_staff = council_id is not None and is_council_staff(request.user, council_id)
    batch_form: sf.BatchAssignForm | None = None
    status = 200
    selected: set[int] = set()
    if request.method == "POST":
        if not is_staff:
            raise Http404()
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
        selected = set(ids)
        batch_form = sf.BatchAssignForm(request.POST, council_id=council_id or 0, prefix="batch")
        if not batch_form.is_valid():
            status = 400
        elif not ids:
            batch_form.add_error(None, _("请先勾选要交办的建议。"))
            status = 400
        else:
            try:
                count = cases.assign_batch(request.user, Suggestion, ids, batch_form.plan())
            except NotFoundError:
                batch_form.add_error(None, _("勾选的建议中有不存在或您无权查看的。"))
                status = 404
            except DomainError as exc:
                _attach_error(batch_form, exc, {"units": "main_unit", "ids": ""})
                status = exc.status
            else:
                messages.success(request, _("已批量交办 %(n)s 件建议。") % {"n": count})
                return redirect(request.get_full_path())
    params = request.GET
    page = CappedPaginator(list_suggestions(request.user, params), PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    council_q = {} if council_id is None else {"council_id": council_id}
    states = (State.objects.filter(workflow__case_type=CASE_TYPE, workflow__active=True,
                                   **({} if council_id is None else {"workflow__council_id": council_id}))
              .order_by("order").values_list("code", "name"))
    context = {
        "page": page, "filters": {k: params.get(k, "") for k in FILTER_PARAMS}, "query": query.urlencode(),
        "is_staff": is_staff, "periods": Period.choices,
        "sessions": Session.objects.filter(**({} if council_id is None else {"term__council_id": council_id}))
        .select_related("term__council"),
        "delegations": Organisation.objects.filter(kind=DELEGATION_KIND, **council_q),
        "units": HandlingUnit.objects.filter(**council_q),
        "states": list(dict(states).items()),
        "batch_form": batch_form or (sf.BatchAssignForm(council_id=council_id or 0, prefix="batch")
                                     if is_staff else None),
        "selected": selected, "may_create": people.member_id_of(request.user) is not None or is_staff,
    }
    return render(request, "suggestions/list.html", context, status=status)


@login_required
def suggestion_list_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The list with the page's filters as an Excel file: the suggestions the user may see, drafts only with
    ``drafts=1`` (:mod:`lvzhi.suggestions.exports`)."""
    qs = exports.export_queryset(request.user, request.GET)
    return xlsx_download(lambda f: exports.write_suggestions(qs, f),
                         f"代表建议清单-{timezone.localdate():%Y%m%d}.xlsx")


# ---------------------------------------------------------------------------------------------- detail


def _detail_context(request: HttpRequest, suggestion: Suggestion,
                    bound: tuple[str, sf.CaseForm] | None = None) -> dict[str, Any]:
    user = request.user
    roles = suggestion.roles_of(user)
    units = people.unit_roles(user)
    insider = "staff" in roles
    assignments = list(assignments_of(suggestion).prefetch_related("contacts"))
    replies = [r for r in Reply.objects.filter(assignment__in=assignments).select_related(
        "assignment__unit", "grade", "signed_by").order_by("assignment_id", "round", "id")
        if r.status == ReplyStatus.SIGNED or insider or r.assignment.unit_id in units]
    files: dict[int, list[Attachment]] = {}
    for f in Attachment.objects.filter(target_type=ContentType.objects.get_for_model(Reply),
                                       target_id__in=[r.pk for r in replies]):
        files.setdefault(f.target_id, []).append(f)
    evaluations: dict[int, list[Evaluation]] = {}
    for e in Evaluation.objects.filter(reply__in=replies).select_related("evaluator"):
        evaluations.setdefault(e.reply_id, []).append(e)
    pol = policy_for(suggestion.council_id, CASE_TYPE)
    levels = {lv["code"]: lv["label"] for lv in pol.levels}
    for r in replies:
        r.files = files.get(r.pk, [])  # type: ignore[attr-defined]
        r.signer = people.display_name(r.signed_by) if r.signed_by_id else ""  # type: ignore[attr-defined]
        r.forms = [{"evaluator": people.display_name(e.evaluator), "comment": e.comment, "rehandle": e.rehandle,  # type: ignore[attr-defined]
                    "scores": [(d["label"], levels.get(e.scores.get(d["code"], ""), "—")) for d in pol.dimensions]}
                   for e in evaluations.get(r.pk, [])]
    own_or_staff = [a for a in assignments if insider or a.unit_id in units]
    contacts = [c for a in own_or_staff for c in a.contacts.all()] if own_or_staff else []
    contacts_by = {a.pk: [c for c in contacts if c.assignment_id == a.pk] for a in assignments}
    for a in assignments:
        a.contact_rows = contacts_by.get(a.pk, [])  # type: ignore[attr-defined]
        a.co_rows = co_handling_opinions(a) if (insider or a.unit_id in units) else []  # type: ignore[attr-defined]
    state_names = dict(State.objects.filter(workflow_id=suggestion.workflow_id).values_list("code", "name"))
    timeline = [{"entry": e, "from": _(state_names.get(e.from_state, e.from_state)) if e.from_state else "",
                 "to": _(state_names.get(e.to_state, e.to_state)) if e.to_state else "",
                 "label": event_label(e.event, EVENT_LABELS), "unit": (e.new_values or {}).get("unit", ""),
                 "actor": people.display_name(e.actor)}
                for e in audit.timeline(suggestion).select_related("actor")]
    step_forms = []
    offered: list[StepRef] = steps_for(user, suggestion)
    targets: dict[tuple[str, int], Any] = {}
    for ref in offered:
        spec = STEPS[ref.name]
        if ref.name == "edit":
            step_forms.append({"ref": ref, "step": spec, "url": reverse("suggestion-edit", args=[suggestion.pk]),
                               "link": True})
            continue
        if ref.name == "signoff":
            step_forms.append({"ref": ref, "step": spec, "link": True, "title": _("预览答复函并签发"),
                               "url": reverse("suggestion-reply-preview", args=[suggestion.pk, ref.target])})
            continue
        target = None
        if spec.target is not None:
            key = (spec.target, ref.target or 0)
            if key not in targets:
                targets[key] = _target(spec, suggestion, ref.target)
            target = targets[key]
        form = bound[1] if bound and bound[0] == ref.key else _make_form(spec, ref.key, suggestion, user, target)
        step_forms.append({"ref": ref, "step": spec, "form": form, "url": _step_url(suggestion, ref.name, ref.target),
                           "open": bool(bound and bound[0] == ref.key)})
    if bound and not any(s.get("form") is bound[1] for s in step_forms):
        # the step is no longer offered (a double submit, a stale page): still show the refused form
        name = bound[0].split("-")[0]
        step_forms.insert(0, {"ref": StepRef(name), "step": STEPS[name], "form": bound[1], "url": "",
                              "open": True, "stale": True})
    instructions = list(instructions_of(suggestion))
    for i in instructions:
        i.leader_name = people.display_name(i.leader)  # type: ignore[attr-defined]
    groups = key_groups_of(suggestion)
    for g in groups:
        g.leader_name = people.display_name(g.leading_leader) if g.leading_leader_id else ""  # type: ignore[attr-defined]
    return {
        "suggestion": suggestion, "roles": roles, "assignments": assignments, "replies": replies,
        "timeline": timeline, "step_forms": step_forms,
        "deputies": list(suggestion.deputies.select_related("member")),
        "follow_ups": list(suggestion.follow_ups.all()),
        "instructions": instructions, "key_groups": groups,
        "return_ground": pol.ground_label(suggestion.return_ground) if suggestion.return_ground else "",
    }


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestion's page: content, deputies and their confirmations, assignments with contacts and
    co-handling opinions, replies with grade and opinion forms, key groups, instructions, follow-ups, the
    timeline, and the forms of the steps this user may take now."""
    suggestion = _suggestion_or_404(request.user, pk)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion))


def _take_step(request: HttpRequest, suggestion: Suggestion, spec: Step, form: sf.CaseForm, target: Any) -> int | None:
    """Validate ``form`` and run ``spec``; ``None`` on success (message queued), else the HTTP status to
    re-render the form with (its errors attached)."""
    if not form.is_valid():
        return 400
    version = form.cleaned_data["version"]
    try:
        with transaction.atomic():
            # the version the user saw, checked under the row lock for every step (the writers that take
            # ``expected_version`` check it again)
            engine.lock_case(Suggestion, suggestion.pk, expected_version=version)
            message = spec.run(request.user, suggestion, getattr(target, "pk", None), form, version)
    except NotFoundError:
        raise Http404() from None
    except DomainError as exc:
        _attach_error(form, exc, spec.aliases)
        return exc.status
    messages.success(request, message)
    return None


@login_required
@post_or_back_to("suggestion-detail")
def suggestion_step(request: HttpRequest, pk: int, step: str, target: int | None = None) -> HttpResponse:
    """Take one step (see :data:`STEPS`) on suggestion ``pk``; ``target`` is what it is about."""
    spec = STEPS.get(step)
    if spec is None or step == "edit" or (spec.target is None) != (target is None):
        raise Http404()
    suggestion = _suggestion_or_404(request.user, pk)
    obj = _target(spec, suggestion, target)
    key = step if target is None else f"{step}-{target}"
    form = _make_form(spec, key, suggestion, request.user, obj, request)
    status = _take_step(request, suggestion, spec, form, obj)
    if status is None:
        return redirect("suggestion-detail", pk=suggestion.pk)
    suggestion = _suggestion_or_404(request.user, pk)
    if step in PREVIEW_STEPS:
        return _preview(request, suggestion, obj, (key, form), status)
    return render(request, "suggestions/detail.html", _detail_context(request, suggestion, (key, form)),
                  status=status)


# ---------------------------------------------------------------------------------------------- forms pages


@login_required
def suggestion_new(request: HttpRequest) -> HttpResponse:
    """A new suggestion (草稿); then its page offers inviting seconders and submitting."""
    council_id = _council_id(request.user)
    if people.member_id_of(request.user) is None and not (council_id and is_council_staff(request.user, council_id)):
        raise Http404()
    form = sf.NewSuggestionForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = act.create_suggestion(
                    request.user, session=data["session"], title=data["title"], content=data["content"],
                    category=data["category"], delegation=data.get("delegation"),
                    leading_deputy=data.get("leading_deputy"), seconders=list(data.get("seconders") or []))
            except DomainError as exc:
                _attach_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("草稿已保存。确认内容后请提交。"))
                return redirect("suggestion-detail", pk=suggestion.pk)
    return render(request, "suggestions/form.html", {"form": form, "heading": _("提出建议")}, status=status)


@login_required
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned suggestion (its leading deputy, or the staff who entered it)."""
    suggestion = _suggestion_or_404(request.user, pk)
    spec = STEPS["edit"]
    status: int | None = 200
    if request.method == "POST":
        form = _make_form(spec, "edit", suggestion, request.user, None, request)
        status = _take_step(request, suggestion, spec, form, None)
        if status is None:
            return redirect("suggestion-detail", pk=suggestion.pk)
    elif StepRef("edit") not in steps_for(request.user, suggestion):
        raise Http404()
    else:
        form = _make_form(spec, "edit", suggestion, request.user, None)
    return render(request, "suggestions/form.html", {"form": form, "heading": _("修改建议"), "suggestion": suggestion},
                  status=status)


def _preview(request: HttpRequest, suggestion: Suggestion, reply: Reply,
             bound: tuple[str, sf.CaseForm] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    offered = StepRef("signoff", reply.pk) in steps_for(user, suggestion)
    step_forms = []
    if offered or bound:
        for name in PREVIEW_STEPS:
            key = f"{name}-{reply.pk}"
            form = bound[1] if bound and bound[0] == key else _make_form(STEPS[name], key, suggestion, user, reply)
            step_forms.append({"step": STEPS[name], "form": form, "url": _step_url(suggestion, name, reply.pk),
                               "open": True, "stale": not offered})
    files = list(Attachment.objects.filter(target_type=ContentType.objects.get_for_model(Reply), target_id=reply.pk))
    return render(request, "suggestions/preview.html", {
        "suggestion": suggestion, "reply": reply, "letter": reply_letter(reply), "files": files,
        "step_forms": step_forms}, status=status)


def _reply_or_404(user: Any, pk: Any, reply_pk: Any) -> tuple[Suggestion, Reply]:
    try:
        return access_suggestion_reply(user, pk, reply_pk)
    except NotFoundError:
        raise Http404() from None


@login_required
def reply_preview(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    """The reply letter as it will be sent (addressees, grade, text, contact, co-handling opinions, talks),
    for the unit's accounts and the staff; the unit leader signs it off or returns it here. Once signed, for
    whoever sees the suggestion (:func:`lvzhi.suggestions.access.access_suggestion_reply`)."""
    suggestion, reply = _reply_or_404(request.user, pk, reply_pk)
    return _preview(request, suggestion, reply)


def _letter_name(suggestion: Suggestion, reply: Reply, ext: str) -> str:
    return f"答复函-{suggestion.number or suggestion.pk}-{reply.assignment.unit.name}.{ext}"


@login_required
def reply_letter_docx(request: HttpRequest, pk: int, reply_pk: int) -> FileResponse:
    """The reply letter (代表建议答复函) as a Word document after GB/T 9704
    (:func:`lvzhi.reports.documents.suggestion_reply_letter`), for whoever may see the reply."""
    suggestion, reply = _reply_or_404(request.user, pk, reply_pk)
    return FileResponse(io.BytesIO(documents.suggestion_reply_letter(reply)), as_attachment=True,
                        filename=_letter_name(suggestion, reply, "docx"), content_type=documents.DOCX_CONTENT_TYPE)


@login_required
def reply_letter_pdf(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponseBase:
    """The reply letter as PDF (LibreOffice, :func:`lvzhi.core.pdf.pdf_download`); same access as the Word
    file; without LibreOffice a page saying so with the Word link."""
    suggestion, reply = _reply_or_404(request.user, pk, reply_pk)
    return pdf_download(request, lambda: documents.suggestion_reply_letter(reply),
                        _letter_name(suggestion, reply, "pdf"),
                        reverse("suggestion-reply-docx", args=[suggestion.pk, reply.pk]))


@login_required
def reply_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download a reply's attachment: a signed reply for whoever sees the suggestion, an unsigned one for
    its unit's accounts and the staff only. Anything else answers 404."""
    attachment = Attachment.objects.filter(pk=pk, target_type=ContentType.objects.get_for_model(Reply)).first()
    reply = Reply.objects.filter(pk=attachment.target_id).select_related("assignment").first() if attachment else None
    if attachment is None or reply is None or reply.assignment.case_type != CASE_TYPE:
        raise Http404()
    _reply_or_404(request.user, reply.assignment.object_id, reply.pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)

