"""Admin of the handling core: the policy per council and case type is configuration (editable, audited);
assignments, replies, evaluations and supervision records are read-only here, because they change only
through :mod:`lvzhi.cases.actions`."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.cases.models import Assignment, CaseTypePolicy, Instruction, KeyGroup, Reply
from lvzhi.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(CaseTypePolicy)
class CaseTypePolicyAdmin(AuditedAdmin):
    list_display = ("council", "case_type", "number_pattern", "number_scope", "sendback_limit", "reply_limit",
                    "joint_reply_mode")
    list_filter = ("council", "case_type")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("case_type", "object_id", "unit", "role", "status", "round", "deadline")
    list_filter = ("council", "case_type", "status", "role")


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "round", "kind", "grade", "status", "signed_at")
    list_filter = ("status", "kind")


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ("case_type", "object_id", "leader", "status", "created_at")


@admin.register(KeyGroup)
class KeyGroupAdmin(ReadOnlyAdmin):
    list_display = ("theme", "council", "case_type", "year", "special_committee", "leading_leader")
