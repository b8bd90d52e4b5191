"""Staff set up a vote and a satisfaction evaluation from the pages and the API (issue 7 §2, §6): the candidate
list is 差额 (more candidates than places, else refused naming the field), the list is approved with the
standing committee's meeting date before the vote can open, a tie on the last place leads to a re-vote among
the tied candidates (选举法 第四十五条), and the year's evaluation covers only that year's elected projects."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import (
    Candidate,
    CollectionWindow,
    Evaluation,
    ProjectSuggestion,
    Screening,
    Vote,
)
from tests.cases.npc import NPC
from tests.livelihood.helpers import make_vote

Y = "赞成"


def client(npc: NPC, name: str) -> Client:
    c = Client()
    c.force_login(npc.user(name))
    return c


def api(npc: NPC, name: str, method: str, path: str, body: Any = None) -> Any:
    key = issue_token(npc.user(name), name="t")[1]
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(Client(), method)(f"/api/livelihood{path}", **kwargs)


def screened(npc: NPC) -> tuple[CollectionWindow, list[ProjectSuggestion], ProjectSuggestion]:
    """A collection with three accepted suggestions and one not accepted."""
    staff = npc.user("staff")
    today = timezone.localdate()
    window = act.open_collection(staff, npc.council, year=today.year, opens=today, closes=today)
    items = [act.submit_project(npc.user(f"deputy{i}"), window, title=t, investment="300")
             for i, t in enumerate(["老旧小区加装电梯", "中小学课后服务", "社区长者饭堂", "建设海滨高尔夫球场"])]
    for p in items[:3]:
        act.screen_project(staff, p, outcome=Screening.ACCEPTED)
    act.screen_project(staff, items[3], outcome=Screening.REJECTED, reason="不属于民生实事范围")
    return window, items[:3], items[3]


def test_staff_create_approve_and_revote_on_the_pages(npc: NPC) -> None:
    window, accepted, rejected = screened(npc)
    staff = client(npc, "staff")
    assert client(npc, "deputy0").get("/livelihood/votes/new/").status_code == 404
    page = staff.get("/livelihood/votes/new/").content.decode()
    assert 'name="electorate" value="5"' in page  # default: the council's 5 deputies
    assert f"#{rejected.pk} " not in page and f"#{accepted[0].pk} " in page  # only accepted suggestions offered
    form = {"window": window.pk, "title": "民生实事项目票决", "electorate": 5,
            "candidates": [p.pk for p in accepted]}
    # 3 candidates for 3 places is not 差额: refused, naming the field, nothing written.
    answer = staff.post("/livelihood/votes/new/", {**form, "places": 3})
    assert answer.status_code == 400
    assert "候选项目数（3）须多于应选项目数（3）" in answer.content.decode() and not Vote.objects.exists()
    answer = staff.post("/livelihood/votes/new/", {**form, "places": 2, "opens_at": "2026-12-01T10:00",
                                                   "closes_at": "2026-12-01T09:00"})
    assert "结束时间须晚于开始时间" in answer.content.decode() and not Vote.objects.exists()
    answer = staff.post("/livelihood/votes/new/", {**form, "places": 2})
    vote = Vote.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/livelihood/votes/{vote.pk}/"
    assert [(c.code, c.suggestion_id) for c in vote.candidates.order_by("code")] == [
        ("01", accepted[0].pk), ("02", accepted[1].pk), ("03", accepted[2].pk)]
    assert (vote.places, vote.electorate, vote.window_id, vote.list_approved_at) == (2, 5, window.pk, None)

    # The list must be approved before the officer can open the vote.
    url = f"/livelihood/votes/{vote.pk}/"
    assert "宣布开始表决" not in staff.get(url).content.decode()
    page = staff.post(url + "do/approve/", {"meeting_on": ""}, follow=True).content.decode()
    assert "请填写通过候选名单的常委会会议日期" in page
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = staff.post(url + "do/approve/", {"meeting_on": tomorrow.isoformat()}, follow=True).content.decode()
    assert "常委会会议日期不能晚于今天" in page
    meeting = timezone.localdate() - timedelta(days=3)
    page = staff.post(url + "do/approve/", {"meeting_on": meeting.isoformat()}, follow=True).content.decode()
    assert f"候选名单已经 {meeting:%Y-%m-%d} 常委会会议通过" in page and "宣布开始表决" in page
    vote.refresh_from_db()
    assert vote.list_meeting_on == meeting

    # The existing pages take over: open, vote, close, publish.
    leader = client(npc, "leader")
    leader.post(url + "do/open/")
    ballots = [("01", "02"), ("01", "02"), ("01", "03"), ("01", "03"), ("02", "03")]
    for i, yes in enumerate(ballots):
        client(npc, f"deputy{i}").post(url + "ballot/", {f"mark-{c}": Y for c in yes})
    leader.post(url + "do/close/")
    leader.post(url + "do/publish/")
    # 01 has 4 赞成, 02 and 03 have 3 each (all > 5/2): 01 elected, 02 and 03 tied on the 2nd and last place.
    assert dict(vote.candidates.values_list("code", "outcome")) == {"01": "elected", "02": "tie", "03": "tie"}
    page = staff.get(url).content.decode()
    assert "就票数相等的项目再次投票" in page
    answer = staff.post(url + "do/revote/")
    revote = Vote.objects.get(parent=vote)
    assert answer["Location"] == f"/livelihood/votes/{revote.pk}/"
    assert (revote.places, list(revote.candidates.order_by("code").values_list("code", flat=True))) == (1, ["02", "03"])
    assert "就票数相等的项目再次投票" not in staff.get(url).content.decode()


def test_staff_create_approve_and_revote_through_the_api(npc: NPC) -> None:
    window, accepted, rejected = screened(npc)
    ids = [p.pk for p in accepted]
    body = {"window": window.pk, "title": "民生实事项目票决", "places": 3, "candidates": ids}
    answer = api(npc, "staff", "post", "/votes", body)
    assert answer.status_code == 400 and answer.json()["field"] == "candidates"
    assert "须多于应选项目数" in answer.json()["detail"]
    answer = api(npc, "staff", "post", "/votes", {**body, "places": 2, "candidates": [*ids, rejected.pk]})
    assert answer.status_code == 400 and answer.json()["detail"] == "第 4 个候选项目未经审查列入候选。"
    answer = api(npc, "staff", "post", "/votes", {**body, "places": 2, "candidates": [ids[0], ids[1], ids[0]]})
    assert answer.status_code == 400 and answer.json()["detail"] == "第 3 个候选项目与前面的重复。"
    assert api(npc, "deputy0", "post", "/votes", {**body, "places": 2}).status_code == 403
    assert not Vote.objects.exists()
    answer = api(npc, "staff", "post", "/votes", {**body, "places": 2, "candidates": [ids[2], ids[0], ids[1]]})
    assert answer.status_code == 201
    created = answer.json()
    assert created["electorate"] == 5 and created["places"] == 2  # electorate defaults to the 5 deputies
    assert [c["title"] for c in created["candidates"]] == ["社区长者饭堂", "老旧小区加装电梯", "中小学课后服务"]
    vote_id = created["id"]
    answer = api(npc, "leader", "post", f"/votes/{vote_id}/open")
    assert answer.status_code == 400 and "候选名单" in answer.json()["detail"]  # the list is not approved yet
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    answer = api(npc, "staff", "post", f"/votes/{vote_id}/approve", {"meeting_on": tomorrow})
    assert answer.status_code == 400 and answer.json()["field"] == "meeting_on"
    today = timezone.localdate().isoformat()
    assert api(npc, "staff", "post", f"/votes/{vote_id}/approve", {"meeting_on": today}).status_code == 200
    assert api(npc, "staff", "post", f"/votes/{vote_id}/approve", {"meeting_on": today}).status_code == 409
    # No tie on a vote not yet published: no re-vote.
    answer = api(npc, "staff", "post", f"/votes/{vote_id}/revote")
    assert answer.status_code == 400 and "票数相等" in answer.json()["detail"]
    vote = Vote.objects.get(pk=vote_id)
    act.open_vote(npc.user("leader"), vote)
    # 01 and 02 get 3 赞成 each, 03 gets 1: both pass (3 > 5/2) and fill the 2 places — no tie.
    for i, yes in enumerate([("01", "02"), ("01", "02"), ("01", "02"), ("03",), ()]):
        act.cast_ballot(npc.user(f"deputy{i}"), vote, dict.fromkeys(yes, Y))
    act.close_vote(npc.user("leader"), vote)
    act.publish_result(npc.user("leader"), vote)
    answer = api(npc, "staff", "post", f"/votes/{vote_id}/revote")
    assert answer.status_code == 400 and not Vote.objects.filter(parent=vote).exists()


def elected_vote(npc: NPC) -> Vote:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    for i in range(3):  # 01: 3 赞成 of 5 deputies (> half) — elected
        act.cast_ballot(npc.user(f"deputy{i}"), vote, {"01": Y})
    act.close_vote(npc.user("leader"), vote)
    return vote


def test_staff_create_the_satisfaction_evaluation_on_the_page(npc: NPC) -> None:
    vote = elected_vote(npc)
    year = vote.window.year
    won = Candidate.objects.get(vote=vote, code="01")
    staff = client(npc, "staff")
    assert client(npc, "deputy0").get("/livelihood/evaluations/new/").status_code == 404
    page = staff.get("/livelihood/evaluations/new/").content.decode()
    assert won.title in page and Candidate.objects.get(vote=vote, code="02").title not in page
    answer = staff.post("/livelihood/evaluations/new/", {"year": year, "electorate": 5})
    assert answer.status_code == 400 and "请选择测评项目" in answer.content.decode()
    answer = staff.post("/livelihood/evaluations/new/", {"year": year - 1, "electorate": 5, "projects": [won.pk]})
    assert f"不是 {year - 1} 年度的项目" in answer.content.decode() and not Evaluation.objects.exists()
    answer = staff.post("/livelihood/evaluations/new/", {"year": year, "electorate": 5, "projects": [won.pk]})
    evaluation = Evaluation.objects.get()
    assert answer["Location"] == f"/livelihood/evaluations/{evaluation.pk}/"
    assert (evaluation.title, list(evaluation.projects.all())) == (f"{year} 年度民生实事项目满意度测评", [won])
    # The existing page takes over: the officer opens it, a deputy rates.
    client(npc, "leader").post(answer["Location"], {"step": "open"})
    evaluation.refresh_from_db()
    assert evaluation.is_open()


def test_staff_create_the_satisfaction_evaluation_through_the_api(npc: NPC) -> None:
    vote = elected_vote(npc)
    year = vote.window.year
    won, lost = (Candidate.objects.get(vote=vote, code=c) for c in ("01", "02"))
    answer = api(npc, "staff", "post", "/evaluations", {"year": year, "projects": [lost.pk]})
    assert answer.status_code == 400 and answer.json()["field"] == "projects"
    assert "不是本机构票决产生的项目" in answer.json()["detail"]
    assert api(npc, "deputy0", "post", "/evaluations", {"year": year, "projects": [won.pk]}).status_code == 403
    answer = api(npc, "staff", "post", "/evaluations", {"year": year, "projects": [won.pk], "title": "年度测评"})
    assert answer.status_code == 201
    assert (answer.json()["title"], answer.json()["projects"]) == ("年度测评", [{"id": won.pk, "title": won.title}])
    assert Evaluation.objects.get().electorate == 5
