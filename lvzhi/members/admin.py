"""Admin for the organisation: councils, terms and sessions, organisations, members, handling units, and
accounts with their profile inline. Every save and delete is audited (:class:`lvzhi.core.admin.AuditedAdmin`).
Day-to-day upkeep happens on the /org/ pages; the admin is for administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from lvzhi.core import audit
from lvzhi.core.admin import AuditedAdmin, council_id_of
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Profile, Session, Term


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "kind", "parent", "case_number_pattern", "sendback_limit", "sendback_limit_unit",
                    "opinion_limit", "opinion_limit_unit", "cosign_days", "at_risk_working_days")
    search_fields = ("name", "short_name")
    list_filter = ("kind",)
    autocomplete_fields = ("parent",)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("number", "window_start", "plenary_start", "plenary_end")


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ("__str__", "council", "start_date", "end_date")
    list_filter = ("council",)
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(AuditedAdmin):
    list_display = ("__str__", "term", "window_start", "plenary_start", "plenary_end")
    list_filter = ("term__council",)
    list_select_related = ("term__council",)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "council")
    list_filter = ("council", "kind")
    search_fields = ("name",)


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ("name", "gender", "council", "term", "delegation", "sector", "party_group", "workplace", "phone",
                    "active")
    list_filter = ("council", "term", "active", "sector")
    search_fields = ("name", "workplace", "phone", "sector__name")
    list_select_related = ("council", "term", "delegation", "sector", "party_group")
    autocomplete_fields = ("sector", "party_group", "special_committee", "liaison_group", "delegation")


@admin.register(HandlingUnit)
class HandlingUnitAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "council", "active")
    list_filter = ("council", "active")
    search_fields = ("name", "short_name")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    fields = ("primary", "role", "council", "member", "unit", "display_name", "phone")
    autocomplete_fields = ("member", "unit")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin with the lvzhi profile (role, council, member or unit) inline."""

    inlines = [ProfileInline]
    list_display = ("username", "profile_role", "profile_council", "is_active", "last_login")
    list_filter = ("is_active", "profile__role", "profile__council")
    search_fields = ("username", "profile__display_name")
    list_select_related = ()

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("profiles__council")

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        qs, _may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return qs, True  # a search across several profiles of one account must not list it twice

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's password page, with a ``password_reset`` audit entry when the password is changed."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None:
                audit.record(user, "password_reset", actor=request.user, council_id=council_id_of(user))
        return response

    @admin.display(description="角色")
    def profile_role(self, obj: object) -> str:
        return "、".join(p.role_label() for p in _profiles(obj))

    @admin.display(description="机构")
    def profile_council(self, obj: object) -> str:
        return "、".join(dict.fromkeys(str(p.council) for p in _profiles(obj) if p.council))


def _profiles(user: Any) -> list[Profile]:
    """The account's profiles, primary first (from the prefetch of :meth:`AccountAdmin.get_queryset`)."""
    return sorted(user.profiles.all(), key=lambda p: (not p.primary, p.pk))
