"""社情民意 reports through their actions and pages, by role, on the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from lvzhi.core.audit import timeline
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.members.choices import OrganisationKind
from lvzhi.members.models import Organisation
from lvzhi.opinions import actions as act
from lvzhi.opinions.access import access_report, visible_reports
from lvzhi.opinions.models import Report, ReportForward
from lvzhi.proposals import actions as pact
from tests.states import plain, state_code

pytestmark = pytest.mark.django_db

SITUATION = "我市老旧小区加装电梯进展缓慢。"
SUGGESTION = "一是简化审批；二是设立补贴。"


def _report(world, user="member0", **kw):
    return act.create_report(world.user(user), council=world.council, title=kw.pop("title", "老旧小区加装电梯难"),
                             situation=SITUATION, analysis="协调难、资金缺。", suggestion=SUGGESTION, **kw)


def test_member_report_full_lifecycle_to_author_outcome(world, today):
    staff, author = world.user("staff"), world.user("member0")
    report = _report(world)
    assert report.state.code == state_code("draft") and report.member == world.members[0]
    act.submit_report(author, report.pk)
    act.screen_report(staff, report.pk, decision="adopt")
    act.edit_report(staff, report.pk, title="关于加快老旧小区加装电梯的建议")
    report.refresh_from_db()
    assert report.original_title == "老旧小区加装电梯难" and report.title == "关于加快老旧小区加装电梯的建议"
    act.sign_off_report(staff, report.pk)
    issue = act.create_issue(staff, world.council, year=2026, number=3, date=today)
    act.publish_report(staff, report.pk, issue=issue)
    report.refresh_from_db()
    assert (plain(report.state.code), report.issue.number, report.issue.year, report.piece) == ("published", 3, 2026, 1)
    act.record_delivery(staff, report.pk, recipient_kind="party_committee", recipient="市委办公室")
    act.record_instruction(staff, report.pk, leader_name="王市长", level="city", date=today,
                           text="请市住建局研究办理。")
    act.forward_report(staff, report.pk, [world.units[0]])
    forward = ReportForward.objects.get(report=report)
    assert forward.deadline is not None and forward.deadline > today
    act.draft_forward_answer(world.user("clerk0"), forward.pk, text="已出台加装电梯补贴办法。")
    with pytest.raises(ForbiddenError):
        act.sign_off_forward_answer(world.user("clerk0"), forward.pk)
    act.sign_off_forward_answer(world.user("head0"), forward.pk)
    report.refresh_from_db()
    assert report.state.code == state_code("answered")
    act.close_report(staff, report.pk, outcome="补贴办法已实施。")
    report.refresh_from_db()
    assert report.state.code == state_code("closed")
    # The author sees the outcome: instruction, unit answer and feedback on their page.
    seen = access_report(author, report.pk)
    assert seen.instructions.get().level == "city"
    from django.test import Client

    client = Client()
    client.force_login(author)
    page = client.get(reverse("opinions-report", args=[report.pk])).content.decode()
    assert "王市长" in page and "已出台加装电梯补贴办法" in page and "补贴办法已实施" in page
    assert "2026年第3期" in page
    steps = [plain(e.to_state) for e in timeline(report) if e.event == "transition"]
    assert steps == ["submitted", "adopted", "signed_off", "published", "forwarded", "answered", "closed"]
    # Unrelated members and other units see nothing.
    with pytest.raises(NotFoundError):
        access_report(world.user("member1"), report.pk)
    with pytest.raises(NotFoundError):
        access_report(world.user("clerk1"), report.pk)
    assert visible_reports(world.user("clerk0")).filter(pk=report.pk).exists()


def test_keep_and_roles_and_single_issue(world, today):
    staff = world.user("staff")
    r1, r2 = _report(world), _report(world, user="member1", title="另一件事")
    for r in (r1, r2):
        act.submit_report(world.user("member0" if r is r1 else "member1"), r.pk)
    with pytest.raises(ForbiddenError):
        act.screen_report(world.user("member0"), r1.pk, decision="adopt")
    with pytest.raises(DomainError):
        act.screen_report(staff, r1.pk, decision="maybe")
    act.screen_report(staff, r2.pk, decision="keep")
    r2.refresh_from_db()
    assert r2.state.code == state_code("kept") and r2.adopted_at is None
    act.screen_report(staff, r1.pk, decision="adopt")
    act.sign_off_report(world.user("leader"), r1.pk)
    single = act.create_issue(staff, world.council, year=2026, number=1, date=today)
    with pytest.raises(DomainError, match="已存在"):
        act.create_issue(staff, world.council, year=2026, number=1, date=today)
    act.publish_report(staff, r1.pk, issue=single)
    r3 = _report(world, title="第三件")
    act.submit_report(world.user("member0"), r3.pk)
    act.screen_report(staff, r3.pk, decision="adopt")
    act.sign_off_report(staff, r3.pk)
    with pytest.raises(DomainError, match="专刊"):
        act.publish_report(staff, r3.pk, issue=single)
    combined = act.create_issue(staff, world.council, year=2026, number=2, date=today, kind="combined")
    act.publish_report(staff, r3.pk, issue=combined, piece=2)
    r3.refresh_from_db()
    assert r3.piece == 2


def test_submitters_party_group_informant_and_length_warning(world):
    party = Organisation.objects.get(council=world.council, kind=OrganisationKind.PARTY_GROUP)
    r = _report(world, submitter_kind="party_group", organisation=party)
    assert r.submitter_name == "民盟市委会"
    with pytest.raises(ForbiddenError):  # member1 does not belong to the party group
        _report(world, user="member1", submitter_kind="party_group", organisation=party)
    with pytest.raises(DomainError, match="信息员"):
        _report(world, user="member1", submitter_kind="informant")
    informant = act.save_informant(world.user("staff"), world.council, name="李四", member=world.members[1])
    r2 = _report(world, user="member1", submitter_kind="informant")
    assert r2.informant == informant and r2.submitter_name == "李四"
    outsider = act.save_informant(world.user("staff"), world.council, name="赵信息员", organisation="区政协机关")
    r3 = _report(world, user="staff", submitter_kind="informant", informant=outsider)
    assert r3.submitter_name == "赵信息员"
    long = act.create_report(world.user("member0"), council=world.council, title="长文", situation="字" * 1600,
                             suggestion="建议")
    assert long.pk and any("1500" in w for w in act.report_warnings(long))
    with pytest.raises(DomainError) as err:
        act.create_report(world.user("member0"), council=world.council, title="", suggestion="建议")
    assert err.value.field == "title"
    with pytest.raises(DomainError) as err:
        act.create_report(world.user("member0"), council=world.council, title="超长", situation="字" * 100_000)
    assert err.value.field == "situation" and "5000" in err.value.message
    draft = _report(world, title="缺建议")
    act.update_report_draft(world.user("member0"), draft.pk, suggestion="")
    with pytest.raises(DomainError) as err:
        act.submit_report(world.user("member0"), draft.pk)
    assert err.value.field == "suggestion"


def test_convert_not_filed_proposal_to_report(world):
    member, staff = world.user("member0"), world.user("staff")
    p = pact.create_proposal(member, session=world.session, title="关于设立宠物公园的建议", situation="情况",
                             analysis="分析", suggestions="建议设立")
    pact.submit_proposal(member, p.pk)
    with pytest.raises(DomainError, match="不予立案"):
        act.convert_proposal_to_report(staff, p.pk)
    pact.not_file_proposal(staff, p.pk, ground="vague", comment="内容空泛")
    with pytest.raises(ForbiddenError):
        act.convert_proposal_to_report(member, p.pk)
    report = act.convert_proposal_to_report(staff, p.pk)
    p.refresh_from_db()
    assert report.state.code == state_code("submitted") and report.source_proposal == p and p.opinion_report == report
    assert (report.title, report.situation, report.analysis, report.suggestion) == (
        p.title, p.situation, p.analysis, p.suggestions)
    assert report.member == world.members[0]
    assert [e.event for e in timeline(p)][-1] == "converted_to_report"
    assert "converted_from_proposal" in [e.event for e in timeline(report)]
    with pytest.raises(DomainError, match="已转为"):
        act.convert_proposal_to_report(staff, p.pk)
    assert access_report(member, report.pk) == report  # the proposer follows it as author
    assert Report.objects.count() == 1


def test_report_pages_by_role_and_bad_input(world, client, today):
    client.force_login(world.user("member0"))
    assert client.get(reverse("opinions-home")).status_code == 200
    assert client.get(reverse("opinions-report-new")).status_code == 200
    resp = client.post(reverse("opinions-report-new"), {"title": "", "situation": "保留的情况", "suggestion": "建议"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "请填写「标题」" in body and "保留的情况" in body
    resp = client.post(reverse("opinions-report-new"), {"title": "關於交通😀", "situation": "情况",
                                                        "suggestion": "建议", "submit": "1"})
    report = Report.objects.get()
    assert resp.status_code == 302 and report.title == "關於交通😀" and report.state.code == state_code("submitted")
    # Submit without a suggestion: nothing saved at all (one transaction).
    resp = client.post(reverse("opinions-report-new"), {"title": "无建议", "submit": "1"})
    assert resp.status_code == 400 and Report.objects.count() == 1
    client.force_login(world.user("staff"))
    url = reverse("opinions-report-act", args=[report.pk])
    assert client.post(url, {"action": "adopt"}).status_code == 302
    resp = client.post(url, {"action": "edit", "title": "关于改善交通的建议", "situation": "情况",
                             "suggestion": "建议"})
    assert resp.status_code == 302
    client.post(url, {"action": "sign_off"})
    client.post(reverse("opinions-issue-new"), {"year": "2026", "number": "3", "date": today.isoformat(),
                                                "kind": "single"})
    from lvzhi.opinions.models import BulletinIssue

    issue = BulletinIssue.objects.get()
    resp = client.post(url, {"action": "publish"})
    assert resp.status_code == 400 and "请选择刊发期次" in resp.content.decode()
    assert client.post(url, {"action": "publish", "issue": issue.pk}).status_code == 302
    resp = client.post(url, {"action": "instruct", "leader_name": "", "level": "city", "date": today.isoformat(),
                             "text": "批示"})
    assert resp.status_code == 400 and "批示领导" in resp.content.decode()
    resp = client.post(url, {"action": "instruct", "leader_name": "王市长", "level": "city",
                             "date": (today + timedelta(days=3)).isoformat(), "text": "批示"})
    assert resp.status_code == 400 and "晚于今天" in resp.content.decode()
    assert client.post(url, {"action": "instruct", "leader_name": "王市长", "level": "city",
                             "date": today.isoformat(), "text": "请研究"}).status_code == 302
    report.refresh_from_db()
    assert report.state.code == state_code("published") and report.instructions.count() == 1
    # A unit that has nothing to do with it gets "not found".
    client.force_login(world.user("clerk2"))
    assert client.get(reverse("opinions-report", args=[report.pk])).status_code == 404


def test_convert_page_and_smart_panel(world, client):
    member, staff = world.user("member0"), world.user("staff")
    p = pact.create_proposal(member, session=world.session, title="关于个人事务的建议", suggestions="建议")
    pact.submit_proposal(member, p.pk)
    pact.not_file_proposal(staff, p.pk, ground="personal", comment="个人事务")
    client.force_login(member)
    assert client.post(reverse("opinions-convert-proposal", args=[p.pk])).status_code == 302
    assert not Report.objects.exists()  # refused for the member: shown as a message, nothing written
    client.force_login(staff)
    resp = client.post(reverse("opinions-convert-proposal", args=[p.pk]))
    report = Report.objects.get(source_proposal=p)
    assert resp.status_code == 302 and resp["Location"] == reverse("opinions-report", args=[report.pk])
    page = client.get(resp["Location"]).content.decode()
    assert "推荐分类与承办单位" in page and "相似案件" in page and "关于个人事务的建议" in page
