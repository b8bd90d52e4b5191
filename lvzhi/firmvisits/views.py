"""Pages of leaders' visits to members' firms (thin: changes go through :mod:`lvzhi.firmvisits.actions`).

``/firm-visits/``: staff and leaders see and record visits (firm, member, leader, day, the first issue);
members see visits to their firm, units the visits with issues routed to them. ``/firm-visits/<id>/``: the
visit and its issues, with the unit's answer form and the confirm / send-back buttons. Refused input: 400 with
the Chinese message, nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.cases import people
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.firmvisits import actions as writers
from lvzhi.firmvisits.access import access_visit, may_record, visible_visits
from lvzhi.firmvisits.models import FirmIssue, FirmVisit, IssueScope, IssueStatus
from lvzhi.members.access import profile_of
from lvzhi.members.models import Council, HandlingUnit, Member


def _date(value: str | None, label: str, field: str) -> date:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"「{label}」的日期格式应为 YYYY-MM-DD：{text}", field=field) from None


def _unit(value: str | None, council_id: int) -> HandlingUnit:
    text = (value or "").strip()
    unit = HandlingUnit.objects.filter(pk=int(text), council_id=council_id).first() if text.isdigit() else None
    if unit is None:
        raise DomainError("请选择承办单位。", field="unit")
    return unit


def _choices(council_id: int) -> dict[str, Any]:
    return {"members": Member.objects.filter(council_id=council_id, active=True).order_by("name"),
            "units": HandlingUnit.objects.filter(council_id=council_id, active=True).order_by("name"),
            "scopes": IssueScope.choices}


@login_required
def visit_list(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    profile = profile_of(request.user)
    council_id = profile.council_id if profile is not None else None
    manage = council_id is not None and may_record(request.user, council_id)
    context: dict[str, Any] = {"visits": visible_visits(request.user).select_related("member")
                               .prefetch_related("issues"), "manage": manage, "error": error}
    if manage and council_id is not None:
        context.update(_choices(council_id))
    return render(request, "firmvisits/visits.html", context, status=status)


@login_required
@require_POST
def visit_new(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    if profile is None or profile.council_id is None:
        raise Http404(_("未找到该页面，或您无权查看。"))
    council = Council.objects.get(pk=profile.council_id)
    p = request.POST
    try:
        member_id = p.get("member", "")
        member = Member.objects.filter(pk=int(member_id)).first() if member_id.isdigit() else None
        issues = []
        if p.get("issue_text", "").strip():
            issues.append({"text": p["issue_text"], "scope": p.get("issue_scope", ""),
                           "unit": _unit(p.get("issue_unit"), council.pk), "due": _date(p.get("issue_due"), "办理期限", "due")})
        visit = writers.record_visit(request.user, council, firm=p.get("firm", ""), leader=p.get("leader", ""),
                                     day=_date(p.get("day"), "走访日期", "day"), member=member,
                                     notes=p.get("notes", ""), issues=issues)
    except DomainError as exc:
        return visit_list(request, exc.message, exc.status)
    return redirect("firm-visit", visit.pk)


def _visit(request: HttpRequest, pk: int) -> FirmVisit:
    try:
        return access_visit(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


@login_required
def visit_detail(request: HttpRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    visit = _visit(request, pk)
    manage = may_record(request.user, visit.council_id)
    context: dict[str, Any] = {"visit": visit, "issues": visit.issues.select_related("unit"), "manage": manage,
                               "my_units": list(people.unit_roles(request.user)), "statuses": IssueStatus,
                               "error": error}
    if manage:
        context.update(_choices(visit.council_id))
    return render(request, "firmvisits/visit.html", context, status=status)


@login_required
@require_POST
def issue_new(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    p = request.POST
    try:
        writers.add_issue(request.user, visit, text=p.get("text", ""), scope=p.get("scope", ""),
                          unit=_unit(p.get("unit"), visit.council_id), due=_date(p.get("due"), "办理期限", "due"))
    except DomainError as exc:
        return visit_detail(request, pk, exc.message, exc.status)
    return redirect("firm-visit", visit.pk)


@login_required
@require_POST
def issue_act(request: HttpRequest, pk: int, issue: int, act: str) -> HttpResponse:
    visit = _visit(request, pk)
    if not FirmIssue.objects.filter(pk=issue, visit=visit).exists():
        raise Http404()
    p = request.POST
    try:
        if act == "answer":
            writers.answer_issue(request.user, issue, text=p.get("text", ""))
        elif act == "confirm":
            writers.confirm_issue(request.user, issue, solved=p.get("solved") == "1", comment=p.get("comment", ""))
        else:
            raise Http404()
    except DomainError as exc:
        return visit_detail(request, pk, exc.message, exc.status)
    return redirect("firm-visit", visit.pk)
