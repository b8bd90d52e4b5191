"""A deputy's suggestion through every step over the JSON API (tokens per role), with bad input and wrong
roles answered by status and a Chinese message naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.suggestions.models import Suggestion
from tests.api.conftest import Api
from tests.cases.npc import NPC


@pytest.fixture
def api(npc: NPC) -> Any:
    cache: dict[str, Api] = {}

    def make(name: str) -> Api:
        if name not in cache:
            cache[name] = Api(issue_token(npc.user(name), name="test")[1])
        return cache[name]

    return make


def test_lifecycle_over_the_api(npc: NPC, api: Any) -> None:
    base = "/api/suggestions"
    r = api("deputy0").post(base, {"session": npc.session.pk, "title": "关于增设学校周边斑马线的建议",
                                   "content": "建议在校门口增设斑马线和信号灯。", "seconders": [npc.deputies[1].pk]})
    assert r.status_code == 201, r.json()
    sid = r.json()["id"]
    assert api("deputy1").post(f"{base}/{sid}/invitation", {"accept": True}).status_code == 200
    v = api("deputy0").get(f"{base}/{sid}").json()["version"]
    r = api("deputy0").post(f"{base}/{sid}/submit", {"version": v})
    assert r.status_code == 200 and r.json()["period"] == "interim"
    r = api("staff").post(f"{base}/{sid}/accept", {"version": r.json()["version"], "category": "教育"})
    assert r.status_code == 200 and r.json()["number"] == "16-3-001"
    r = api("staff").post(f"{base}/{sid}/assign", {"units": [{"unit": npc.units[2].pk, "role": "sole"}],
                                                   "version": r.json()["version"]})
    assert r.status_code == 200
    detail = api("clerk2").get(f"{base}/{sid}").json()
    aid = detail["assignments"][0]["id"]
    assert api("clerk2").post(f"/api/cases/assignments/{aid}/contacts", {
        "contacted_on": timezone.localdate().isoformat(), "way": "meeting", "with_whom": "陈代表",
        "notes": "当面沟通"}).status_code == 201
    r = api("clerk2").post(f"/api/cases/assignments/{aid}/reply", {
        "grade": "A", "text": "已增设斑马线。", "version": api("clerk2").get(f"{base}/{sid}").json()["version"]})
    assert r.status_code == 200, r.json()
    rid = r.json()["id"]
    assert api("head2").get(f"/api/cases/replies/{rid}/letter").json()["addressees"] == ["陈代表", "林代表"]
    assert [i["what"] for i in api("head2").get("/api/cases/inbox").json()] == ["签发答复"]
    assert api("head2").post(f"/api/cases/replies/{rid}/sign-off", {}).status_code == 200
    form = {"scores": {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"}}
    assert api("deputy0").post(f"/api/cases/replies/{rid}/evaluation", form).status_code == 201
    assert api("deputy1").post(f"/api/cases/replies/{rid}/evaluation", form).status_code == 201
    r = api("staff").post(f"{base}/{sid}/close", {})
    assert r.status_code == 200 and Suggestion.objects.get(pk=sid).state.is_terminal
    timeline = [e["event"] for e in api("deputy0").get(f"{base}/{sid}").json()["timeline"]]
    assert timeline.count("transition") == 6  # submit, accept, assign, reply, evaluate, close
    figures = api("staff").get(f"{base}/figures", council=npc.council.pk).json()
    assert (figures["received"], figures["replied"], figures["grades"]) == (1, 1, {"A": 1})
    assert api("deputy0").get(f"{base}/figures", council=npc.council.pk).status_code == 404


def test_bad_input_and_wrong_roles_over_the_api(npc: NPC, api: Any) -> None:
    base = "/api/suggestions"
    r = api("deputy0").post(base, {"session": npc.session.pk, "title": "长" * 201})
    assert r.status_code == 422 and r.json()["field"] == "title" and "200" in r.json()["detail"]
    r = api("deputy0").post(base, {"session": 99999, "title": "x"})
    assert r.status_code == 400 and r.json()["field"] == "session"
    r = api("deputy0").post(base, {"session": npc.session.pk, "title": "关于的建议", "content": "内容"})
    sid = r.json()["id"]
    api("deputy0").post(f"{base}/{sid}/submit", {})
    r = api("deputy0").post(f"{base}/{sid}/accept", {})
    assert r.status_code == 403 and "无权" in r.json()["detail"]
    r = api("staff").post(f"{base}/{sid}/return", {"ground": "nope", "comment": "x"})
    assert r.status_code == 400 and r.json()["field"] == "ground"
    r = api("staff").post(f"{base}/{sid}/accept", {"version": 1})
    assert r.status_code == 409
    assert api("clerk0").get(f"{base}/{sid}").status_code == 404
    r = api("staff").post(f"{base}/{sid}/accept", {})
    r = api("staff").post(f"{base}/{sid}/assign", {"units": [{"unit": npc.units[0].pk, "role": "co"}]})
    assert r.status_code == 400 and r.json()["field"] == "units"
    assert Suggestion.objects.get(pk=sid).state.assignable
