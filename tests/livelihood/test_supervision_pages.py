"""Supervision of livelihood projects from the pages (issue 7 §5): staff record an inspection (视察), the
supervision week (监督周) or a special inquiry (专题询问) and assign findings to units with a deadline; the unit
sees only its own findings and reports its correction; staff confirm it or send it back with a comment."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Candidate, Finding, FindingStatus, SupervisionActivity, Vote
from tests.cases.npc import NPC
from tests.livelihood.test_delivery import elected_project


def login(npc: NPC, name: str) -> Client:
    c = Client()
    c.force_login(npc.user(name))
    return c


def test_inspection_findings_and_correction_on_the_pages(npc: NPC) -> None:
    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    project = act.start_delivery(npc.user("staff"), Candidate.objects.get(pk=candidate.pk))
    assert candidate.unit is not None
    i = npc.units.index(candidate.unit)
    other = npc.units[(i + 1) % 3]
    staff = login(npc, "staff")
    today = timezone.localdate()
    assert login(npc, "deputy0").get("/livelihood/supervision/").status_code == 404
    page = staff.get("/livelihood/supervision/").content.decode()
    assert "记录监督活动" in page and project.title in page and "专题询问" in page

    form = {"kind": "inquiry", "title": "民生实事项目专题询问", "held_on": today.isoformat(),
            "projects": [project.pk], "record": "询问进度滞后原因。"}
    answer = staff.post("/livelihood/supervision/", {**form, "title": "  "})
    assert answer.status_code == 400 and "请填写「名称」" in answer.content.decode()
    assert not SupervisionActivity.objects.exists()
    answer = staff.post("/livelihood/supervision/", form)
    activity = SupervisionActivity.objects.get()
    url = f"/livelihood/supervision/{activity.pk}/"
    assert answer["Location"] == url and list(activity.projects.all()) == [project]
    assert (activity.kind, activity.record) == ("inquiry", "询问进度滞后原因。")

    due = (today + timedelta(days=30)).isoformat()
    page = staff.post(url, {"step": "finding", "unit": candidate.unit.pk, "text": "施工进度滞后", "due": ""},
                      follow=True).content.decode()
    assert "请填写整改期限" in page and not Finding.objects.exists()
    staff.post(url, {"step": "finding", "unit": candidate.unit.pk, "project": project.pk, "text": "施工进度滞后",
                     "due": due})
    staff.post(url, {"step": "finding", "unit": other.pk, "text": "配套道路未同步建设", "due": due})
    mine, theirs = Finding.objects.order_by("id")
    assert (mine.unit, mine.project, mine.status) == (candidate.unit, project, FindingStatus.OPEN)

    # The unit sees the activity with its own finding only, and reports its correction.
    clerk = login(npc, f"clerk{i}")
    listing = clerk.get("/livelihood/supervision/").content.decode()
    assert "民生实事项目专题询问" in listing and "记录监督活动" not in listing
    page = clerk.get(url).content.decode()
    assert "施工进度滞后" in page and "配套道路未同步建设" not in page and "询问进度滞后原因" not in page
    page = clerk.post(url, {"step": "report", "finding": mine.pk, "text": ""}, follow=True).content.decode()
    assert "请填写「整改情况」" in page
    # Another unit's clerk cannot report on it (it is not among the findings they see).
    login(npc, f"clerk{(i + 1) % 3}").post(url, {"step": "report", "finding": mine.pk, "text": "x"})
    mine.refresh_from_db()
    assert mine.status == FindingStatus.OPEN
    clerk.post(url, {"step": "report", "finding": mine.pk, "text": "增加施工班组，已追回工期。"})
    mine.refresh_from_db()
    assert (mine.status, mine.correction) == (FindingStatus.REPORTED, "增加施工班组，已追回工期。")

    # Staff send it back (a comment is required), the unit reports again, staff confirm.
    page = staff.post(url, {"step": "return", "finding": mine.pk, "comment": ""}, follow=True).content.decode()
    assert "请填写「退回意见」" in page
    staff.post(url, {"step": "return", "finding": mine.pk, "comment": "请补充施工日志"})
    mine.refresh_from_db()
    assert mine.status == FindingStatus.OPEN
    clerk.post(url, {"step": "report", "finding": mine.pk, "text": "已补充施工日志。"})
    staff.post(url, {"step": "confirm", "finding": mine.pk})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (FindingStatus.CORRECTED, FindingStatus.OPEN)
    listing = staff.get("/livelihood/supervision/").content.decode()
    assert "<td>1</td><td>0</td><td>1</td>" in listing  # open, reported, corrected


def test_supervision_through_the_api(npc: NPC) -> None:
    import json
    from typing import Any

    from lvzhi.core.api_auth import issue_token

    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    project = act.start_delivery(npc.user("staff"), Candidate.objects.get(pk=candidate.pk))
    assert candidate.unit is not None
    i = npc.units.index(candidate.unit)
    today = timezone.localdate()

    def call(name: str, method: str, path: str, body: Any = None) -> Any:
        key = issue_token(npc.user(name), name="t")[1]
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(Client(), method)(f"/api/livelihood{path}", **kwargs)

    body = {"kind": "week", "title": "民生实事监督周", "held_on": today.isoformat(), "projects": [project.pk]}
    answer = call("staff", "post", "/supervision", {**body, "kind": "party"})
    assert answer.status_code == 400 and answer.json()["field"] == "kind"
    assert call("deputy0", "post", "/supervision", body).status_code == 403
    answer = call("staff", "post", "/supervision", body)
    assert answer.status_code == 201 and answer.json()["projects"] == [project.pk]
    activity_id = answer.json()["id"]
    due = (today + timedelta(days=15)).isoformat()
    answer = call("staff", "post", f"/supervision/{activity_id}/findings", {"unit": candidate.unit.pk, "text": " ",
                                                                           "due": due})
    assert answer.status_code == 400 and answer.json() == {"detail": "请填写「问题」。", "field": "text"}
    answer = call("staff", "post", f"/supervision/{activity_id}/findings",
                  {"unit": candidate.unit.pk, "text": "围挡破损", "due": due, "project": project.pk})
    finding_id = answer.json()["id"]
    assert answer.status_code == 201 and answer.json()["status"] == "open"
    other = f"clerk{(i + 1) % 3}"
    assert call(other, "get", f"/supervision/{activity_id}").status_code == 404  # no finding of theirs
    assert call(other, "post", f"/findings/{finding_id}/correction", {"text": "x"}).status_code == 404
    clerk = f"clerk{i}"
    assert [f["id"] for f in call(clerk, "get", f"/supervision/{activity_id}").json()["findings"]] == [finding_id]
    answer = call(clerk, "post", f"/findings/{finding_id}/correction", {"text": "已更换围挡。"})
    assert answer.json()["status"] == "reported"
    answer = call("staff", "post", f"/findings/{finding_id}/confirm", {"accepted": False})
    assert answer.status_code == 400 and answer.json()["field"] == "comment"
    answer = call("staff", "post", f"/findings/{finding_id}/confirm", {"accepted": False, "comment": "请附照片"})
    assert (answer.json()["status"], answer.json()["return_comment"]) == ("open", "请附照片")
    call(clerk, "post", f"/findings/{finding_id}/correction", {"text": "已更换围挡，附照片。"})
    assert call("staff", "post", f"/findings/{finding_id}/confirm", {"accepted": True}).json()["status"] == "corrected"
