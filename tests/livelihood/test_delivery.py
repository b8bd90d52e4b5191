"""Delivery (实施) of elected projects as cases on the handling core: numbered, assigned to the responsible
unit, milestones, monthly progress, the unit's completion report (the core's reply, signed off) moving the
case to completed, overdue milestones in the inbox, closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.core.inbox import inbox_items
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Candidate, DeliveryProject, Vote
from tests.cases.npc import NPC
from tests.livelihood.helpers import make_vote


def elected_project(npc: NPC) -> Candidate:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    for i in range(3):
        act.cast_ballot(npc.user(f"deputy{i}"), vote, {"01": "赞成"})
    act.close_vote(npc.user("leader"), vote)
    return Candidate.objects.get(vote=vote, code="01")


def test_delivery_lifecycle_on_the_core(npc: NPC) -> None:
    candidate = elected_project(npc)
    staff = npc.user("staff")
    with pytest.raises(DomainError, match="已公布"):
        act.start_delivery(staff, candidate)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    candidate.refresh_from_db()
    loser = Candidate.objects.get(vote=candidate.vote, code="02")
    with pytest.raises(DomainError, match="当选"):
        act.start_delivery(staff, loser)
    with pytest.raises(ForbiddenError):
        act.start_delivery(npc.user("deputy0"), candidate)
    project = act.start_delivery(staff, candidate, co_units=[npc.units[1]])
    with pytest.raises(ConflictError):
        act.start_delivery(staff, candidate)
    year = candidate.vote.window.year
    assert project.number == f"{year}-MS01"
    assert project.state.units_may_reply and not project.state.is_initial
    lead_unit = candidate.unit
    assert lead_unit is not None
    roles = dict(Assignment.objects.filter(object_id=project.pk, case_type="livelihood_project")
                 .values_list("unit_id", "role"))
    assert roles == {lead_unit.pk: "lead", npc.units[1].pk: "co"}
    clerk = npc.user(f"clerk{npc.units.index(lead_unit)}")
    head = npc.user(f"head{npc.units.index(lead_unit)}")
    outsider_index = next(i for i, u in enumerate(npc.units) if u not in (lead_unit, npc.units[1]))
    outsider = npc.user(f"clerk{outsider_index}")

    # Milestones and monthly progress by the responsible unit; others refused.
    today = timezone.localdate()
    late = act.add_milestone(clerk, project, title="完成选址", due=today - timedelta(days=3))
    act.add_milestone(staff, project, title="开工建设", due=today + timedelta(days=60))
    with pytest.raises(NotFoundError):
        act.add_milestone(outsider, project, title="x", due=today)
    with pytest.raises(ForbiddenError):
        act.report_progress(npc.user("deputy0"), project, month=today, percent=10)
    with pytest.raises(DomainError) as e:
        act.report_progress(clerk, project, month=today, percent=120)
    assert e.value.field == "percent"
    act.report_progress(clerk, project, month=today, percent=30, text="完成设计")
    act.report_progress(clerk, project, month=today, percent=35, text="完成设计和招标")  # replaces this month
    assert list(project.progress.values_list("percent", flat=True)) == [35]
    assert project.percent_done() == 35

    # The overdue milestone waits in the responsible unit's inbox, overdue; not in the outsider's.
    mine = [i for i in inbox_items(clerk) if i.source == "livelihood"]
    assert [(i.what, i.urgency, i.number) for i in mine] == [("实施节点：完成选址", "overdue", project.number)]
    assert not [i for i in inbox_items(outsider) if i.source == "livelihood"]
    # lvzhi remind: the unit's clerk and leader get one reminder naming the overdue milestone.
    from lvzhi.core.reminders import due

    mine = [r for r in due(today) if r.key == f"remind:livelihood_project:{project.pk}"]
    assert len(mine) == 1 and set(mine[0].user_ids) >= {clerk.pk, head.pk} and "完成选址" in mine[0].text
    act.complete_milestone(clerk, late)
    assert not [r for r in due(today) if r.key == f"remind:livelihood_project:{project.pk}"]
    assert not [i for i in inbox_items(clerk) if i.source == "livelihood"]

    # Completion report: the co-unit's opinion, then the lead unit's reply signed by its leader → completed.
    co = Assignment.objects.get(object_id=project.pk, case_type="livelihood_project", role="co")
    cases.send_opinion(npc.user("clerk1"), co.pk, text="配合完成配套道路。")
    lead = Assignment.objects.get(object_id=project.pk, case_type="livelihood_project", role="lead")
    reply = cases.draft_reply(clerk, lead.pk, grade="A", text="项目已全部建成并投入使用。")
    cases.sign_off_reply(head, reply.pk)
    project = DeliveryProject.objects.get(pk=project.pk)
    assert not project.state.units_may_reply and not project.state.is_terminal
    with pytest.raises(DomainError, match="不能报送进展"):
        act.report_progress(clerk, project, month=today, percent=100)
    # 数读: signed off today; planned for yesterday → completed but not on time; planned for today → on time.
    from lvzhi.livelihood.queries import year_figures

    DeliveryProject.objects.filter(pk=project.pk).update(due=today - timedelta(days=1))
    f = year_figures(npc.council.pk, year)
    assert (f.delivered, f.completed, f.on_time) == (1, 1, 0)
    DeliveryProject.objects.filter(pk=project.pk).update(due=today)
    assert year_figures(npc.council.pk, year).on_time == 1
    cases.close(staff, DeliveryProject, project.pk)
    assert DeliveryProject.objects.get(pk=project.pk).state.is_terminal


def test_delivery_pages(npc: NPC) -> None:
    from django.test import Client

    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    staff = Client()
    staff.force_login(npc.user("staff"))
    answer = staff.post(f"/livelihood/votes/{candidate.vote_id}/deliver/01/", follow=True)
    project = DeliveryProject.objects.get(candidate=candidate)
    assert answer.redirect_chain[-1][0] == f"/livelihood/projects/{project.pk}/"
    assert project.number in answer.content.decode()
    assert project.number in staff.get(f"/livelihood/votes/{candidate.vote_id}/").content.decode()
    clerk = Client()
    assert candidate.unit is not None
    clerk.force_login(npc.user(f"clerk{npc.units.index(candidate.unit)}"))
    url = f"/livelihood/projects/{project.pk}/"
    month = timezone.localdate().strftime("%Y-%m")
    page = clerk.post(url, {"step": "progress", "month": month, "percent": "101"}, follow=True).content.decode()
    assert "0 到 100" in page
    clerk.post(url, {"step": "progress", "month": month, "percent": "40", "text": "主体完工"})
    clerk.post(url, {"step": "milestone", "title": "竣工验收", "due": "2099-12-31"})
    page = clerk.get(url).content.decode()
    assert "完成进度 40%" in page and "竣工验收" in page
    # A deputy reads it; the public reads the year's progress without logging in.
    deputy = Client()
    deputy.force_login(npc.user("deputy3"))
    assert deputy.get(url).status_code == 200
    assert "报送本月进展" not in deputy.get(url).content.decode()
    public = Client().get(f"/livelihood/progress/{npc.council.pk}/{project.year}/").content.decode()
    assert project.title in public and "<td>40</td>" in public and "0 / 1" in public
    # The completion report on the page: the clerk writes it, the unit's leader signs it off → completed.
    clerk.post(url, {"step": "report", "text": "项目已建成。"})
    head = Client()
    head.force_login(npc.user(f"head{npc.units.index(candidate.unit)}"))
    head.post(url, {"step": "signoff"})
    project = DeliveryProject.objects.get(pk=project.pk)
    assert not project.state.units_may_reply and "项目已建成。" in deputy.get(url).content.decode()


def test_supervision_by_the_core(npc: NPC) -> None:
    """Standing-committee-led supervision of a delivery project with the core's acts: a key-case group (重点
    督办专题) under a special committee led by a leader, its progress notes, and a leader's instruction (批示)
    the unit notes as implemented."""
    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    staff, leader = npc.user("staff"), npc.user("leader")
    project = act.start_delivery(staff, Candidate.objects.get(pk=candidate.pk))
    group = cases.create_key_group(staff, npc.council, "livelihood_project", year=project.year,
                                   theme="民生实事项目监督", special_committee=npc.committee, leading_leader=leader)
    cases.add_to_key_group(staff, group.pk, [project.pk])
    cases.add_key_group_note(leader, group.pk, text="视察项目现场，要求加快进度。")
    assert DeliveryProject.objects.get(pk=project.pk).is_key
    instruction = cases.instruct(leader, DeliveryProject, project.pk, text="请按期完成。")
    assert candidate.unit is not None
    clerk = npc.user(f"clerk{npc.units.index(candidate.unit)}")
    cases.add_instruction_note(clerk, instruction.pk, text="已制定倒排工期计划。", status="done")
    with pytest.raises(ForbiddenError):
        cases.instruct(npc.user("deputy0"), DeliveryProject, project.pk, text="x")


def test_inspection_findings_followed_to_correction(npc: NPC) -> None:
    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    staff = npc.user("staff")
    project = act.start_delivery(staff, Candidate.objects.get(pk=candidate.pk))
    today = timezone.localdate()
    with pytest.raises(DomainError) as e:
        act.record_supervision(staff, npc.council, kind="party", title="x", held_on=today, projects=[project])
    assert e.value.field == "kind"
    with pytest.raises(ForbiddenError):
        act.record_supervision(npc.user("deputy0"), npc.council, kind="inspection", title="x", held_on=today,
                               projects=[project])
    inquiry = act.record_supervision(staff, npc.council, kind="inquiry", title="民生实事专题询问", held_on=today,
                                     projects=[project], record="询问进度滞后原因。")
    assert candidate.unit is not None
    unit_index = npc.units.index(candidate.unit)
    finding = act.add_finding(staff, inquiry, unit=candidate.unit, project=project, text="施工进度滞后",
                              due=today + timedelta(days=30))
    clerk = npc.user(f"clerk{unit_index}")
    assert [i.what for i in inbox_items(clerk) if i.source == "livelihood_findings"] == ["监督发现问题待整改"]
    with pytest.raises(ForbiddenError):
        act.report_correction(npc.user(f"clerk{(unit_index + 1) % 3}"), finding, text="x")
    with pytest.raises(DomainError):
        act.confirm_correction(staff, finding, accepted=True)
    act.report_correction(clerk, finding, text="增加施工班组，已追回工期。")
    with pytest.raises(ConflictError):
        act.report_correction(clerk, finding, text="again")
    assert [i.what for i in inbox_items(staff) if i.source == "livelihood_findings"] == ["整改情况待确认"]
    with pytest.raises(DomainError):
        act.confirm_correction(staff, finding, accepted=False)  # sending back needs a comment
    act.confirm_correction(staff, finding, accepted=False, comment="请补充材料")
    act.report_correction(clerk, finding, text="已补充施工日志。")
    done = act.confirm_correction(staff, finding, accepted=True)
    assert done.status == "corrected" and not [i for i in inbox_items(staff) if i.source == "livelihood_findings"]
