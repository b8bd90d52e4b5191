"""Micro projects (民生微实事) on their lighter workflow (data): a deputy proposes in a batch, staff approve
(numbered) or decline with a reason, assign to a unit, the unit reports progress and completion (the core's
reply), the proposing deputy rates it with the core's opinion form."""

from __future__ import annotations

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import MicroProject
from tests.cases.npc import NPC


def test_micro_project_lifecycle(npc: NPC) -> None:
    staff, deputy = npc.user("staff"), npc.user("deputy0")
    batch = act.create_batch(staff, npc.council, year=2024, number=1)
    with pytest.raises(DomainError):
        act.create_batch(staff, npc.council, year=2024, number=1)
    with pytest.raises(ForbiddenError):
        act.propose_micro(npc.user("clerk0"), batch, title="x")
    project = act.propose_micro(deputy, batch, title="社区口袋公园", place="白沙街道", investment="45",
                                people_served=3200)
    other = act.propose_micro(staff, batch, title="村道路灯", member=npc.deputies[1])
    assert project.member == npc.deputies[0] and other.member == npc.deputies[1]
    with pytest.raises(ForbiddenError):
        act.approve_micro(deputy, project)
    with pytest.raises(DomainError):
        act.decline_micro(staff, other, reason="")
    declined = act.decline_micro(staff, other, reason="已列入部门年度计划")
    assert declined.state.is_terminal
    project = act.approve_micro(staff, project)
    assert project.number == "2024-WS001" and project.state.assignable
    cases.assign(staff, MicroProject, project.pk, [(npc.units[0], "sole")])
    clerk, head = npc.user("clerk0"), npc.user("head0")
    with pytest.raises(DomainError):
        act.report_micro_progress(clerk, project, percent=-1)
    assert act.report_micro_progress(clerk, project, percent=60).percent == 60
    a = Assignment.objects.get(case_type="micro_project", object_id=project.pk)
    reply = cases.draft_reply(clerk, a.pk, grade="A", text="口袋公园已建成开放。")
    cases.sign_off_reply(head, reply.pk)
    project = MicroProject.objects.get(pk=project.pk)
    assert project.state.proposer_may_rate
    # Only the proposing deputy rates; a 满意 form moves it on (no re-handling).
    with pytest.raises(ForbiddenError):
        cases.evaluate(npc.user("deputy1"), reply.pk, scores={"result": "satisfied"})
    cases.evaluate(deputy, reply.pk, scores={"result": "satisfied"})
    project = MicroProject.objects.get(pk=project.pk)
    assert not project.state.proposer_may_rate and not project.state.is_terminal
    cases.close(staff, MicroProject, project.pk)
    assert MicroProject.objects.get(pk=project.pk).state.is_terminal


def test_micro_project_pages(npc: NPC) -> None:
    from django.test import Client

    def client(name: str) -> Client:
        c = Client()
        c.force_login(npc.user(name))
        return c

    batch = act.create_batch(npc.user("staff"), npc.council, year=2024, number=2)
    project = act.propose_micro(npc.user("deputy0"), batch, title="村道路灯", place="杜阮镇", people_served=5600)
    url = f"/livelihood/micro/{project.pk}/"
    staff, clerk, head, deputy = client("staff"), client("clerk0"), client("head0"), client("deputy0")
    assert "确定实施" not in deputy.get(url).content.decode()
    staff.post(url, {"step": "approve"})
    staff.post(url, {"step": "assign", "unit": npc.units[0].pk})
    page = clerk.post(url, {"step": "progress", "percent": "150"}, follow=True).content.decode()
    assert "0 到 100" in page
    clerk.post(url, {"step": "progress", "percent": "80"})
    clerk.post(url, {"step": "report", "text": "路灯已全部安装。"})
    assert "签发完成情况报告" in head.get(url).content.decode()
    head.post(url, {"step": "signoff"})
    assert 'id="rate"' not in client("deputy1").get(url).content.decode()  # not the proposer
    deputy.post(url, {"step": "rate", "result": "basically"})
    project = MicroProject.objects.get(pk=project.pk)
    assert project.percent == 80 and not project.state.proposer_may_rate and not project.state.is_terminal
    page = client("deputy3").get("/livelihood/micro/").content.decode()
    assert "村道路灯" in page and project.number in page
