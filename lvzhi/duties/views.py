"""Pages of meetings, attendance, the duty record and scoring (thin: parse, access, act, render).

A refusal (:class:`DomainError`) re-renders or redirects with the writer's Chinese message; missing or
invisible objects answer 404. GET requests write nothing (the QR check-in page asks for one tap).
"""

from __future__ import annotations

import io
import re
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L_
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.duties import actions as act
from lvzhi.duties import importing, ruleio
from lvzhi.duties import record as rec
from lvzhi.duties.access import (
    access_meeting,
    access_member_record,
    access_rule_set,
    acting_council_id,
    acting_member_id,
    may_manage,
    may_oversee,
    visible_meetings,
)
from lvzhi.duties.choices import ContributionKind, MeetingKind, Outcome, Split
from lvzhi.duties.examples import EXAMPLES
from lvzhi.duties.excel import scores_workbook
from lvzhi.duties.models import CheckIn, Invitee, Meeting, RuleSet
from lvzhi.duties.providers import meeting_outcomes
from lvzhi.duties.queries import duty_figures
from lvzhi.duties.record import describe, period_from, record_docx, summarise
from lvzhi.duties.rules import spec_from_dict, spec_of, spec_to_dict
from lvzhi.duties.scoring import score_council
from lvzhi.duties.tokens import checkin_path, make_token, read_token
from lvzhi.duties.yearly import yearly_docx
from lvzhi.members.models import Council, Member

CJK = re.compile(r"[\u4e00-\u9fff]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _or_404(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _council(request: HttpRequest) -> Council:
    council_id = acting_council_id(request.user)
    if council_id is None or not may_oversee(request.user, council_id):
        raise Http404(_("未找到该页面，或您无权查看。"))
    return Council.objects.get(pk=council_id)


# ---------------------------------------------------------------------------------------------- meetings


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=L_("类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=L_("会议名称"), max_length=200)
    place = forms.CharField(label=L_("地点"), max_length=200, required=False)
    start = forms.DateTimeField(label=L_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    end = forms.DateTimeField(label=L_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    counts_half_days = forms.BooleanField(label=L_("按半天计考勤"), required=False)
    agenda = forms.CharField(label=L_("议程"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    invitees = forms.ModelMultipleChoiceField(label=L_("参会人员"), queryset=Member.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    invite_all = forms.BooleanField(label=L_("邀请本机构全体委员（代表）"), required=False)

    def __init__(self, council: Council, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.fields["invitees"].queryset = Member.objects.filter(council=council, active=True)  # type: ignore[attr-defined]


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = visible_meetings(request.user).select_related("council").distinct()[:200]
    member_id = acting_member_id(request.user)
    mine = {i.meeting_id: i for i in Invitee.objects.filter(member_id=member_id, meeting__in=meetings)} \
        if member_id else {}
    council_id = acting_council_id(request.user)
    return render(request, "duties/meetings.html", {
        "meetings": [(m, mine.get(m.pk)) for m in meetings], "now": timezone.now(),
        "may_manage": council_id is not None and may_manage(request.user, council_id)})


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    if not may_manage(request.user, council.pk):
        raise Http404()
    form = MeetingForm(council, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        invitees = list(form.fields["invitees"].queryset) if d["invite_all"] else list(d["invitees"])  # type: ignore[attr-defined]
        try:
            meeting = act.create_meeting(request.user, council, kind=d["kind"], title=d["title"], start=d["start"],
                                         end=d["end"], agenda=d["agenda"], place=d["place"],
                                         counts_half_days=d["counts_half_days"], invitees=invitees)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("会议已创建，已通知参会人员。"))
            return redirect("duties-meeting", meeting.pk)
    return render(request, "duties/meeting_form.html", {"form": form, "council": council},
                  status=400 if request.method == "POST" else 200)


def _attendance_rows(meeting: Meeting) -> tuple[list[str], list[dict[str, Any]]]:
    invitees = list(meeting.invitees.select_related("member").order_by("member__name", "id"))
    checkins = set(CheckIn.objects.filter(meeting=meeting).values_list("member_id", "slot"))
    outcomes = meeting_outcomes(meeting, [(i.member_id, i.leave_status) for i in invitees], checkins, timezone.now())
    labels = dict(Outcome.choices)
    rows = [{"invitee": i, "slots": [(s, outcomes[i.member_id][s], labels[outcomes[i.member_id][s]])
                                     for s in meeting.slots()]} for i in invitees]
    return meeting.slots(), rows


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    staff = may_manage(request.user, meeting.council_id)
    member_id = acting_member_id(request.user)
    mine = meeting.invitees.filter(member_id=member_id).first() if member_id else None
    slots, rows = _attendance_rows(meeting)
    own = next((r for r in rows if mine and r["invitee"].pk == mine.pk), None)
    return render(request, "duties/meeting.html", {
        "meeting": meeting, "staff": staff, "oversee": may_oversee(request.user, meeting.council_id),
        "mine": mine, "own": own, "slots": slots, "rows": rows, "ended": meeting.has_ended(),
        "speeches": meeting.contributions.select_related("member"), "speech_kinds": ContributionKind.choices,
    })


@login_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    _or_404(access_meeting, request.user, pk)
    attend = request.POST.get("attend") == "1"
    try:
        act.respond(request.user, pk, attend=attend, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认出席。") if attend else _("请假申请已提交，等待审批。"))
    return redirect("duties-meeting", pk)


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int, invitee: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    if not meeting.invitees.filter(pk=invitee).exists():
        raise Http404()
    approve = request.POST.get("approve") == "1"
    try:
        act.decide_leave(request.user, invitee, approve=approve, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已批准请假。") if approve else _("已不予批准请假。"))
    return redirect("duties-meeting", pk)


@login_required
@require_POST
def attendance_mark(request: HttpRequest, pk: int) -> HttpResponse:
    _or_404(access_meeting, request.user, pk)
    try:
        present = [int(x) for x in request.POST.getlist("present")]
        result = act.mark_attendance(request.user, pk, present=present, slot=request.POST.get("slot", ""))
    except ValueError:
        messages.error(request, _("勾选的人员无效。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("考勤已保存：新增签到 %(a)d 人，取消 %(r)d 人。") % {
            "a": result["added"], "r": result["removed"]})
    return redirect("duties-meeting", pk)


class ImportForm(forms.Form):
    file = forms.FileField(label=L_("签到表（.xlsx）"))


@login_required
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    if not may_manage(request.user, meeting.council_id):
        raise Http404()
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importing.import_attendance(request.user, meeting, form.cleaned_data["file"])
        if report.ok:
            messages.success(request, report.summary())
            return redirect("duties-meeting", pk)
    return render(request, "duties/import.html", {"meeting": meeting, "form": form, "report": report},
                  status=400 if report is not None else 200)


@login_required
def attendance_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importing.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="attendance-template.xlsx"'
    return response


@login_required
def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    if not may_manage(request.user, meeting.council_id):
        raise Http404()
    url = request.build_absolute_uri(checkin_path(meeting))
    return render(request, "duties/qr.html", {"meeting": meeting, "url": url, "ended": meeting.has_ended()})


@login_required
def meeting_qr_svg(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    if not may_manage(request.user, meeting.council_id):
        raise Http404()
    url = request.build_absolute_uri(checkin_path(meeting, make_token(meeting)))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, title=meeting.title)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def meeting_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    token = request.POST.get("t") or request.GET.get("t", "")
    error = result = None
    if request.method == "POST":
        try:
            result = act.check_in(request.user, pk, token)
        except DomainError as exc:
            error = exc.message
    else:  # show a bad or expired code at once; the check-in itself waits for the tap (GET writes nothing)
        try:
            read_token(token, meeting)
        except DomainError as exc:
            error = exc.message
    return render(request, "duties/checkin.html", {"meeting": meeting, "token": token, "error": error,
                                                   "result": result}, status=400 if error else 200)


@login_required
@require_POST
def speech_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _or_404(access_meeting, request.user, pk)
    try:
        member = Member.objects.get(pk=int(request.POST.get("member") or 0), council_id=meeting.council_id)
    except (Member.DoesNotExist, ValueError, TypeError):
        messages.error(request, _("请选择发言人。"))
        return redirect("duties-meeting", pk)
    try:
        act.record_contribution(request.user, meeting.council, member=member, kind=request.POST.get("kind", ""),
                                title=request.POST.get("title", ""), meeting=meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("发言已登记。"))
    return redirect("duties-meeting", pk)


# ---------------------------------------------------------------------------------------------- record


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    member_id = acting_member_id(request.user)
    if member_id is None:
        return redirect("duties-scores")
    url = reverse("duties-record", args=[member_id])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@login_required
def member_record(request: HttpRequest, member: int) -> HttpResponse:
    m = _or_404(access_member_record, request.user, member)
    try:
        period = period_from(request.GET, m.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        period = period_from({}, m.pk)
    acts, score, rule_name = rec.member_record(m, period)
    described = {a.key: describe(a) for a in acts}
    return render(request, "duties/record.html", {
        "member": m, "period": period, "summaries": summarise(acts, m.council), "score": score, "rule_name": rule_name,
        "described": described, "terms": m.council.terms.all(), "years": range(timezone.localdate().year, 2017, -1)})


@login_required
def member_record_docx(request: HttpRequest, member: int) -> HttpResponse:
    m = _or_404(access_member_record, request.user, member)
    try:
        period = period_from(request.GET, m.pk)
    except DomainError as exc:
        raise Http404(exc.message) from None
    response = HttpResponse(record_docx(m, period), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="duty-record-{m.pk}.docx"'
    return response


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    try:
        period = period_from(request.GET, council.pk, council=True)
    except DomainError as exc:
        messages.error(request, exc.message)
        period = period_from({}, council.pk, council=True)
    try:
        result = score_council(council, period.start, period.end)
    except LookupError as exc:
        result, error = None, str(exc)
    else:
        error = ""
    return render(request, "duties/scores.html", {
        "council": council, "period": period, "result": result, "error": error,
        "figures": duty_figures(result) if result is not None else None,
        "years": range(timezone.localdate().year, 2017, -1), "terms": council.terms.all()})


@login_required
def scores_xlsx(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    try:
        period = period_from(request.GET, council.pk, council=True)
        result = score_council(council, period.start, period.end)
    except DomainError as exc:
        raise Http404(exc.message) from None
    except LookupError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(scores_workbook(result, period.label), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="duty-scores.xlsx"'
    return response


@login_required
def scores_docx(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    try:
        period = period_from(request.GET, council.pk, council=True)
        result = score_council(council, period.start, period.end)
    except DomainError as exc:
        raise Http404(exc.message) from None
    except LookupError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(yearly_docx(result, duty_figures(result), period.label), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="duty-report.docx"'
    return response


# ---------------------------------------------------------------------------------------------- rules


@login_required
def rule_sets(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    staff = may_manage(request.user, council.pk)
    if request.method == "POST" and staff:
        try:
            if request.POST.get("example"):
                rs = act.install_example(request.user, council, request.POST["example"],
                                         activate=not RuleSet.objects.filter(council=council, active=True).exists())
                messages.success(request, _("已安装示例规则：%(name)s。") % {"name": rs.name})
            elif request.POST.get("activate"):
                rs = access_rule_set(request.user, request.POST["activate"])
                act.activate_rule_set(request.user, rs.pk)
                messages.success(request, _("已启用：%(name)s。") % {"name": rs.name})
        except (DomainError, NotFoundError) as exc:
            messages.error(request, exc.message)
        return redirect("duties-rules")
    return render(request, "duties/rules.html", {
        "council": council, "staff": staff, "rule_sets": RuleSet.objects.filter(council=council),
        "examples": [(k, v["name"]) for k, v in EXAMPLES.items()]})


@login_required
def rule_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rs = _or_404(access_rule_set, request.user, pk)
    staff = may_manage(request.user, rs.council_id)
    spec = spec_of(rs)
    if request.method == "POST" and staff and request.POST.get("op") in ("add", "delete", "grades"):
        return _rule_set_edit(request, rs, spec_to_dict(spec))
    if request.method == "POST" and staff:
        data = spec_to_dict(spec)
        raw_item, raw_version = request.POST.get("item", ""), request.POST.get("version", "")
        if not raw_item.isdigit() or int(raw_item) >= len(data["items"]) or not raw_version.isdigit():
            messages.error(request, _("输入无效。"))
            return redirect("duties-rule", rs.pk)
        item = data["items"][int(raw_item)]
        item["points"] = request.POST.get("points", item["points"])
        item["cap"] = request.POST.get("cap") or None
        try:
            act.save_rule_set(request.user, rs.council, spec_from_dict(data), rule_set_pk=rs.pk,
                              expected_version=int(raw_version))
        except ValueError as exc:  # spec_from_dict: a value that is not a number (Chinese message)
            messages.error(request, str(exc))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("规则已保存，积分已按新规则重新计算。"))
        return redirect("duties-rule", rs.pk)
    from lvzhi.duties import acts as registry
    from lvzhi.duties.ruleio import format_conditions

    grades = "\n".join(f"{b.name},{'' if b.min_score is None else f'{b.min_score.normalize():f}'},"
                       f"{'' if b.max_score is None else f'{b.max_score.normalize():f}'}" for b in spec.grades)
    return render(request, "duties/rule_set.html", {
        "rs": rs, "spec": spec, "staff": staff, "splits": dict(Split.choices), "grades_text": grades,
        "rows": [(i, format_conditions(i.conditions)) for i in spec.items], "kinds": registry.kinds(rs.council).values()})


def _rule_set_edit(request: HttpRequest, rs: RuleSet, data: dict[str, Any]) -> HttpResponse:
    """Add an item, delete one, or replace the grade bands, then save the whole set through the writer
    (validated: a problem leaves the rules as they were and is shown)."""
    from lvzhi.duties.ruleio import parse_conditions

    op, post = request.POST["op"], request.POST
    try:
        if op == "add":
            data["items"].append({
                "group": post.get("group", ""), "label": post.get("label", ""), "act_kind": post.get("act_kind", ""),
                "conditions": parse_conditions(post.get("conditions", "")), "points": post.get("points", ""),
                "split": post.get("split") or "full", "co_share": post.get("co_share") or "1",
                "per": post.get("per", ""), "skip_first": int(post.get("skip_first") or 0),
                "cap": post.get("cap") or None})
        elif op == "delete":
            del data["items"][int(post.get("item", ""))]
        else:
            bands = []
            for line in post.get("grades", "").splitlines():
                parts = [p.strip() for p in line.replace("，", ",").split(",")]
                if not parts[0]:
                    continue
                if len(parts) != 3:
                    raise ValueError(f"等次「{line.strip()}」应写成 名称,最低分,最高分（空表示不设）。")
                bands.append({"name": parts[0], "min_score": parts[1] or None, "max_score": parts[2] or None})
            data["grades"] = bands
        act.save_rule_set(request.user, rs.council, spec_from_dict(data), rule_set_pk=rs.pk,
                          expected_version=int(post.get("version", "")))
    except (ValueError, IndexError) as exc:
        messages.error(request, str(exc) if isinstance(exc, ValueError) and CJK.search(str(exc)) else _("输入无效。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("规则已保存，积分已按新规则重新计算。"))
    return redirect("duties-rule", rs.pk)


class RulesImportForm(forms.Form):
    file = forms.FileField(label=L_("考评规则（.xlsx）"))
    activate = forms.BooleanField(label=L_("导入后启用"), required=False)


@login_required
def rules_import(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    if not may_manage(request.user, council.pk):
        raise Http404()
    form = RulesImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            spec = ruleio.read_rules(form.cleaned_data["file"])
            existing = RuleSet.objects.filter(council=council, name=spec.name).first()
            rs = act.save_rule_set(request.user, council, spec, rule_set_pk=existing.pk if existing else None,
                                   activate=form.cleaned_data["activate"])
        except DomainError as exc:
            errors = exc.message.removeprefix("考评规则有误：").split("；")
        else:
            messages.success(request, _("已导入考评规则：%(name)s。") % {"name": rs.name})
            return redirect("duties-rule", rs.pk)
    return render(request, "duties/rules_import.html", {"form": form, "errors": errors, "council": council},
                  status=400 if errors else 200)


@login_required
def rules_template(request: HttpRequest) -> HttpResponse:
    council_id = acting_council_id(request.user)
    rs = RuleSet.objects.filter(council_id=council_id, pk=request.GET.get("from") or 0).first() \
        if council_id is not None and may_oversee(request.user, council_id) and \
        (request.GET.get("from") or "").isdigit() else None
    spec = spec_of(rs) if rs is not None else spec_from_dict(EXAMPLES["tongcheng"])
    response = HttpResponse(ruleio.write_rules(spec), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="duty-rules.xlsx"'
    return response
