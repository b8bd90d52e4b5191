"""The default delivery workflow and policy of elected livelihood projects (民生实事项目实施), as data
(WORKFLOWS.md §4 [V11]: delivery by responsible units with milestones and deadlines, supervised by the
standing committee).

planned (待交办, numbered) → delivering (实施中: the responsible units report progress monthly and finally
report completion — the core's reply, signed by the unit's leader) → completed (已完成) → closed (已办结).
The reply limit is 12 months (the projects are yearly). A council changes all of this in the admin.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from lvzhi.cases import policy as case_policy
from lvzhi.cases import registry
from lvzhi.workflow.defaults import Transitions, install_workflow

CASE_TYPE = "livelihood_project"

DELIVERY_STATES: list[dict[str, Any]] = [
    {"code": "planned", "name": N_("待交办"), "is_initial": True, "color": "teal", "assignable": True,
     "counts_as_received": True, "is_public": True},
    {"code": "delivering", "name": N_("实施中"), "units_may_reply": True, "color": "indigo", "time_limit": 12,
     "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "completed", "name": N_("已完成"), "color": "green", "counts_as_received": True, "is_public": True},
    {"code": "closed", "name": N_("已办结"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True},
]

_UNITS = ["unit_leader", "unit_clerk", "staff"]

DELIVERY_TRANSITIONS: Transitions = [
    ("assign", "planned", "delivering", N_("交办实施"), ["staff"], False),
    # taken by the core when the last responsible unit's completion report is signed off
    ("reply", "delivering", "completed", N_("报告完成"), _UNITS, False),
    ("close", "completed", "closed", N_("办结"), ["staff"], False),
]

POLICY: dict[str, Any] = {
    "number_pattern": "{year}-MS{seq:02d}", "number_scope": "year",
    "sendback_limit": 7, "sendback_limit_unit": "working_days",
    "opinion_limit": 1, "opinion_limit_unit": "months",
    "reply_limit": 12, "reply_limit_unit": "months", "reply_max": 12, "reply_max_unit": "months",
    "evaluation_window": 1, "evaluation_window_unit": "months",
    "rehandle_limit": 1, "rehandle_limit_unit": "months",
    "confirm_limit": 5, "confirm_limit_unit": "working_days",
    "contact_required": False, "return_grounds": [], "joint_reply_mode": "leading",
    "grade_scale": "abcd",
}


def install_defaults(council: Any) -> None:
    """Install the delivery workflow and policy of ``council`` (each only once)."""
    install_workflow(council, CASE_TYPE, DELIVERY_STATES, DELIVERY_TRANSITIONS, "民生实事项目实施流程")
    pol = case_policy.install_policy(council, CASE_TYPE, **POLICY)
    case_policy.install_grade_scale(council, CASE_TYPE, pol.grade_scale)


def project_url(pk: int) -> str:
    """The address of a delivery project's page."""
    return f"/livelihood/projects/{pk}/"


def register_case_type() -> None:
    """Register livelihood-project delivery with the handling core (called from ``AppConfig.ready``)."""
    from lvzhi.livelihood.access import visible_projects

    registry.register(registry.CaseType(
        key=CASE_TYPE, label="民生实事项目", model_label="livelihood.DeliveryProject", council_kinds=("npc",),
        install=install_defaults, visible=visible_projects, url=project_url))


# --- micro projects (民生微实事): a lighter workflow, as data -------------------------------------------------

MICRO_CASE_TYPE = "micro_project"

MICRO_STATES: list[dict[str, Any]] = [
    {"code": "proposed", "name": N_("待审核"), "is_initial": True, "submitter_may_edit": True, "color": "blue",
     "counts_as_received": True},
    {"code": "approved", "name": N_("已确定待交办"), "color": "teal", "assignable": True, "takes_number": True,
     "counts_as_received": True, "is_public": True},
    {"code": "delivering", "name": N_("实施中"), "units_may_reply": True, "color": "indigo", "time_limit": 6,
     "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "completed", "name": N_("已完成待评价"), "proposer_may_rate": True, "color": "green",
     "counts_as_received": True, "is_public": True},
    {"code": "rated", "name": N_("已评价"), "color": "green", "counts_as_received": True, "is_public": True},
    {"code": "closed", "name": N_("已办结"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True},
    {"code": "declined", "name": N_("不予实施"), "is_terminal": True, "color": "dark"},
]

MICRO_TRANSITIONS: Transitions = [
    ("approve", "proposed", "approved", N_("确定实施"), ["staff"], False),
    ("decline", "proposed", "declined", N_("不予实施"), ["staff"], True),
    ("assign", "approved", "delivering", N_("交办"), ["staff"], False),
    ("reply", "delivering", "completed", N_("报告完成"), _UNITS, False),
    ("evaluate", "completed", "rated", N_("评价"), ["deputy", "staff"], False),
    ("rehandle", "completed", "delivering", N_("不满意，继续实施"), ["deputy", "staff"], False),
    ("close", "completed", "closed", N_("办结（评价期满）"), ["staff"], False),
    ("close", "rated", "closed", N_("办结"), ["staff"], False),
]

MICRO_POLICY: dict[str, Any] = {
    **POLICY, "number_pattern": "{year}-WS{seq:03d}", "reply_limit": 6, "reply_max": 12,
    "evaluation_scheme": {"dimensions": [{"code": "result", "label": N_("实施效果")}],
                          "levels": case_policy.SATISFACTION_LEVELS, "rehandle_levels": ["unsatisfied"],
                          "rehandle_dimensions": ["result"]},
}


def install_micro_defaults(council: Any) -> None:
    """Install the micro-project workflow and policy of ``council`` (each only once)."""
    install_workflow(council, MICRO_CASE_TYPE, MICRO_STATES, MICRO_TRANSITIONS, "民生微实事流程")
    pol = case_policy.install_policy(council, MICRO_CASE_TYPE, **MICRO_POLICY)
    case_policy.install_grade_scale(council, MICRO_CASE_TYPE, pol.grade_scale)


def micro_url(pk: int) -> str:
    return f"/livelihood/micro/{pk}/"


def register_micro_type() -> None:
    """Register micro projects with the handling core (called from ``AppConfig.ready``)."""
    from lvzhi.livelihood.access import visible_micro_projects

    registry.register(registry.CaseType(
        key=MICRO_CASE_TYPE, label="民生微实事", model_label="livelihood.MicroProject", council_kinds=("npc",),
        install=install_micro_defaults, visible=visible_micro_projects, url=micro_url))
