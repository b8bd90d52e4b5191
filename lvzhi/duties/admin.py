"""Admin for meetings and scoring rules: read-only here. Meetings change through
:mod:`lvzhi.duties.actions`; rule sets through the rule pages (``/duties/rules/``) or an Excel import, which
validate the whole set (overlapping grades, caps below points …) before writing."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin import ReadOnlyAdmin, ReadOnlyInline
from lvzhi.duties.models import (
    CheckIn,
    Contribution,
    GradeBand,
    Invitee,
    Meeting,
    MinimumDuty,
    RuleGroup,
    RuleItem,
    RuleSet,
)


class InviteeInline(ReadOnlyInline):
    model = Invitee
    fields = ("member", "response", "leave_reason", "leave_status", "leave_note")


class CheckInInline(ReadOnlyInline):
    model = CheckIn
    fields = ("member", "slot", "method", "checked_in_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "council", "start", "end", "counts_half_days")
    list_filter = ("council", "kind")
    search_fields = ("title",)
    inlines = [InviteeInline, CheckInInline]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "member", "date", "meeting")
    list_filter = ("kind",)


class GroupInline(ReadOnlyInline):
    model = RuleGroup
    fields = ("name", "cap")


class ItemInline(ReadOnlyInline):
    model = RuleItem
    fields = ("group", "label", "act_kind", "conditions", "points", "split", "co_share", "per", "skip_first", "cap")


class GradeInline(ReadOnlyInline):
    model = GradeBand
    fields = ("name", "min_score", "max_score")


class DutyInline(ReadOnlyInline):
    model = MinimumDuty
    fields = ("label", "alternatives", "min_count")


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "council", "active", "base_points", "max_total", "version", "updated_at")
    list_filter = ("council", "active")
    inlines = [GroupInline, ItemInline, GradeInline, DutyInline]
