"""Pages of members' studios (thin: changes go through :mod:`lvzhi.studios.actions`). ``/studios/``: staff and
leaders see every studio (staff create one); members see theirs. ``/studios/<id>/``: members and activities;
staff set the members, staff and heads record an activity. Refused input: 400 with the message, nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.members.access import profile_of
from lvzhi.members.choices import OrganisationKind
from lvzhi.members.models import Council, Member, Organisation
from lvzhi.studios import actions as writers
from lvzhi.studios.access import access_studio, may_manage, may_record, visible_studios
from lvzhi.studios.models import ActivityKind, OutcomeKind, Studio, StudioKind


def _members(request: HttpRequest, council_id: int) -> list[tuple[Member, bool]]:
    ids = [int(x) for x in request.POST.getlist("member") if x.isdigit()]
    heads = {int(x) for x in request.POST.getlist("head") if x.isdigit()}
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, council_id=council_id)}
    return [(found[i], i in heads) for i in ids if i in found]


@login_required
def studio_list(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    profile = profile_of(request.user)
    council_id = profile.council_id if profile is not None else None
    manage = council_id is not None and may_manage(request.user, council_id)
    context: dict[str, Any] = {"studios": visible_studios(request.user).prefetch_related("members", "activities"),
                               "manage": manage, "error": error, "kinds": StudioKind.choices}
    if manage and council_id is not None:
        context["members"] = Member.objects.filter(council_id=council_id, active=True).order_by("name")
        context["sectors"] = Organisation.objects.filter(council_id=council_id, kind=OrganisationKind.SECTOR)
    return render(request, "studios/studios.html", context, status=status)


@login_required
@require_POST
def studio_new(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    if profile is None or profile.council_id is None:
        raise Http404(_("未找到该页面，或您无权查看。"))
    council = Council.objects.get(pk=profile.council_id)
    p = request.POST
    sector_id = p.get("sector", "")
    sector = Organisation.objects.filter(pk=int(sector_id)).first() if sector_id.isdigit() else None
    try:
        studio = writers.create_studio(request.user, council, name=p.get("name", ""), kind=p.get("kind", ""),
                                       sector=sector, address=p.get("address", ""),
                                       members=_members(request, council.pk))
    except DomainError as exc:
        return studio_list(request, exc.message, exc.status)
    return redirect("studio", studio.pk)


def _studio(request: HttpRequest, pk: int) -> Studio:
    try:
        return access_studio(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


@login_required
def studio_detail(request: HttpRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    studio = _studio(request, pk)
    members = list(studio.members.select_related("member").order_by("-is_head", "member__name"))
    context: dict[str, Any] = {
        "studio": studio, "members": members, "error": error,
        "activities": studio.activities.prefetch_related("participants"),
        "manage": may_manage(request.user, studio.council_id), "record": may_record(request.user, studio),
        "activity_kinds": ActivityKind.choices, "outcome_kinds": OutcomeKind.choices,
    }
    if context["manage"]:
        context["all_members"] = Member.objects.filter(council_id=studio.council_id, active=True).order_by("name")
        context["current"] = {m.member_id: m.is_head for m in members}
    return render(request, "studios/studio.html", context, status=status)


@login_required
@require_POST
def studio_members(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    try:
        writers.set_members(request.user, studio.pk, _members(request, studio.council_id))
    except DomainError as exc:
        return studio_detail(request, pk, exc.message, exc.status)
    return redirect("studio", studio.pk)


@login_required
@require_POST
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    p = request.POST
    try:
        raw_day, raw_people = p.get("day", "").strip(), p.get("people_reached", "0").strip() or "0"
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            raise DomainError(f"「日期」的格式应为 YYYY-MM-DD：{raw_day}", field="day") from None
        if not raw_people.lstrip("-").isdigit():
            raise DomainError(f"「联系群众（人次）」应为整数：{raw_people}", field="people_reached")
        ids = [int(x) for x in p.getlist("participant") if x.isdigit()]
        participants = list(Member.objects.filter(pk__in=ids))
        writers.record_activity(request.user, studio.pk, day=day, title=p.get("title", ""), kind=p.get("kind", ""),
                                participants=participants, people_reached=int(raw_people),
                                summary=p.get("summary", ""), outcome_kind=p.get("outcome_kind", ""),
                                outcome=p.get("outcome", ""))
    except DomainError as exc:
        return studio_detail(request, pk, exc.message, exc.status)
    return redirect("studio", studio.pk)
