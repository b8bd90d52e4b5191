"""Pages of the year's consultation plan (协商计划) and its topics (thin: parse, access, act, render)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.cases.choices import InstructionStatus
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.duties import actions as act
from lvzhi.duties.access import acting_council_id, may_manage, may_oversee
from lvzhi.duties.choices import ConsultationForm
from lvzhi.duties.models import ConsultationPlan, ConsultationTopic, InstructionTask, Meeting
from lvzhi.members.choices import OrganisationKind
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation
from lvzhi.opinions.choices import InstructionLevel


def _council(request: HttpRequest) -> Council:
    council_id = acting_council_id(request.user)
    if council_id is None or not may_oversee(request.user, council_id):
        raise Http404(_("未找到该页面，或您无权查看。"))
    return Council.objects.get(pk=council_id)


def _plan(request: HttpRequest, pk: int) -> ConsultationPlan:
    council = _council(request)
    plan = ConsultationPlan.objects.filter(pk=pk, council=council).first()
    if plan is None:
        raise Http404(_("未找到该页面，或您无权查看。"))
    return plan


class PlanForm(forms.Form):
    year = forms.IntegerField(label=L_("年度"), min_value=1949, max_value=2200)
    title = forms.CharField(label=L_("名称"), max_length=200)


class TopicForm(forms.Form):
    title = forms.CharField(label=L_("议题"), max_length=200)
    form = forms.ChoiceField(label=L_("协商形式"), choices=ConsultationForm.choices)
    month = forms.IntegerField(label=L_("计划月份"), min_value=1, max_value=12)
    lead_committee = forms.ModelChoiceField(label=L_("牵头专委会"), queryset=Organisation.objects.none(),
                                            required=False)
    lead = forms.ModelChoiceField(label=L_("牵头委员"), queryset=Member.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(label=L_("参加委员"), queryset=Member.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, council: Council, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            council=council, kind=OrganisationKind.SPECIAL_COMMITTEE)
        members = Member.objects.filter(council=council, active=True)
        self.fields["lead"].queryset = members  # type: ignore[attr-defined]
        self.fields["members"].queryset = members  # type: ignore[attr-defined]

    def participants(self) -> list[tuple[Member, str]]:
        d = self.cleaned_data
        out = [(m, "member") for m in d["members"] if not d["lead"] or m.pk != d["lead"].pk]
        return ([(d["lead"], "lead")] if d["lead"] else []) + out


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    staff = may_manage(request.user, council.pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and staff and form.is_valid():
        try:
            plan = act.create_plan(request.user, council, year=form.cleaned_data["year"],
                                   title=form.cleaned_data["title"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("duties-plan", plan.pk)
    return render(request, "duties/plans.html", {
        "council": council, "staff": staff, "form": form,
        "plans": ConsultationPlan.objects.filter(council=council)}, status=400 if form.errors else 200)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    staff = may_manage(request.user, plan.council_id)
    form = TopicForm(plan.council, request.POST or None)
    if request.method == "POST" and staff and form.is_valid():
        d = form.cleaned_data
        try:
            act.add_topic(request.user, plan.pk, title=d["title"], form=d["form"], month=d["month"],
                          lead_committee=d["lead_committee"], participants=form.participants())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("议题已加入协商计划。"))
            return redirect("duties-plan", plan.pk)
    topics = plan.topics.select_related("lead_committee", "meeting").prefetch_related(
        "participants__member", "instructions__tasks__unit")
    return render(request, "duties/plan.html", {
        "plan": plan, "staff": staff, "form": form, "topics": topics, "levels": InstructionLevel.choices,
        "units": HandlingUnit.objects.filter(council=plan.council, active=True),
        "may_instruct": may_oversee(request.user, plan.council_id),
        "meetings": Meeting.objects.filter(council=plan.council, start__year=plan.year).order_by("start"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        day = forms.DateField().clean(request.POST.get("approved_on"))
        act.approve_plan(request.user, plan.pk, approved_by=request.POST.get("approved_by", ""), approved_on=day)
    except forms.ValidationError:
        messages.error(request, _("请填写批准日期。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记计划批准。"))
    return redirect("duties-plan", plan.pk)


@login_required
@require_POST
def topic_update(request: HttpRequest, pk: int, topic: int) -> HttpResponse:
    plan = _plan(request, pk)
    t = ConsultationTopic.objects.filter(pk=topic, plan=plan).first()
    if t is None:
        raise Http404()
    try:
        if request.POST.get("meeting"):
            meeting = Meeting.objects.filter(pk=int(request.POST["meeting"]), council=plan.council).first()
            if meeting is None:
                raise DomainError("请选择本机构的会议。", field="meeting")
            act.hold_topic(request.user, t.pk, meeting)
        else:
            sent = forms.DateField(required=False).clean(request.POST.get("sent_on"))
            act.record_outcome(request.user, t.pk, outcome=request.POST.get("outcome", ""), sent_on=sent)
    except (ValueError, forms.ValidationError):
        messages.error(request, _("输入无效。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("议题已更新。"))
    return redirect("duties-plan", plan.pk)


@login_required
@require_POST
def topic_instruct(request: HttpRequest, pk: int, topic: int) -> HttpResponse:
    plan = _plan(request, pk)
    t = ConsultationTopic.objects.filter(pk=topic, plan=plan).first()
    if t is None:
        raise Http404()
    try:
        day = forms.DateField().clean(request.POST.get("date"))
        deadline = forms.DateField().clean(request.POST.get("deadline"))
        units = list(HandlingUnit.objects.filter(council=plan.council, pk__in=[
            int(x) for x in request.POST.getlist("units") if x.isdigit()]))
        act.instruct_outcome(request.user, t.pk, leader_name=request.POST.get("leader_name", ""),
                             level=request.POST.get("level", ""), day=day, text=request.POST.get("text", ""),
                             units=units, deadline=deadline)
    except forms.ValidationError:
        messages.error(request, _("请填写批示日期和落实期限。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("批示已登记，已通知落实单位。"))
    return redirect("duties-plan", plan.pk)


@login_required
def instructions(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: every instruction task of their council; a unit: its own tasks, with the form to
    report delivery."""
    from lvzhi.cases import people

    council_id = acting_council_id(request.user)
    units = people.unit_roles(request.user)
    tasks = InstructionTask.objects.select_related("instruction__topic__plan", "unit").order_by(
        "status", "instruction__deadline", "id")
    if units:
        tasks = tasks.filter(unit_id__in=list(units))
    elif council_id is not None and may_oversee(request.user, council_id):
        tasks = tasks.filter(instruction__topic__plan__council_id=council_id)
    else:
        raise Http404(_("未找到该页面，或您无权查看。"))
    if request.method == "POST":
        try:
            act.report_delivery(request.user, int(request.POST.get("task") or 0),
                                status=request.POST.get("status", ""), note=request.POST.get("note", ""))
        except (ValueError, NotFoundError):
            raise Http404() from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("落实情况已报送。"))
        return redirect("duties-instructions")
    today = timezone.localdate()
    return render(request, "duties/instructions.html", {
        "tasks": tasks[:500], "today": today, "unit_user": bool(units), "statuses": InstructionStatus.choices[1:]})
