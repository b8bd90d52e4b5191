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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.access import access_vote, may_see_result, visible_votes
from lvzhi.livelihood.counting import ABSTAIN, NO, YES, Result
from lvzhi.livelihood.models import Vote, VoteRoll
from lvzhi.members.access import is_council_staff
from lvzhi.members.models import Member

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
    return render(request, "livelihood/list.html", {"votes": votes})


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
        elif step == "revote":
            revote = act.start_revote(user, vote)
            messages.success(request, _("已就票数相等的项目发起再次投票。"))
            return redirect("livelihood-vote", pk=revote.pk)
        else:
            raise Http404()
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("livelihood-vote", pk=vote.pk)
