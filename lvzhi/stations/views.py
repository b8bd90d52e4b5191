"""Pages of the liaison stations (thin: parse, access, act through :mod:`lvzhi.stations.actions`, render).

Public (no account): ``/stations/`` the stations by district and the coming rota, ``/stations/<id>/`` a
station's page (its deputies and turns, and a form to leave a matter), ``/stations/lookup/`` a portal matter
by its tracking code. Signed in: the registry (staff), the rota, receptions and matters (station staff, the
council's staff, deputies), a deputy's own turns, theme months, the star rating and the figures.
A refusal (:class:`DomainError`) re-renders the form with the writer's message beside the named field.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.paging import CappedPaginator
from lvzhi.members.access import is_council_leader
from lvzhi.members.models import Council, Member
from lvzhi.opinions import ratelimit
from lvzhi.stations import actions as act
from lvzhi.stations import forms as sf
from lvzhi.stations import importing, queries
from lvzhi.stations.access import (
    access_matter,
    access_station,
    council_of,
    is_registry_staff,
    managed_stations,
    visible_matters,
    visible_receptions,
)
from lvzhi.stations.defaults import RATING_CRITERIA
from lvzhi.stations.models import Matter, RatingCriterion, Station, StationRating, ThemeActivity
from lvzhi.workflow import engine

MATTER_ROWS = 3  # blank matter blocks on the reception form (more with ?n=, up to MATTER_ROWS_MAX)
MATTER_ROWS_MAX = 20


def _404(exc: NotFoundError) -> Http404:
    return Http404(exc.message)


def _errors_into(form: Any, exc: DomainError) -> None:
    name = (exc.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, exc.message)


def _public_council(request: HttpRequest) -> Council | None:
    wanted = request.GET.get("council")
    qs = Council.objects.filter(stations__active=True).distinct().order_by("id")
    if wanted:
        return qs.filter(pk=wanted).first() if wanted.isdigit() else None
    return qs.first()


# ---------------------------------------------------------------------------------------------- public


def station_list(request: HttpRequest) -> HttpResponse:
    """The stations of a people's congress grouped district → station, with the coming rota (portal)."""
    council = _public_council(request)
    councils = Council.objects.filter(stations__active=True).distinct().order_by("id")
    groups = queries.stations_by_district(council) if council else []
    turns = queries.upcoming_turns(council=council, limit=30) if council else []
    return render(request, "stations/list.html", {
        "council": council, "councils": councils, "groups": groups, "turns": turns,
        "total": sum(len(g.stations) for g in groups), "central": sum(g.central for g in groups),
        "may_manage": managed_stations(request.user).exists() or bool(people.member_id_of(request.user)),
    })


def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's public page; POST leaves a matter for it (CSRF-protected, rate-limited per address, the
    portal messages' approach)."""
    try:
        station = access_station(pk)
    except NotFoundError as exc:
        raise _404(exc) from None
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request, scope="stations"):
            errors["form"], status = ratelimit.refusal_message(), 429
        else:
            try:
                matter = act.submit_portal_matter(station, content=request.POST.get("content", ""),
                                                  visitor_name=request.POST.get("visitor_name", ""),
                                                  visitor_contact=request.POST.get("visitor_contact", ""))
                return render(request, "stations/submitted.html", {"station": station, "code": matter.tracking_code})
            except DomainError as exc:
                errors[exc.field or "form"], status = exc.message, exc.status
    roles = station.roles_of(request.user)
    year = timezone.localdate().year
    received = dict(queries.receptions_per_deputy(station.council_id, year))
    deputies = [(m, received.get(m, 0)) for m in station.deputies.select_related("delegation").order_by("name")]
    return render(request, "stations/detail.html", {
        "station": station, "deputies": deputies, "year": year,
        "turns": queries.upcoming_turns(station=station), "errors": errors,
        "data": request.POST if errors else {}, "content_max": act.CONTENT_MAX,
        "may_manage": bool(roles & {"staff", "station_staff"}), "may_edit": "staff" in roles,
        "may_receive": bool(roles & {"staff", "station_staff", "deputy"}),
        "stars": StationRating.objects.filter(station=station).order_by("-year").first(),
    }, status=status)


def matter_lookup(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip()
    matter, error = None, ""
    if code:
        try:
            matter = act.matter_by_code(code)
        except NotFoundError as exc:
            error = exc.message
    return render(request, "stations/lookup.html", {"code": code, "matter": matter, "error": error},
                  status=404 if error else 200)


def criteria(request: HttpRequest) -> HttpResponse:
    """The published star-rating criteria of a council (the defaults until the council scores a station)."""
    council = _public_council(request)
    rows: list[Any] = list(RatingCriterion.objects.filter(council=council, active=True)) if council else []
    return render(request, "stations/criteria.html", {
        "council": council, "criteria": rows or RATING_CRITERIA,
        "bands": act.policy_of(council).star_bands if council else [],
        "ratings": (StationRating.objects.filter(station__council=council).select_related("station")
                    .order_by("-year", "-total") if council else []),
    })


# ---------------------------------------------------------------------------------------------- registry


def _staff_council(request: HttpRequest) -> Council:
    council_id = council_of(request.user)
    if council_id is None or not is_registry_staff(request.user, council_id):
        raise Http404(_("未找到该页面，或您无权查看。"))
    return Council.objects.get(pk=council_id)


def _reader_council(request: HttpRequest) -> Council:
    """The council whose station figures the user may read: its staff and its leaders."""
    council_id = council_of(request.user)
    if council_id is None or not (is_registry_staff(request.user, council_id)
                                  or is_council_leader(request.user, council_id)):
        raise Http404(_("未找到该页面，或您无权查看。"))
    return Council.objects.get(pk=council_id)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The stations the user works for, with the links to their work."""
    stations = managed_stations(request.user).order_by("district", "town", "name")
    council_id = council_of(request.user)
    member_id = people.member_id_of(request.user)
    if not stations.exists() and not member_id:
        raise Http404(_("未找到该页面，或您无权查看。"))
    return render(request, "stations/manage.html", {
        "stations": stations, "is_staff": is_registry_staff(request.user, council_id), "is_deputy": bool(member_id),
        "open_matters": visible_matters(request.user).filter(state__is_closed=False).count(),
    })


@login_required
def station_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    council = _staff_council(request)
    station = None
    if pk is not None:
        station = Station.objects.filter(pk=int(pk), council=council).first()
        if station is None:
            raise Http404()
    initial: dict[str, Any] = {}
    if station is not None:
        initial = {f: getattr(station, f) for f in (*act.STATION_FIELDS, "level", "active", "version")}
        initial.update(deputies=list(station.deputies.all()), staff=list(station.staff.all()))
    form = sf.StationForm(request.POST or None, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            station = act.save_station(
                request.user, council, station=station, expected_version=d.get("version"),
                deputies=list(d["deputies"]), staff=list(d["staff"]), active=d["active"],
                **{k: d[k] for k in (*act.STATION_FIELDS, "level")})
            messages.success(request, _("联络站已保存。"))
            return redirect("station-detail", station.pk)
        except DomainError as exc:
            _errors_into(form, exc)
    return render(request, "stations/form.html", {"form": form, "station": station,
                                                  "heading": _("编辑联络站") if station else _("新建联络站")},
                  status=400 if form.errors else 200)


@login_required
def station_import(request: HttpRequest) -> HttpResponse:
    council = _staff_council(request)
    form = sf.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.import_stations(request.user, council, form.cleaned_data["file"])
            messages.success(request, _("导入成功：新建 %(c)d 个，更新 %(u)d 个联络站。")
                             % {"c": len(result.created), "u": len(result.updated)})
            return redirect("station-list")
        except importing.ImportRefused as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [exc.message]
    return render(request, "stations/import.html", {"form": form, "errors": errors},
                  status=400 if errors else 200)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _staff_council(request)
    response = HttpResponse(importing.template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename=stations-template.xlsx"
    return response


# ---------------------------------------------------------------------------------------------- rota


def _managed(request: HttpRequest, pk: int) -> Station:
    try:
        return access_station(pk, user=request.user, manage=True)
    except NotFoundError as exc:
        raise _404(exc) from None


@login_required
def rota(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a turn at a station and see its turns (the council's staff and the station's)."""
    station = _managed(request, pk)
    form = sf.TurnForm(request.POST or None, council=station.council)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            act.publish_turn(request.user, station, date=d["date"], half_day=d["half_day"], hours=d["hours"],
                             topic=d["topic"], deputies=list(d["deputies"]))
            messages.success(request, _("接待排班已发布。"))
            return redirect("station-rota", station.pk)
        except DomainError as exc:
            _errors_into(form, exc)
    turns = station.turns.prefetch_related("duty__member").order_by("-date", "half_day")[:60]
    return render(request, "stations/rota.html", {
        "station": station, "form": form, "turns": turns,
        "notice": act.policy_of(station.council_id).rota_notice_days,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def turn_cancel(request: HttpRequest, pk: int, turn: int) -> HttpResponse:
    station = _managed(request, pk)
    try:
        act.cancel_turn(request.user, turn, reason=request.POST.get("reason", ""))
        messages.success(request, _("排班已取消。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("station-rota", station.pk)


@login_required
def my_turns(request: HttpRequest) -> HttpResponse:
    """A deputy's turns (to confirm) and receptions this year against the yearly norm."""
    member_id = people.member_id_of(request.user)
    if not member_id:
        raise Http404(_("未找到该页面，或您无权查看。"))
    if request.method == "POST":
        try:
            act.confirm_turn(request.user, request.POST.get("turn"))
            messages.success(request, _("已确认接待排班。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("station-my")
    member = Member.objects.get(pk=member_id)
    year = timezone.localdate().year
    count = visible_receptions(request.user).filter(deputies=member_id, date__year=year).count()
    return render(request, "stations/my.html", {
        "rows": queries.deputy_turns(member_id, since=timezone.localdate()), "member": member, "year": year,
        "count": count, "norm": act.policy_of(member.council_id).receptions_per_year,
        "stations": Station.objects.filter(deputies=member, active=True),
        "receptions": visible_receptions(request.user).filter(deputies=member_id).select_related("station")[:20],
    })


# ---------------------------------------------------------------------------------------------- receptions


def _deputy_choices(station: Station) -> Any:
    attached = station.deputies.filter(active=True).order_by("name")
    return attached if attached.exists() else Member.objects.filter(council=station.council, active=True)


@login_required
def reception_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a reception and its matters on the spot (phone-first). Blank matter blocks are skipped; a
    block with a name or contact but no content is refused by the writer."""
    try:
        station = access_station(pk)
    except NotFoundError as exc:
        raise _404(exc) from None
    if not station.roles_of(request.user) & {"staff", "station_staff", "deputy"}:
        raise Http404(_("未找到该页面，或您无权查看。"))
    data = request.POST
    rows = max(1, min(MATTER_ROWS_MAX, _int(data.get("rows") or request.GET.get("n"), MATTER_ROWS)))
    errors: dict[str, str] = {}
    if request.method == "POST":
        matters = []
        for i in range(1, rows + 1):
            block = {k: data.get(f"m{i}-{k}", "") for k in ("content", "visitor_name", "visitor_contact")}
            if any(v.strip() for v in block.values()):
                matters.append(block)
        try:
            day = date.fromisoformat(data.get("date", ""))
        except ValueError:
            errors["date"] = _("请填写有效的「接待日期」。")
        deputies = list(Member.objects.filter(pk__in=[v for v in data.getlist("deputies") if v.isdigit()],
                                              council=station.council))
        if not errors:
            try:
                reception = act.register_reception(request.user, station, date=day, deputies=deputies,
                                                   visitors=_int(data.get("visitors")), matters=matters,
                                                   note=data.get("note", ""), token=data.get("token") or None)
                messages.success(request, _("接待已登记，共 %(n)d 件事项。") % {"n": len(matters)})
                return redirect(reverse("station-reception", args=[reception.pk]))
            except DomainError as exc:
                errors[exc.field or "form"] = exc.message
    blocks = [{"n": i, **{k: data.get(f"m{i}-{k}", "") for k in ("content", "visitor_name", "visitor_contact")},
               "error": next((v for k, v in errors.items() if k.startswith(f"matters.{i}.")), "")}
              for i in range(1, rows + 1)]
    return render(request, "stations/reception_form.html", {
        "station": station, "deputies": _deputy_choices(station), "blocks": blocks, "rows": rows,
        "errors": errors, "data": data, "today": timezone.localdate().isoformat(),
        "chosen": set(data.getlist("deputies")), "token": data.get("token") or uuid.uuid4().hex,
        "more": rows + 2,
    }, status=(409 if "form" in errors and "重复" in errors["form"] else 400) if errors else 200)


@login_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reception = visible_receptions(request.user).select_related("station").filter(pk=pk).first()
    if reception is None:
        raise Http404()
    return render(request, "stations/reception.html", {
        "reception": reception, "deputies": reception.deputies.order_by("name"),
        "matters": reception.matters.select_related("state", "suggestion").order_by("id"),
    })


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    qs = visible_matters(request.user).select_related("state", "station", "reception")
    if request.GET.get("open"):
        qs = qs.filter(state__is_closed=False)
    page = CappedPaginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "stations/matters.html", {"page": page, "open": request.GET.get("open", "")})


# The triage and feedback steps: act key → (form, writer call).
STEPS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "answer": (L_("当场答复"), lambda u, m, d: act.answer_on_spot(u, m.pk, answer=d["answer"],
                                                                   expected_version=d["version"])),
    "refer": (L_("转交办理"), lambda u, m, d: act.refer(u, m.pk, to=d["to"], referred_to=d["referred_to"],
                                                       expected_version=d["version"])),
    "convert": (L_("转为代表建议"), lambda u, m, d: act.convert_to_suggestion(
        u, m.pk, deputy=d["deputy"], title=d["title"], expected_version=d["version"])),
    "decline": (L_("不予受理"), lambda u, m, d: act.decline(u, m.pk, ground=d["ground"], reason=d["reason"],
                                                          expected_version=d["version"])),
    "resolve": (L_("登记办理结果"), lambda u, m, d: act.resolve(u, m.pk, result=d["result"], solved=d["solved"],
                                                              expected_version=d["version"])),
    "feedback": (L_("反馈群众和代表"), lambda u, m, d: act.record_feedback(
        u, m.pk, to_citizen=d["to_citizen"], to_deputy=d["to_deputy"], expected_version=d["version"])),
}


def _step_form(step: str, matter: Matter, data: Any = None) -> Any:
    if step == "answer":
        return sf.AnswerForm(data, prefix=step)
    if step == "refer":
        return sf.ReferForm(data, prefix=step)
    if step == "convert":
        first = Member.objects.filter(pk__in=matter.deputy_ids()).order_by("name")
        return sf.ConvertForm(data, prefix=step, deputies=first)
    if step == "decline":
        return sf.DeclineForm(data, prefix=step)
    if step == "resolve":
        return sf.ResolveForm(data, prefix=step)
    return sf.FeedbackForm(data, prefix=step)


@login_required
def matter_detail(request: HttpRequest, pk: int, step: str | None = None) -> HttpResponse:
    """A matter with the triage and feedback steps the user may take now (from the workflow data)."""
    try:
        matter = access_matter(request.user, pk)
    except NotFoundError as exc:
        raise _404(exc) from None
    status = 200
    forms: dict[str, Any] = {}
    if request.method == "POST" and step in STEPS:
        form = _step_form(step, matter, request.POST)
        if form.is_valid():
            values = {**form.cleaned_data, "version": request.POST.get("version")}
            try:
                STEPS[step][1](request.user, matter, values)
                messages.success(request, _("已%(step)s。") % {"step": str(STEPS[step][0])})
                return redirect("station-matter", matter.pk)
            except DomainError as exc:
                _errors_into(form, exc)
                status = exc.status
        else:
            status = 400
        forms[step] = form
    acts = [t.act for t in engine.available_transitions(matter, request.user)]
    steps = [{"act": a, "label": STEPS[a][0], "form": forms.get(a) or _step_form(a, matter)}
             for a in dict.fromkeys(acts) if a in STEPS]
    return render(request, "stations/matter.html", {
        "matter": matter, "steps": steps, "deputies": Member.objects.filter(pk__in=matter.deputy_ids()),
        "timeline": _timeline(matter), "version": matter.version,
    }, status=status)


EVENT_LABELS = {"created": L_("登记"), "transition": L_("流转")}


def _timeline(matter: Matter) -> list[dict[str, Any]]:
    """The matter's audit entries with the states named as they are called now (never the codes)."""
    names = engine.StateNames(matter.workflow_id)
    out = []
    for e in audit.timeline(matter).select_related("actor").prefetch_related("actor__profiles"):
        from_name, to_name = names.of_entry(e)
        out.append({"entry": e, "label": EVENT_LABELS.get(e.event, e.event),
                    "from": _(from_name) if from_name else "", "to": _(to_name) if to_name else ""})
    return out


# ---------------------------------------------------------------------------------------------- themes, rating, figures


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    council = _staff_council(request)
    form = sf.ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = act.create_theme(request.user, council, **form.cleaned_data)
            return redirect("station-theme", theme.pk)
        except DomainError as exc:
            _errors_into(form, exc)
    rows = [(t, queries.theme_figures(t)) for t in ThemeActivity.objects.filter(council=council)]
    return render(request, "stations/themes.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = _staff_council(request)
    theme = ThemeActivity.objects.filter(pk=pk, council=council).first()
    if theme is None:
        raise Http404()
    return render(request, "stations/theme.html", {"theme": theme, "fig": queries.theme_figures(theme)})


@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Score a station for a year on every published criterion, each with its evidence."""
    council = _staff_council(request)
    station = Station.objects.filter(pk=pk, council=council).first()
    if station is None:
        raise Http404()
    year = timezone.localdate().year
    raw_year = request.POST.get("year") or request.GET.get("year") or ""
    if raw_year.isdigit():
        year = int(raw_year)
    errors: dict[str, str] = {}
    crits: list[Any] = list(RatingCriterion.objects.filter(council=council, active=True))
    if request.method == "POST":
        scores = {c.pk: (_int(request.POST.get(f"score-{c.pk}"), -1), request.POST.get(f"evidence-{c.pk}", ""))
                  for c in crits}
        try:
            rating = act.score_station(request.user, station, year=year, scores=scores)
            messages.success(request, _("评定结果：%(total)d 分，%(stars)d 星。") % {"total": rating.total,
                                                                                   "stars": rating.stars})
            return redirect("station-criteria")
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
    existing = StationRating.objects.filter(station=station, year=year).first()
    old = {s.criterion_id: s for s in existing.scores.all()} if existing else {}
    rows = [{"c": c, "points": request.POST.get(f"score-{c.pk}", old[c.pk].points if c.pk in old else ""),
             "evidence": request.POST.get(f"evidence-{c.pk}", old[c.pk].evidence if c.pk in old else ""),
             "error": errors.get(f"score.{c.pk}") or errors.get(f"evidence.{c.pk}", "")} for c in crits]
    return render(request, "stations/rate.html", {"station": station, "year": year, "rows": rows,
                                                  "errors": errors, "none": not crits},
                  status=400 if errors else 200)


def _int(value: str | None, default: int = 0) -> int:
    """A whole number typed in a form; ``default`` for blank, -1 for anything else (the writer refuses it)."""
    text = (value or "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        return -1


def _date_param(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """数读 of the council's stations for a date range (``from``, ``to``; the current year by default), for the
    council's staff and leaders."""
    council = _reader_council(request)
    today = timezone.localdate()
    start = _date_param(request.GET.get("from"), date(today.year, 1, 1))
    end = _date_param(request.GET.get("to"), date(today.year, 12, 31))
    return render(request, "stations/figures.html", {
        "fig": queries.station_figures(council, start, end), "start": start, "end": end,
        "per_deputy": queries.receptions_per_deputy(council, end.year),
        "norm": act.policy_of(council).receptions_per_year,
    })
