"""The proposal import page (staff): upload a CSV, watch the background job, read the summary.

Thin views: the file is read and validated at once (a bad file or bad rows are shown on the page and nothing
is imported); a valid file is imported by a background job (:func:`lvzhi.proposals.importing.start_import_job`)
whose progress the page polls from :func:`import_status` (JSON).

URLs (``lvzhi/proposals/urls.py``): ``proposals/import/`` (``proposal-import``), ``proposals/import/<job>/``
(``proposal-import-job``), ``proposals/import/<job>/status/`` (``proposal-import-status``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lvzhi.core.errors import DomainError
from lvzhi.core.jobs import live_progress
from lvzhi.core.models import Job
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Session
from lvzhi.proposals import importing

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _is_importer(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in (Role.STAFF, Role.ADMIN)


def importable_sessions(user: Any) -> QuerySet[Session]:
    """Sessions ``user`` may import into: those of their council (all, for an administrator without one)."""
    profile = profile_of(user)
    qs = Session.objects.select_related("term__council").order_by("term__council_id", "-term__number", "-number")
    if profile is None or profile.role not in (Role.STAFF, Role.ADMIN):
        return qs.none()
    if profile.role == Role.ADMIN and profile.council_id is None:
        return qs
    return qs.filter(term__council_id=profile.council_id or 0)


def _access_job(user: Any, pk: int) -> Job:
    job = Job.objects.filter(pk=pk, kind=importing.JOB_KIND).first()
    if job is None or not is_council_staff(user, job.council_id):
        raise Http404("未找到该导入任务，或您无权查看。")
    return job


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and recent imports; POST: validate the file and start the import job."""
    if not _is_importer(request.user):
        raise Http404("未找到该页面，或您无权查看。")
    sessions = importable_sessions(request.user)
    context: dict[str, Any] = {"sessions": sessions, "errors": {}, "row_errors": [], "selected": ""}
    if request.method == "POST":
        context["selected"] = request.POST.get("session", "")
        session = sessions.filter(pk=context["selected"]).first() if context["selected"].isdigit() else None
        upload = request.FILES.get("file")
        if session is None:
            context["errors"]["session"] = "请选择要导入到的会议。"
        if upload is None:
            context["errors"]["file"] = "请选择要导入的 CSV 文件。"
        elif (upload.size or 0) > MAX_UPLOAD_BYTES:
            context["errors"]["file"] = f"文件过大（{(upload.size or 0) / 1048576:.1f} MB），不能超过 20 MB。"
        if not context["errors"]:
            assert session is not None and upload is not None
            try:
                rows = importing.read_proposals_file(upload.read())
                with transaction.atomic():
                    bad = importing.check_rows_for_session(rows, session)
                    if bad:
                        raise importing.ProposalImportError(f"文件中有 {len(bad)} 处错误，未导入任何提案。", errors=bad)
                    job = importing.start_import_job(request.user, rows, session)
            except DomainError as exc:
                context["errors"][exc.field or "file"] = exc.message
                context["row_errors"] = [str(e) for e in getattr(exc, "errors", [])[:200]]
            else:
                return redirect("proposal-import-job", job.pk)
        status = 400
    else:
        status = 200
    councils = {s.term.council_id for s in sessions}
    context["jobs"] = Job.objects.filter(kind=importing.JOB_KIND, council_id__in=councils)[:10]
    context["columns"] = [(c, importing.COLUMN_LABELS.get(c, "")) for c in importing.REQUIRED_COLUMNS]
    return render(request, "proposals/import.html", context, status=status)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page: a progress bar updated by polling, then the summary or the errors."""
    job = _access_job(request.user, pk)
    return render(request, "proposals/import_job.html", {"job": job, "status": _status(job)})


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"status", "status_label", "done", "total", "percent", "message", "finished"}`` of an import job."""
    return JsonResponse(_status(_access_job(request.user, pk)))


def _status(job: Job) -> dict[str, Any]:
    done, total = live_progress(job)
    return {"status": job.status, "status_label": str(job.get_status_display()), "done": done,
            "total": total, "percent": int(100 * done / total) if total else job.percent, "message": job.message,
            "finished": job.status in (Job.Status.DONE, Job.Status.FAILED)}
