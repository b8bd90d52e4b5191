"""Leaders' visits to members' firms (issue 9, item 4). Scenario (2025): the chairman visits 张三's firm
侨乡五金 on 03-10 (issues: a common one to 发改局, an individual one to 交通局) and again on 06-01 (one common
issue to 教育局); the vice-chairman visits 恒达物流 (no member) on 04-02 with one individual issue to 交通局.
发改局 answers and it is confirmed solved; 交通局 answers the 侨乡五金 issue, it is sent back once, answered again
and solved; the others stay open. A 2024 visit to 李四's firm is outside the year.

Hand count for 2025: visits 3; firms 2 (侨乡五金 twice, 恒达物流); members' firms 1 (张三); issues 4 — common 2,
individual 2; solved 2; 解决率 50.0%; by unit: 发改局 1/1, 交通局 2/1, 教育局 1/0.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from lvzhi.core import sections as module_sections
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.firmvisits import actions as fv
from lvzhi.firmvisits.models import FirmIssue, FirmVisit, IssueStatus
from lvzhi.firmvisits.queries import visit_figures
from tests.conftest import World

pytestmark = pytest.mark.django_db


def build(world: World) -> None:
    staff, leader = world.user("staff"), world.user("leader")
    u0, u1, u2 = world.units
    due = date(2025, 12, 31)
    v1 = fv.record_visit(leader, world.council, firm="侨乡五金", leader="主席", day=date(2025, 3, 10),
                         member=world.members[0], issues=[
                             {"text": "用地指标紧张", "scope": "common", "unit": u0, "due": due},
                             {"text": "厂区道路破损", "scope": "individual", "unit": u1, "due": due}])
    fv.record_visit(staff, world.council, firm="侨乡五金 ", leader="主席", day=date(2025, 6, 1),
                    member=world.members[0], issues=[{"text": "技工难招", "scope": "common", "unit": u2, "due": due}])
    fv.record_visit(staff, world.council, firm="恒达物流", leader="副主席", day=date(2025, 4, 2),
                    issues=[{"text": "货车通行证办理慢", "scope": "individual", "unit": u1, "due": due}])
    fv.record_visit(staff, world.council, firm="李氏陶瓷", leader="主席", day=date(2024, 11, 1), member=world.members[1],
                    issues=[{"text": "电价高", "scope": "common", "unit": u0, "due": due}])
    i1, i2 = v1.issues.order_by("id")
    fv.answer_issue(world.user("clerk0"), i1.pk, text="已调剂指标")
    fv.confirm_issue(staff, i1.pk, solved=True)
    fv.answer_issue(world.user("clerk1"), i2.pk, text="已报计划")
    fv.confirm_issue(leader, i2.pk, solved=False, comment="请明确修复时间")
    fv.answer_issue(world.user("head1"), i2.pk, text="已修复")
    fv.confirm_issue(staff, i2.pk, solved=True)


def test_year_figures_counted_by_hand(world: World) -> None:
    build(world)
    fig = visit_figures(world.council.pk, date(2025, 1, 1), date(2025, 12, 31))
    assert (fig.visits, fig.firms, fig.members_firms) == (3, 2, 1)
    assert (fig.issues, fig.common, fig.individual, fig.solved) == (4, 2, 2, 2)
    assert fig.by_unit == {"市发展和改革局": [1, 1], "市交通运输局": [2, 1], "市教育局": [1, 0]}
    [section] = module_sections.sections(world.council.pk, date(2025, 1, 1), date(2025, 12, 31), only="firm_visits")
    shown = dict(section.figures)
    assert (shown["走访企业（家）"], shown["共性问题（个）"], shown["个性问题（个）"], shown["已解决（个）"],
            shown["解决率"]) == (2, 2, 2, 2, "50.0%")
    assert FirmIssue.objects.get(text="厂区道路破损").returned == 1


def test_refusals_write_nothing(world: World) -> None:
    staff = world.user("staff")
    with pytest.raises(ForbiddenError):
        fv.record_visit(world.user("member0"), world.council, firm="x", leader="主席", day=date(2025, 1, 1))
    with pytest.raises(DomainError, match="第 2 个问题：请选择问题类别"):
        fv.record_visit(staff, world.council, firm="侨乡五金", leader="主席", day=date(2025, 3, 10), issues=[
            {"text": "a", "scope": "common", "unit": world.units[0], "due": date(2025, 4, 1)},
            {"text": "b", "scope": "other", "unit": world.units[0], "due": date(2025, 4, 1)}])
    with pytest.raises(DomainError, match="办理期限不能早于走访日期"):
        fv.record_visit(staff, world.council, firm="侨乡五金", leader="主席", day=date(2025, 3, 10), issues=[
            {"text": "a", "scope": "common", "unit": world.units[0], "due": date(2025, 3, 1)}])
    assert not FirmVisit.objects.exists() and not FirmIssue.objects.exists()
    v = fv.record_visit(staff, world.council, firm="侨乡五金", leader="主席", day=date(2025, 3, 10), issues=[
        {"text": "a", "scope": "common", "unit": world.units[0], "due": date(2025, 4, 1)}])
    issue = v.issues.get()
    with pytest.raises(ForbiddenError, match="只有承办单位"):
        fv.answer_issue(world.user("clerk2"), issue.pk, text="x")
    with pytest.raises(DomainError, match="尚未答复"):
        fv.confirm_issue(staff, issue.pk, solved=True)
    fv.answer_issue(world.user("clerk0"), issue.pk, text="已办")
    with pytest.raises(DomainError, match="请填写「退回意见」"):
        fv.confirm_issue(staff, issue.pk, solved=False)
    assert FirmIssue.objects.get(pk=issue.pk).status == IssueStatus.ANSWERED


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages(world: World) -> None:
    leader = _client(world.user("leader"))
    r = leader.post("/firm-visits/new/", {"firm": "侨乡五金", "member": str(world.members[0].pk), "leader": "主席",
                                          "day": "2025-03-10", "issue_text": "用地指标紧张", "issue_scope": "common",
                                          "issue_unit": str(world.units[0].pk), "issue_due": "2025-06-30"})
    assert r.status_code == 302
    v = FirmVisit.objects.get()
    bad = leader.post("/firm-visits/new/", {"firm": "", "leader": "主席", "day": "2025-03-10"})
    assert bad.status_code == 400 and "请填写「企业名称」" in bad.content.decode()
    issue = v.issues.get()
    assert "侨乡五金" in _client(world.user("member0")).get("/firm-visits/").content.decode()
    assert _client(world.user("member1")).get(f"/firm-visits/{v.pk}/").status_code == 404
    clerk = _client(world.user("clerk0"))
    assert clerk.post(f"/firm-visits/{v.pk}/issues/{issue.pk}/answer/", {"text": "已调剂"}).status_code == 302
    assert leader.post(f"/firm-visits/{v.pk}/issues/{issue.pk}/confirm/", {"solved": "1"}).status_code == 302
    assert FirmIssue.objects.get(pk=issue.pk).status == IssueStatus.SOLVED
    assert leader.post(f"/firm-visits/{v.pk}/issue/", {"text": "融资难", "scope": "individual",
                                                       "unit": str(world.units[1].pk), "due": "2025-07-01"}).status_code == 302
    assert v.issues.count() == 2


def test_api(world: World) -> None:
    from lvzhi.core.api_auth import issue_token
    from tests.api.conftest import Api

    def api(name: str) -> Api:
        return Api(issue_token(world.user(name), name="test")[1])

    build(world)
    staff_visits = api("staff").get("/api/firm-visits/visits").json()
    assert sorted(v["firm"] for v in staff_visits) == ["侨乡五金", "侨乡五金", "恒达物流", "李氏陶瓷"]
    mine = api("member0").get("/api/firm-visits/visits").json()
    assert sorted(v["day"] for v in mine) == ["2025-03-10", "2025-06-01"]
    assert [v["firm"] for v in api("clerk2").get("/api/firm-visits/visits").json()] == ["侨乡五金"]
    issue = FirmIssue.objects.get(text="技工难招")
    assert api("clerk1").post(f"/api/firm-visits/issues/{issue.pk}/answer", {"text": "x"}).status_code == 404
    answered = api("clerk2").post(f"/api/firm-visits/issues/{issue.pk}/answer", {"text": "开设订单班"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    solved = api("leader").post(f"/api/firm-visits/issues/{issue.pk}/confirm", {"solved": True})
    assert solved.json()["status"] == "solved"
    assert api("member0").post(f"/api/firm-visits/issues/{issue.pk}/confirm", {"solved": True}).status_code == 403


def test_units_are_reminded_of_open_issues(world: World) -> None:
    """On 2026-01-05 (after the 2025-12-31 deadline) the two open issues (技工难招, 货车通行证办理慢) are overdue;
    the two solved ones are not; the 2024 visit's open issue (电价高, due 2025-12-31) too: three reminders."""
    from lvzhi.core.reminders import due

    build(world)
    texts = sorted(r.text.split("：")[-1] for r in due(date(2026, 1, 5)) if r.key.startswith("remind:firm-issue:"))
    assert texts == sorted(["技工难招", "货车通行证办理慢", "电价高"])
