"""Pages of public-opinion reports and citizens' messages, and the public portal (thin: parse, authorize,
call the action, render). A :class:`DomainError` is shown next to its field and the form keeps its values."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.core import attachments, delivery, images
from lvzhi.core.audit import timeline
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.events import event_label
from lvzhi.core.paging import CappedPaginator
from lvzhi.core.posting import post_or_back_to
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import HandlingUnit, Member, Organisation
from lvzhi.opinions import actions, exports, following, queries, ratelimit
from lvzhi.opinions.access import (
    access_message,
    access_report,
    may_manage,
    message_by_code,
    public_messages,
    visible_messages,
    visible_reports,
)
from lvzhi.opinions.choices import (
    Channel,
    InstructionLevel,
    IssueKind,
    Rating,
    RecipientKind,
    ReplyStatus,
    SubmitterKind,
)
from lvzhi.opinions.defaults import MESSAGE_CASE_TYPE, REPORT_CASE_TYPE
from lvzhi.opinions.models import BulletinIssue, Informant, ReportForward
from lvzhi.workflow.engine import StateNames, acts_from
from lvzhi.workflow.models import State

PAGE_SIZE = 50

# Audit events of reports and messages as the timeline names them (transitions show the from → to state names).
EVENT_LABELS = {
    "created": L_("创建"), "edited": L_("修改"), "report_edited": L_("修改"), "delivered": L_("登记报送"),
    "instructed": L_("登记批示"), "forwarded_units": L_("转办承办单位"), "answer_drafted": L_("提交负责人签发"),
    "answer_sent": L_("签发"), "converted_from_proposal": L_("转自提案"), "routed": L_("转办"),
    "reply_drafted": L_("拟写答复"), "published": L_("已公开"), "unpublished": L_("取消公开"),
    "rated": L_("群众评价"), "imported": L_("导入"), "case_linked": L_("关联案件"),
}


def _timeline(case: Any) -> list[dict[str, Any]]:
    """The case's audit entries for the page: ``[{"entry", "label", "from", "to", "unit"}]`` with the event
    and the states named in the user's language (never the internal codes)."""
    names = StateNames(case.workflow_id)
    out = []
    for e in timeline(case).select_related("actor").prefetch_related("actor__profiles"):
        chosen = (e.new_values or {}).get("chosen") if e.event == "routed" else None
        from_name, to_name = names.of_entry(e)
        out.append({"entry": e, "label": event_label(e.event, EVENT_LABELS),
                    "from": gettext(from_name) if from_name else "", "to": gettext(to_name) if to_name else "",
                    "unit": chosen.get("unit_name", "") if isinstance(chosen, dict) else ""})
    return out


def _council(request: HttpRequest) -> Any:
    profile = profile_of(request.user)
    if profile is None or profile.council is None:
        raise Http404("未找到该对象，或您无权查看。")
    return profile.council


def _date(value: Any, field: str, label: str, *, required: bool = False) -> date | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise DomainError(f"请填写「{label}」。", field=field)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"「{label}」须为日期，格式如 2026-03-15。", field=field) from None


def _int(value: Any, field: str, label: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise DomainError(f"「{label}」须为正整数。", field=field)
    return int(text)


def _by_id(model: Any, value: Any, field: str, label: str, **filters: Any) -> Any:
    pk = str(value or "").strip()
    if not pk:
        return None
    obj = model.objects.filter(pk=int(pk) if pk.isdigit() else -1, **filters).first()
    if obj is None:
        raise DomainError(f"所选{label}不存在。", field=field)
    return obj


# ---------------------------------------------------------------------------------------------- staff home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Reports and messages the user may see, with filters (``tab`` = ``reports`` or ``messages``)."""
    tab = request.GET.get("tab") or "reports"
    profile = profile_of(request.user)
    qs: QuerySet[Any]
    if tab == "messages":
        qs = queries.filter_messages(visible_messages(request.user), request.GET).select_related("state", "unit")
    else:
        tab = "reports"
        qs = queries.filter_reports(visible_reports(request.user), request.GET).select_related(
            "state", "member", "organisation", "informant", "issue")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    manage = bool(profile and profile.council_id and may_manage(request.user, profile.council_id))
    case_type = MESSAGE_CASE_TYPE if tab == "messages" else REPORT_CASE_TYPE
    council_id = profile.council_id if profile and profile.council_id else 0
    states = list(State.objects.filter(workflow__council_id=council_id, workflow__case_type=case_type,
                                       workflow__active=True).order_by("order").values_list("code", "name"))
    return render(request, "opinions/home.html", {
        "tab": tab, "page": page, "params": request.GET, "manage": manage, "states": states,
        "channels": Channel.choices, "kinds": SubmitterKind.choices,
        "issues": BulletinIssue.objects.filter(council_id=profile.council_id)[:50]
        if manage and profile and profile.council_id is not None else [],
        "issue_kinds": IssueKind.choices,
        "may_report": bool(profile and profile.role in (Role.MEMBER, Role.STAFF, Role.ADMIN)),
        "export_query": urlencode([(k, str(v)) for k, v in request.GET.items() if k not in ("tab", "page")]
                                  + [("tab", tab)]),
    })


@login_required
def home_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The list of the page's tab (``tab`` = ``reports`` or ``messages``) with its filters as an Excel file:
    the rows the user may see; drafts of reports only with ``drafts=1``."""
    if profile_of(request.user) is None:
        raise Http404("未找到该页面，或您无权查看。")
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    if request.GET.get("tab") == "messages":
        exports.write_messages(queries.filter_messages(visible_messages(request.user), request.GET), tmp)
        name = f"群众意见清单-{timezone.localdate():%Y%m%d}.xlsx"
    else:
        reports = queries.filter_reports(visible_reports(request.user), request.GET)
        if request.GET.get("drafts") != "1":
            reports = reports.exclude(state__is_draft=True)
        exports.write_reports(reports, tmp)
        name = f"社情民意信息清单-{timezone.localdate():%Y%m%d}.xlsx"
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=exports.XLSX_CONTENT_TYPE)


# ---------------------------------------------------------------------------------------------- reports


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            kind = data.get("submitter_kind") or SubmitterKind.MEMBER
            with transaction.atomic():
                report = _create_report_from(request, council, data, kind)
            flash.success(request, "社情民意信息已保存。")
            return redirect("opinions-report", report.pk)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
    return _report_form(request, council, errors)


def _create_report_from(request: HttpRequest, council: Any, data: Any, kind: str) -> Any:
    report = actions.create_report(
        request.user, council=council, title=data.get("title", ""), situation=data.get("situation", ""),
        analysis=data.get("analysis", ""), suggestion=data.get("suggestion", ""), submitter_kind=kind,
        member=_by_id(Member, data.get("member"), "member", "委员", council=council),
        organisation=_by_id(Organisation, data.get("organisation"), "organisation", "报送单位", council=council),
        informant=_by_id(Informant, data.get("informant"), "informant", "信息员", council=council))
    if data.get("submit") == "1":
        actions.submit_report(request.user, report.pk)
    return report


def _report_form(request: HttpRequest, council: Any, errors: dict[str, str]) -> HttpResponse:
    profile = profile_of(request.user)
    orgs = Organisation.objects.filter(council=council)
    if profile and profile.role == Role.MEMBER:
        orgs = orgs.filter(pk__in=[o.pk for o in (profile.member.organisations() if profile.member else [])])
    return render(request, "opinions/report_form.html", {
        "errors": errors, "data": request.POST, "kinds": SubmitterKind.choices, "organisations": orgs,
        "members": [] if profile is None or profile.role == Role.MEMBER else
        Member.objects.filter(council=council, active=True),
        "informants": Informant.objects.filter(council=council, active=True),
        "limit": actions.REPORT_RECOMMENDED_MAX, "body_max": actions.BODY_MAX,
    }, status=400 if errors else 200)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = access_report(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    return _render_report(request, report)


def _render_report(request: HttpRequest, report: Any, errors: dict[str, str] | None = None,
                   status: int = 200) -> HttpResponse:
    roles = report.roles_of(request.user)
    profile = profile_of(request.user)
    forwards = list(report.forwards.select_related("unit"))
    return render(request, "opinions/report_detail.html", {
        "report": report, "roles": roles, "errors": errors or {}, "data": request.POST, "acts": acts_from(report),
        "warnings": actions.report_warnings(report), "timeline": _timeline(report),
        "instructions": report.instructions.all(), "deliveries": report.deliveries.all(), "forwards": forwards,
        "my_forwards": [f for f in forwards if profile and f.unit_id == profile.unit_id],
        "issues": BulletinIssue.objects.filter(council_id=report.council_id)[:50],
        "units": HandlingUnit.objects.filter(council_id=report.council_id, active=True),
        "levels": InstructionLevel.choices, "recipients": RecipientKind.choices,
        "recommend": queries.recommendations(report) if "staff" in roles else [],
        "similar": queries.similar(report) if "staff" in roles else [],
        "may_convert_back": report.source_proposal_id,
    }, status=status)


@login_required
@post_or_back_to("opinions-report")
def report_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action on a report, named by ``action`` in the form."""
    try:
        report = access_report(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    data, user, action = request.POST, request.user, request.POST.get("action", "")
    version = _int(data.get("version"), "version", "版本")
    try:
        if action == "submit":
            actions.submit_report(user, pk, expected_version=version)
        elif action == "withdraw":
            actions.withdraw_report(user, pk)
        elif action in ("adopt", "keep"):
            actions.screen_report(user, pk, decision=action, comment=data.get("comment", ""),
                                  expected_version=version)
        elif action == "edit":
            fields = {k: data.get(k, "") for k in ("title", "situation", "analysis", "suggestion")}
            if report.state.submitter_may_edit:
                actions.update_report_draft(user, pk, expected_version=version, **fields)
            else:
                actions.edit_report(user, pk, expected_version=version, **fields)
        elif action == "sign_off":
            actions.sign_off_report(user, pk, comment=data.get("comment", ""), expected_version=version)
        elif action == "publish":
            issue = _by_id(BulletinIssue, data.get("issue"), "issue", "期刊", council_id=report.council_id)
            if issue is None:
                raise DomainError("请选择刊发期次。", field="issue")
            actions.publish_report(user, pk, issue=issue, piece=_int(data.get("piece"), "piece", "篇次"),
                                   expected_version=version)
        elif action == "deliver":
            actions.record_delivery(user, pk, recipient_kind=data.get("recipient_kind", ""),
                                    recipient=data.get("recipient", ""),
                                    sent_on=_date(data.get("sent_on"), "sent_on", "报送日期"))
        elif action == "instruct":
            actions.record_instruction(user, pk, leader_name=data.get("leader_name", ""),
                                       level=data.get("level", ""),
                                       date=_date(data.get("date"), "date", "批示日期", required=True),  # type: ignore[arg-type]
                                       text=data.get("text", ""))
        elif action == "forward":
            units = [_by_id(HandlingUnit, u, "units", "承办单位", council_id=report.council_id)
                     for u in data.getlist("units")]
            actions.forward_report(user, pk, [u for u in units if u], comment=data.get("comment", ""),
                                   expected_version=version)
        elif action in ("answer", "answer_sign_off"):
            forward = ReportForward.objects.filter(report=report, pk=_int(data.get("forward"), "forward", "转办") or -1
                                                   ).first()
            if forward is None:
                raise DomainError("转办记录不存在。", field="forward")
            if action == "answer":
                actions.draft_forward_answer(user, forward.pk, text=data.get("text", ""))
            else:
                actions.sign_off_forward_answer(user, forward.pk)
        elif action == "close":
            actions.close_report(user, pk, outcome=data.get("outcome", ""), expected_version=version)
        else:
            raise DomainError("未知操作。", field="action")
    except DomainError as exc:
        report = access_report(request.user, pk)
        return _render_report(request, report, {exc.field or "form": exc.message}, status=exc.status)
    flash.success(request, "操作成功。")
    return redirect("opinions-report", pk)


@login_required
@require_POST
def issue_new(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    data = request.POST
    try:
        actions.create_issue(request.user, council, year=_int(data.get("year"), "year", "年度") or 0,  # type: ignore[arg-type]
                             number=_int(data.get("number"), "number", "期号") or 0,
                             date=_date(data.get("date"), "date", "出刊日期", required=True),  # type: ignore[arg-type]
                             kind=data.get("kind", IssueKind.SINGLE), title=data.get("title", ""))
        flash.success(request, "期刊已创建。")
    except DomainError as exc:
        flash.error(request, exc.message)
    return redirect(reverse("opinions-home") + "?tab=reports")


@login_required
@post_or_back_to("proposal-detail", "proposal_pk")
def convert_proposal(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """Convert a not-filed proposal into a public-opinion report (staff)."""
    from lvzhi.proposals.access import access_proposal

    try:
        access_proposal(request.user, proposal_pk)
        report = actions.convert_proposal_to_report(request.user, proposal_pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        flash.error(request, exc.message)
        return redirect("proposal-detail", proposal_pk)
    flash.success(request, "已转为社情民意信息。")
    return redirect("opinions-report", report.pk)


# ---------------------------------------------------------------------------------------------- messages


@login_required
def message_new(request: HttpRequest) -> HttpResponse:
    """Staff register a letter, a visit or an enterprise issue."""
    council = _council(request)
    if not may_manage(request.user, council.pk):
        raise Http404("未找到该对象，或您无权查看。")
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        try:
            received = _date(data.get("received_on"), "received_on", "收到日期")
            # a day received: 09:00 that day, or now when that is still to come (a letter logged early today)
            when = (min(datetime.combine(received, time(9), tzinfo=timezone.get_current_timezone()), timezone.now())
                    if received else None)
            message = actions.register_message(
                request.user, council, channel=data.get("channel", ""), title=data.get("title", ""),
                body=data.get("body", ""), place=data.get("place", ""), contact=data.get("contact", ""),
                submitter_name=data.get("submitter_name", ""), enterprise_name=data.get("enterprise_name", ""),
                member=_by_id(Member, data.get("member"), "member", "委员", council=council),
                visit_leader=data.get("visit_leader", ""), submitted_at=when)
            flash.success(request, f"已登记，查询码 {message.tracking_code}。")
            return redirect("opinions-message", message.pk)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
    return render(request, "opinions/message_form.html", {
        "errors": errors, "data": request.POST,
        "channels": [c for c in Channel.choices if c[0] != Channel.IMPORTED],
        "members": Member.objects.filter(council=council, active=True), "body_max": actions.BODY_MAX,
    }, status=400 if errors else 200)


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = access_message(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    return _render_message(request, message)


def _render_message(request: HttpRequest, message: Any, errors: dict[str, str] | None = None,
                    status: int = 200) -> HttpResponse:
    roles = message.roles_of(request.user)
    recommend = queries.recommendations(message) if "staff" in roles else []
    return render(request, "opinions/message_detail.html", {
        "message": message, "roles": roles, "errors": errors or {}, "data": request.POST, "acts": acts_from(message),
        "timeline": _timeline(message), "units": HandlingUnit.objects.filter(council_id=message.council_id, active=True),
        "recommend": recommend, "suggested": queries.suggestion_summary(recommend),
        "shown": queries.sign_shown(message, recommend) if recommend else "",
        "similar": queries.similar(message) if "staff" in roles else [],
        "photos": list(attachments.photos_of(message)),
    }, status=status)


@login_required
@post_or_back_to("opinions-message")
def message_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action on a message, named by ``action`` in the form."""
    try:
        message = access_message(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    data, user, action = request.POST, request.user, request.POST.get("action", "")
    version = _int(data.get("version"), "version", "版本")
    try:
        if action == "route":
            unit = _by_id(HandlingUnit, data.get("unit"), "unit", "承办单位", council_id=message.council_id)
            if unit is None:
                raise DomainError("请选择承办单位。", field="unit")
            shown = queries.read_shown(message, data.get("shown", ""))  # what the page showed, signed
            actions.route_message(user, pk, unit=unit, category=data.get("category", ""),
                                  deadline=_date(data.get("deadline"), "deadline", "办理期限"),
                                  suggested=queries.suggestion_summary(shown), shown=shown,
                                  comment=data.get("comment", ""), expected_version=version)
        elif action == "return":
            actions.return_message(user, pk, reason=data.get("reason", ""))
        elif action == "reject":
            actions.reject_message(user, pk, reason=data.get("reason", ""))
        elif action == "draft_reply":
            actions.draft_message_reply(user, pk, text=data.get("text", ""), expected_version=version)
        elif action == "sign_off":
            actions.sign_off_message_reply(user, pk, expected_version=version)
        elif action in ("publish", "unpublish"):
            actions.publish_message(user, pk, published=action == "publish",
                                    hide_photos=bool(data.get("hide_photos")) if action == "publish" else None)
        elif action in ("hide_photos", "show_photos"):
            actions.publish_message(user, pk, published=message.published, hide_photos=action == "hide_photos")
        elif action == "close":
            actions.close_message(user, pk, comment=data.get("comment", ""))
        else:
            raise DomainError("未知操作。", field="action")
    except DomainError as exc:
        message = access_message(request.user, pk)
        return _render_message(request, message, {exc.field or "form": exc.message}, status=exc.status)
    flash.success(request, "操作成功。")
    return redirect("opinions-message", pk)


def _photo_response(message: Any, photo_pk: int) -> FileResponse:
    """One photo of ``message`` shown inline (404 for anything else or a file gone from storage)."""
    photo = attachments.photos_of(message).filter(pk=photo_pk).first()
    if photo is None:
        raise Http404("未找到该照片。")
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404("未找到该照片。") from None
    response = FileResponse(handle, filename=photo.name, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def message_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a message, for whoever may see the message (staff, its handling unit)."""
    try:
        message = access_message(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    return _photo_response(message, photo_pk)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    profile = profile_of(request.user)
    if not (may_manage(request.user, council.pk) or (profile and profile.role == Role.LEADER)):
        raise Http404("未找到该对象，或您无权查看。")
    errors: dict[str, str] = {}
    date_from = date_to = None
    try:
        date_from = _date(request.GET.get("from"), "from", "开始日期")
        date_to = _date(request.GET.get("to"), "to", "结束日期")
    except DomainError as exc:
        errors[exc.field or "form"] = exc.message
    return render(request, "opinions/stats.html", {
        "errors": errors, "params": request.GET,
        "reports": queries.opinion_statistics(council, date_from, date_to),
        "messages_stats": queries.message_statistics(council, date_from, date_to),
    }, status=400 if errors else 200)


# ---------------------------------------------------------------------------------------------- public portal


def portal(request: HttpRequest) -> HttpResponse:
    """The public portal: post a message (CSRF-protected, rate-limited per address) and read answered,
    published messages with personal data masked."""
    council = queries.portal_council()
    if council is None:
        raise Http404("门户尚未开通。")
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = request.POST
        if not ratelimit.allow(request):
            errors["form"] = ratelimit.refusal_message()
            status = 429
        else:
            try:
                message = actions.submit_portal_message(
                    council, title=data.get("title", ""), body=data.get("body", ""), place=data.get("place", ""),
                    contact=data.get("contact", ""), photos=request.FILES.getlist("photos"))
                return render(request, "portal/submitted.html", {"code": message.tracking_code})
            except DomainError as exc:
                errors[exc.field or "form"] = exc.message
                status = 400
    browse = queries.browse_public(council.pk, request.GET)
    page = Paginator(browse.messages, 20).get_page(request.GET.get("page"))
    kept = urlencode([(k, v) for k, v in (("q", browse.q), ("category", browse.category),
                                          ("unit", browse.unit or ""), ("place", browse.place)) if v])
    return render(request, "portal/index.html", {
        "council": council, "errors": errors, "data": request.POST if errors else {},
        "items": [queries.public_view(m, photos=[]) for m in page], "page": page, "body_max": actions.BODY_MAX,
        "photo_max_count": images.PHOTO_MAX_COUNT, "photo_max_mb": images.PHOTO_MAX_BYTES // (1024 * 1024),
        "photos_dropped": bool(errors and request.FILES.getlist("photos") and "photos" not in errors),
        "browse": browse, "browse_query": kept,
    }, status=status)


def portal_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = public_messages().select_related("state", "reply_unit").filter(pk=pk).first()
    if message is None:
        raise Http404("未找到该留言。")
    return render(request, "portal/message.html", {"item": queries.public_view(message)})


def portal_message_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo of a published message whose photos staff did not hide; 404 otherwise."""
    message = public_messages().filter(pk=pk, photos_hidden=False).first()
    if message is None:
        raise Http404("未找到该照片。")
    return _photo_response(message, photo_pk)


def portal_lookup(request: HttpRequest) -> HttpResponse:
    """Look a message up by its tracking code (GET ``code``), rate the reply (POST ``code``, ``rating``) or
    ask to be told by e-mail when it is answered (POST ``code``, ``email``)."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            if "email" in request.POST:
                following.follow_message(code, email=request.POST.get("email", ""))
                flash.success(request, "已订阅：答复后将发送邮件通知您。")
            else:
                actions.rate_message(code, rating=request.POST.get("rating", ""),
                                     comment=request.POST.get("comment", ""))
                flash.success(request, "感谢您的评价。")
            return redirect(reverse("portal-lookup") + f"?code={code}")
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
            status = exc.status
    message = None
    if code:
        try:
            message = message_by_code(code)
        except NotFoundError as exc:
            errors.setdefault("code", exc.message)
            status = 404
    return render(request, "portal/lookup.html", {
        "code": code, "errors": errors, "item": queries.public_view(message) if message else None,
        "may_rate": bool(message and message.state.proposer_may_rate and not message.rating),
        "may_follow": bool(message and message.reply_status != ReplyStatus.SENT and delivery.email_enabled()),
        "email": request.POST.get("email", ""),
        "ratings": Rating.choices, "rating": request.POST.get("rating", ""),
        "comment": request.POST.get("comment", "") if errors else "", "comment_max": actions.RATING_COMMENT_MAX,
    }, status=status)
