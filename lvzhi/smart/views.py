"""Smart pages (thin: parse, authorize, call, render). Staff only; anyone else gets 404.

- ``/smart/models/`` (``smart-models``): current models, their figures, accuracy in use; POST retrains
  (background :class:`~lvzhi.core.models.Job`), ``/smart/jobs/<pk>/`` shows its progress.
- ``/smart/topics/`` (``hot-topics``): hot topics of the recent messages and reports with a monthly chart.
- ``/smart/link/`` (POST): link two cases; ``/smart/proposals/<pk>/merge/`` (POST): merge a similar
  submitted proposal into this one (:func:`lvzhi.proposals.actions.merge_proposals`).
- ``/smart/similar/`` (GET, JSON): possible duplicates of a proposal being written (title and text typed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.models import Job
from lvzhi.members.access import is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Council
from lvzhi.smart import actions, service, store, training

NOT_FOUND = "未找到该页面，或您无权查看。"


def staff_council(request: HttpRequest) -> Council:
    """The council whose smart pages ``request.user`` may use: their own as staff or administrator (an
    administrator without a council picks one with ``?council=``, default the first). 404 for anyone else."""
    profile = profile_of(request.user)
    if profile is None or profile.role not in (Role.STAFF, Role.ADMIN):
        raise Http404(NOT_FOUND)
    council_id = profile.council_id
    if council_id is None:
        wanted = str(request.GET.get("council") or request.POST.get("council") or "")
        council = (Council.objects.filter(pk=int(wanted)).first() if wanted.isdigit()
                   else Council.objects.order_by("pk").first())
    else:
        council = Council.objects.filter(pk=council_id).first()
    if council is None or not is_council_staff(request.user, council.pk):
        raise Http404(NOT_FOUND)
    return council


def topics_council(request: HttpRequest) -> Council:
    """The council whose hot topics ``request.user`` may read: as in :func:`staff_council`, and also a leader's
    own council (leaders see every message and report of it, so the topics and the cases they name). 404 for
    anyone else."""
    profile = profile_of(request.user)
    if profile is not None and profile.role == Role.LEADER and profile.council_id is not None:
        council = Council.objects.filter(pk=profile.council_id).first()
        if council is None:
            raise Http404(NOT_FOUND)
        return council
    return staff_council(request)


def _date(value: str | None, field: str, label: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"「{label}」须为有效日期（YYYY-MM-DD）。", field=field) from None


def parse_topic_params(params: Any) -> dict[str, Any]:
    """``from``, ``to`` (dates), ``days`` (1..3650), ``growth`` (ratio > 0) from a query string, as keyword
    arguments of :func:`lvzhi.smart.service.hot_topics`. Raises :class:`DomainError` naming the field."""
    out: dict[str, Any] = {"date_from": _date(params.get("from"), "from", "开始日期"),
                           "date_to": _date(params.get("to"), "to", "结束日期")}
    if out["date_from"] and out["date_to"] and out["date_from"] > out["date_to"]:
        raise DomainError("开始日期不能晚于结束日期。", field="from")
    days = str(params.get("days") or "").strip()
    if days:
        if not days.isdigit() or not 1 <= int(days) <= 3650:
            raise DomainError("「天数」须为 1 到 3650 之间的整数。", field="days")
        out["days"] = int(days)
    growth = str(params.get("growth") or "").strip()
    if growth:
        try:
            value = float(growth)
        except ValueError:
            value = -1.0
        if not 0 < value <= 100:
            raise DomainError("「增长预警阈值」须为大于 0 的数（如 1.5 表示增长 50%）。", field="growth")
        out["growth_threshold"] = value
    return out


@login_required
def hot_topics_page(request: HttpRequest) -> HttpResponse:
    council = topics_council(request)
    errors: dict[str, str] = {}
    try:
        params = parse_topic_params(request.GET)
    except DomainError as exc:
        errors[exc.field or "form"] = exc.message
        params = {}
    result = service.hot_topics(council.pk, **params)
    chart = {"periods": sorted({p for t in result["topics"][:6] for p in t["series"]}),
             "topics": [{"label": t["label"], "series": t["series"]} for t in result["topics"][:6]]}
    return render(request, "smart/topics.html", {
        "council": council, "result": result, "errors": errors, "params": request.GET, "chart": chart,
        "default_growth": service.growth_threshold_default(),
    }, status=400 if errors else 200)


@login_required
def models_page(request: HttpRequest) -> HttpResponse:
    """GET: the models and their figures; POST: start retraining in the background."""
    council = staff_council(request)
    if request.method == "POST":
        job = training.start_training_job(request.user, council)
        messages.success(request, "已开始重新训练，完成后本页显示新模型。")
        return redirect("smart-job", job.pk)
    accuracy = service.accuracy_in_use(council.pk)
    rows = []
    for info in store.list_models(council.pk):
        key = info.kind
        rows.append({"info": info, "kind_label": store.KINDS[info.kind],
                     "own": info.council_id == council.pk, "accuracy": accuracy.get(key)})
    return render(request, "smart/models.html", {
        "council": council, "rows": rows, "accuracy": accuracy, "kinds": store.KINDS,
        "jobs": Job.objects.filter(kind=training.JOB_KIND, council=council)[:5],
    })


def _access_job(request: HttpRequest, pk: int) -> Job:
    job = Job.objects.filter(pk=pk, kind=training.JOB_KIND).first()
    if job is None or not is_council_staff(request.user, job.council_id):
        raise Http404(NOT_FOUND)
    return job


def _job_status(job: Job) -> dict[str, Any]:
    return {"status": job.status, "status_label": str(job.get_status_display()), "done": job.done,
            "total": job.total, "percent": job.percent, "message": job.message,
            "finished": job.status in (Job.Status.DONE, Job.Status.FAILED)}


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _access_job(request, pk)
    return render(request, "smart/job.html", {"job": job, "status": _job_status(job)})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"status", "status_label", "done", "total", "percent", "message", "finished"}`` of a training job."""
    return JsonResponse(_job_status(_access_job(request, pk)))


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def link_view(request: HttpRequest) -> HttpResponse:
    """Link case ``from_type``/``from_id`` to ``to_type``/``to_id`` (staff of the council; 404 otherwise)."""
    data = request.POST
    kind = data.get("from_type", "")
    try:
        case = _visible_case(request.user, kind, data.get("from_id"))
        if "staff" not in case.roles_of(request.user):
            raise NotFoundError()
        score = _float(data.get("score"))
        actions.link_cases(request.user, case, data.get("to_type", ""), data.get("to_id"), score=score,
                           note=data.get("note", ""))
    except NotFoundError:
        raise Http404(NOT_FOUND) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已关联案件。")
    return redirect(_back(request, service.case_url(kind, case.pk)))


def _float(value: Any) -> float | None:
    try:
        return round(float(value), 4) if value not in (None, "") else None
    except ValueError:
        return None


def _visible_case(user: Any, kind: str, pk: Any) -> Any:
    if kind == "message":
        from lvzhi.opinions.access import access_message

        return access_message(user, pk)
    if kind == "report":
        from lvzhi.opinions.access import access_report

        return access_report(user, pk)
    if kind == "proposal":
        from lvzhi.proposals.access import access_proposal

        return access_proposal(user, pk)
    raise NotFoundError()


@login_required
@require_POST
def merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge the submitted proposal ``other`` into proposal ``pk`` (staff; the proposals action checks the
    states and writes the audit entries)."""
    from lvzhi.proposals import actions as proposal_actions

    try:
        main = _visible_case(request.user, "proposal", pk)
        if "staff" not in main.roles_of(request.user):
            raise NotFoundError()
        other = str(request.POST.get("other") or "")
        if not other.isdigit():
            raise DomainError("请选择要并入的提案。", field="other")
        _visible_case(request.user, "proposal", other)
        proposal_actions.merge_proposals(request.user, main.pk, [int(other)],
                                         comment=request.POST.get("comment", ""))
    except NotFoundError:
        raise Http404(NOT_FOUND) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已并案。")
    return redirect("proposal-detail", pk=pk)


@login_required
@require_GET
def similar_json(request: HttpRequest) -> JsonResponse:
    """``{"results": [...]}`` — cases similar to the proposal text typed in ``title`` and ``text`` (GET), among
    those the user may see (titles masked for non-staff). Members, staff and administrators only."""
    from lvzhi.proposals.models import Proposal

    profile = profile_of(request.user)
    if profile is None or profile.role not in (Role.MEMBER, Role.STAFF, Role.ADMIN) or profile.council_id is None:
        raise Http404(NOT_FOUND)
    title = str(request.GET.get("title") or "")[:200]
    text = str(request.GET.get("text") or "")[:5000]
    if len((title + text).strip()) < 4:
        return JsonResponse({"results": []})
    draft = Proposal(council_id=profile.council_id, title=title, situation=text)
    hits = service.similar_cases(draft, user=request.user, text=f"{title}\n{text}")
    return JsonResponse({"results": [
        {k: h[k] for k in ("kind", "kind_label", "title", "score", "url", "state", "duplicate_label")}
        for h in hits]})
