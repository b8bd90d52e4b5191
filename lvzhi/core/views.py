"""Login/logout, the personal inbox and notifications (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import audit, delivery, saved_filters
from lvzhi.core.accounts import council_id_of_user
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.forms import NotificationPreferenceForm
from lvzhi.core.inbox import AT_RISK, OVERDUE, inbox_items
from lvzhi.core.models import Notification
from lvzhi.core.notification_kinds import kind_label
from lvzhi.core.search import QUERY_MAX, search_everything

#: A browser-session cookie set at login and deleted at logout: met by an anonymous request, it means the
#: session ended without a logout (idle timeout, server-side expiry), and the login page says so.
SIGNED_IN_COOKIE = "lvzhi_signed_in"


class LoginView(auth_views.LoginView):
    """Django's login form (django-axes locks an account out after repeated failures). When the browser was
    signed in and did not log out (``SIGNED_IN_COOKIE``), the page says the session ended (``session_ended``)
    and that the draft being written waits in this browser; ``next`` returns to it."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.COOKIES.get(SIGNED_IN_COOKIE) == "1"
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax",
                            secure=self.request.is_secure())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (checked by the configured validators); recorded in the audit log."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("inbox")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(self.request.user, "password_changed", actor=self.request.user,  # type: ignore[arg-type]
                     council_id=council_id_of_user(self.request.user))
        messages.success(self.request, _("密码已修改。"))
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, so a link cannot log anyone out) and return to the login page."""
    logout(request)
    response = redirect("login")
    response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for the user across every case type (:func:`lvzhi.core.inbox.inbox_items`, one provider per
    case type or app): overdue, at risk, then the rest."""
    items = inbox_items(request.user)
    counts = {"overdue": sum(i.urgency == OVERDUE for i in items), "at_risk": sum(i.urgency == AT_RISK for i in items)}
    return render(request, "core/inbox.html", {"items": items, "counts": counts, "today": timezone.localdate()})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 50 a page, filtered by kind (``?kind=``, the kinds the user has,
    named and counted) and to the unread ones (``?unread=1``). POST marks them read: all, or those of the
    posted ``kind``; then back to the same filter."""
    mine = Notification.objects.filter(recipient_id=request.user.pk)
    if request.method == "POST":
        kind = str(request.POST.get("kind") or "")
        target = mine.filter(read_at__isnull=True)
        if kind:
            target = target.filter(kind=kind)
        marked = target.update(read_at=timezone.now())
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": marked})
        params = {k: v for k, v in (("kind", kind), ("unread", request.POST.get("unread") or "")) if v}
        return redirect(reverse("notifications") + (f"?{urlencode(params)}" if params else ""))
    counts = mine.values("kind").annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    kinds = sorted(({"kind": c["kind"], "label": kind_label(c["kind"]), "total": c["total"], "unread": c["unread"]}
                    for c in counts), key=lambda k: (-k["unread"], -k["total"], k["label"]))
    kind = str(request.GET.get("kind") or "")
    if kind not in {k["kind"] for k in kinds}:
        kind = ""
    unread_only = request.GET.get("unread") == "1"
    shown = mine.filter(kind=kind) if kind else mine
    if unread_only:
        shown = shown.filter(read_at__isnull=True)
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("kind", kind), ("unread", "1" if unread_only else "")) if v})
    return render(request, "core/notifications.html", {
        "page": page, "kinds": kinds, "kind": kind, "kind_name": kind_label(kind) if kind else "",
        "unread_only": unread_only, "query": query,
        "shown_unread": (mine.filter(kind=kind) if kind else mine).filter(read_at__isnull=True).count()})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The header search (GET ``q``): every case type the user may see, ten hits each, with the count and a
    link to the type's list filtered by the query when there are more."""
    query = " ".join(str(request.GET.get("q") or "").split())[:QUERY_MAX]
    groups = search_everything(request.user, query)
    return render(request, "core/search.html", {
        "search_query": query, "groups": groups, "found": sum(g.total for g in groups)})


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    """Save the posted ``query`` of the list at ``path`` under ``name``; back to the list with those filters."""
    path = str(request.POST.get("path") or "/")
    try:
        saved = saved_filters.save_filter(request.user, path=path, name=str(request.POST.get("name") or ""),
                                          query=str(request.POST.get("query") or ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        safe = path if url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}) else "/"
        return redirect(safe + "?" + saved_filters.clean_query(str(request.POST.get("query") or "")))
    messages.success(request, _("筛选「%(name)s」已保存。") % {"name": saved.name})
    return redirect(f"{saved.path}?{saved.query}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        path = saved_filters.delete_filter(request.user, pk)
    except NotFoundError:
        raise Http404(_("未找到该页面，或您无权查看。")) from None
    messages.success(request, _("筛选已删除。"))
    return redirect(path)


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The user's own delivery choices: e-mail (each at once / daily digest / none), SMS, quiet kinds."""
    pref = delivery.preference_of(int(request.user.pk or 0))
    account_email = str(getattr(request.user, "email", "") or "")
    form = NotificationPreferenceForm(request.POST or None, instance=pref, account_email=account_email)
    if request.method == "POST" and form.is_valid():
        delivery.save_preference(request.user, {f: form.cleaned_data[f] for f in delivery.PREFERENCE_FIELDS})
        messages.success(request, _("通知方式已保存。"))
        return redirect("notification-settings")
    return render(request, "core/notification_settings.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (a local path only)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications")


# --- error pages: the site's header and a way back; JSON under /api/ -------------------------------------------


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text, "field": None}, status=status)
    return render(request, "error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: the page or API object does not exist, or the user may not see it (the same answer)."""
    return _error(request, 404, _("页面不存在"),
                  _("您要找的页面不存在，或您无权查看。请检查地址，或从菜单重新进入。"))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``."""
    return _error(request, 403, _("无权操作"), _("您当前的身份无权进行此操作。如需办理，请切换身份或联系工作人员。"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``."""
    return _error(request, 400, _("请求有误"), _("请求的格式不正确，请返回上一页重试。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the form's security token is missing or stale — usually cookies were cleared or the
    page stayed open across a logout. Says what to do; never mentions debugging settings."""
    return _error(request, 403, _("页面已过期"),
                  _("页面已过期或浏览器未保存 Cookie，提交未被接受。请刷新页面（或重新登录）后再提交一次。"))
