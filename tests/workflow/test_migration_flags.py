"""Workflows created by earlier releases (at workflow 0001: states with codes and the five old flags,
transitions without acts) migrate forward to acts, flags and act permissions as the default definitions mean.

Expected values are written out by hand from shared/domain/WORKFLOWS.md and the default definitions' meaning,
not read from the migrations.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lvzhi.opinions.defaults import MESSAGE_STATES, MESSAGE_TRANSITIONS, REPORT_STATES, REPORT_TRANSITIONS
from lvzhi.workflow.defaults import PROPOSAL_STATES, PROPOSAL_TRANSITIONS
from lvzhi.workflow.models import ActPermission, State, Transition, Workflow

OLD_FLAGS = ("is_initial", "is_terminal", "submitter_may_edit", "units_may_reply", "proposer_may_rate")
NEW_FLAGS = ("counts_as_received", "is_public", "takes_number", "assignable", "mergeable", "is_draft",
             "under_review", "staff_may_edit", "is_published", "is_closed")

# By hand: every transition (source, target) → act.
EXPECTED_ACTS = {
    "proposal": {
        ("draft", "submitted"): "submit", ("returned", "submitted"): "submit", ("draft", "withdrawn"): "withdraw",
        ("returned", "withdrawn"): "withdraw", ("submitted", "withdrawn"): "withdraw",
        ("submitted", "returned"): "return", ("submitted", "filed"): "file", ("submitted", "not_filed"): "not_file",
        ("submitted", "merged"): "merge", ("filed", "assigned"): "assign", ("assigned", "replied"): "reply",
        ("rehandling", "replied"): "reply", ("replied", "evaluated"): "evaluate",
        ("replied", "rehandling"): "rehandle", ("replied", "closed"): "close", ("evaluated", "closed"): "close",
        ("closed", "archived"): "archive"},
    "opinion_report": {
        ("draft", "submitted"): "submit", ("draft", "withdrawn"): "withdraw", ("submitted", "withdrawn"): "withdraw",
        ("submitted", "adopted"): "adopt", ("submitted", "kept"): "keep", ("adopted", "signed_off"): "sign_off",
        ("signed_off", "published"): "publish", ("published", "forwarded"): "forward",
        ("forwarded", "answered"): "answer", ("published", "closed"): "close", ("answered", "closed"): "close"},
    "message": {
        ("received", "routed"): "route", ("replied", "routed"): "route", ("received", "replied"): "reply",
        ("routed", "replied"): "reply", ("received", "rejected"): "reject", ("routed", "received"): "send_back",
        ("replied", "closed"): "close"},
}

# By hand: the states carrying each new flag (every other state has it off).
EXPECTED_FLAGS = {
    "proposal": {
        "counts_as_received": {"submitted", "returned", "filed", "not_filed", "merged", "assigned", "replied",
                               "rehandling", "evaluated", "closed", "archived"},
        "is_public": {"filed", "assigned", "replied", "rehandling", "evaluated", "closed", "archived"},
        "takes_number": {"filed"}, "assignable": {"filed"}, "mergeable": {"submitted"},
        "is_draft": {"draft"}, "under_review": {"submitted", "returned"}, "is_closed": {"closed", "archived"},
    },
    "opinion_report": {
        "counts_as_received": {"submitted", "adopted", "kept", "signed_off", "published", "forwarded", "answered",
                               "closed"},
        "assignable": {"published"}, "is_draft": {"draft"}, "staff_may_edit": {"adopted"},
        "is_published": {"published", "forwarded", "answered", "closed"}, "is_closed": {"closed"},
    },
    "message": {
        "counts_as_received": {"received", "routed", "replied", "rejected", "closed"},
        "assignable": {"received"}, "is_closed": {"closed"},
    },
}

# By hand: the proposal workflow's acts that are not transitions, their roles and where they are allowed.
EXPECTED_PERMISSIONS = {
    "key": (["staff"], {"filed", "assigned", "replied", "rehandling", "evaluated"}),
    "excellent": (["staff"], {"filed", "assigned", "replied", "rehandling", "evaluated", "closed", "archived"}),
    "follow_up": (["staff", "leader"], {"filed", "assigned", "replied", "rehandling", "evaluated", "closed",
                                        "archived"}),
    "reassign": (["staff"], {"assigned", "rehandling"}),
    "merge": (["staff"], {"submitted", "filed"}),
    "convert": (["staff"], {"not_filed"}),
}

OLD_DEFINITIONS = {
    "proposal": (PROPOSAL_STATES, PROPOSAL_TRANSITIONS),
    "opinion_report": (REPORT_STATES, REPORT_TRANSITIONS),
    "message": (MESSAGE_STATES, MESSAGE_TRANSITIONS),
}


def _install_as_release_0001(apps: Any) -> None:
    """The default workflows as earlier releases created them: codes, names, the five old flags, time limits;
    transitions by source and target only."""
    council = apps.get_model("members", "Council").objects.create(kind="cppcc", name="旧版政协", short_name="旧版")
    for case_type, (states, transitions) in OLD_DEFINITIONS.items():
        workflow = apps.get_model("workflow", "Workflow").objects.create(council=council, case_type=case_type,
                                                                          name=case_type)
        by_code = {}
        for order, spec in enumerate(states):
            old = {k: v for k, v in spec.items() if k in OLD_FLAGS or k in ("code", "name", "time_limit",
                                                                              "time_unit", "color")}
            by_code[spec["code"]] = apps.get_model("workflow", "State").objects.create(
                workflow=workflow, order=order * 10, **old)
        for _act, s, t, name, roles, comment in transitions:
            apps.get_model("workflow", "Transition").objects.create(
                workflow=workflow, source=by_code[s], target=by_code[t], name=name, roles=roles,
                requires_comment=comment)


@pytest.mark.django_db(transaction=True)
def test_workflows_of_release_0001_get_acts_flags_and_permissions() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("workflow", "0001_initial")])
    _install_as_release_0001(executor.loader.project_state([("workflow", "0001_initial")]).apps)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    workflows = {w.case_type: w for w in Workflow.objects.filter(council__name="旧版政协")}
    assert set(workflows) == set(EXPECTED_ACTS)
    for case_type, workflow in workflows.items():
        acts = {(t.source.code, t.target.code): t.act
                for t in Transition.objects.filter(workflow=workflow).select_related("source", "target")}
        assert acts == EXPECTED_ACTS[case_type], case_type
        states = list(State.objects.filter(workflow=workflow))
        for flag in NEW_FLAGS:
            carrying = {s.code for s in states if getattr(s, flag)}
            assert carrying == EXPECTED_FLAGS[case_type].get(flag, set()), (case_type, flag)
    permissions = {p.act: (p.roles, {s.code for s in p.states.all()})
                   for p in ActPermission.objects.filter(workflow=workflows["proposal"])}
    assert permissions == EXPECTED_PERMISSIONS
    assert not ActPermission.objects.filter(workflow__in=[workflows["opinion_report"], workflows["message"]]).exists()
