"""The default workflow and policy of consultation-list items (协商清单事项) of the 委员议事厅, as data.

Sources: the city's 委员议事厅 "共形成63条协商清单" and pushed their delivery [seed 001]; "建立调研成果办理反馈
机制 … 既要协商'说得对'也要成果'办得好'" [seed 000]. So: listed (待交办, numbered per year) → handling (办理中,
the unit answers through the core's reply, 3 months) → replied (已答复待确认采纳) → adopted (已采纳) / partly
adopted (部分采纳) / not adopted (未采纳, with the reason) → implemented (已落实). The adoption outcome is the
act taken (``adopt``, ``adopt_partly``, ``not_adopt``), implementation the act ``implement``.
A council changes all of this in the admin (流程, 状态, 流转, 案件类型规则).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from lvzhi.cases import policy as case_policy
from lvzhi.cases import registry
from lvzhi.workflow.defaults import Transitions, install_workflow

CASE_TYPE = "consultation_item"

ITEM_STATES: list[dict[str, Any]] = [
    {"code": "listed", "name": N_("待交办"), "is_initial": True, "color": "teal", "assignable": True,
     "counts_as_received": True, "is_public": True},
    {"code": "handling", "name": N_("办理中"), "units_may_reply": True, "color": "indigo", "time_limit": 3,
     "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "replied", "name": N_("已答复待确认采纳"), "color": "green", "counts_as_received": True,
     "is_public": True},
    {"code": "adopted", "name": N_("已采纳"), "color": "green", "counts_as_received": True, "is_public": True},
    {"code": "partly_adopted", "name": N_("部分采纳"), "color": "green", "counts_as_received": True,
     "is_public": True},
    {"code": "not_adopted", "name": N_("未采纳"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True, "is_closed": True},
    {"code": "implemented", "name": N_("已落实"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True, "is_closed": True},
]

_UNITS = ["unit_leader", "unit_clerk", "staff"]

ITEM_TRANSITIONS: Transitions = [
    ("assign", "listed", "handling", N_("交办"), ["staff"], False),
    # taken by the core when the last replying unit signs off
    ("reply", "handling", "replied", N_("答复"), _UNITS, False),
    ("adopt", "replied", "adopted", N_("采纳"), ["staff"], False),
    ("adopt_partly", "replied", "partly_adopted", N_("部分采纳"), ["staff"], False),
    ("not_adopt", "replied", "not_adopted", N_("未采纳"), ["staff"], True),
    ("implement", "adopted", "implemented", N_("已落实"), ["staff"], False),
    ("implement", "partly_adopted", "implemented", N_("已落实"), ["staff"], False),
]

POLICY: dict[str, Any] = {
    "number_pattern": "{year}-XS{seq:02d}", "number_scope": "year",
    "sendback_limit": 7, "sendback_limit_unit": "working_days",
    "opinion_limit": 1, "opinion_limit_unit": "months",
    "reply_limit": 3, "reply_limit_unit": "months", "reply_max": 6, "reply_max_unit": "months",
    "evaluation_window": 1, "evaluation_window_unit": "months",
    "rehandle_limit": 1, "rehandle_limit_unit": "months",
    "confirm_limit": 5, "confirm_limit_unit": "working_days",
    "contact_required": False, "return_grounds": [], "joint_reply_mode": "leading",
    "grade_scale": "abcd",
}

# The acts that record an adoption outcome, and the outcome each records (acts are the stable keys of the
# workflow; the states they lead to may be renamed freely).
ADOPTION_ACTS: dict[str, str] = {"adopt": "adopted", "adopt_partly": "partly", "not_adopt": "not_adopted"}
IMPLEMENT_ACT = "implement"


def install_defaults(council: Any) -> None:
    """Install the consultation-item workflow and policy of ``council`` (each only once). Replies are graded on
    the council's general scale, the proposals' (``cases.policy.grades_for`` falls back to it): a CPPCC
    council keeps one A/B/C/D scale."""
    install_workflow(council, CASE_TYPE, ITEM_STATES, ITEM_TRANSITIONS, "协商清单办理流程")
    case_policy.install_policy(council, CASE_TYPE, **POLICY)


def item_url(pk: int) -> str:
    """The address of a consultation item's page."""
    return f"/studios/items/{pk}/"


def register_case_type() -> None:
    """Register consultation items with the handling core (called from ``AppConfig.ready``)."""
    from lvzhi.studios.access import visible_items

    registry.register(registry.CaseType(
        key=CASE_TYPE, label="协商清单事项", model_label="studios.ConsultationItem", council_kinds=("cppcc",),
        install=install_defaults, visible=visible_items, url=item_url))
