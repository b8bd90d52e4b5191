"""Admin of deputies' suggestions: read-only (a suggestion changes only through the actions)."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin import ReadOnlyAdmin, ReadOnlyInline
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy


class DeputyInline(ReadOnlyInline):
    model = SuggestionDeputy
    fields = ("member", "role", "status", "expires_at", "responded_at")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "council", "state", "period", "delegation", "submitted_at")
    list_filter = ("council", "period", "state")
    search_fields = ("number", "title")
    inlines = [DeputyInline]
