"""Pages of the legislative outreach office (thin: parse, access, act, render).

Staff: ``/legislation/`` (drafts, consultations, figures, import upload), ``/legislation/drafts/<pk>/`` (the
structure and its corrections, opening a consultation), ``/legislation/consultations/<pk>/`` (comments per
article with near-duplicates grouped, entering hearing notes, consolidated opinions, the Word report, the
adoption record). Invited account holders and deputies comment on the consultation page. The public portal:
``/portal/legislation/`` (open consultations), ``/portal/legislation/<pk>/`` (the draft article by article,
a comment form under each; rate-limited per address like the portal's messages) and
``/portal/legislation/feedback/`` (the feedback by tracking code). A refusal re-renders the page with the
writer's message (status 400); missing or invisible objects answer 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.legislation import access, actions, queries
from lvzhi.legislation.actions import InviteeSpec
from lvzhi.legislation.choices import Adoption, CommentSource, InviteeKind, SourceLegislature
from lvzhi.legislation.models import COMMENT_MAX, Comment, Opinion
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.models import Member
from lvzhi.opinions import ratelimit


def _date(value: Any, field: str, label: str) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("「%(label)s」应为日期，如 2026-05-01。") % {"label": label}, field=field) from None


def _staff_council(request: HttpRequest) -> Any:
    profile = profile_of(request.user)
    if profile is None or profile.council_id is None or not is_council_staff(request.user, profile.council_id):
        raise Http404(_("只有立法联系点的工作人员可以使用此页面。"))
    return profile.council


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Drafts and consultations of the council, the import form and the figures."""
    council = _staff_council(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择草案文件（.docx、.txt 或 .md）。"), field="file")
            draft = actions.import_draft(request.user, council, upload.read(), upload.name or "",
                                         source=request.POST.get("source", ""))
            messages.success(request, _("已导入《%(title)s》。") % {"title": draft.title})
            return redirect("legislation-draft", pk=draft.pk)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    figures = queries.figures(council.pk, date(year, 1, 1), date(year, 12, 31)) if year else queries.figures(council.pk)
    return render(request, "legislation/home.html", {
        "drafts": access.visible_drafts(request.user).filter(council=council)[:100],
        "consultations": access.visible_consultations(request.user).filter(council=council)
        .select_related("draft")[:100],
        "figures": figures, "year": year, "sources": SourceLegislature.choices, "errors": errors,
    }, status=400 if errors else 200)


def _draft_or_404(request: HttpRequest, pk: int) -> Any:
    try:
        return access.access_draft(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该草案，或您无权查看。")) from None


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The structure of a draft (articles with their paragraphs and items), the corrections and the form
    that opens a consultation. POST ``act`` = edit | merge | split | consult."""
    draft = _draft_or_404(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        act = data.get("act", "")
        version = int(data["version"]) if str(data.get("version", "")).isdigit() else None
        try:
            if act == "edit":
                actions.edit_article(request.user, draft.pk, data.get("article"), data.get("text", ""),
                                     version=version)
            elif act == "merge":
                actions.merge_with_next(request.user, draft.pk, data.get("article"), version=version)
            elif act == "split":
                actions.split_article(request.user, draft.pk, data.get("paragraph"), data.get("number", ""),
                                      version=version)
            elif act == "consult":
                invitees = [InviteeSpec(InviteeKind.INFORMANT, *_name_org(line))
                            for line in data.get("informants", "").splitlines() if line.strip()]
                invitees += [InviteeSpec(InviteeKind.PARTNER_UNIT, *_name_org(line))
                             for line in data.get("partners", "").splitlines() if line.strip()]
                consultation = actions.create_consultation(
                    request.user, draft.pk, title=data.get("title", ""),
                    opens_on=_date(data.get("opens_on"), "opens_on", _("开始日期")),
                    closes_on=_date(data.get("closes_on"), "closes_on", _("截止日期")),
                    source=data.get("source") or None, note=data.get("note", ""),
                    is_public=data.get("is_public") == "1", invitees=invitees)
                messages.success(request, _("已发起征求意见。"))
                return redirect("legislation-consultation", pk=consultation.pk)
            else:
                raise DomainError(_("未知的操作。"), field="act")
            messages.success(request, _("已保存条文结构的修改。"))
            return redirect("legislation-draft", pk=draft.pk)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        draft.refresh_from_db()
    return render(request, "legislation/draft.html", {
        "draft": draft, "articles": queries.articles_of(draft),
        "is_staff": is_council_staff(request.user, draft.council_id), "errors": errors,
        "data": request.POST if errors else {}, "sources": SourceLegislature.choices,
        "consultations": draft.consultations.all(),
    }, status=400 if errors else 200)


def _name_org(line: str) -> tuple[str, str]:
    name, _sep, organisation = line.replace("｜", "|").partition("|")
    return name.strip(), organisation.strip()


def _consultation_or_404(request: HttpRequest, pk: int) -> Any:
    try:
        return access.access_consultation(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该征求意见，或您无权查看。")) from None


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: comments per article (near-duplicates grouped), entering comments, consolidated opinions,
    report and adoption. Invitees and deputies: the draft and a comment form. POST ``act`` = comment |
    opinion | adoption | reported."""
    consultation = _consultation_or_404(request, pk)
    is_staff = is_council_staff(request.user, consultation.council_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = request.POST
        act = data.get("act", "")
        version = int(data["version"]) if str(data.get("version", "")).isdigit() else None
        try:
            if act == "comment":
                actions.add_comment(request.user, consultation.pk, provision_pk=data.get("provision") or None,
                                    text=data.get("text", ""), reasons=data.get("reasons", ""),
                                    source=data.get("source") or None, author_name=data.get("author_name", ""),
                                    hearing=data.get("hearing", ""), speakers=data.get("speakers", ""),
                                    member_pk=data.get("member") or None)
                messages.success(request, _("意见已保存。"))
            elif act == "opinion":
                actions.save_opinion(request.user, consultation.pk, provision_pk=data.get("provision") or None,
                                     text=data.get("text", ""), reasons=data.get("reasons", ""),
                                     comment_ids=data.getlist("comments"), reported=data.get("reported") == "1",
                                     opinion_pk=data.get("opinion") or None, version=version)
                messages.success(request, _("汇总意见已保存。"))
            elif act == "adoption":
                actions.record_adoption(request.user, data.get("opinion"), data.get("adoption", ""),
                                        note=data.get("note", ""), version=version)
                messages.success(request, _("已登记采纳情况，并已反馈给提出意见的人。"))
            elif act == "reported":
                actions.mark_reported(request.user, consultation.pk)
                messages.success(request, _("已登记报送。"))
            else:
                raise DomainError(_("未知的操作。"), field="act")
            return redirect("legislation-consultation", pk=consultation.pk)
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
    context: dict[str, Any] = {
        "consultation": consultation, "draft": consultation.draft, "is_staff": is_staff, "errors": errors,
        "data": request.POST if errors else {}, "articles": queries.articles_of(consultation.draft_id),
        "comment_max": COMMENT_MAX, "sources": CommentSource.choices,
    }
    if is_staff:
        context.update({
            "groups": queries.consolidation(consultation), "adoptions": Adoption.choices[1:],
            "invitees": consultation.invitees.all(),
            "deputies": Member.objects.filter(council_id=consultation.council_id, active=True).order_by("name"),
            "total": Comment.objects.filter(consultation=consultation).count(),
            "reported": Opinion.objects.filter(consultation=consultation, reported=True).count(),
        })
    else:
        context["mine"] = Comment.objects.filter(consultation=consultation, user_id=request.user.pk or 0)
    return render(request, "legislation/consultation.html", context, status=400 if errors else 200)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The Word report upward (意见建议汇总表) of a consultation: staff only."""
    consultation = _consultation_or_404(request, pk)
    if not is_council_staff(request.user, consultation.council_id):
        raise Http404(_("只有立法联系点的工作人员可以下载汇总表。"))
    data = queries.report_docx(consultation)
    response = HttpResponse(data, content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f"attachment; filename=consultation-{consultation.pk}-report.docx"
    return response


# ---------------------------------------------------------------------------------------------- public portal


def portal_list(request: HttpRequest) -> HttpResponse:
    """Open public consultations (立法征求意见)."""
    return render(request, "legislation/portal_list.html", {
        "consultations": access.public_consultations().select_related("draft").order_by("closes_on", "id"),
    })


def portal_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft article by article with a comment form under each (and one for the whole draft); a post is
    rate-limited per address (scope ``legislation``), CSRF-protected, answered with a tracking code."""
    try:
        consultation = access.public_consultation(pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = request.POST
        if not ratelimit.allow(request, "legislation"):
            errors["form"] = ratelimit.refusal_message()
            status = 429
        else:
            try:
                comment = actions.submit_public_comment(
                    consultation.pk, provision_pk=data.get("provision") or None, text=data.get("text", ""),
                    reasons=data.get("reasons", ""), author_name=data.get("author_name", ""),
                    contact=data.get("contact", ""))
                return render(request, "legislation/portal_submitted.html", {
                    "code": comment.tracking_code, "consultation": consultation,
                    "article": comment.provision.number if comment.provision else ""})
            except DomainError as exc:
                errors[exc.field or "form"] = exc.message
                status = 400
    return render(request, "legislation/portal_consultation.html", {
        "consultation": consultation, "draft": consultation.draft,
        "closed": consultation.closes_on < timezone.localdate(),
        "articles": queries.articles_of(consultation.draft_id), "errors": errors,
        "data": request.POST if errors else {}, "comment_max": COMMENT_MAX,
    }, status=status)


def portal_feedback(request: HttpRequest) -> HttpResponse:
    """A citizen's comments by tracking code (GET ``code``) with the adoption feedback once recorded."""
    code = request.GET.get("code", "")
    return render(request, "legislation/portal_feedback.html", {
        "code": code, "comments": queries.feedback_for(code) if code else [],
    })

