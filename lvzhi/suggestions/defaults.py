"""The default workflow and policy of deputies' suggestions (代表建议), as data (``WORKFLOWS.md`` §2).

draft → submitted → returned (a 议案, a matter in litigation, vague …: with the ground) / accepted (numbered)
→ assigned → replied → evaluated | rehandling → closed. Sources: raised during the session or between
sessions [N9]; accepted and assigned within 7 working days, wrong assignments sent back within 7 working days
[N6] (Shanghai rules art. 11, 14); reply within 3 months, at most 6 [N2] (art. 19); joint suggestions answered
to each deputy [N1] (art. 20); opinion form on attitude and result, 不满意 → re-handled within one month [N5]
(art. 21); grounds for returning: art. 8 of the Shanghai rules and the 议案 rule.
A council changes all of this in the admin (流程, 状态, 流转, 案件类型规则, 答复类别).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from lvzhi.cases import policy as case_policy
from lvzhi.cases import registry
from lvzhi.workflow.defaults import Transitions, install_workflow

CASE_TYPE = "suggestion"

SUGGESTION_STATES: list[dict[str, Any]] = [
    {"code": "draft", "name": N_("草稿"), "is_initial": True, "submitter_may_edit": True, "color": "grey"},
    {"code": "submitted", "name": N_("待受理"), "color": "blue", "time_limit": 7, "time_unit": "working_days",
     "counts_as_received": True},
    {"code": "returned", "name": N_("已退回"), "submitter_may_edit": True, "color": "orange"},
    {"code": "accepted", "name": N_("已受理待交办"), "color": "teal", "time_limit": 7,
     "time_unit": "working_days", "counts_as_received": True, "is_public": True, "takes_number": True,
     "assignable": True},
    {"code": "assigned", "name": N_("办理中"), "units_may_reply": True, "color": "indigo", "time_limit": 3,
     "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "replied", "name": N_("已答复待反馈"), "proposer_may_rate": True, "color": "green",
     "counts_as_received": True, "is_public": True},
    {"code": "rehandling", "name": N_("重新办理"), "units_may_reply": True, "color": "red", "time_limit": 1,
     "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "evaluated", "name": N_("已反馈"), "color": "green", "counts_as_received": True, "is_public": True},
    {"code": "closed", "name": N_("已办结"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True},
    {"code": "withdrawn", "name": N_("已撤回"), "is_terminal": True, "color": "dark"},
]

_UNITS = ["unit_leader", "unit_clerk", "staff"]
_DEPUTIES = ["deputy", "seconder", "staff"]

SUGGESTION_TRANSITIONS: Transitions = [
    ("submit", "draft", "submitted", N_("提交"), ["deputy"], False),
    ("withdraw", "draft", "withdrawn", N_("撤回"), ["deputy"], False),
    ("withdraw", "submitted", "withdrawn", N_("撤回"), ["deputy"], False),
    ("return", "submitted", "returned", N_("退回代表"), ["staff"], True),
    ("accept", "submitted", "accepted", N_("受理"), ["staff"], False),
    ("submit", "returned", "submitted", N_("重新提交"), ["deputy"], False),
    ("withdraw", "returned", "withdrawn", N_("撤回"), ["deputy"], False),
    ("assign", "accepted", "assigned", N_("交办"), ["staff"], False),
    # taken by the core when the last replying unit signs off (or the last co-handling unit sends its opinion)
    ("reply", "assigned", "replied", N_("答复"), _UNITS, False),
    ("reply", "rehandling", "replied", N_("再次答复"), _UNITS, False),
    # taken by the core when the last opinion form of the round is in
    ("evaluate", "replied", "evaluated", N_("反馈意见"), _DEPUTIES, False),
    ("rehandle", "replied", "rehandling", N_("不满意，重新办理"), _DEPUTIES, False),
    ("close", "replied", "closed", N_("办结（反馈期满）"), ["staff"], False),
    ("close", "evaluated", "closed", N_("办结"), ["staff"], False),
]

RETURN_GROUNDS = [
    {"code": "motion", "label": N_("属于议案，应按议案提出")},
    {"code": "litigation", "label": N_("涉及具体司法案件（诉讼、仲裁中）")},
    {"code": "vague", "label": N_("没有实际内容")},
    {"code": "outside_remit", "label": N_("不属于本级有关机关、组织职权范围")},
    {"code": "personal", "label": N_("涉及代表本人及其亲属或本单位的个别问题")},
    {"code": "forwarded_letter", "label": N_("代转信件或者有关材料")},
    {"code": "academic", "label": N_("属于学术探讨、产品推介")},
]

EVALUATION_SCHEME = {
    "dimensions": [{"code": "contact", "label": N_("联系沟通")}, {"code": "attitude", "label": N_("办理态度")},
                   {"code": "result", "label": N_("办理结果")}],
    "levels": case_policy.SATISFACTION_LEVELS,
    "rehandle_levels": ["unsatisfied"],
    "rehandle_dimensions": ["attitude", "result"],
}

POLICY: dict[str, Any] = {
    "number_pattern": "{term}-{session}-{seq:03d}", "number_scope": "session",
    "sendback_limit": 7, "sendback_limit_unit": "working_days",
    "opinion_limit": 1, "opinion_limit_unit": "months",
    "reply_limit": 3, "reply_limit_unit": "months", "reply_max": 6, "reply_max_unit": "months",
    "evaluation_window": 1, "evaluation_window_unit": "months",
    "rehandle_limit": 1, "rehandle_limit_unit": "months",
    "confirm_limit": 5, "confirm_limit_unit": "working_days",
    "contact_required": True, "return_grounds": RETURN_GROUNDS, "joint_reply_mode": "each", "evaluation_scheme": EVALUATION_SCHEME,
    "grade_scale": "abcd",
}


def install_defaults(council: Any) -> None:
    """Install the suggestion workflow, policy and A/B/C/D grades of ``council`` (each only once)."""
    install_workflow(council, CASE_TYPE, SUGGESTION_STATES, SUGGESTION_TRANSITIONS, "代表建议办理流程")
    pol = case_policy.install_policy(council, CASE_TYPE, **POLICY)
    case_policy.install_grade_scale(council, CASE_TYPE, pol.grade_scale)


def suggestion_url(pk: int) -> str:
    """The address of a suggestion's page (``/suggestions/<id>/``; the page is served by the web app)."""
    return f"/suggestions/{pk}/"


def register_case_type() -> None:
    """Register deputies' suggestions with the handling core (called from ``AppConfig.ready``)."""
    from lvzhi.suggestions.access import visible_suggestions

    registry.register(registry.CaseType(
        key=CASE_TYPE, label="代表建议", model_label="suggestions.Suggestion", council_kinds=("npc",),
        install=install_defaults, visible=visible_suggestions, url=suggestion_url,
        selections={"excellent": "excellent_year", "golden_idea": "golden_idea_year"}))
