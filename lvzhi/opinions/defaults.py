"""Default workflows of public-opinion reports and citizens' messages (installed per council).

Reports follow ``shared/domain/WORKFLOWS.md`` §3: written → submitted → screened (采用 adopt / 留存 keep)
→ edited and signed off → published in an issue of 《社情民意》 → (sent to the party committee, government,
higher CPPCC; leaders' instructions recorded) → forwarded to units → answered → feedback to the author.

Messages: received → routed to a unit (15 working days to answer by default) → replied (signed off by the
unit leader) → rated by the citizen → closed; staff may decline (不予受理, with a reason) or re-route.

Time limits are data: a council changes them in the admin (流程 / 状态), never in code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from lvzhi.workflow.defaults import Transitions, install_workflow
from lvzhi.workflow.models import Workflow

REPORT_CASE_TYPE = "opinion_report"
MESSAGE_CASE_TYPE = "message"

REPORT_STATES: list[dict[str, Any]] = [
    {"code": "draft", "name": N_("草稿"), "is_initial": True, "submitter_may_edit": True, "color": "grey",
     "is_draft": True},
    {"code": "submitted", "name": N_("待筛选"), "color": "blue", "time_limit": 10, "time_unit": "working_days", "counts_as_received": True},
    {"code": "adopted", "name": N_("已采用待签发"), "color": "teal", "time_limit": 10, "time_unit": "working_days",
     "counts_as_received": True, "staff_may_edit": True},
    {"code": "kept", "name": N_("留存"), "is_terminal": True, "color": "dark", "counts_as_received": True},
    {"code": "withdrawn", "name": N_("已撤回"), "is_terminal": True, "color": "dark"},
    {"code": "signed_off", "name": N_("已签发待刊发"), "color": "indigo", "counts_as_received": True},
    {"code": "published", "name": N_("已刊发报送"), "color": "green", "counts_as_received": True, "assignable": True,
     "is_published": True},
    {"code": "forwarded", "name": N_("已转办"), "units_may_reply": True, "color": "indigo",
     "time_limit": 1, "time_unit": "months", "counts_as_received": True, "is_published": True},
    {"code": "answered", "name": N_("已办复"), "color": "green", "counts_as_received": True, "is_published": True},
    {"code": "closed", "name": N_("已反馈"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_published": True, "is_closed": True},
]

REPORT_TRANSITIONS: Transitions = [
    ("submit", "draft", "submitted", N_("报送"), ["author", "staff"], False),
    ("withdraw", "draft", "withdrawn", N_("撤回"), ["author"], False),
    ("withdraw", "submitted", "withdrawn", N_("撤回"), ["author"], False),
    ("adopt", "submitted", "adopted", N_("采用"), ["staff"], False),
    ("keep", "submitted", "kept", N_("留存"), ["staff"], False),
    ("sign_off", "adopted", "signed_off", N_("签发"), ["staff", "leader"], False),
    ("publish", "signed_off", "published", N_("刊发"), ["staff"], False),
    ("forward", "published", "forwarded", N_("转办"), ["staff"], False),
    ("answer", "forwarded", "answered", N_("办复"), ["unit_leader", "staff"], False),
    ("close", "published", "closed", N_("反馈办结"), ["staff"], False),
    ("close", "answered", "closed", N_("反馈办结"), ["staff"], False),
]

MESSAGE_STATES: list[dict[str, Any]] = [
    {"code": "received", "name": N_("待转办"), "is_initial": True, "color": "blue",
     "time_limit": 3, "time_unit": "working_days", "counts_as_received": True, "assignable": True},
    {"code": "routed", "name": N_("办理中"), "units_may_reply": True, "color": "indigo",
     "time_limit": 15, "time_unit": "working_days", "counts_as_received": True},
    {"code": "replied", "name": N_("已答复待评价"), "proposer_may_rate": True, "color": "green",
     "time_limit": 15, "time_unit": "working_days", "counts_as_received": True},
    {"code": "rejected", "name": N_("不予受理"), "is_terminal": True, "color": "dark", "counts_as_received": True},
    {"code": "closed", "name": N_("已办结"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_closed": True},
]

MESSAGE_TRANSITIONS: Transitions = [
    ("route", "received", "routed", N_("转办"), ["staff"], False),
    ("reply", "received", "replied", N_("直接答复"), ["staff"], False),
    ("reject", "received", "rejected", N_("不予受理"), ["staff"], True),
    ("send_back", "routed", "received", N_("退回"), ["unit_clerk", "unit_leader", "staff"], True),
    ("reply", "routed", "replied", N_("答复"), ["unit_leader", "staff"], False),
    ("route", "replied", "routed", N_("重新办理"), ["staff"], True),
    ("close", "replied", "closed", N_("办结"), ["citizen", "staff"], False),
]


def install_opinion_workflows(council: Any) -> tuple[Workflow, Workflow]:
    """Install the report and message workflows of ``council`` unless present (idempotent).

    Returns ``(report_workflow, message_workflow)``.
    """
    return (install_workflow(council, REPORT_CASE_TYPE, REPORT_STATES, REPORT_TRANSITIONS, "社情民意信息流程"),
            install_workflow(council, MESSAGE_CASE_TYPE, MESSAGE_STATES, MESSAGE_TRANSITIONS, "群众意见办理流程"))
