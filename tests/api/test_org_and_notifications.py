"""Organisation reads (/api/org) and the caller's notifications (/api/notifications)."""

from __future__ import annotations

import pytest

from lvzhi.core.api_auth import issue_token
from lvzhi.core.models import Notification
from lvzhi.members import actions as org
from lvzhi.members.choices import Role
from tests.api.conftest import Api
from tests.conftest import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def test_me_for_each_kind_of_account(api, world):
    me = api("member0").get("/api/org/me").json()
    assert me["role"] == "member" and me["member"]["name"] == "张三" and me["council"]["id"] == world.council.pk
    me = api("clerk1").get("/api/org/me").json()
    assert me["role"] == "unit_clerk" and me["unit"]["name"] == "市交通运输局" and me["role_label"] == "承办单位经办人"


def test_org_lists_are_limited_to_the_callers_council(api, world):
    other = build_world("另一市政协")
    member = api("member0")
    assert [c["id"] for c in member.get("/api/org/councils").json()] == [world.council.pk]
    assert [t["number"] for t in member.get("/api/org/terms").json()] == [14]
    sessions = member.get("/api/org/sessions").json()
    assert [s["id"] for s in sessions] == [world.session.pk] and sessions[0]["term_number"] == 14
    assert member.get("/api/org/sessions", council=other.council.pk).json() == []
    units = member.get("/api/org/units").json()
    assert [u["name"] for u in units] == ["市发展和改革局", "市交通运输局", "市教育局"]
    assert {c["name"] for c in member.get("/api/org/categories").json()} == {"经济建设", "社会事业"}
    assert [g["code"] for g in member.get("/api/org/reply-grades").json()] == ["A", "B", "C", "D"]
    orgs = member.get("/api/org/organisations", kind="sector").json()
    assert [o["name"] for o in orgs] == ["经济界"]
    page = member.get("/api/org/members", q="李").json()
    assert page["total"] == 1 and page["items"][0]["name"] == "李四"
    assert page["items"][0]["sector"]["name"] == "经济界" and "phone" not in page["items"][0]
    assert member.get("/api/org/members").json()["total"] == 3
    r = member.get("/api/org/organisations", kind="club")
    assert r.status_code == 422 and r.json()["field"] == "kind"


def test_notifications_list_and_mark_read(api, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # notifications are sent after the commit
        p = api("member0").post("/api/proposals", {"session": world.session.pk, "title": "关于通知的建议",
                                                   "suggestions": "建议", "cosigners": [world.members[1].pk]})
    assert p.status_code == 201
    inbox = api("member1").get("/api/notifications").json()
    assert inbox["total"] == 1 and inbox["unread"] == 1 and "联名" in inbox["items"][0]["text"]
    nid = inbox["items"][0]["id"]
    assert api("member0").post(f"/api/notifications/{nid}/read").status_code == 404  # not theirs
    assert api("member1").post(f"/api/notifications/{nid}/read").json() == {"marked": 1}
    assert api("member1").get("/api/notifications", unread=True).json()["total"] == 0
    Notification.objects.create(recipient=world.user("member1"), kind="test", text="另一条")
    assert api("member1").post("/api/notifications/read-all").json() == {"marked": 1}
    assert api("member1").get("/api/notifications").json()["unread"] == 0


def test_administrator_without_council_sees_every_council(world):
    other = build_world("另一市政协")
    admin = org.create_account(None, username="root-admin", password=PASSWORD, role=Role.ADMIN, council=None)
    client = Api(issue_token(admin)[1])
    assert {c["id"] for c in client.get("/api/org/councils").json()} == {world.council.pk, other.council.pk}
    units = client.get("/api/org/units", council=other.council.pk).json()
    assert {u["council_id"] for u in units} == {other.council.pk}
    assert len(client.get("/api/org/reply-grades").json()) == 8
