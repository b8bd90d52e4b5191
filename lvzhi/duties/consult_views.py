"""Online consultation pages (网络议政 / 云端协商): the topics a member takes part in, each with its thread of
posts; staff open a thread with a closing day and close it with a summary. Thin: the writers are in
:mod:`lvzhi.duties.actions`, visibility in :mod:`lvzhi.duties.access`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.duties import actions as act
from lvzhi.duties.access import access_topic, acting_member_id, may_manage, visible_topics


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    """The topics the user may see that have (had) an online consultation, open ones first."""
    topics = (visible_topics(request.user).filter(thread_opened_on__isnull=False).distinct()
              .select_related("plan").annotate(post_count=Count("posts", distinct=True))
              .order_by("thread_summarised_at", "-thread_closes_on", "id"))
    rows = [(t, act.thread_is_open(t)) for t in topics]
    return render(request, "duties/consultations.html", {"rows": rows})


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """One topic's thread. POST ``action``: ``post`` (a participant), ``open`` / ``summarise`` (staff)."""
    try:
        topic = access_topic(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该页面，或您无权查看。")) from None
    staff = may_manage(request.user, topic.plan.council_id)
    member_id = acting_member_id(request.user)
    participant = bool(member_id and topic.participants.filter(member_id=member_id).exists())
    errors: dict[str, str] = {}
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "post":
                act.post_to_thread(request.user, topic.pk, text=request.POST.get("text", ""))
                messages.success(request, _("发言已发表。"))
            elif what == "open" and staff:
                try:
                    day = forms.DateField().clean(request.POST.get("closes_on"))
                except forms.ValidationError:
                    raise DomainError(_("请按 YYYY-MM-DD 填写截止日期。"), field="closes_on") from None
                act.open_thread(request.user, topic.pk, closes_on=day)
                messages.success(request, _("网络议政已开放，已通知参加委员。"))
            elif what == "summarise" and staff:
                act.summarise_thread(request.user, topic.pk, summary=request.POST.get("summary", ""))
                messages.success(request, _("综述已保存，网络议政结束。"))
            else:
                raise DomainError(_("无效的操作。"), field="action")
        except (DomainError, NotFoundError) as exc:
            errors[getattr(exc, "field", None) or "form"] = exc.message
        else:
            return redirect("duties-consultation", topic.pk)
    posts = topic.posts.select_related("member").order_by("created_at", "id")
    return render(request, "duties/consultation.html", {
        "topic": topic, "posts": posts, "staff": staff, "participant": participant,
        "open": act.thread_is_open(topic), "errors": errors, "post_max": act.POST_MAX,
        "text": request.POST.get("text", "") if errors else "", "summary": request.POST.get("summary", ""),
    }, status=400 if errors else 200)
