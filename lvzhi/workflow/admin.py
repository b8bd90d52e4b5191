"""Admin for workflows as data: a workflow with its states and transitions inline, states and transitions
on their own (filterable by council), and the reply-grade scale. Every save and delete is audited
(:class:`lvzhi.core.admin.AuditedAdmin`). Changing a state's time limit changes the deadlines computed
from then on; adding a transition lets its roles take it; deactivating a grade stops new replies using it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lvzhi.core.admin import AuditedAdmin
from lvzhi.workflow.models import ActPermission, ReplyGrade, State, Transition, Workflow

#: Roles relative to a case that a transition may name (see ``Proposal.roles_of``).
CASE_ROLES = [
    ("proposer", _("提案者")),
    ("cosigner", _("联名人")),
    ("staff", _("提案委员会工作人员")),
    ("unit_clerk", _("承办单位经办人")),
    ("unit_leader", _("承办单位负责人")),
    ("leader", _("领导")),
    ("admin", _("系统管理员")),
]


class StateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.workflow} · {obj.name}（{obj.code}）"


class TransitionForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("可操作角色"), choices=CASE_ROLES,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Transition
        fields = ["workflow", "act", "source", "target", "name", "roles", "requires_comment"]
        field_classes = {"source": StateChoiceField, "target": StateChoiceField}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        workflow = data.get("workflow") or getattr(self.instance, "workflow", None)
        source, target = data.get("source"), data.get("target")
        if workflow is not None:
            for name, state in (("source", source), ("target", target)):
                if state is not None and state.workflow_id != workflow.pk:
                    self.add_error(name, _("所选状态不属于该流程。"))
        if source is not None and source == target:
            self.add_error("target", _("起止状态不能相同。"))
        return data


class _WorkflowStatesOnly:
    """Inline helper: offer only the states of the workflow being edited."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in ("source", "target"):
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = State.objects.filter(workflow_id=object_id) if object_id else State.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class StateInline(admin.TabularInline):
    model = State
    extra = 0
    fields = ("order", "code", "name", "is_initial", "is_terminal", "submitter_may_edit", "units_may_reply",
              "proposer_may_rate", "counts_as_received", "is_public", "takes_number", "assignable", "mergeable",
              "is_draft", "under_review", "staff_may_edit", "is_published", "is_closed", "time_limit", "time_unit", "color")


class TransitionInline(_WorkflowStatesOnly, admin.TabularInline):
    model = Transition
    form = TransitionForm
    extra = 0
    fields = ("act", "source", "target", "name", "roles", "requires_comment")


@admin.register(Workflow)
class WorkflowAdmin(AuditedAdmin):
    list_display = ("name", "council", "case_type", "active")
    list_filter = ("council", "case_type", "active")
    inlines = [StateInline, TransitionInline]


@admin.register(State)
class StateAdmin(AuditedAdmin):
    list_display = ("name", "code", "workflow", "order", "time_limit", "time_unit", "units_may_reply",
                    "proposer_may_rate", "is_terminal")
    list_filter = ("workflow__council", "workflow")
    search_fields = ("name", "code")
    list_select_related = ("workflow",)


@admin.register(Transition)
class TransitionAdmin(AuditedAdmin):
    form = TransitionForm
    list_display = ("__str__", "act", "workflow", "roles", "requires_comment")
    list_filter = ("workflow__council", "workflow")
    list_select_related = ("workflow", "source", "target")


class ActPermissionForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("可操作角色"), choices=CASE_ROLES,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ActPermission
        fields = ["workflow", "act", "name", "roles", "states"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        workflow = data.get("workflow") or getattr(self.instance, "workflow", None)
        if workflow is not None and any(s.workflow_id != workflow.pk for s in data.get("states") or []):
            self.add_error("states", _("所选状态不属于该流程。"))
        return data


@admin.register(ActPermission)
class ActPermissionAdmin(AuditedAdmin):
    form = ActPermissionForm
    list_display = ("name", "act", "workflow", "roles")
    list_filter = ("workflow__council", "workflow")
    list_select_related = ("workflow",)
    filter_horizontal = ("states",)


@admin.register(ReplyGrade)
class ReplyGradeAdmin(AuditedAdmin):
    list_display = ("code", "label", "council", "order", "needs_follow_up", "active")
    list_filter = ("council", "active")
