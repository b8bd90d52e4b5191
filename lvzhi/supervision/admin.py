from django.contrib import admin

from lvzhi.supervision.models import Finding, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "council", "reported_on"]
    list_filter = ["kind", "year"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["text", "unit", "due", "status"]
    list_filter = ["status"]
