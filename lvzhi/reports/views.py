"""Report pages and downloads (thin: parse, authorize, read, render).

Statistics (staff, leaders and administrators of the council; anyone else 404), the statistics workbook,
the proposal list export (exactly the proposals the user may see, with the list page's filters; large
exports run as a background job with a progress page), the Word documents of a proposal and a reply with their
PDF copies (:mod:`lvzhi.core.pdf`), and the compilation (汇编) of a session's published reply letters.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from lvzhi.core import sections as module_sections
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.pdf import PDF_CONTENT_TYPE, missing_message, pdf_available, pdf_download, unavailable_page
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.proposals.access import access_proposal, access_reply
from lvzhi.proposals.choices import ReplyStatus
from lvzhi.reports import compilation, documents, excel, jobs
from lvzhi.reports.access import (
    access_compilation_session,
    access_job,
    access_stats_council,
    compilation_sessions,
    stats_councils,
)
from lvzhi.reports.forms import StatsFilterForm
from lvzhi.reports.queries import (
    MESSAGE_SUMMARY_FIELDS,
    OPINION_SUMMARY_FIELDS,
    TOP,
    CouncilStatistics,
    ProposalStatistics,
    council_statistics,
    figures,
    npc_statistics,
    percent,
    show,
    uses_suggestions,
)


def _not_found(exc: NotFoundError) -> Http404:
    return Http404(exc.message)


def _statistics(request: HttpRequest) -> tuple[StatsFilterForm, CouncilStatistics | None]:
    """The filter form bound to the query string and, when it is valid, the statistics it selects (proposals,
    public-opinion reports and citizens' messages; the term and session filter proposals only)."""
    try:
        council = access_stats_council(request.user, request.GET.get("council"))
    except NotFoundError as exc:
        raise _not_found(exc) from None
    form = StatsFilterForm(request.GET or None, council=council, councils=stats_councils(request.user))
    if request.GET and not form.is_valid():
        return form, None
    kwargs = form.scope_kwargs() if request.GET else {}
    try:
        return form, council_statistics(council, **kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form, None


def _charts(stats: ProposalStatistics, opinions: dict[str, Any], messages: dict[str, Any]) -> dict[str, Any]:
    """The data of the page's charts (``#stats-data``), read by ``static/js/stats.js``."""
    def rows(items: Any) -> dict[str, list[Any]]:
        items = list(items)
        return {"labels": [r.label for r in items], "counts": [r.count for r in items]}

    return {
        "category": {"labels": [r.label for r in stats.by_category],
                     "counts": [r.received for r in stats.by_category],
                     "filed": [r.filed for r in stats.by_category]},
        "kind": rows(r for r in stats.by_proposer_kind if r.count),
        "grade": rows(stats.grades),
        "satisfaction": rows(stats.satisfaction),
        "channel": {"labels": [v["label"] for v in messages["by_channel"].values()],
                    "counts": [v["count"] for v in messages["by_channel"].values()],
                    "series": gettext("群众意见件数")},
        "level": {"labels": [v["label"] for v in opinions["instructed_by_level"].values()],
                  "instructions": [v["instructions"] for v in opinions["instructed_by_level"].values()],
                  "reports": [v["reports"] for v in opinions["instructed_by_level"].values()],
                  "series": [gettext("批示件次"), gettext("获批示信息（篇）")]},
    }


def _shown(data: dict[str, Any], fields: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """``(key, translated label, value as text)`` of the headline figures of an opinions statistics dict."""
    return [(key, gettext(label), show(value, kind)) for key, label, value, kind in figures(data, fields)]


def _opinions_link(request: HttpRequest) -> str:
    """The detail page of reports and messages (/opinions/stats/) for the same dates."""
    params = {"from": request.GET.get("date_from", ""), "to": request.GET.get("date_to", "")}
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("opinions-stats") + (f"?{query}" if query else "")


def _dates(form: StatsFilterForm) -> tuple[date | None, date | None]:
    """The filter's date range (``None`` ends when not given, or when the form is unbound)."""
    data = getattr(form, "cleaned_data", None) or {}
    return data.get("date_from"), data.get("date_to")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """The statistics page (数读): filters; proposal figures, tables and four charts; then the public-opinion
    report (社情民意) and citizens' message (群众意见) figures of the same dates with two charts; the workbook
    link and a link to the opinions statistics page for the detail."""
    form, whole = _statistics(request)
    result = whole.proposals if whole is not None else None
    profile = profile_of(request.user)
    context: dict[str, Any] = {"form": form, "stats": result, "query": request.GET.urlencode(),
                               "can_compile": profile is not None
                               and is_council_staff(request.user, profile.council_id)}
    council = access_stats_council(request.user, request.GET.get("council")) if whole is not None else None
    if whole is not None and result is not None and council is not None and uses_suggestions(council):
        # a people's congress: deputies' suggestions where a CPPCC has proposals (charts are the proposals')
        npc = npc_statistics(council, session=form.cleaned_data.get("session") if request.GET else None)
        context["npc"] = dict(npc, summary=[(label, show(v, kind)) for _, label, v, kind in npc["summary"]],
                              delegations=[(n, c, percent(sh)) for n, c, sh in npc["delegations"]],
                              grade_rows=[(g, c, percent(sh)) for g, c, sh in npc["grade_rows"]])
    if whole is not None and result is not None:
        opinions, messages = whole.opinions, whole.messages
        context["summary"] = [(label, percent(v) if is_ratio else v) for _, label, v, is_ratio in result.summary()]
        context["charts"] = _charts(result, opinions, messages)
        context["first_rate"] = percent(result.first_time_satisfaction_rate)
        context.update(
            opinions=opinions, message_stats=messages,  # not ``messages``: the flash messages' name
            opinion_figures=_shown(opinions, OPINION_SUMMARY_FIELDS),
            message_figures=_shown(messages, MESSAGE_SUMMARY_FIELDS),
            top_authors=[dict(a, rate=percent(a["adoption_rate"])) for a in opinions["by_author"][:TOP]],
            channels=[dict(v, share=percent(v["count"] / messages["received"] if messages["received"] else None))
                      for v in messages["by_channel"].values()],
            ratings=[dict(v, share=percent(v["count"] / messages["rated"] if messages["rated"] else None))
                     for v in messages["satisfaction"].values()],
            opinion_stats_url=_opinions_link(request),
        )
    if council is not None:
        # the other modules' 数读 (liaison stations, outreach office …), registered with lvzhi.core.sections
        context["figure_sections"] = module_sections.sections(council.pk, *_dates(form))
    return render(request, "reports/stats.html", context, status=200 if form.is_valid() or not request.GET
                  else 400)


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The statistics workbook of the page's filters (400 with the form's messages for bad filters)."""
    form, result = _statistics(request)
    if result is None:
        return render(request, "reports/stats.html", {"form": form, "stats": None}, status=400)
    council = access_stats_council(request.user, request.GET.get("council"))
    more = module_sections.sections(council.pk, *_dates(form))
    buffer = io.BytesIO()
    excel.write_statistics(result.proposals, buffer, opinions=result.opinions, messages=result.messages,
                           sections=more)
    buffer.seek(0)
    name = f"数读统计-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=excel.XLSX_CONTENT_TYPE)


@login_required
def proposal_list_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The proposal list export with the list page's filters, limited to what the user may see, drafts only
    with ``drafts=1`` (:func:`lvzhi.reports.jobs.export_queryset`). Up to
    ``jobs.background_threshold()`` rows are written at once; more start a background job (→ progress page)."""
    if profile_of(request.user) is None:
        raise Http404()
    qs = jobs.export_queryset(request.user, request.GET)
    total = qs.count()
    if total > jobs.background_threshold():
        job = jobs.start_proposal_list_export(request.user, request.GET, total=total)
        return redirect("job-progress", pk=job.pk)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    excel.write_proposal_list(qs, tmp)
    tmp.seek(0)
    name = f"提案清单-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=excel.XLSX_CONTENT_TYPE)


def _job_payload(job: Any) -> dict[str, Any]:
    done = job.status == job.Status.DONE and bool(job.result_file)
    return {"id": job.pk, "kind": job.kind, "status": job.status, "status_label": job.get_status_display(),
            "done": job.done, "total": job.total, "percent": job.percent, "message": job.message,
            "download_url": reverse("job-download", args=[job.pk]) if done else None}


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page of the user's own background job; it polls :func:`job_status`."""
    try:
        job = access_job(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    return render(request, "reports/job.html", {"job": job, "payload": _job_payload(job)})


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"status", "done", "total", "percent", "message", "download_url"}`` of the user's own job."""
    try:
        job = access_job(request.user, pk)
    except NotFoundError as exc:
        return JsonResponse({"detail": exc.message, "field": None}, status=404)
    return JsonResponse(_job_payload(job))


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file a finished job produced (404 before it is done)."""
    try:
        job = access_job(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    if job.status != job.Status.DONE or not job.result_file:
        raise Http404("文件尚未生成。")
    if job.kind == jobs.COMPILATION_JOB:
        stored = os.path.basename(job.result_file.name)
        ext = os.path.splitext(stored)[1].lower()
        content_type = {".pdf": PDF_CONTENT_TYPE, ".docx": documents.DOCX_CONTENT_TYPE}.get(ext,
                                                                                          "application/octet-stream")
        return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=stored,
                            content_type=content_type)
    name = f"提案清单-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.xlsx"
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name,
                        content_type=excel.XLSX_CONTENT_TYPE)


@login_required
def proposal_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The proposal as a Word document (公文 layout), for whoever may see the proposal."""
    try:
        proposal = access_proposal(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    data = documents.proposal_document(proposal)
    name = f"提案-{proposal.number or proposal.serial or proposal.pk}.docx"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type=documents.DOCX_CONTENT_TYPE)


def _letter_reply(request: HttpRequest, pk: int) -> Any:
    """Reply ``pk`` for its letter: whoever may see the proposal once sent; before, only its own unit and
    the council's staff (404 for anyone else)."""
    try:
        reply = access_reply(request.user, pk)
        if reply.status != ReplyStatus.SENT:
            profile = profile_of(request.user)
            own_unit = profile is not None and profile.unit_id == reply.assignment.unit_id
            if not own_unit and not is_council_staff(request.user, reply.assignment.proposal.council_id):
                raise NotFoundError()
    except NotFoundError as exc:
        raise _not_found(exc) from None
    return reply


@login_required
def reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The reply letter (答复函) as a page: the preview the unit leader reads before signing off (the same
    text as the Word document, :func:`lvzhi.reports.documents.reply_letter_parts`)."""
    reply = _letter_reply(request, pk)
    return render(request, "reports/reply_letter.html", {"reply": reply, "letter": documents.reply_letter_parts(reply),
                                                         "proposal": reply.assignment.proposal})


@login_required
def reply_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reply letter (答复函) as a Word document, for whoever may see the proposal; a reply not yet sent
    only for its own unit and the council's staff."""
    reply = _letter_reply(request, pk)
    data = documents.reply_letter(reply)
    proposal = reply.assignment.proposal
    name = f"答复函-{proposal.number or proposal.serial}-{reply.assignment.unit.name}.docx"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type=documents.DOCX_CONTENT_TYPE)


@login_required
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The proposal's Word document as PDF (LibreOffice); where none can be made, a page saying why with the
    Word link. Same access as :func:`proposal_docx`."""
    try:
        proposal = access_proposal(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    name = f"提案-{proposal.number or proposal.serial or proposal.pk}.pdf"
    return pdf_download(request, lambda: documents.proposal_document(proposal), name,
                        reverse("proposal-docx", args=[proposal.pk]))


@login_required
def reply_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reply letter as PDF; same access as :func:`reply_docx`."""
    reply = _letter_reply(request, pk)
    proposal = reply.assignment.proposal
    name = f"答复函-{proposal.number or proposal.serial}-{reply.assignment.unit.name}.pdf"
    return pdf_download(request, lambda: documents.reply_letter(reply), name, reverse("reply-docx", args=[reply.pk]))


def _compilation_kind(session: Any) -> str:
    """Suggestions for a people's congress session, proposals otherwise."""
    return compilation.SUGGESTIONS if uses_suggestions(session.term.council) else compilation.PROPOSALS


@login_required
def compilations(request: HttpRequest) -> HttpResponse:
    """The sessions the staff user may compile (汇编), newest first, with the number of published letters of
    each and the Word and PDF links."""
    profile = profile_of(request.user)
    if profile is None or not is_council_staff(request.user, profile.council_id):
        raise Http404()
    sessions = list(compilation_sessions(request.user).select_related("term__council")
                    .order_by("term__council__name", "-term__number", "-number"))
    rows = [{"session": s, "name": compilation.session_name(s, _compilation_kind(s)),
             "kind": _compilation_kind(s), "letters": compilation.letter_count(s, _compilation_kind(s))}
            for s in sessions]
    return render(request, "reports/compilations.html", {"rows": rows})


def _compilation(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The compilation of session ``pk`` as ``fmt``: written at once up to ``jobs.compilation_threshold()``
    letters, else a background job (→ its progress page). A PDF where LibreOffice is missing answers the
    page saying so with the Word link, without starting anything."""
    try:
        session = access_compilation_session(request.user, pk)
    except NotFoundError as exc:
        raise _not_found(exc) from None
    kind = _compilation_kind(session)
    name = f"{compilation.session_name(session, kind)}{compilation.heading_of(kind)}"
    word_url = reverse("compilation-docx", args=[session.pk])
    if fmt == "pdf" and not pdf_available():
        return unavailable_page(request, missing_message(), word_url)
    total = compilation.letter_count(session, kind)
    if total > jobs.compilation_threshold():
        job = jobs.start_compilation(request.user, session, kind, fmt, total=total)
        return redirect("job-progress", pk=job.pk)
    if fmt == "pdf":
        return pdf_download(request, lambda: compilation.compile_session(session, kind), f"{name}.pdf", word_url)
    return FileResponse(io.BytesIO(compilation.compile_session(session, kind)), as_attachment=True,
                        filename=f"{name}.docx", content_type=documents.DOCX_CONTENT_TYPE)


@login_required
def compilation_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The compilation (汇编) of session ``pk``'s published reply letters as one Word document, for the
    council's staff (:func:`lvzhi.reports.compilation.compile_session`); large ones as a background job."""
    return _compilation(request, pk, "docx")


@login_required
def compilation_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The compilation as PDF (LibreOffice); same access as :func:`compilation_docx`."""
    return _compilation(request, pk, "pdf")
