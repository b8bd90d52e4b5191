"""Pages of the livelihood-project vote (民生实事票决), thin: parse, access, act, render.

- ``/livelihood/``: the votes the user may see (a deputy: open ones first, with a link to vote).
- ``/livelihood/votes/<pk>/``: for a deputy, the ballot (phone first: one radio group per candidate) or,
  after voting, the receipt check; for the presiding officer's side, open/close/publish, the live turnout
  (polled from ``…/turnout/``), paper ballots and the tally import; the result once it may be shown.
- ``POST …/ballot/``: cast; the answer shows the receipt code once (it is not kept in the session).
- ``POST …/do/<step>/``: the officer's and staff's acts (open, close, publish, issue, import, revote).
A refusal (:class:`DomainError`) shows its Chinese message; missing or invisible votes answer 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.access import (
    access_evaluation,
    access_supervision,
    access_vote,
    may_see_result,
    visible_evaluations,
    visible_findings,
    visible_micro_projects,
    visible_projects,
    visible_supervisions,
    visible_votes,
)
from lvzhi.livelihood.counting import ABSTAIN, DISSATISFIED, FAIRLY_SATISFIED, NO, SATISFIED, YES, Result
from lvzhi.livelihood.models import (
    Candidate,
    CollectionWindow,
    DeliveryProject,
    EvaluationRoll,
    FindingStatus,
    MicroBatch,
    MicroProject,
    ProgressPhoto,
    ProjectSuggestion,
    Screening,
    SupervisionKind,
    Vote,
    VoteRoll,
)
from lvzhi.livelihood.photos import MAX_PHOTOS, max_bytes
from lvzhi.livelihood.queries import council_figures, year_figures
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.models import Council, HandlingUnit, Member
from lvzhi.opinions import ratelimit

#: The marks of the ballot: the stored value (the words printed on a paper ballot) and the label shown.
MARK_CHOICES = [(YES, L_("赞成")), (NO, L_("反对")), (ABSTAIN, L_("弃权"))]
RESULT_TEXT = {Result.ELECTED: L_("当选"), Result.NOT_ELECTED: L_("未当选"), Result.TIE: L_("票数相等，需再次投票")}


def _vote_or_404(user: Any, pk: Any) -> Vote:
    try:
        return access_vote(user, pk)
    except NotFoundError:
        raise Http404(_("未找到该表决，或您无权查看。")) from None


@login_required
def vote_list(request: HttpRequest) -> HttpResponse:
    votes = list(visible_votes(request.user).order_by("-created_at", "-id"))
    for v in votes:
        v.open_now = v.is_open()  # type: ignore[attr-defined]
        v.voted = act.has_voted(request.user, v)  # type: ignore[attr-defined]
    profile = profile_of(request.user)
    council_id = profile.council_id if profile else None
    windows = CollectionWindow.objects.filter(council_id=council_id or 0).order_by("-year") if council_id and (
        act.is_officer(request.user, council_id) or act.deputy_of(request.user, council_id)) else []
    return render(request, "livelihood/list.html", {
        "votes": votes, "windows": windows, "evaluations": visible_evaluations(request.user),
        "officer": bool(council_id) and act.is_officer(request.user, council_id or 0),
        "staff": bool(council_id) and is_council_staff(request.user, council_id or 0)})


def _context(request: HttpRequest, vote: Vote, **extra: Any) -> dict[str, Any]:
    user = request.user
    candidates = list(vote.candidates.select_related("unit").order_by("code"))
    officer = act.is_officer(user, vote.council_id)
    deputy = act.deputy_of(user, vote.council_id)
    show_result = may_see_result(user, vote)
    if show_result:
        for c in candidates:
            c.outcome_label = RESULT_TEXT.get(Result(c.outcome), "") if c.outcome else ""  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "vote": vote, "candidates": candidates, "officer": officer, "staff": is_council_staff(user, vote.council_id),
        "deputy": deputy, "voted": act.has_voted(user, vote), "open_now": vote.is_open(),
        "closed": vote.is_closed(), "marks": MARK_CHOICES, "show_result": show_result, "result": vote.result,
        "turnout": VoteRoll.objects.filter(vote=vote).count() if officer else None,
        "chosen": {}, "tied": [c for c in candidates if c.outcome == Result.TIE],
    }
    if officer and context["staff"] and not vote.published_at:
        on_roll = VoteRoll.objects.filter(vote=vote).values("member_id")
        context["paper_candidates"] = Member.objects.filter(council_id=vote.council_id, active=True).exclude(
            pk__in=on_roll).order_by("name")
    context.update(extra)
    return context


@login_required
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote_or_404(request.user, pk)
    return render(request, "livelihood/vote.html", _context(request, vote))


@login_required
def vote_turnout(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"voted": int, "electorate": int, "open": bool, "closed": bool}`` for the presiding officer's side
    (404 for anyone else): the number of deputies on the roll (online voters + paper ballots issued)."""
    vote = _vote_or_404(request.user, pk)
    if not act.is_officer(request.user, vote.council_id):
        raise Http404(_("未找到该表决，或您无权查看。"))
    return JsonResponse({"voted": VoteRoll.objects.filter(vote=vote).count(), "electorate": vote.electorate,
                         "open": vote.is_open(), "closed": vote.is_closed()})


@login_required
@require_POST
def cast(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote_or_404(request.user, pk)
    codes = list(vote.candidates.values_list("code", flat=True))
    marks = {code: request.POST.get(f"mark-{code}", "") for code in codes}
    try:
        receipt = act.cast_ballot(request.user, vote, marks)
    except DomainError as error:
        status = error.status if error.status in (403, 409) else 400
        return render(request, "livelihood/vote.html",
                      _context(request, vote, error=error.message, chosen=marks), status=status)
    return render(request, "livelihood/receipt.html", {"vote": vote, "receipt": receipt})


@login_required
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    vote = _vote_or_404(request.user, pk)
    receipt = request.GET.get("receipt", "").strip()
    found = act.verify_receipt(vote, receipt) if receipt else None
    return render(request, "livelihood/vote.html", _context(request, vote, receipt=receipt, found=found))


@login_required
@require_POST
def vote_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    vote = _vote_or_404(request.user, pk)
    user = request.user
    try:
        if step == "open":
            act.open_vote(user, vote)
            messages.success(request, _("表决已开始。"))
        elif step == "close":
            act.close_vote(user, vote)
            messages.success(request, _("表决已结束，已完成计票。"))
        elif step == "publish":
            act.publish_result(user, vote)
            messages.success(request, _("表决结果已公布。"))
        elif step == "issue":
            ids = request.POST.getlist("members")
            members = list(Member.objects.filter(council_id=vote.council_id, pk__in=[i for i in ids if i.isdigit()]))
            if not members:
                raise DomainError(_("请选择领取纸质选票的代表。"), field="members")
            n = act.issue_paper_ballots(user, vote, members)
            messages.success(request, _("已登记发出纸质选票 %(n)d 张。") % {"n": n})
        elif step == "import":
            upload = request.FILES.get("file")
            if upload is None:
                raise DomainError(_("请选择计票表文件（xlsx）。"), field="file")
            record = act.import_tally(user, vote, upload, filename=upload.name or "")
            messages.success(request, _("已导入纸质选票 %(n)d 张并重新计票。") % {"n": record.ballots})
        elif step == "approve":
            meeting_on = parse_date(request.POST.get("meeting_on", "") or "")
            if meeting_on is None:
                raise DomainError(_("请填写通过候选名单的常委会会议日期（YYYY-MM-DD）。"), field="meeting_on")
            act.approve_list(user, vote, meeting_on=meeting_on)
            messages.success(request, _("候选名单已通过，表决可以开始。"))
        elif step == "revote":
            revote = act.start_revote(user, vote)
            messages.success(request, _("已就票数相等的项目发起再次投票。"))
            return redirect("livelihood-vote", pk=revote.pk)
        else:
            raise Http404()
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("livelihood-vote", pk=vote.pk)


# --- collection, screening, evaluation, figures -----------------------------------------------------------

class ProjectForm(forms.Form):
    """A project suggestion (the fields of issue 7 §1); the writer checks them again."""

    title = forms.CharField(label=L_("项目名称"), max_length=200)
    content = forms.CharField(label=L_("项目内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    place = forms.CharField(label=L_("实施地点"), max_length=200, required=False)
    investment = forms.DecimalField(label=L_("估算投资（万元）"), min_value=0, max_digits=12, decimal_places=2,
                                    required=False)
    beneficiaries = forms.CharField(label=L_("受益群体"), max_length=200, required=False)
    proposed_unit = forms.ModelChoiceField(label=L_("建议责任单位"), queryset=HandlingUnit.objects.none(),
                                           required=False)

    def __init__(self, *args: Any, council_id: int, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposed_unit"].queryset = HandlingUnit.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id).order_by("name")
        if public:
            self.fields["proposer_name"] = forms.CharField(label=L_("您的姓名"), max_length=100)
            self.fields["proposer_contact"] = forms.CharField(label=L_("联系方式"), max_length=100)


def _window_or_404(user: Any, pk: Any) -> CollectionWindow:
    window = CollectionWindow.objects.filter(pk=pk).first()
    if window is None or not (act.is_officer(user, window.council_id) or act.deputy_of(user, window.council_id)):
        raise Http404(_("未找到该征集，或您无权查看。"))
    return window


def _submit(request: HttpRequest, window: CollectionWindow, form: ProjectForm) -> ProjectSuggestion | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    actor = request.user if request.user.is_authenticated else None
    try:
        return act.submit_project(actor, window, title=data["title"], content=data["content"], place=data["place"],
                                  investment=data["investment"], beneficiaries=data["beneficiaries"],
                                  proposed_unit=data["proposed_unit"],
                                  proposer_name=data.get("proposer_name", ""),
                                  proposer_contact=data.get("proposer_contact", ""))
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@login_required
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    """The collection page: deputies and staff propose; staff see every item and screen it."""
    window = _window_or_404(request.user, pk)
    form = ProjectForm(request.POST or None, council_id=window.council_id)
    if request.method == "POST" and _submit(request, window, form) is not None:
        messages.success(request, _("项目建议已提交。"))
        return redirect("livelihood-collection", pk=window.pk)
    staff = is_council_staff(request.user, window.council_id)
    items = ProjectSuggestion.objects.filter(window=window).select_related("member", "proposed_unit", "merged_into",
                                                                              "similar_to")
    if not staff:
        deputy = act.deputy_of(request.user, window.council_id)
        items = items.filter(member=deputy) if deputy else items.none()
    pool = ProjectSuggestion.objects.filter(council_id=window.council_id, screening=Screening.POOL,
                                            window__year__lt=window.year, carried_to__isnull=True) if staff else []
    return render(request, "livelihood/collection.html", {
        "window": window, "form": form, "items": items.order_by("id"), "staff": staff, "pool": pool,
        "outcomes": [c for c in Screening.choices if c[0] != Screening.PENDING], "open": window.is_open(),
        "pending": Screening.PENDING, "merged": Screening.MERGED})


@login_required
@require_POST
def carry(request: HttpRequest, pk: int, project: int) -> HttpResponse:
    """Take a pool item of an earlier year into this collection (staff)."""
    window = _window_or_404(request.user, pk)
    item = ProjectSuggestion.objects.filter(council_id=window.council_id, pk=project).first()
    if item is None:
        raise Http404()
    try:
        act.carry_over(request.user, item, window)
        messages.success(request, _("已从项目库转入。"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("livelihood-collection", pk=window.pk)


@login_required
@require_POST
def screen(request: HttpRequest, pk: int, project: int) -> HttpResponse:
    window = _window_or_404(request.user, pk)
    item = ProjectSuggestion.objects.filter(window=window, pk=project).first()
    if item is None:
        raise Http404()
    merged = ProjectSuggestion.objects.filter(window=window, pk=request.POST.get("merged_into") or 0).first()
    try:
        act.screen_project(request.user, item, outcome=request.POST.get("outcome", ""),
                           reason=request.POST.get("reason", ""), merged_into=merged)
        messages.success(request, _("审查结果已记录。"))
    except DomainError as error:
        messages.error(request, f"{item.title}：{error.message}")
    return redirect("livelihood-collection", pk=window.pk)


def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The public's page (no login): propose a project while the collection is open."""
    window = CollectionWindow.objects.filter(pk=pk).first()
    if window is None:
        raise Http404()
    form = ProjectForm(request.POST or None, council_id=window.council_id, public=True)
    if request.method == "POST" and not ratelimit.allow(request, scope="livelihood"):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。您已提交的建议均已保存。"))
        return render(request, "livelihood/propose.html", {"window": window, "form": form, "done": False,
                                                           "open": window.is_open()}, status=429)
    done = request.method == "POST" and _submit(request, window, form) is not None
    return render(request, "livelihood/propose.html", {"window": window, "form": form, "done": done,
                                                       "open": window.is_open()})


RATING_CHOICES = [(SATISFIED, L_("满意")), (FAIRLY_SATISFIED, L_("基本满意")), (DISSATISFIED, L_("不满意"))]


@login_required
def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The year-end satisfaction evaluation: a deputy's secret form; the officer opens, closes, reads."""
    try:
        evaluation = access_evaluation(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该测评，或您无权查看。")) from None
    user = request.user
    officer = act.is_officer(user, evaluation.council_id)
    deputy = act.deputy_of(user, evaluation.council_id)
    receipt = ""
    error = ""
    if request.method == "POST":
        try:
            step = request.POST.get("step", "")
            if step == "open":
                act.open_evaluation(user, evaluation)
            elif step == "close":
                act.close_evaluation(user, evaluation)
            else:
                ratings = {str(p.pk): request.POST.get(f"rating-{p.pk}", "") for p in evaluation.projects.all()}
                receipt = act.submit_evaluation(user, evaluation, ratings)
        except DomainError as e:
            error = e.message
        evaluation.refresh_from_db()
    voted = deputy is not None and EvaluationRoll.objects.filter(evaluation=evaluation, member=deputy).exists()
    return render(request, "livelihood/evaluation.html", {
        "evaluation": evaluation, "projects": evaluation.projects.order_by("vote_id", "code"), "officer": officer,
        "deputy": deputy, "voted": voted, "receipt": receipt, "error": error, "ratings": RATING_CHOICES,
        "returned": EvaluationRoll.objects.filter(evaluation=evaluation).count() if officer else None,
        "result": list((evaluation.result or {}).values())})


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """数读: the livelihood figures of the user's council by year (staff, leaders)."""
    profile = profile_of(request.user)
    council_id = profile.council_id if profile else None
    if council_id is None or not act.is_officer(request.user, council_id):
        raise Http404()
    return render(request, "livelihood/figures.html", {"years": council_figures(council_id)})


# --- delivery ----------------------------------------------------------------------------------------------

@login_required
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A delivery project: state, units, milestones, monthly progress; the responsible units and staff add
    milestones, mark them reached and report progress. The completion report is the core's reply."""
    project = visible_projects(request.user).filter(pk=pk).select_related("state", "candidate").first()
    if project is None:
        raise Http404(_("未找到该项目，或您无权查看。"))
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "milestone":
                due = parse_date(request.POST.get("due", "") or "")
                if due is None:
                    raise DomainError(_("请填写计划完成日期（YYYY-MM-DD）。"), field="due")
                act.add_milestone(user, project, title=request.POST.get("title", ""), due=due)
            elif step == "done":
                milestone = project.milestones.filter(pk=request.POST.get("milestone") or 0).first()
                if milestone is None:
                    raise DomainError(_("请选择节点。"), field="milestone")
                act.complete_milestone(user, milestone)
            elif _completion_step(request, project, step):
                pass
            elif step == "progress":
                month = parse_date((request.POST.get("month", "") or "") + "-01")
                raw = request.POST.get("percent", "")
                if month is None or not raw.strip().isdigit():
                    raise DomainError(_("请填写月份（YYYY-MM）和 0 到 100 之间的完成进度。"), field="percent")
                photos = [(f.name or "", f.read(max_bytes() + 1)) for f in request.FILES.getlist("photos")]
                act.report_progress(user, project, month=month, percent=int(raw), text=request.POST.get("text", ""),
                                    problems=request.POST.get("problems", ""), photos=photos)
            messages.success(request, _("已保存。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("livelihood-project", pk=project.pk)
    roles = project.roles_of(user)
    return render(request, "livelihood/project.html", {
        "project": project, "milestones": project.milestones.all(), "reports": project.progress.order_by("-month"),
        "units": project.assignments.select_related("unit").order_by("id"),
        "may_edit": bool(roles & {"staff", "unit_clerk", "unit_leader"}) and not project.state.is_terminal,
        "may_report": bool(roles & {"staff", "unit_clerk", "unit_leader"}) and project.state.units_may_reply,
        "percent": project.percent_done(), "today": timezone.localdate(), "max_photos": MAX_PHOTOS,
        "photo_mb": max_bytes() // (1024 * 1024), **_completion(project, user)})


def progress_page(request: HttpRequest, council: int, year: int) -> HttpResponse:
    """The public progress page of a council's livelihood projects of ``year`` (no login): per project its
    state, percent done, milestones reached, and the year-end satisfaction once evaluated."""
    projects = list(DeliveryProject.objects.filter(council_id=council, year=year).select_related("state")
                    .order_by("number"))
    if not projects:
        raise Http404()
    for p in projects:
        p.percent = p.percent_done()  # type: ignore[attr-defined]
        p.reached = p.milestones.filter(done_on__isnull=False).count()  # type: ignore[attr-defined]
        p.planned = p.milestones.count()  # type: ignore[attr-defined]
    figures = year_figures(council, year)
    return render(request, "livelihood/progress.html", {"projects": projects, "year": year,
                                                        "satisfaction": figures.satisfaction})


@login_required
@require_POST
def start_delivery(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    vote = _vote_or_404(request.user, pk)
    candidate = vote.candidates.filter(code=code).first()
    if candidate is None:
        raise Http404()
    try:
        project = act.start_delivery(request.user, candidate)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("livelihood-vote", pk=vote.pk)
    messages.success(request, _("已交付实施，编号 %(n)s。") % {"n": project.number})
    return redirect("livelihood-project", pk=project.pk)


# --- completion report and rating on the core (delivery and micro projects) ---------------------------------

def _completion(case: Any, user: Any) -> dict[str, Any]:
    """What the page offers around the core's reply: the unit's clerk writes the completion report (the
    reply of its lead or sole assignment), the unit's leader signs it off; in a state where the proposer
    rates, the proposing deputy returns the one-question opinion form."""
    from lvzhi.cases import people
    from lvzhi.cases.choices import AssignmentStatus, ReplyStatus
    from lvzhi.cases.models import Reply

    units = people.unit_roles(user)
    mine = case.assignments.filter(unit_id__in=list(units)).exclude(
        status=AssignmentStatus.WITHDRAWN).exclude(role="co").first() if units else None
    replies = Reply.objects.filter(assignment__in=case.assignments.all()).select_related("assignment__unit")
    pending = replies.filter(status=ReplyStatus.PENDING_SIGNOFF, assignment=mine).first() if mine else None
    signed = replies.filter(status=ReplyStatus.SIGNED).order_by("-signed_at").first()
    return {
        "replies": replies.filter(status=ReplyStatus.SIGNED),
        "may_report": mine is not None and units.get(mine.unit_id) == "unit_clerk" and case.state.units_may_reply,
        "assignment": mine,
        "pending": pending if pending is not None and mine is not None and units.get(mine.unit_id) == "unit_leader"
        else None,
        "may_rate": signed is not None and case.state.proposer_may_rate and "deputy" in case.roles_of(user),
        "rate_reply": signed, "levels": RATING_LEVELS,
    }


RATING_LEVELS = [("satisfied", L_("满意")), ("basically", L_("基本满意")), ("unsatisfied", L_("不满意"))]


def _completion_step(request: HttpRequest, case: Any, step: str) -> bool:
    """Handle the completion steps (``report``, ``signoff``, ``rate``); ``False`` for another step."""
    from lvzhi.cases import actions as cases
    from lvzhi.cases.policy import grades_for

    user = request.user
    context = _completion(case, user)
    if step == "report":
        if not context["may_report"]:
            raise DomainError(_("您不能报送完成情况。"))
        grades = grades_for(case.council_id, registry_key(case))
        cases.draft_reply(user, context["assignment"].pk, grade=grades[0].code if grades else "A",
                          text=request.POST.get("text", ""))
    elif step == "signoff":
        if context["pending"] is None:
            raise DomainError(_("没有待签发的完成情况报告。"))
        cases.sign_off_reply(user, context["pending"].pk)
    elif step == "rate":
        if context["rate_reply"] is None:
            raise DomainError(_("当前不能评价。"))
        cases.evaluate(user, context["rate_reply"].pk, scores={"result": request.POST.get("result", "")})
    else:
        return False
    return True


def registry_key(case: Any) -> str:
    from lvzhi.cases import registry

    return registry.for_model(case).key


@login_required
def micro_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A micro project: staff approve, decline or assign it; the unit reports progress and completion; the
    proposing deputy rates it."""
    from lvzhi.cases import actions as cases

    project = visible_micro_projects(request.user).filter(pk=pk).select_related("state", "batch", "member").first()
    if project is None:
        raise Http404(_("未找到该项目，或您无权查看。"))
    user = request.user
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "approve":
                act.approve_micro(user, project)
            elif step == "decline":
                act.decline_micro(user, project, reason=request.POST.get("reason", ""))
            elif step == "assign":
                unit = HandlingUnit.objects.filter(council_id=project.council_id, pk=request.POST.get("unit") or 0).first()
                if unit is None:
                    raise DomainError(_("请选择责任单位。"), field="unit")
                cases.assign(user, MicroProject, project.pk, [(unit, "sole")])
            elif step == "progress":
                raw = request.POST.get("percent", "")
                if not raw.strip().isdigit():
                    raise DomainError(_("完成进度须为 0 到 100 之间的整数。"), field="percent")
                act.report_micro_progress(user, project, percent=int(raw))
            elif not _completion_step(request, project, step):
                raise Http404()
            messages.success(request, _("已保存。"))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("livelihood-micro", pk=project.pk)
    roles = project.roles_of(user)
    return render(request, "livelihood/micro.html", {
        "project": project, "staff": "staff" in roles, "units": HandlingUnit.objects.filter(
            council_id=project.council_id).order_by("name"),
        "may_progress": bool(roles & {"staff", "unit_clerk", "unit_leader"}) and project.state.units_may_reply,
        "assigned": project.assignments.select_related("unit"), **_completion(project, user)})


@login_required
def micro_list(request: HttpRequest) -> HttpResponse:
    """The micro projects the user may see, by batch."""
    projects = visible_micro_projects(request.user).select_related("batch", "state").order_by(
        "-batch__year", "batch__number", "number", "id")
    profile = profile_of(request.user)
    council_id = profile.council_id if profile else None
    may_propose = bool(council_id) and bool(act.deputy_of(request.user, council_id or 0) or is_council_staff(
        request.user, council_id or 0)) and open_batches(council_id or 0).exists()
    return render(request, "livelihood/micro_list.html", {"projects": projects, "may_propose": may_propose})


@login_required
def materials(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote's materials pack (Word) for deputies before the session."""
    from urllib.parse import quote

    from lvzhi.livelihood.documents import materials_docx

    vote = _vote_or_404(request.user, pk)
    response = HttpResponse(materials_docx(vote), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(vote.title + '（票决材料）.docx')}"
    return response


# --- setting up a vote and an evaluation (staff) -----------------------------------------------------------

def _staff_council(user: Any) -> Council:
    """The council whose staff ``user`` is (404 for anyone else)."""
    profile = profile_of(user)
    council = profile.council if profile else None
    if council is None or not is_council_staff(user, council.pk):
        raise Http404()
    return council


def deputies_count(council_id: int) -> int:
    """The default electorate: the council's active deputies."""
    return Member.objects.filter(council_id=council_id, active=True).count()


class VoteForm(forms.Form):
    """A vote on a candidate list (issue 7 §2); the writer (:func:`actions.create_vote`) checks it again."""

    window = forms.ModelChoiceField(label=L_("项目征集（年度）"), queryset=CollectionWindow.objects.none())
    title = forms.CharField(label=L_("表决名称"), max_length=200, required=False)  # the writer names it
    places = forms.IntegerField(label=L_("应选项目数"))
    electorate = forms.IntegerField(label=L_("全体代表人数"), help_text=L_("默认为本机构现有代表人数。"))
    candidates = forms.ModelMultipleChoiceField(
        label=L_("候选项目（经审查列入候选的项目建议，须多于应选项目数）"), queryset=ProjectSuggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False)
    opens_at = forms.DateTimeField(label=L_("预定开始时间"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=L_("预定结束时间"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = CollectionWindow.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id).order_by("-year")
        self.fields["candidates"].queryset = ProjectSuggestion.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id, screening=Screening.ACCEPTED).select_related("window").order_by("-window__year", "id")
        self.fields["candidates"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"#{p.pk} {p.title}（{p.window.year}）")


@login_required
def vote_new(request: HttpRequest) -> HttpResponse:
    """Staff set up a vote: the collection, title, places, electorate, candidates, schedule."""
    council = _staff_council(request.user)
    form = VoteForm(request.POST or None, council_id=council.pk, initial={
        "electorate": deputies_count(council.pk), "title": _("%(year)d年民生实事项目票决") % {
            "year": timezone.localdate().year}})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vote = act.create_vote(
                request.user, council, title=data["title"], places=data["places"], electorate=data["electorate"],
                candidates=[act.CandidateInput(suggestion=p) for p in sorted(data["candidates"], key=lambda p: p.pk)],
                window=data["window"], opens_at=data["opens_at"], closes_at=data["closes_at"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("表决已创建，候选名单经常委会会议通过后即可开始。"))
            return redirect("livelihood-vote", pk=vote.pk)
    return render(request, "livelihood/vote_new.html", {"form": form}, status=400 if form.errors else 200)


class EvaluationForm(forms.Form):
    """The year-end satisfaction evaluation (满意度测评) of a year's elected projects."""

    year = forms.IntegerField(label=L_("年度"))
    title = forms.CharField(label=L_("测评名称"), max_length=200, required=False,
                            help_text=L_("不填则为“某年度民生实事项目满意度测评”。"))
    electorate = forms.IntegerField(label=L_("全体代表人数"), help_text=L_("默认为本机构现有代表人数。"))
    projects = forms.ModelMultipleChoiceField(label=L_("测评项目（票决当选的项目）"), queryset=Candidate.objects.none(),
                                              widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = elected_projects(council_id)  # type: ignore[attr-defined]
        self.fields["projects"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.title}（{c.vote.title}）")


def elected_projects(council_id: int) -> Any:
    """The candidates elected in the council's votes (the projects a satisfaction evaluation may cover)."""
    return Candidate.objects.filter(vote__council_id=council_id, outcome=Result.ELECTED).select_related(
        "vote", "vote__window").order_by("-vote__created_at", "code")


@login_required
def evaluation_new(request: HttpRequest) -> HttpResponse:
    """Staff set up the year's satisfaction evaluation; the officer then opens and closes it."""
    council = _staff_council(request.user)
    form = EvaluationForm(request.POST or None, council_id=council.pk, initial={
        "year": timezone.localdate().year, "electorate": deputies_count(council.pk)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = act.create_evaluation(request.user, council, year=data["year"],
                                               projects=list(data["projects"]), electorate=data["electorate"],
                                               title=data["title"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("满意度测评已创建。"))
            return redirect("livelihood-evaluation", pk=evaluation.pk)
    return render(request, "livelihood/evaluation_new.html", {"form": form}, status=400 if form.errors else 200)


# --- a deputy proposes a micro project ---------------------------------------------------------------------

def open_batches(council_id: int) -> Any:
    """The batches that take proposals: the council's batches of this year and later."""
    return MicroBatch.objects.filter(council_id=council_id, year__gte=timezone.localdate().year).order_by(
        "year", "number")


class MicroForm(forms.Form):
    """A micro project (民生微实事); the writer (:func:`actions.propose_micro`) checks it again."""

    batch = forms.ModelChoiceField(label=L_("批次"), queryset=MicroBatch.objects.none())
    place = forms.CharField(label=L_("联络站或镇（街）"), max_length=200)
    title = forms.CharField(label=L_("项目名称"), max_length=200, required=False)  # the writer names it
    content = forms.CharField(label=L_("项目内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    investment = forms.CharField(label=L_("估算投资（万元）"), required=False)
    people_served = forms.IntegerField(label=L_("服务人数"), required=False)

    def __init__(self, *args: Any, council_id: int, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = open_batches(council_id)  # type: ignore[attr-defined]
        if staff:
            self.fields["member"] = forms.ModelChoiceField(
                label=L_("提出代表"), required=False, queryset=Member.objects.filter(
                    council_id=council_id, active=True).order_by("name"))


@login_required
def micro_new(request: HttpRequest) -> HttpResponse:
    """A deputy (or staff for a deputy, a station or a town) proposes a micro project in an open batch."""
    profile = profile_of(request.user)
    council_id = profile.council_id if profile else None
    if not council_id or not (act.deputy_of(request.user, council_id) or is_council_staff(request.user, council_id)):
        raise Http404()
    staff = is_council_staff(request.user, council_id)
    form = MicroForm(request.POST or None, council_id=council_id, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = act.propose_micro(
                request.user, data["batch"], title=data["title"], content=data["content"], place=data["place"],
                investment=data["investment"], people_served=data["people_served"] or 0, member=data.get("member"))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("民生微实事项目已提出，待工作机构审核。"))
            return redirect("livelihood-micro", pk=project.pk)
    return render(request, "livelihood/micro_new.html", {"form": form}, status=400 if form.errors else 200)


# --- supervision: inspections, the supervision week, special inquiries; findings and corrections ---------

class SupervisionForm(forms.Form):
    """A supervision activity; the writer (:func:`actions.record_supervision`) checks it again."""

    kind = forms.ChoiceField(label=L_("形式"), choices=SupervisionKind.choices)
    title = forms.CharField(label=L_("名称"), max_length=200, required=False)  # the writer names it
    held_on = forms.DateField(label=L_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    projects = forms.ModelMultipleChoiceField(label=L_("监督的民生实事项目"), queryset=DeliveryProject.objects.none(),
                                              widget=forms.CheckboxSelectMultiple, required=False)
    record = forms.CharField(label=L_("情况记录"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args: Any, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = DeliveryProject.objects.filter(  # type: ignore[attr-defined]
            council_id=council_id).order_by("-year", "number")
        self.fields["projects"].label_from_instance = lambda p: f"{p.number} {p.title}"  # type: ignore[attr-defined]


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    """The supervision activities the user may see; staff record a new one; a unit sees the ones with
    problems it must correct."""
    from lvzhi.cases import people

    profile = profile_of(request.user)
    council = profile.council if profile else None
    council_id = council.pk if council else None
    staff = council is not None and is_council_staff(request.user, council.pk)
    unit = bool(people.unit_roles(request.user))
    if not (staff or unit or (council_id and act.is_officer(request.user, council_id))):
        raise Http404()
    form = SupervisionForm(request.POST or None, council_id=council_id or 0) if staff else None
    if form is not None and council is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = act.record_supervision(request.user, council, kind=data["kind"],
                                              title=data["title"], held_on=data["held_on"],
                                              projects=list(data["projects"]), record=data["record"])
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("监督活动已记录。"))
            return redirect("livelihood-supervision", pk=activity.pk)
    activities = list(visible_supervisions(request.user).order_by("-held_on", "-id"))
    for a in activities:
        findings = visible_findings(request.user, a)
        a.open_count = findings.filter(status=FindingStatus.OPEN).count()  # type: ignore[attr-defined]
        a.reported_count = findings.filter(status=FindingStatus.REPORTED).count()  # type: ignore[attr-defined]
        a.corrected_count = findings.filter(status=FindingStatus.CORRECTED).count()  # type: ignore[attr-defined]
    return render(request, "livelihood/supervision_list.html", {"activities": activities, "form": form},
                  status=400 if form is not None and form.errors else 200)


@login_required
def supervision_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity: its record and projects; staff add findings (unit, project, problem, deadline) and
    confirm or send back a correction; the unit reports its correction."""
    from lvzhi.cases import people

    try:
        activity = access_supervision(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该监督活动，或您无权查看。")) from None
    user = request.user
    staff = is_council_staff(user, activity.council_id)
    if request.method == "POST":
        step = request.POST.get("step", "")
        finding = visible_findings(user, activity).filter(pk=request.POST.get("finding") or 0).first()
        try:
            if step == "finding":
                unit = HandlingUnit.objects.filter(council_id=activity.council_id,
                                                   pk=request.POST.get("unit") or 0).first()
                if unit is None:
                    raise DomainError(_("请选择整改单位。"), field="unit")
                due = parse_date(request.POST.get("due", "") or "")
                if due is None:
                    raise DomainError(_("请填写整改期限（YYYY-MM-DD）。"), field="due")
                project = activity.projects.filter(pk=request.POST.get("project") or 0).first()
                act.add_finding(user, activity, unit=unit, text=request.POST.get("text", ""), due=due, project=project)
                messages.success(request, _("问题已交整改单位。"))
            elif step in ("report", "confirm", "return"):
                if finding is None:
                    raise DomainError(_("请选择问题。"), field="finding")
                if step == "report":
                    act.report_correction(user, finding, text=request.POST.get("text", ""))
                    messages.success(request, _("整改情况已报告。"))
                else:
                    act.confirm_correction(user, finding, accepted=step == "confirm",
                                           comment=request.POST.get("comment", ""))
                    messages.success(request, _("已确认整改完成。") if step == "confirm" else _("已退回重新整改。"))
            else:
                raise Http404()
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("livelihood-supervision", pk=activity.pk)
    units = people.unit_roles(user)
    findings = list(visible_findings(user, activity).select_related("unit", "project").order_by("id"))
    for f in findings:
        f.may_report = f.unit_id in units and f.status == FindingStatus.OPEN  # type: ignore[attr-defined]
        f.may_confirm = staff and f.status == FindingStatus.REPORTED  # type: ignore[attr-defined]
        f.overdue_possible = f.status == FindingStatus.OPEN  # type: ignore[attr-defined]
    return render(request, "livelihood/supervision.html", {
        "activity": activity, "projects": activity.projects.order_by("number"), "findings": findings,
        "staff": staff, "units": HandlingUnit.objects.filter(council_id=activity.council_id).order_by("name"),
        "today": timezone.localdate()})


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A progress photo, for those who may see its project (404 otherwise); served with its checked type."""
    from django.http import FileResponse

    item = ProgressPhoto.objects.filter(pk=pk, report__project__in=visible_projects(request.user)).first()
    if item is None:
        raise Http404()
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
