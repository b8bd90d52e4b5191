"""The duties API (/api/duties) with tokens per role: staff create a meeting, a member asks for leave, staff
approve, a member checks in with the QR token (twice: idempotent), bad input answers the Chinese error with
its field, the record and the ranking carry the hand-computed Tongcheng figures of test_scoring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.duties import actions as act
from lvzhi.duties.models import Meeting
from lvzhi.duties.tokens import make_token
from tests.api.conftest import Api
from tests.conftest import World
from tests.duties.conftest import YEAR

pytestmark = pytest.mark.django_db


def api(world: World, name: str) -> Api:
    return Api(issue_token(world.user(name), name="test")[1])


def test_meeting_leave_and_check_in(world: World) -> None:
    staff, member = api(world, "staff"), api(world, "member0")
    start = timezone.now() - timedelta(minutes=10)
    bad = staff.post("/api/duties/meetings", {"kind": "plenary", "title": "全会", "start": start.isoformat(),
                                              "end": start.isoformat()})
    assert bad.status_code == 400 and bad.json() == {"detail": "结束时间须晚于开始时间。", "field": "end"}
    assert member.post("/api/duties/meetings", {"kind": "plenary", "title": "全会", "start": start.isoformat(),
                                                "end": (start + timedelta(hours=2)).isoformat()}).status_code == 403
    r = staff.post("/api/duties/meetings", {
        "kind": "plenary", "title": "全体会议", "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(), "invitees": [m.pk for m in world.members]})
    assert r.status_code == 201, r.json()
    mid = r.json()["id"]
    r = member.post(f"/api/duties/meetings/{mid}/respond", {"attend": False, "reason": ""})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = member.post(f"/api/duties/meetings/{mid}/respond", {"attend": False, "reason": "出差"})
    assert r.json()["leave_status"] == "pending"
    detail = staff.get(f"/api/duties/meetings/{mid}").json()
    invitee = next(i for i in detail["invitees"] if i["name"] == "张三")
    assert staff.post(f"/api/duties/invitees/{invitee['id']}/leave", {"approve": True}).json()["leave_status"] == \
        "approved"
    assert "invitees" not in member.get(f"/api/duties/meetings/{mid}").json()
    token = make_token(Meeting.objects.get(pk=mid))
    first = api(world, "member1").post(f"/api/duties/meetings/{mid}/checkin", {"token": token}).json()
    again = api(world, "member1").post(f"/api/duties/meetings/{mid}/checkin", {"token": token}).json()
    assert first["already"] is False and again["already"] is True and "无需重复签到" in again["message"]
    other = act.create_meeting(world.user("staff"), world.council, kind="research", title="调研", start=start,
                               end=start + timedelta(hours=1), invitees=world.members)
    r = member.post(f"/api/duties/meetings/{other.pk}/checkin", {"token": token})
    assert r.status_code == 400 and r.json()["field"] == "token" and "不是本次会议" in r.json()["detail"]
    r = staff.post(f"/api/duties/meetings/{mid}/attendance", {"present": [world.members[2].pk]})
    assert r.json() == {"added": 1, "removed": 0}
    att = {i["name"]: i["attendance"] for i in staff.get(f"/api/duties/meetings/{mid}").json()["invitees"]}
    assert att == {"张三": {"": "pending"}, "李四": {"": "present"}, "王五": {"": "present"}}
    assert api(world, "clerk0").get(f"/api/duties/meetings/{mid}").status_code == 404


def test_record_and_scores(record_world: World) -> None:
    act.install_example(record_world.user("staff"), record_world.council, "tongcheng", activate=True)
    zhang, li, _ = record_world.members
    member = api(record_world, "member0")
    r = member.get(f"/api/duties/records/{zhang.pk}", year=YEAR).json()
    assert r["score"]["score"] == "100.00" and r["period"]["label"] == "2025年度"
    filed = [ln for ln in r["score"]["lines"] if ln["item"] == "提案被立案"]
    assert [(ln["title"], ln["points"]) for ln in filed] == [
        ("关于建设侨乡文化街区的提案", "7.5"), ("关于完善公交线网的提案", "15"), ("关于加强职业教育的提案", "3.75")]
    assert {"group": "提交提案", "subtotal": "53.75", "cap": "25", "total": "25"} in r["score"]["group_caps"]
    assert member.get(f"/api/duties/records/{li.pk}", year=YEAR).status_code == 404
    assert member.get("/api/duties/scores", year=YEAR).status_code == 404
    ranking = api(record_world, "leader").get("/api/duties/scores", year=YEAR).json()
    assert [(m["name"], m["score"], m["rank"]) for m in ranking["members"]] == [
        ("张三", "100.00", 1), ("李四", "52.00", 2), ("王五", "21.25", 3)]
    bad = api(record_world, "leader").get("/api/duties/scores", year=1800)
    assert bad.status_code == 400 and bad.json()["field"] == "year"


