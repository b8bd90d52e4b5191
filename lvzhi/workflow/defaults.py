"""The default workflows and reply-grade scales a council starts with (created by ``lvzhi setup``).

The proposal workflow follows ``shared/domain/WORKFLOWS.md`` §1: draft → submitted (pre-review may return
it) → filed / not filed / merged → assigned → replied → evaluated (不满意: re-handling) → closed → archived.
Time limits here are those of the state as a whole; per-assignment deadlines come from the council's policy.
A council changes all of this as data (admin: 流程, 状态, 流转, 答复类别).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_noop as N_

from lvzhi.workflow.models import ActPermission, ReplyGrade, State, Transition, Workflow

# code, name, flags, (time limit, unit), colour
PROPOSAL_STATES: list[dict[str, Any]] = [
    {"code": "draft", "name": N_("草稿"), "is_initial": True, "submitter_may_edit": True, "color": "grey",
     "is_draft": True},
    {"code": "submitted", "name": N_("待审查"), "color": "blue", "time_limit": 10, "time_unit": "working_days",
     "counts_as_received": True, "mergeable": True, "under_review": True},
    {"code": "returned", "name": N_("退回修改"), "submitter_may_edit": True, "color": "orange",
     "counts_as_received": True, "under_review": True},
    {"code": "filed", "name": N_("已立案待交办"), "color": "teal", "time_limit": 10, "time_unit": "working_days",
     "counts_as_received": True, "is_public": True, "takes_number": True, "assignable": True},
    {"code": "not_filed", "name": N_("不予立案"), "is_terminal": True, "color": "dark", "counts_as_received": True},
    {"code": "merged", "name": N_("已并案"), "is_terminal": True, "color": "dark", "counts_as_received": True},
    {"code": "withdrawn", "name": N_("已撤回"), "is_terminal": True, "color": "dark"},
    {"code": "assigned", "name": N_("办理中"), "units_may_reply": True, "color": "indigo",
     "time_limit": 3, "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "replied", "name": N_("已答复待测评"), "proposer_may_rate": True, "color": "green",
     "time_limit": 15, "time_unit": "working_days", "counts_as_received": True, "is_public": True},
    {"code": "rehandling", "name": N_("重新办理"), "units_may_reply": True, "color": "red",
     "time_limit": 1, "time_unit": "months", "counts_as_received": True, "is_public": True},
    {"code": "evaluated", "name": N_("已测评"), "color": "green", "counts_as_received": True, "is_public": True},
    {"code": "closed", "name": N_("已办结"), "color": "dark", "counts_as_received": True, "is_public": True,
     "is_closed": True},
    {"code": "archived", "name": N_("已归档"), "is_terminal": True, "color": "dark", "counts_as_received": True,
     "is_public": True, "is_closed": True},
]

# act, source, target, name, roles, requires_comment. ``act`` is the stable key the code moves a case by.
Transitions = list[tuple[str, str, str, str, list[str], bool]]

PROPOSAL_TRANSITIONS: Transitions = [
    ("submit", "draft", "submitted", N_("提交"), ["proposer"], False),
    ("withdraw", "draft", "withdrawn", N_("撤回"), ["proposer"], False),
    ("submit", "returned", "submitted", N_("重新提交"), ["proposer"], False),
    ("withdraw", "returned", "withdrawn", N_("撤回"), ["proposer"], False),
    ("withdraw", "submitted", "withdrawn", N_("撤回"), ["proposer"], False),
    ("return", "submitted", "returned", N_("退回修改"), ["staff"], True),
    ("file", "submitted", "filed", N_("立案"), ["staff"], False),
    ("not_file", "submitted", "not_filed", N_("不予立案"), ["staff"], True),
    ("merge", "submitted", "merged", N_("并案"), ["staff"], False),
    ("assign", "filed", "assigned", N_("交办"), ["staff"], False),
    ("reply", "assigned", "replied", N_("答复"), ["unit_leader", "staff"], False),
    ("evaluate", "replied", "evaluated", N_("测评"), ["proposer", "staff"], False),
    ("rehandle", "replied", "rehandling", N_("不满意，重新办理"), ["proposer", "staff"], False),
    ("reply", "rehandling", "replied", N_("再次答复"), ["unit_leader", "staff"], False),
    ("close", "replied", "closed", N_("办结（测评期满）"), ["staff"], False),
    ("close", "evaluated", "closed", N_("办结"), ["staff"], False),
    ("archive", "closed", "archived", N_("归档"), ["staff"], False),
]

# Acts that are not moves between states: act, name, roles, state codes where allowed (see ActPermission).
Acts = list[tuple[str, str, list[str], list[str]]]

_NUMBERED = ["filed", "assigned", "replied", "rehandling", "evaluated", "closed", "archived"]
PROPOSAL_ACTS: Acts = [
    ("key", N_("确定重点提案"), ["staff"], ["filed", "assigned", "replied", "rehandling", "evaluated"]),
    ("excellent", N_("评选优秀提案"), ["staff"], _NUMBERED),
    ("follow_up", N_("记录回头看"), ["staff", "leader"], _NUMBERED),
    ("reassign", N_("追加交办"), ["staff"], ["assigned", "rehandling"]),
    ("merge", N_("并案"), ["staff"], ["submitted", "filed"]),
    ("convert", N_("转为社情民意信息"), ["staff"], ["not_filed"]),
]

#: Sent (``sender=Workflow``, ``workflow=``) right after a default workflow is installed, inside the same
#: transaction: the test suite's renaming switch (``LVZHI_RENAME_STATES=1``) renames every state here.
workflow_installed = Signal()

GRADE_SCALES: dict[str, list[tuple[str, str, bool]]] = {
    # A/B/C/D [R10]
    "abcd": [("A", N_("已解决或基本解决"), False), ("B", N_("正在解决或列入计划解决"), True),
             ("C", N_("因条件限制以后解决"), True), ("D", N_("留作参考"), False)],
    # three grades [R11]
    "abc": [("A", N_("已解决或采纳"), False), ("B", N_("正在解决或列入计划"), True), ("C", N_("留作参考"), False)],
}


@transaction.atomic
def install_workflow(council: Any, case_type: str, states: list[dict[str, Any]], transitions: Transitions,
                     name: str, acts: Acts | None = None) -> Workflow:
    """Create the workflow for ``case_type`` in ``council`` (states, transitions, and the permissions of
    ``acts`` that are not transitions) unless one exists; returns it either way."""
    existing = Workflow.objects.filter(council=council, case_type=case_type, active=True).first()
    if existing:
        return existing
    workflow = Workflow.objects.create(council=council, case_type=case_type, name=name)
    by_code = {}
    for order, spec in enumerate(states):
        by_code[spec["code"]] = State.objects.create(workflow=workflow, order=order * 10, **spec)
    Transition.objects.bulk_create([
        Transition(workflow=workflow, act=a, source=by_code[s], target=by_code[t], name=n, roles=r,
                   requires_comment=c)
        for a, s, t, n, r, c in transitions
    ])
    for act, act_name, roles, codes in acts or []:
        permission = ActPermission.objects.create(workflow=workflow, act=act, name=act_name, roles=roles)
        permission.states.set([by_code[c] for c in codes])
    workflow_installed.send(sender=Workflow, workflow=workflow)
    return workflow


def install_proposal_workflow(council: Any) -> Workflow:
    """The default proposal workflow of ``council`` (created once)."""
    return install_workflow(council, "proposal", PROPOSAL_STATES, PROPOSAL_TRANSITIONS, "提案办理流程",
                            PROPOSAL_ACTS)


@transaction.atomic
def install_grades(council: Any, scale: str = "abcd") -> None:
    """Create the reply-grade scale ``scale`` (``abcd`` or ``abc``) for ``council`` if it has none."""
    if ReplyGrade.objects.filter(council=council).exists():
        return
    ReplyGrade.objects.bulk_create([
        ReplyGrade(council=council, code=c, label=label, order=i, needs_follow_up=f)
        for i, (c, label, f) in enumerate(GRADE_SCALES[scale])
    ])
