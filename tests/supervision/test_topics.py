"""Supervision and research topics (issue 9, item 3): the lifecycle through the writers, refusals, the duty
record acts of the group, the 数读 section and the pages. Scenario (a CPPCC, 2025): 民主监督 "营商环境" started
2025-03-01 with 张三 as 组长 and 李四 as 成员, one expert, two field visits, a report on 2025-05-10 and three
findings — 发改局 corrected and checked; 交通局 sent back once, then corrected, then the follow-up check finds
it came back (open again); 教育局 never reported, due 2025-06-30. A 调查研究 topic started 2025-09-01 with 王五
only, no report.

Hand count for 2025 (today 2026-12-01 in the overdue count): topics 2 (民主监督 1, 调查研究 1); reported 1; group
places 3, members 3; experts 1; visits 2; findings 3; corrected (confirmed, checked or not) 1 (发改局; 交通局 is
open again); checked 1; overdue: 交通局 (due 2025-06-30, open) and 教育局 (open) = 2; 整改完成率 1/3 = 33.3%.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.core import sections as module_sections
from lvzhi.core.audit import AuditEntry
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.duties.acts import acts_of
from lvzhi.supervision import actions as sv
from lvzhi.supervision.models import Finding, FindingStatus, Topic
from lvzhi.supervision.queries import supervision_figures
from tests.conftest import World

pytestmark = pytest.mark.django_db


def build(world: World) -> dict[str, Any]:
    staff = world.user("staff")
    zhang, li, wang = world.members
    t = sv.create_topic(staff, world.council, kind="supervision", title="优化营商环境民主监督", year=2025,
                        starts_on=date(2025, 3, 1), ends_on=date(2025, 6, 30), lead_body="经济委员会",
                        plan="走访企业、座谈、形成报告")
    sv.set_group(staff, t.pk, [(zhang, "leader"), (li, "member")], version=1)
    sv.add_expert(staff, t.pk, name="陈教授", affiliation="五邑大学")
    sv.record_visit(staff, t.pk, day=date(2025, 3, 20), place="江海区企业服务中心")
    sv.record_visit(staff, t.pk, day=date(2025, 4, 8), place="蓬江区政务服务大厅")
    sv.submit_report(staff, t.pk, report="审批环节多", recommendations="推行一网通办", reported_on=date(2025, 5, 10),
                     version=2)
    due = date(2025, 6, 30)
    f1 = sv.add_finding(staff, t.pk, unit=world.units[0], text="项目审批时限长", due=due, recommendation="压缩时限")
    f2 = sv.add_finding(staff, t.pk, unit=world.units[1], text="物流通道不畅", due=due)
    f3 = sv.add_finding(staff, t.pk, unit=world.units[2], text="职业培训与企业需求脱节", due=due)
    sv.report_correction(world.user("clerk0"), f1.pk, text="审批时限压缩至5个工作日")
    sv.confirm_correction(staff, f1.pk, accepted=True)
    sv.follow_up(staff, f1.pk, holds=True, note="回访企业，整改到位")
    sv.report_correction(world.user("clerk1"), f2.pk, text="已协调")
    sv.confirm_correction(staff, f2.pk, accepted=False, comment="未见具体措施")
    sv.report_correction(world.user("head1"), f2.pk, text="开通货运专线")
    sv.confirm_correction(staff, f2.pk, accepted=True)
    sv.follow_up(staff, f2.pk, holds=False, note="专线停运，问题反弹")
    r = sv.create_topic(staff, world.council, kind="research", title="乡村振兴调研", year=2025,
                        starts_on=date(2025, 9, 1))
    sv.set_group(staff, r.pk, [(wang, "leader")])
    return {"topic": t, "research": r, "findings": (f1, f2, f3)}


def test_lifecycle_and_figures_counted_by_hand(world: World) -> None:
    s = build(world)
    f1, f2, f3 = (Finding.objects.get(pk=f.pk) for f in s["findings"])
    assert (f1.status, f2.status, f3.status) == (FindingStatus.CHECKED, FindingStatus.OPEN, FindingStatus.OPEN)
    assert (f1.reopened, f2.reopened, f3.reopened) == (0, 2, 0)
    fig = supervision_figures(world.council.pk, date(2025, 1, 1), date(2025, 12, 31), today=date(2026, 12, 1))
    assert fig.topics == {"民主监督": 1, "调查研究": 1}
    assert (fig.reported, fig.places, fig.members, fig.experts, fig.visits) == (1, 3, 3, 1, 2)
    assert (fig.findings, fig.corrected, fig.checked, fig.overdue) == (3, 1, 1, 2)
    assert fig.by_unit == {"市发展和改革局": [1, 1], "市交通运输局": [1, 0], "市教育局": [1, 0]}
    [section] = module_sections.sections(world.council.pk, date(2025, 1, 1), date(2025, 12, 31), only="supervision")
    shown = dict(section.figures)
    assert (shown["课题（个）"], shown["交办问题（个）"], shown["整改完成率"]) == (2, 3, "33.3%")
    assert module_sections.sections(world.council.pk, date(2024, 1, 1), date(2024, 12, 31),
                                    only="supervision")[0].figures[0] == ("课题（个）", 0)
    # one audit entry per act on the first topic and its findings: created, group, expert, 2 visits, report
    events = list(AuditEntry.objects.filter(event__in=["visit_recorded", "follow_up_checked", "follow_up_reopened",
                                                       "correction_returned"]).values_list("event", flat=True))
    assert sorted(events) == ["correction_returned", "follow_up_checked", "follow_up_reopened", "visit_recorded",
                              "visit_recorded"]


def test_group_members_get_a_duty_record_act(world: World) -> None:
    build(world)
    acts = [a for a in acts_of(world.council, date(2025, 1, 1), date(2025, 12, 31)) if a.kind == "supervision_topic"]
    by_member = {(a.member_id, a.title): dict(a.attrs) for a in acts}
    zhang, li, wang = world.members
    assert by_member == {
        (zhang.pk, "优化营商环境民主监督"): {"topic_kind": "supervision", "role": "leader", "reported": True},
        (li.pk, "优化营商环境民主监督"): {"topic_kind": "supervision", "role": "member", "reported": True},
        (wang.pk, "乡村振兴调研"): {"topic_kind": "research", "role": "leader", "reported": False},
    }
    assert not [a for a in acts_of(world.council, date(2025, 1, 1), date(2025, 8, 31), {wang.pk})
                if a.kind == "supervision_topic"]


def test_refusals_write_nothing(world: World) -> None:
    staff = world.user("staff")
    with pytest.raises(DomainError, match="请选择课题类型：民主监督、调查研究"):
        sv.create_topic(staff, world.council, kind="enforcement", title="执法检查", year=2025, starts_on=date(2025, 1, 1))
    with pytest.raises(ForbiddenError):
        sv.create_topic(world.user("member0"), world.council, kind="research", title="x", year=2025,
                        starts_on=date(2025, 1, 1))
    with pytest.raises(DomainError, match="结束日期不能早于开始日期"):
        sv.create_topic(staff, world.council, kind="research", title="x", year=2025, starts_on=date(2025, 5, 1),
                        ends_on=date(2025, 4, 1))
    assert not Topic.objects.exists()
    t = sv.create_topic(staff, world.council, kind="research", title="x", year=2025, starts_on=date(2025, 5, 1))
    with pytest.raises(DomainError, match="请先提交课题报告"):
        sv.add_finding(staff, t.pk, unit=world.units[0], text="问题", due=date(2025, 9, 1))
    sv.set_group(staff, t.pk, [(world.members[0], "member")], version=1)
    with pytest.raises(ConflictError, match="已被他人修改"):
        sv.set_group(staff, t.pk, [(world.members[1], "member")], version=1)
    with pytest.raises(DomainError, match="张三 重复"):
        sv.set_group(staff, t.pk, [(world.members[0], "member"), (world.members[0], "leader")])
    assert list(t.group.values_list("member_id", flat=True)) == [world.members[0].pk]
    sv.submit_report(staff, t.pk, report="r", recommendations="s", reported_on=date(2025, 6, 1))
    f = sv.add_finding(staff, t.pk, unit=world.units[0], text="问题", due=date(2025, 9, 1))
    with pytest.raises(ForbiddenError, match="只有整改单位"):
        sv.report_correction(world.user("clerk1"), f.pk, text="x")
    with pytest.raises(DomainError, match="尚未报告整改情况"):
        sv.confirm_correction(staff, f.pk, accepted=True)
    with pytest.raises(DomainError, match="只有整改完成的问题可以跟踪督办"):
        sv.follow_up(staff, f.pk, holds=True, note="x")
    sv.report_correction(world.user("clerk0"), f.pk, text="已整改")
    with pytest.raises(DomainError, match="请填写「退回意见」"):
        sv.confirm_correction(staff, f.pk, accepted=False)
    assert Finding.objects.get(pk=f.pk).status == FindingStatus.REPORTED


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_staff_member_and_unit(world: World) -> None:
    staff = _client(world.user("staff"))
    r = staff.post("/supervision/new/", {"kind": "supervision", "title": "河长制民主监督", "year": "2025",
                                         "starts_on": "2025-03-01", "plan": "方案"})
    assert r.status_code == 302
    t = Topic.objects.get(title="河长制民主监督")
    bad = staff.post("/supervision/new/", {"kind": "supervision", "title": "", "year": "2025", "starts_on": "2025-03-01"})
    assert bad.status_code == 400 and "请填写「题目」" in bad.content.decode()
    m0 = world.members[0]
    assert staff.post(f"/supervision/{t.pk}/group/", {"version": "1", "member": [str(m0.pk)],
                                                      f"role_{m0.pk}": "leader"}).status_code == 302
    assert staff.post(f"/supervision/{t.pk}/report/", {"version": "2", "reported_on": "2025-05-01", "report": "发现",
                                                       "recommendations": "建议"}).status_code == 302
    late = staff.post(f"/supervision/{t.pk}/finding/", {"unit": str(world.units[0].pk), "text": "问题",
                                                        "due": "2025-04-01"})
    assert late.status_code == 400 and "整改期限不能早于报告日期" in late.content.decode()
    assert staff.post(f"/supervision/{t.pk}/finding/", {"unit": str(world.units[0].pk), "text": "排污口未封堵",
                                                        "due": "2025-08-01"}).status_code == 302
    f = Finding.objects.get(topic=t)
    # the member in the group sees the topic; another member does not
    assert "河长制民主监督" in _client(world.user("member0")).get("/supervision/").content.decode()
    assert "河长制民主监督" not in _client(world.user("member1")).get("/supervision/").content.decode()
    assert _client(world.user("member1")).get(f"/supervision/{t.pk}/").status_code == 404
    # the unit reports, staff confirm and check
    clerk = _client(world.user("clerk0"))
    assert "排污口未封堵" in clerk.get(f"/supervision/{t.pk}/").content.decode()
    assert clerk.post(f"/supervision/{t.pk}/findings/{f.pk}/correct/", {"text": "已封堵"}).status_code == 302
    assert _client(world.user("clerk1")).post(f"/supervision/{t.pk}/findings/{f.pk}/correct/",
                                              {"text": "x"}).status_code == 404
    assert staff.post(f"/supervision/{t.pk}/findings/{f.pk}/confirm/", {"accepted": "1"}).status_code == 302
    assert staff.post(f"/supervision/{t.pk}/findings/{f.pk}/follow-up/", {"holds": "1", "note": "复查到位"}).status_code == 302
    assert Finding.objects.get(pk=f.pk).status == FindingStatus.CHECKED


def test_units_are_reminded_of_open_findings(world: World) -> None:
    """On 2025-07-01 (after the 2025-06-30 deadline) 交通局's reopened finding and 教育局's open one are
    overdue; 发改局's is checked: two reminders, one to each unit's two accounts."""
    from lvzhi.core.reminders import due

    build(world)
    mine = sorted((r.text.split("：")[-1], len(r.user_ids)) for r in due(date(2025, 7, 1))
                  if r.key.startswith("remind:supervision-finding:"))
    assert mine == [("物流通道不畅", 2), ("职业培训与企业需求脱节", 2)]
    assert all("已逾期" in r.text for r in due(date(2025, 7, 1)) if r.key.startswith("remind:supervision-finding:"))
    assert not [r for r in due(date(2025, 5, 12)) if r.key.startswith("remind:supervision-finding:")]


def test_special_inquiry_questions_answered_on_the_spot(world: World) -> None:
    """A 专题询问 topic: 张三 asks twice (发改局, then 交通局 answers), staff record a question nobody in
    particular put (教育局): 3 questions, 3 answering units; 张三 gets two question acts."""
    staff = world.user("staff")
    zhang = world.members[0]
    # a CPPCC records questions at a consultative-supervision meeting the same way (NPC kinds: test_npc)
    t = sv.create_topic(staff, world.council, kind="supervision", title="营商环境协商式监督", year=2025,
                        starts_on=date(2025, 3, 1))
    sv.record_question(staff, t.pk, day=date(2025, 3, 5), unit=world.units[0], question="审批时限何时压缩？",
                       answer="年内压缩至5个工作日", respondent="市发展和改革局局长", asked_by=zhang)
    sv.record_question(staff, t.pk, day=date(2025, 3, 5), unit=world.units[1], question="货运通道何时打通？",
                       asked_by=zhang)
    sv.record_question(staff, t.pk, day=date(2025, 3, 5), unit=world.units[2], question="职业培训如何对接企业？")
    with pytest.raises(DomainError, match="询问日期不能早于课题开始日期"):
        sv.record_question(staff, t.pk, day=date(2025, 2, 1), unit=world.units[0], question="x")
    with pytest.raises(ForbiddenError):
        sv.record_question(world.user("member0"), t.pk, day=date(2025, 3, 5), unit=world.units[0], question="x")
    fig = supervision_figures(world.council.pk, date(2025, 1, 1), date(2025, 12, 31))
    assert (fig.questions, fig.answering_units) == (3, 3)
    asked = [a for a in acts_of(world.council, date(2025, 1, 1), date(2025, 12, 31)) if a.kind == "supervision_question"]
    assert [(a.member_id, a.day) for a in asked] == [(zhang.pk, date(2025, 3, 5))] * 2
    page = _client(staff).get(f"/supervision/{t.pk}/").content.decode()
    assert "审批时限何时压缩？" in page and "市发展和改革局局长" in page
