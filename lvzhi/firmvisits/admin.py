from django.contrib import admin

from lvzhi.firmvisits.models import FirmIssue, FirmVisit


@admin.register(FirmVisit)
class FirmVisitAdmin(admin.ModelAdmin):
    list_display = ["firm", "leader", "day", "council"]


@admin.register(FirmIssue)
class FirmIssueAdmin(admin.ModelAdmin):
    list_display = ["text", "scope", "unit", "status"]
    list_filter = ["scope", "status"]
