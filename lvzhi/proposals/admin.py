"""Admin for proposals: categories are configuration (editable, audited); proposals and their parts are
read-only here, because a proposal changes only through :mod:`lvzhi.proposals.actions`."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from lvzhi.proposals.models import (
    Assignment,
    CaseNumberCounter,
    Category,
    CoSigner,
    Evaluation,
    FollowUp,
    Proposal,
    Reply,
)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "council", "order")
    list_filter = ("council",)
    search_fields = ("name",)


class CoSignerInline(ReadOnlyInline):
    model = CoSigner
    fields = ("member", "status", "expires_at", "responded_at")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("unit", "role", "status", "round", "deadline", "sendback_deadline", "assigned_at")


class FollowUpInline(ReadOnlyInline):
    model = FollowUp
    fields = ("note", "delivered", "created_by", "created_at")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "council", "session", "state", "proposer_kind", "is_key", "submitted_at")
    list_filter = ("council", "state", "proposer_kind", "is_key", "is_plenary")
    search_fields = ("number", "title", "serial")
    list_select_related = ("council", "session__term__council", "state")
    inlines = [CoSignerInline, AssignmentInline, FollowUpInline]
    exclude = ("search_text",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "unit", "role", "status", "round", "deadline")
    list_filter = ("role", "status")
    search_fields = ("proposal__number", "proposal__title", "unit__name")
    list_select_related = ("proposal", "unit")


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "round", "grade", "status", "sent_at")
    list_filter = ("status", "grade__code")
    list_select_related = ("assignment__unit", "assignment__proposal", "grade")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("reply", "evaluator", "overall", "created_at")
    list_filter = ("overall",)


@admin.register(CoSigner)
class CoSignerAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "member", "status", "expires_at")
    list_filter = ("status",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "delivered", "created_at")


@admin.register(CaseNumberCounter)
class CaseNumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("session", "last_value")
