"""Pages of supervision and research topics (thin: every change goes through :mod:`lvzhi.supervision.actions`).

``/supervision/``: staff see the council's topics and create one; a member or deputy sees the topics of their
groups; a unit the topics with findings assigned to it. ``/supervision/<id>/``: the plan, group, experts, field
visits, report and findings, with the forms the user may use; each form posts to
``/supervision/<id>/<act>/`` or ``/supervision/<id>/findings/<finding>/<act>/``. A refused input answers 400
with the Chinese message on the page, nothing written.
"""

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
from lvzhi.members.access import profile_of
from lvzhi.members.models import Council, HandlingUnit, Member
from lvzhi.supervision import actions as writers
from lvzhi.supervision.access import access_topic, may_manage, visible_topics
from lvzhi.supervision.models import KINDS_BY_COUNCIL, Finding, FindingStatus, GroupRole, Topic, TopicKind


def _date(value: str | None, label: str, field: str, *, required: bool = True) -> date | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(f"请填写「{label}」。", field=field)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"「{label}」的日期格式应为 YYYY-MM-DD：{text}", field=field) from None


def _int(value: str | None, label: str, field: str) -> int:
    text = (value or "").strip()
    if not text.isdigit():
        raise DomainError(f"「{label}」应为数字：{text}", field=field)
    return int(text)


def _topic(request: HttpRequest, pk: int) -> Topic:
    try:
        return access_topic(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


@login_required
def topic_list(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    profile = profile_of(request.user)
    council_id = profile.council_id if profile is not None else None
    manage = council_id is not None and may_manage(request.user, council_id)
    kinds: list[tuple[str, str]] = []
    if manage and council_id is not None:
        council = Council.objects.get(pk=council_id)
        kinds = [(str(k), str(TopicKind(k).label)) for k in KINDS_BY_COUNCIL.get(council.kind, ())]
    topics = visible_topics(request.user).prefetch_related("findings")
    return render(request, "supervision/topics.html", {"topics": topics, "manage": manage, "kinds": kinds,
                                                       "error": error}, status=status)


@login_required
@require_POST
def topic_new(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    if profile is None or profile.council_id is None:
        raise Http404(_("未找到该页面，或您无权查看。"))
    council = Council.objects.get(pk=profile.council_id)
    p = request.POST
    try:
        starts = _date(p.get("starts_on"), "开始日期", "starts_on")
        assert starts is not None
        topic = writers.create_topic(request.user, council, kind=p.get("kind", ""), title=p.get("title", ""),
                                 year=_int(p.get("year"), "年度", "year"), starts_on=starts,
                                 ends_on=_date(p.get("ends_on"), "结束日期", "ends_on", required=False),
                                 lead_body=p.get("lead_body", ""), plan=p.get("plan", ""))
    except DomainError as exc:
        return topic_list(request, exc.message, exc.status)
    return redirect("supervision-topic", topic.pk)


@login_required
def topic_detail(request: HttpRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    topic = _topic(request, pk)
    manage = may_manage(request.user, topic.council_id)
    units = people.unit_roles(request.user)
    findings = list(topic.findings.select_related("unit"))
    context: dict[str, Any] = {
        "topic": topic, "manage": manage, "error": error, "findings": findings,
        "group": topic.group.select_related("member").order_by("role", "member__name"),
        "experts": topic.experts.all(), "visits": topic.visits.all(), "my_units": list(units),
        "questions": topic.questions.select_related("unit", "asked_by"),
        "statuses": FindingStatus, "roles": GroupRole.choices,
    }
    if manage:
        context["members"] = Member.objects.filter(council_id=topic.council_id, active=True).order_by("name")
        context["in_group"] = {g.member_id: g.role for g in context["group"]}
        context["units"] = HandlingUnit.objects.filter(council_id=topic.council_id, active=True).order_by("name")
    return render(request, "supervision/topic.html", context, status=status)


@login_required
@require_POST
def topic_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    act_name = act
    topic = _topic(request, pk)
    p, user = request.POST, request.user
    version = _int(p.get("version"), "版本", "version") if p.get("version") else None
    try:
        if act_name == "group":
            members = {m.pk: m for m in Member.objects.filter(pk__in=[int(x) for x in p.getlist("member") if x.isdigit()])}
            chosen = [(members[int(x)], p.get(f"role_{x}", GroupRole.MEMBER)) for x in p.getlist("member")
                      if x.isdigit() and int(x) in members]
            writers.set_group(user, topic.pk, chosen, version=version)
        elif act_name == "expert":
            writers.add_expert(user, topic.pk, name=p.get("name", ""), affiliation=p.get("affiliation", ""))
        elif act_name == "visit":
            day = _date(p.get("day"), "日期", "day")
            assert day is not None
            writers.record_visit(user, topic.pk, day=day, place=p.get("place", ""), notes=p.get("notes", ""))
        elif act_name == "report":
            day = _date(p.get("reported_on"), "报告日期", "reported_on")
            assert day is not None
            writers.submit_report(user, topic.pk, report=p.get("report", ""), recommendations=p.get("recommendations", ""),
                              reported_on=day, version=version)
        elif act_name == "finding":
            unit = HandlingUnit.objects.filter(pk=_int(p.get("unit"), "整改单位", "unit")).first()
            if unit is None:
                raise DomainError("请选择整改单位。", field="unit")
            due = _date(p.get("due"), "整改期限", "due")
            assert due is not None
            writers.add_finding(user, topic.pk, unit=unit, text=p.get("text", ""), due=due,
                            recommendation=p.get("recommendation", ""))
        elif act_name == "question":
            unit = HandlingUnit.objects.filter(pk=_int(p.get("unit"), "应询单位", "unit")).first()
            if unit is None:
                raise DomainError("请选择应询单位。", field="unit")
            day = _date(p.get("day"), "日期", "day")
            assert day is not None
            raw = p.get("asked_by", "")
            asked_by = Member.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
            writers.record_question(user, topic.pk, day=day, unit=unit, question=p.get("question", ""),
                                    answer=p.get("answer", ""), respondent=p.get("respondent", ""), asked_by=asked_by)
        else:
            raise Http404()
    except DomainError as exc:
        return topic_detail(request, pk, exc.message, exc.status)
    return redirect("supervision-topic", topic.pk)


@login_required
@require_POST
def finding_act(request: HttpRequest, pk: int, finding: int, act: str) -> HttpResponse:
    act_name = act
    topic = _topic(request, pk)
    if not Finding.objects.filter(pk=finding, topic=topic).exists():
        raise Http404()
    p, user = request.POST, request.user
    try:
        if act_name == "correct":
            writers.report_correction(user, finding, text=p.get("text", ""))
        elif act_name == "confirm":
            writers.confirm_correction(user, finding, accepted=p.get("accepted") == "1", comment=p.get("comment", ""))
        elif act_name == "follow-up":
            writers.follow_up(user, finding, holds=p.get("holds") == "1", note=p.get("note", ""))
        else:
            raise Http404()
    except DomainError as exc:
        return topic_detail(request, pk, exc.message, exc.status)
    return redirect("supervision-topic", topic.pk)
