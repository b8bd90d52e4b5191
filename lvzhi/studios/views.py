"""Pages of members' studios (thin: changes go through :mod:`lvzhi.studios.actions`). ``/studios/``: staff and
leaders see every studio (staff create one); members see theirs. ``/studios/<id>/``: members and activities;
staff set the members, staff and heads record an activity. Refused input: 400 with the message, nothing written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.cases import actions as cases
from lvzhi.cases import people
from lvzhi.cases.choices import AssignmentRole, ReplyStatus
from lvzhi.cases.models import Assignment, Reply
from lvzhi.cases.policy import grades_for
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.members.access import profile_of
from lvzhi.members.choices import OrganisationKind
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation
from lvzhi.studios import actions as writers
from lvzhi.studios.access import (
    access_item,
    access_studio,
    may_list_items,
    may_manage,
    may_record,
    visible_items,
    visible_studios,
)
from lvzhi.studios.defaults import ADOPTION_ACTS, CASE_TYPE, IMPLEMENT_ACT
from lvzhi.studios.models import (
    ActivityKind,
    Adoption,
    ConsultationItem,
    OutcomeKind,
    Studio,
    StudioActivity,
    StudioKind,
)
from lvzhi.studios.queries import filter_items, item_units
from lvzhi.workflow import engine
from lvzhi.workflow.models import State


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
        "is_hall": studio.kind == StudioKind.HALL,
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


# --- consultation list (协商清单) -------------------------------------------------------------------------

ITEM_ROWS = 5  # blank rows offered on the 形成协商清单 form


def _activity(request: HttpRequest, pk: int) -> StudioActivity:
    activity = (StudioActivity.objects.filter(pk=pk, studio__in=visible_studios(request.user))
                .select_related("studio").first())
    if activity is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return activity


@login_required
def items_new(request: HttpRequest, pk: int) -> HttpResponse:
    """形成协商清单: staff or the hall's convener list the items of a 委员议事厅 activity (up to five a time;
    blank rows are skipped). Refused: 400 with the message, nothing written."""
    activity = _activity(request, pk)
    if not may_list_items(request.user, activity):
        raise Http404(_("未找到该活动，或您无权查看。"))
    participants = list(activity.participants.order_by("name"))
    error, status, rows = "", 200, [{"i": i, "title": "", "content": "", "raised": []}
                                    for i in range(1, ITEM_ROWS + 1)]
    if request.method == "POST":
        p, by_pk = request.POST, {m.pk: m for m in participants}
        drafts, rows = [], []
        for i in range(1, ITEM_ROWS + 1):
            title, content = p.get(f"title_{i}", ""), p.get(f"content_{i}", "")
            raised = [int(x) for x in p.getlist(f"raised_{i}") if x.isdigit()]
            rows.append({"i": i, "title": title, "content": content, "raised": raised})
            if title.strip() or content.strip():
                drafts.append(writers.ItemDraft(title, content, [by_pk[x] for x in raised if x in by_pk]))
        try:
            writers.list_items(request.user, activity.pk, drafts)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect(f"{reverse('studio-items')}?activity={activity.pk}")
    return render(request, "studios/items_new.html", {"activity": activity, "participants": participants,
                                                      "rows": rows, "error": error}, status=status)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The council's consultation list: number, title, hall, state, units, adoption; filters year, state,
    unit, adoption, activity (what the user may see)."""
    g = request.GET
    wanted = g.get("adoption", "")  # "" all, "pending" not yet recorded, else an Adoption value
    adoption = "" if wanted == "pending" else (wanted if wanted and wanted in Adoption.values else None)
    qs = filter_items(visible_items(request.user), year=_int(g.get("year")), state=_int(g.get("state")),
                      unit=_int(g.get("unit")), adoption=adoption, activity=_int(g.get("activity")))
    items = list(qs.select_related("state", "activity__studio").order_by("-year", "number", "id")[:500])
    units = item_units(items)
    for item in items:
        item.units = units[item.pk]  # type: ignore[attr-defined]
    visible = visible_items(request.user)
    return render(request, "studios/items.html", {
        "items": items, "filters": g,
        "states": State.objects.filter(pk__in=visible.values("state_id")).order_by("order"),
        "unit_choices": HandlingUnit.objects.filter(pk__in=Assignment.objects.filter(
            case_type="consultation_item", object_id__in=visible.values("pk")).values("unit_id")).order_by("name"),
        "years": sorted(set(visible.values_list("year", flat=True)), reverse=True),
        "adoptions": Adoption.choices})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One consultation item: its facts, units and signed replies; staff assign it (交办) and record its
    adoption; the unit's clerk drafts the reply, its leader signs it off (the core's acts)."""
    try:
        item = access_item(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    user = request.user
    if request.method == "POST":
        try:
            _item_step(request, item)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("studio-item", item.pk)
    roles = item.roles_of(user)
    units = people.unit_roles(user)
    assignments = item_units([item])[item.pk]
    mine = next((a for a in assignments if a.unit_id in units and a.role != AssignmentRole.CO), None)
    replies = Reply.objects.filter(assignment__in=item.assignments.all()).select_related("assignment__unit")
    pending = replies.filter(status=ReplyStatus.PENDING_SIGNOFF, assignment=mine).first() if mine else None
    moves = {t.act: t for t in engine.available_transitions(item, user)}
    return render(request, "studios/item.html", {
        "item": item, "assignments": assignments, "raised_by": item.raised_by.order_by("name"),
        "replies": replies.filter(status=ReplyStatus.SIGNED),
        "may_assign": "assign" in moves,
        "unit_options": HandlingUnit.objects.filter(council_id=item.council_id, active=True).order_by("name"),
        "may_reply": mine is not None and units.get(mine.unit_id) == "unit_clerk" and item.state.units_may_reply,
        "pending": pending if pending is not None and units.get(mine.unit_id if mine else 0) == "unit_leader"
        else None,
        "adoption_moves": [t for act, t in moves.items() if act in ADOPTION_ACTS or act == IMPLEMENT_ACT],
        "is_staff": "staff" in roles,
        "may_open_studio": visible_studios(user).filter(pk=item.activity.studio_id).exists()})


def _item_step(request: HttpRequest, item: ConsultationItem) -> None:
    """Handle one step of the item page (``assign``, ``reply``, ``signoff``, ``adoption``)."""
    p, user = request.POST, request.user
    step, version = p.get("step", ""), _int(p.get("version"))
    if step == "assign":
        lead = HandlingUnit.objects.filter(pk=_int(p.get("unit")) or 0).first()
        if lead is None:
            raise DomainError(_("请选择主办单位。"), field="units")
        co = list(HandlingUnit.objects.filter(pk__in=[int(x) for x in p.getlist("co") if x.isdigit()])
                  .exclude(pk=lead.pk))
        plan = [(lead, AssignmentRole.LEAD), *[(u, AssignmentRole.CO) for u in co]] if co else \
            [(lead, AssignmentRole.SOLE)]
        cases.assign(user, ConsultationItem, item.pk, plan, expected_version=version)
    elif step == "reply":
        units = people.unit_roles(user)
        mine = next((a for a in item_units([item])[item.pk] if a.unit_id in units), None)
        if mine is None:
            raise DomainError(_("您的单位没有承办此事项。"), field="assignment")
        grades = grades_for(item.council_id, CASE_TYPE)
        cases.draft_reply(user, mine.pk, grade=p.get("grade") or (grades[0].code if grades else "A"),
                          text=p.get("text", ""), expected_version=version)
    elif step == "signoff":
        reply = Reply.objects.filter(pk=_int(p.get("reply")) or 0).first()
        if reply is None:
            raise DomainError(_("没有待签发的答复。"), field="reply")
        cases.sign_off_reply(user, reply.pk)
    elif step == "adoption":
        writers.record_adoption(user, item.pk, act=p.get("act", ""), note=p.get("note", ""),
                                expected_version=version)
    else:
        raise DomainError(_("未知的操作。"), field="step")
