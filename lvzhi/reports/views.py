"""Report pages and downloads (thin: parse, authorize, read, render).

Statistics (staff, leaders and administrators of the council; anyone else 404), the statistics workbook,
the proposal list export (exactly the proposals the user may see, with the list page's filters; large
exports run as a background job with a progress page), and the Word documents of a proposal and a reply.
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.proposals.access import access_proposal, access_reply, visible_proposals
from lvzhi.proposals.choices import ReplyStatus
from lvzhi.proposals.queries import filter_proposals
from lvzhi.reports import documents, excel, jobs
from lvzhi.reports.access import access_job, access_stats_council, stats_councils
from lvzhi.reports.forms import StatsFilterForm
from lvzhi.reports.queries import ProposalStatistics, percent, proposal_statistics


def _not_found(exc: NotFoundError) -> Http404:
    return Http404(exc.message)


def _statistics(request: HttpRequest) -> tuple[StatsFilterForm, ProposalStatistics | None]:
    """The filter form bound to the query string and, when it is valid, the statistics it selects."""
    try:
        council = access_stats_council(request.user, request.GET.get("council"))
    except NotFoundError as exc:
        raise _not_found(exc) from None
    form = StatsFilterForm(request.GET or None, council=council, councils=stats_councils(request.user))
    if request.GET and not form.is_valid():
        return form, None
    kwargs = form.scope_kwargs() if request.GET else {}
    try:
        return form, proposal_statistics(council, **kwargs)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form, None


def _charts(stats: ProposalStatistics) -> dict[str, Any]:
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
    }


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """The statistics page (数读): filters, figures, tables, four charts and the workbook link."""
    form, result = _statistics(request)
    context: dict[str, Any] = {"form": form, "stats": result, "query": request.GET.urlencode()}
    if result is not None:
        context["summary"] = [(label, percent(v) if is_ratio else v) for _, label, v, is_ratio in result.summary()]
        context["charts"] = _charts(result)
        context["first_rate"] = percent(result.first_time_satisfaction_rate)
    return render(request, "reports/stats.html", context, status=200 if form.is_valid() or not request.GET
                  else 400)


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The statistics workbook of the page's filters (400 with the form's messages for bad filters)."""
    form, result = _statistics(request)
    if result is None:
        return render(request, "reports/stats.html", {"form": form, "stats": None}, status=400)
    buffer = io.BytesIO()
    excel.write_statistics(result, buffer)
    buffer.seek(0)
    name = f"提案统计-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=excel.XLSX_CONTENT_TYPE)


@login_required
def proposal_list_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The proposal list export with the list page's filters, limited to what the user may see. Up to
    ``jobs.background_threshold()`` rows are written at once; more start a background job (→ progress page)."""
    if profile_of(request.user) is None:
        raise Http404()
    qs = filter_proposals(visible_proposals(request.user), request.GET)
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


@login_required
def reply_docx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The reply letter (答复函) as a Word document, for whoever may see the proposal; a reply not yet sent
    only for its own unit and the council's staff."""
    try:
        reply = access_reply(request.user, pk)
        if reply.status != ReplyStatus.SENT:
            profile = profile_of(request.user)
            own_unit = profile is not None and profile.unit_id == reply.assignment.unit_id
            if not own_unit and not is_council_staff(request.user, reply.assignment.proposal.council_id):
                raise NotFoundError()
    except NotFoundError as exc:
        raise _not_found(exc) from None
    data = documents.reply_letter(reply)
    proposal = reply.assignment.proposal
    name = f"答复函-{proposal.number or proposal.serial}-{reply.assignment.unit.name}.docx"
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name,
                        content_type=documents.DOCX_CONTENT_TYPE)
