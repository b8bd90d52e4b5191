"""Admin (/admin/) for the cross-cutting records, and the two mixins every lvzhi admin uses.

- :class:`AuditedAdmin`: configuration edited in the admin (workflows, states, grades, councils, units…)
  writes an audit entry for every save and delete, through :func:`lvzhi.core.audit.record`, with the
  changed fields' old and new values (passwords never).
- :class:`ReadOnlyAdmin`: records that only the action functions may write (the audit log itself,
  proposals and their parts): viewable, never added, changed or deleted here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from lvzhi.core import audit
from lvzhi.core.accounts import council_id_of_user
from lvzhi.core.models import ApiToken, Attachment, AuditEntry, Job, Notification

_SECRET_FIELDS = {"password", "password1", "password2", "usable_password", "digest"}


def council_id_of(obj: Any) -> int | None:
    """The council an object belongs to: itself for a council, its own ``council_id``, or that of its
    workflow or term, or for an account the council it acts for (:func:`council_id_of_user`)."""
    if obj._meta.label == "members.Council":
        return obj.pk  # type: ignore[no-any-return]
    if obj._meta.label == settings.AUTH_USER_MODEL:
        return council_id_of_user(obj)
    for path in ("council_id", "workflow.council_id", "term.council_id"):
        value: Any = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except (AttributeError, models.ObjectDoesNotExist):
            continue
        if value is None or isinstance(value, int):
            return value
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str | dict):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _changes(form: ModelForm, obj: models.Model) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = [f for f in form.changed_data if f not in _SECRET_FIELDS]
    old = {f: _plain(form.initial.get(f)) for f in fields}
    new = {f: _plain(form.cleaned_data.get(f, getattr(obj, f, None))) for f in fields}
    return old, new


def _event(obj: models.Model, what: str) -> str:
    return f"admin_{obj._meta.model_name}_{what}"


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes (including inline rows and bulk deletes) write audit entries
    (``admin_<model>_created`` / ``_changed`` / ``_deleted``) with the acting administrator."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        old, new = _changes(form, obj) if change else ({}, {})
        super().save_model(request, obj, form, change)
        if change and not new:
            return
        if not change:
            new = {f: _plain(v) for f, v in form.cleaned_data.items() if f not in _SECRET_FIELDS}
        audit.record(obj, _event(obj, "changed" if change else "created"), actor=request.user,
                     council_id=council_id_of(obj), old=old, new=new)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            _record_delete(request, obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseFormSet, change: bool) -> None:
        changed: list[tuple[Any, dict[str, Any], dict[str, Any], bool]] = []
        for inline_form in formset.forms:  # type: ignore[attr-defined]
            if not inline_form.has_changed() or inline_form in getattr(formset, "deleted_forms", []):
                continue
            is_new = inline_form.instance.pk is None
            if is_new:
                new = {f: _plain(v) for f, v in inline_form.cleaned_data.items()
                       if f not in _SECRET_FIELDS and f not in ("DELETE", "id")}
                changed.append((inline_form, {}, new, True))
            else:
                old, new = _changes(inline_form, inline_form.instance)
                changed.append((inline_form, old, new, False))
        for deleted in getattr(formset, "deleted_forms", []):
            if deleted.instance.pk is not None:
                _record_delete(request, deleted.instance)
        super().save_formset(request, form, formset, change)
        for inline_form, old, new, is_new in changed:
            obj = inline_form.instance
            if obj.pk is None:
                continue
            audit.record(obj, _event(obj, "created" if is_new else "changed"), actor=request.user,
                         council_id=council_id_of(obj), old=old, new=new)


def _record_delete(request: HttpRequest, obj: Any) -> None:
    audit.record(obj, _event(obj, "deleted"), actor=request.user, council_id=council_id_of(obj),
                 old={"repr": str(obj)})


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: written by the action functions, never by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields or ()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "council", "actor", "event", "target_type", "target_id", "from_state",
                    "to_state")
    list_filter = ("council", "event", "target_type")
    search_fields = ("event", "comment", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("council", "actor", "target_type")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "read_at")
    list_filter = ("kind",)
    search_fields = ("text", "recipient__username")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "size", "content_type", "target_type", "target_id", "uploaded_by", "created_at")
    search_fields = ("name", "sha256")


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "status", "done", "total", "created_by", "finished_at")
    list_filter = ("kind", "status")


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens are issued by their owners; an administrator may only view and revoke (delete) them."""

    list_display = ("name", "user", "created_at", "expires_at", "last_used_at")
    search_fields = ("name", "user__username")
    readonly_fields = ("user", "name", "digest", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The login history (django-axes' AccessLog and AccessFailureLog) is evidence like the audit log: viewable, never
# changed or deleted by hand (等保 level 3). AccessAttempt stays deletable: deleting it is how an admin unlocks.
def _login_history_read_only() -> None:
    from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessFailureLog, AccessLog

    for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, type(f"ReadOnly{base.__name__}", (ReadOnlyAdmin, base), {}))


_login_history_read_only()
