"""Long exports as background jobs (:class:`lvzhi.core.models.Job`), with progress for the page to poll.

A proposal list of more than :func:`background_threshold` rows (5,000 by default,
``settings.EXPORT_BACKGROUND_ROWS``) is not built inside the request: :func:`start_proposal_list_export`
records a job and, once the transaction commits, runs :func:`run_proposal_list_export` in the background
(:func:`lvzhi.core.tasks.start`: a thread, or the Celery worker with ``LVZHI_REDIS_URL``), which updates ``Job.done``/``Job.total`` after every chunk and stores the workbook as ``Job.result_file``.
The same worker function can be called synchronously (tests, a task queue).

A session's compilation of reply letters (汇编, :mod:`lvzhi.reports.compilation`) with more than
:func:`compilation_threshold` letters (20 by default, ``settings.COMPILATION_BACKGROUND_LETTERS``) runs the
same way (:func:`start_compilation` → :func:`run_compilation`): 350 letters take about 5 s as Word and 25 s more
as PDF (``bench/bench_documents.py``); progress counts the letters written, the PDF conversion comes last.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import tasks
from lvzhi.core.models import Job
from lvzhi.core.pdf import PdfUnavailableError, docx_to_pdf
from lvzhi.members.access import profile_of
from lvzhi.members.models import Session
from lvzhi.proposals.access import visible_proposals
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.queries import FILTER_PARAMS, filter_proposals
from lvzhi.reports.compilation import compile_session, heading_of, letter_count, session_name
from lvzhi.reports.excel import write_proposal_list

logger = logging.getLogger(__name__)

PROPOSAL_LIST_JOB = "proposal_list_xlsx"


def background_threshold() -> int:
    """Exports with more rows than this run as a background job (``settings.EXPORT_BACKGROUND_ROWS``, 5000)."""
    return int(getattr(settings, "EXPORT_BACKGROUND_ROWS", 5000))


def export_params(params: Mapping[str, Any]) -> dict[str, str]:
    """The list filters of ``params`` (query-string values) that the export keeps: those of
    :data:`lvzhi.proposals.queries.FILTER_PARAMS`, as plain strings."""
    return {k: str(params.get(k)) for k in (*FILTER_PARAMS, "drafts") if params.get(k) not in (None, "")}


def export_queryset(user: Any, params: Mapping[str, Any]) -> QuerySet[Proposal]:
    """The proposals of ``user``'s list export: those the list page shows with the filters of ``params``,
    without drafts unless ``drafts=1`` asks for them (a draft is not yet a proposal: not counted, not sent)."""
    qs = filter_proposals(visible_proposals(user), params)
    if str(params.get("drafts") or "") != "1":
        qs = qs.exclude(state__is_draft=True)
    return qs


def start_proposal_list_export(user: Any, params: Mapping[str, Any], *, total: int) -> Job:
    """Record a pending export job of ``user``'s proposal list with filters ``params`` (``total`` rows
    expected) and run it in the background once the current transaction commits. Returns the job."""
    profile = profile_of(user)
    job = Job.objects.create(kind=PROPOSAL_LIST_JOB, created_by=user, total=total,
                             council_id=profile.council_id if profile else None)
    kept = export_params(params)
    tasks.start(run_proposal_list_export_task, job.pk, kept)
    return job


@tasks.background_task
def run_proposal_list_export_task(job_id: int, params: dict[str, str]) -> None:
    """The background task of :func:`start_proposal_list_export`."""
    run_proposal_list_export(job_id, params)


def run_proposal_list_export(job_id: int, params: Mapping[str, Any]) -> Job:
    """Build the proposal list workbook of job ``job_id`` for the user who started it, with the same
    filters and visibility as the list page; update its progress after every chunk; store the file.

    Ends with the job ``done`` (``done == total``, percent 100) or ``failed`` with a message in Chinese (the
    error is logged). Returns the job as stored.
    """
    job = Job.objects.select_related("created_by").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        qs = export_queryset(job.created_by, params)
        total = qs.count()
        Job.objects.filter(pk=job.pk).update(total=total, done=0)

        def progress(done: int) -> None:
            Job.objects.filter(pk=job.pk).update(done=min(done, total))

        with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
            rows = write_proposal_list(qs, tmp, progress=progress)
            tmp.seek(0)
            job.refresh_from_db()
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            job.result_file.save(f"proposals-{job.pk}-{stamp}.xlsx", File(tmp), save=False)
        job.status, job.done, job.total = Job.Status.DONE, rows, rows
        job.message = f"已导出 {rows} 件提案。"
    except Exception as exc:
        logger.exception("export job %s failed", job_id)
        job.refresh_from_db()
        job.status, job.message = Job.Status.FAILED, f"导出失败：{exc}"
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "total", "message", "result_file", "finished_at"])
    return job


COMPILATION_JOB = "reply_compilation"
FORMATS = ("docx", "pdf")


def compilation_threshold() -> int:
    """Compilations of more letters than this run as a background job
    (``settings.COMPILATION_BACKGROUND_LETTERS``, 20)."""
    return int(getattr(settings, "COMPILATION_BACKGROUND_LETTERS", 20))


def build_compilation(session: Session, kind: str, fmt: str, *,
                      progress: Callable[[int], None] | None = None) -> bytes:
    """The compilation of ``session`` (``kind`` proposals or suggestions) as ``fmt`` ``docx`` or ``pdf``
    bytes. Raises :class:`PdfUnavailableError` when the PDF cannot be made."""
    data = compile_session(session, kind, progress=progress)
    return docx_to_pdf(data) if fmt == "pdf" else data


def start_compilation(user: Any, session: Session, kind: str, fmt: str, *, total: int) -> Job:
    """Record a pending compilation job of ``session`` for ``user`` (``total`` letters expected, ``fmt`` one of
    :data:`FORMATS`) and run :func:`run_compilation` in the background once the transaction commits."""
    job = Job.objects.create(kind=COMPILATION_JOB, created_by=user, total=total, council_id=session.term.council_id)
    tasks.start(run_compilation_task, job.pk, session.pk, kind, fmt)
    return job


@tasks.background_task
def run_compilation_task(job_id: int, session_id: int, kind: str, fmt: str) -> None:
    """The background task of :func:`start_compilation`."""
    run_compilation(job_id, session_id, kind, fmt)


def run_compilation(job_id: int, session_id: int, kind: str, fmt: str) -> Job:
    """Write the compilation of job ``job_id`` (session ``session_id``, ``kind``, ``fmt``), counting the letters
    in ``Job.done``, and store it as the job's file ``<session><heading>.<fmt>``. Ends ``done`` or ``failed``
    with a message in Chinese (a PDF that timed out or failed says so). Returns the job as stored."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        session = Session.objects.select_related("term__council").get(pk=session_id)
        total = letter_count(session, kind)
        Job.objects.filter(pk=job.pk).update(total=total, done=0)

        def progress(done: int) -> None:
            if done % 10 == 0 or done == total:
                Job.objects.filter(pk=job.pk).update(done=min(done, total))

        data = build_compilation(session, kind, fmt, progress=progress)
        job.refresh_from_db()
        with tempfile.TemporaryFile() as tmp:
            tmp.write(data)
            tmp.seek(0)
            job.result_file.save(f"{session_name(session, kind)}{heading_of(kind)}.{fmt}", File(tmp), save=False)
        job.status, job.done, job.total = Job.Status.DONE, total, total
        job.message = _("已汇编 %(count)d 件答复函。") % {"count": total}
    except PdfUnavailableError as exc:
        job.refresh_from_db()
        job.status, job.message = Job.Status.FAILED, exc.message
    except Exception as exc:
        logger.exception("compilation job %s failed", job_id)
        job.refresh_from_db()
        job.status, job.message = Job.Status.FAILED, _("汇编失败：%(error)s") % {"error": exc}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "total", "message", "result_file", "finished_at"])
    return job
