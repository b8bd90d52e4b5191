from django.contrib import admin

from lvzhi.studios.models import Studio, StudioActivity


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "council"]


@admin.register(StudioActivity)
class StudioActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "studio", "day", "kind"]
