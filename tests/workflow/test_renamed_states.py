"""Renaming states, as an administrator may at any time: the code asks flags and acts, so nothing changes but
the names shown; the timeline names states as they are called now. CI re-runs the lifecycle suites with every
state renamed (``LVZHI_RENAME_STATES=1``, tests/states.py, .ci/run); a subset also runs here in a subprocess so
that the plain ``pytest`` run proves it too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lvzhi.core.models import AuditEntry
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Proposal
from lvzhi.reports.queries import proposal_statistics
from lvzhi.workflow.models import State, Workflow
from tests.states import NAME_PREFIX, PREFIX, RENAMING

ROOT = Path(__file__).resolve().parents[2]
#: Lifecycle tests re-run here with every state renamed (the whole list runs so in CI: tests/renamed_suites.txt).
SUBSET = ["tests/workflow/test_renamed_states.py::test_the_switch_renames_every_state_of_every_default_workflow",
          "tests/proposals/test_lifecycle.py", "tests/opinions/test_reports.py", "tests/opinions/test_messages.py"]


@pytest.mark.django_db
def test_the_switch_renames_every_state_of_every_default_workflow(world: Any) -> None:
    states = State.objects.filter(workflow__council=world.council)
    assert Workflow.objects.filter(council=world.council).count() == 4 and states.count() == 13 + 10 + 5 + 7
    renamed = states.filter(code__startswith=PREFIX, name__startswith=NAME_PREFIX).count()
    assert renamed == (states.count() if RENAMING else 0)


def _rename_all(council: Any, suffix: str) -> dict[int, str]:
    names = {}
    for state in State.objects.filter(workflow__council=council):
        state.code, state.name = f"s{state.pk}-{suffix}", f"状态{state.pk}{suffix}"
        state.save(update_fields=["code", "name"])
        names[state.pk] = state.name
    return names


@pytest.mark.django_db
def test_renaming_later_keeps_statistics_and_names_the_timeline_anew(world: Any) -> None:
    staff = world.user("staff")
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于城市更新的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(staff, p.pk)
    q = act.create_proposal(world.user("member1"), session=world.session, title="关于公交线路的建议",
                            situation="情况", analysis="分析", suggestions="建议")
    act.submit_proposal(world.user("member1"), q.pk)
    act.withdraw_proposal(world.user("member1"), q.pk)
    before = proposal_statistics(world.council)
    # By hand: two submitted, one withdrawn → received 1, filed 1, withdrawn 1, nothing under review.
    assert (before.received, before.filed, before.withdrawn, before.under_review) == (1, 1, 1, 0)

    names = _rename_all(world.council, "甲")
    after = proposal_statistics(world.council)
    assert (after.received, after.filed, after.withdrawn, after.under_review) == (1, 1, 1, 0)
    p.refresh_from_db()
    filed_name = names[p.state_id]
    client = Client()
    client.force_login(staff)
    page = client.get(f"/proposals/{p.pk}/").content.decode()
    # The timeline names the states of the old entries by what they are called now (recorded ids).
    entries = AuditEntry.objects.filter(target_id=p.pk, event="transition")
    assert entries.count() == 2 and filed_name in page
    for e in entries:
        assert names[e.new_values["state_id"]] in page and names[e.old_values["state_id"]] in page
    # Acting goes on by acts: the renamed workflow still assigns.
    act.assign_proposal(staff, p.pk, [(world.units[0], "sole")])
    state = Proposal.objects.get(pk=p.pk).state
    assert state.units_may_reply and state.name == names[state.pk]


@pytest.mark.skipif(RENAMING, reason="already running renamed")
def test_lifecycle_subset_passes_with_every_state_renamed(tmp_path: Path) -> None:
    # The child runs on its own SQLite file: on PostgreSQL it would try to create the test database the
    # parent run is using. .ci/run runs every renamed suite in full.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"LVZHI_RENAME_STATES": "1", "LVZHI_DATA_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUBSET],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "skipped" not in summary, summary
