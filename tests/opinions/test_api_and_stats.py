"""The opinions JSON API (authenticated and public portal endpoints) and the statistics, computed
independently here from the records created in the test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.opinions import actions as act
from lvzhi.opinions.models import Message, Report
from lvzhi.opinions.queries import message_statistics, opinion_statistics
from lvzhi.opinions.ratelimit import rate
from tests.states import state_code

pytestmark = pytest.mark.django_db


def _api(world, name):
    _, key = issue_token(world.user(name), name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_report_api_lifecycle_and_access(world, today):
    member, staff = _api(world, "member0"), _api(world, "staff")
    r = _post(member, "/api/opinions/reports", {"title": "", "suggestion": "建议"})
    assert r.status_code == 400 and r.json()["field"] == "title"
    r = _post(member, "/api/opinions/reports", {"title": "关于停车难", "situation": "情况", "suggestion": "建议",
                                                "submit": True})
    assert r.status_code == 201 and r.json()["state"] == state_code("submitted")
    pk = r.json()["id"]
    assert _post(member, f"/api/opinions/reports/{pk}/transition", {"action": "adopt"}).status_code == 403
    for body in ({"action": "adopt"}, {"action": "edit", "title": "关于缓解停车难的建议"}, {"action": "sign_off"}):
        r = _post(staff, f"/api/opinions/reports/{pk}/transition", body)
        assert r.status_code == 200, r.json()
    issue = act.create_issue(world.user("staff"), world.council, year=2026, number=3, date=today)
    r = _post(staff, f"/api/opinions/reports/{pk}/transition", {"action": "publish", "issue_id": issue.pk})
    assert r.json()["issue"] == {"id": issue.pk, "year": 2026, "number": 3, "piece": 1}
    r = _post(staff, f"/api/opinions/reports/{pk}/transition",
              {"action": "instruct", "leader_name": "省长", "level": "province", "instruction_date": str(today),
               "text": "阅。"})
    assert r.status_code == 200 and r.json()["instructions"][0]["level"] == "province"
    r = _post(staff, f"/api/opinions/reports/{pk}/transition", {"action": "fly"})
    assert r.status_code == 400 and r.json()["field"] == "action"
    assert member.get(f"/api/opinions/reports/{pk}").json()["title"] == "关于缓解停车难的建议"
    assert _api(world, "member1").get(f"/api/opinions/reports/{pk}").status_code == 404
    assert member.get("/api/opinions/reports").json()["count"] == 1
    assert _api(world, "member1").get("/api/opinions/reports").json()["count"] == 0


def test_message_api_and_public_portal_endpoints(world):
    public = Client()
    r = _post(public, "/api/opinions/portal/messages", {"title": "公交太挤", "body": "电话13900001111，早高峰太挤"})
    assert r.status_code == 201
    code = r.json()["tracking_code"]
    r = _post(public, "/api/opinions/portal/messages", {"title": "公交太挤", "body": "长" * 100_000})
    # refused by the schema (422) before the action, with the same limit (BODY_MAX = 5000)
    assert r.status_code == 422 and r.json()["field"] == "body" and "5000" in r.json()["detail"]
    view = public.get(f"/api/opinions/portal/messages/{code}").json()
    assert "13900001111" not in str(view) and view["may_rate"] is False
    assert public.get("/api/opinions/portal/messages/NOTACODE").status_code == 404
    assert public.get("/api/opinions/messages").status_code == 401

    staff, clerk, head = _api(world, "staff"), _api(world, "clerk1"), _api(world, "head1")
    pk = Message.objects.get(tracking_code=code).pk
    assert _api(world, "member0").get(f"/api/opinions/messages/{pk}").status_code == 404
    assert clerk.get(f"/api/opinions/messages/{pk}").status_code == 404
    detail = staff.get(f"/api/opinions/messages/{pk}").json()
    assert detail["tracking_code"] == code and detail["recommend"] == [] and detail["similar"] == []
    r = _post(staff, f"/api/opinions/messages/{pk}/transition",
              {"action": "route", "unit_id": world.units[1].pk, "category": "交通运输"})
    assert r.status_code == 200 and r.json()["state"] == state_code("routed")
    assert "tracking_code" not in clerk.get(f"/api/opinions/messages/{pk}").json()
    assert _post(clerk, f"/api/opinions/messages/{pk}/transition",
                 {"action": "draft_reply", "text": "已加密班次。"}).status_code == 200
    assert _post(clerk, f"/api/opinions/messages/{pk}/transition", {"action": "sign_off"}).status_code == 403
    assert _post(head, f"/api/opinions/messages/{pk}/transition", {"action": "sign_off"}).json()["state"] == state_code("replied")
    assert _post(staff, f"/api/opinions/messages/{pk}/transition", {"action": "publish"}).status_code == 200
    published = public.get("/api/opinions/portal/published").json()
    assert published["count"] == 1 and "13900001111" not in str(published)
    r = _post(public, f"/api/opinions/portal/messages/{code}/rating", {"rating": "basically"})
    assert r.status_code == 200 and r.json()["rating"] == "基本满意"
    r = _post(public, f"/api/opinions/portal/messages/{code}/rating", {"rating": "basically"})
    assert r.status_code == 400
    r = _post(staff, "/api/opinions/messages", {"channel": "letter", "title": "来信", "body": "内容"})
    assert r.status_code == 201 and r.json()["channel"] == "letter"


def test_public_api_rate_limit(world):
    public = Client()
    limit, _ = rate()
    for i in range(limit):
        assert _post(public, "/api/opinions/portal/messages", {"title": f"第{i}条", "body": "内容"}).status_code == 201
    r = _post(public, "/api/opinions/portal/messages", {"title": "多余", "body": "内容"})
    assert r.status_code == 429 and "提交过于频繁" in r.json()["detail"]
    assert Message.objects.count() == limit


def test_statistics_computed_independently(world, today):
    staff = world.user("staff")
    issue = act.create_issue(staff, world.council, year=2026, number=5, date=today, kind="combined")
    outcomes = [("member0", "adopt", "city"), ("member0", "adopt", None), ("member1", "keep", None),
                ("member1", "adopt", "province"), ("member2", None, None)]
    for i, (who, decision, level) in enumerate(outcomes):
        r = act.create_report(world.user(who), council=world.council, title=f"信息{i}", suggestion="建议")
        act.submit_report(world.user(who), r.pk)
        if decision:
            act.screen_report(staff, r.pk, decision=decision)
        if decision == "adopt":
            act.sign_off_report(staff, r.pk)
            act.publish_report(staff, r.pk, issue=issue)
            if level:
                act.record_instruction(staff, r.pk, leader_name="某领导", level=level, date=today, text="阅")
    stats = opinion_statistics(world.council, today - timedelta(days=1), today)
    reports = Report.objects.filter(council=world.council)
    adopted = reports.filter(adopted_at__isnull=False).count()
    assert (stats["submitted"], stats["adopted"], stats["kept"]) == (5, 3, 1) == (
        reports.count(), adopted, reports.filter(state__code=state_code("kept")).count())
    assert stats["adoption_rate"] == pytest.approx(adopted / reports.count())
    assert stats["instructed_by_level"]["city"]["instructions"] == 1
    assert stats["instructed_by_level"]["province"]["reports"] == 1
    assert stats["instructed_by_level"]["national"]["instructions"] == 0
    by_author = {a["name"]: a for a in stats["by_author"]}
    assert (by_author["张三"]["submitted"], by_author["张三"]["adopted"], by_author["张三"]["instructions"]) == (2, 2, 1)
    assert by_author["李四"]["adoption_rate"] == pytest.approx(0.5)
    assert opinion_statistics(world.council, today + timedelta(days=1), None)["submitted"] == 0

    m1 = act.submit_portal_message(world.council, title="一", body="内容一")
    m2 = act.register_message(staff, world.council, channel="letter", title="二", body="内容二")
    act.register_message(staff, world.council, channel="visit", title="三", body="内容三")
    for m, unit_index, rating in ((m1, 0, "satisfied"), (m2, 0, "unsatisfied")):
        act.route_message(staff, m.pk, unit=world.units[unit_index], category="城乡建设")
        act.draft_message_reply(world.user(f"clerk{unit_index}"), m.pk, text="答复")
        act.sign_off_message_reply(world.user(f"head{unit_index}"), m.pk)
        act.rate_message(m.tracking_code, rating=rating)
    ms = message_statistics(world.council, today, today)
    stored = Message.objects.filter(council=world.council)
    days = sorted((m.replied_at - m.submitted_at).total_seconds() / 86400 for m in stored if m.replied_at)
    assert ms["received"] == 3 and ms["answered"] == 2
    assert {k: v["count"] for k, v in ms["by_channel"].items() if v["count"]} == {"portal": 1, "letter": 1, "visit": 1}
    assert ms["answer_days_median"] == pytest.approx(sum(days) / 2) and ms["answer_days_p90"] == pytest.approx(days[1])
    assert ms["satisfaction_rate"] == pytest.approx(0.5) and ms["rated"] == 2
    assert ms["top_categories"] == [("城乡建设", 2)] and ms["top_units"] == [(world.units[0].name, 2)]
    assert timezone.localdate() == today

    client = Client()
    client.force_login(staff)
    page = client.get(reverse("opinions-stats"), {"from": str(today), "to": str(today)})
    assert page.status_code == 200 and "城乡建设" in page.content.decode()
    assert client.get(reverse("opinions-stats"), {"from": "昨天"}).status_code == 400
    api = _api(world, "staff").get("/api/opinions/stats", {"date_from": str(today), "date_to": str(today)}).json()
    assert api["reports"]["submitted"] == 5 and api["messages"]["received"] == 3
    assert _api(world, "member0").get("/api/opinions/stats").status_code == 404
    client.force_login(world.user("member0"))
    assert client.get(reverse("opinions-stats")).status_code == 404
