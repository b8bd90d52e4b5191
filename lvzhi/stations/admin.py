"""Admin of the liaison stations: the rules as data (station policy, star-rating criteria) are edited here;
stations, turns, receptions and matters are read-only (they change only through the actions)."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin import ReadOnlyAdmin
from lvzhi.stations.models import Matter, RatingCriterion, Reception, RotaTurn, Station, StationPolicy


@admin.register(StationPolicy)
class StationPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("council", "rota_notice_days", "receptions_per_year", "star_bands")


@admin.register(RatingCriterion)
class RatingCriterionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "council", "max_points", "order", "active")
    list_filter = ("council", "active")


@admin.register(Station)
class StationAdmin(ReadOnlyAdmin):
    list_display = ("name", "council", "level", "district", "town", "active")
    list_filter = ("council", "level", "district")
    search_fields = ("name", "town", "address")


@admin.register(RotaTurn)
class RotaTurnAdmin(ReadOnlyAdmin):
    list_display = ("station", "date", "half_day", "cancelled")


@admin.register(Reception)
class ReceptionAdmin(ReadOnlyAdmin):
    list_display = ("station", "date", "visitors")


@admin.register(Matter)
class MatterAdmin(ReadOnlyAdmin):
    list_display = ("station", "source", "outcome", "state", "created_at")
    list_filter = ("council", "outcome", "source")
