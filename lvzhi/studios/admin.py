from django.contrib import admin

from lvzhi.core.admin import ReadOnlyAdmin
from lvzhi.studios.models import ConsultationItem, Studio, StudioActivity


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "council"]


@admin.register(StudioActivity)
class StudioActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "studio", "day", "kind"]


@admin.register(ConsultationItem)
class ConsultationItemAdmin(ReadOnlyAdmin):
    """Read-only: an item changes only through the actions (list, assign, reply, adoption)."""

    list_display = ("number", "title", "council", "state", "adoption", "year")
    list_filter = ("council", "year", "adoption")
    search_fields = ("number", "title")
