"""A deputy proposes a micro project (民生微实事) from a page and the API (issue 7 §5): only in a batch of
this year or later, with the station or town, title, content, estimated cost (万元) and people served; bad
input is refused in Chinese naming the field; the project then waits for staff approval on its page."""

from __future__ import annotations

import json
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import MicroProject
from tests.cases.npc import NPC


def test_a_deputy_proposes_a_micro_project_on_the_page(npc: NPC) -> None:
    staff = npc.user("staff")
    year = timezone.localdate().year
    old = act.create_batch(staff, npc.council, year=year - 1, number=1)
    batch = act.create_batch(staff, npc.council, year=year, number=1)
    deputy = Client()
    deputy.force_login(npc.user("deputy0"))
    listing = deputy.get("/livelihood/micro/").content.decode()
    assert 'href="/livelihood/micro/new/"' in listing
    page = deputy.get("/livelihood/micro/new/").content.decode()
    assert batch.title in page and old.title not in page  # last year's batch takes no more proposals
    clerk = Client()
    clerk.force_login(npc.user("clerk0"))
    assert clerk.get("/livelihood/micro/new/").status_code == 404
    form = {"batch": batch.pk, "place": "白沙街道代表联络站", "title": "小区路灯更换", "content": "更换 40 盏老旧路灯",
            "investment": "12.5", "people_served": "3000"}
    answer = deputy.post("/livelihood/micro/new/", {**form, "investment": "十二万"})
    assert answer.status_code == 400 and "「投资」应为数字（万元）" in answer.content.decode()
    answer = deputy.post("/livelihood/micro/new/", {**form, "people_served": "-5"})
    assert answer.status_code == 400 and "服务人数须为不小于 0 的整数" in answer.content.decode()
    answer = deputy.post("/livelihood/micro/new/", {**form, "batch": old.pk})
    assert answer.status_code == 400 and not MicroProject.objects.exists()
    answer = deputy.post("/livelihood/micro/new/", form)
    project = MicroProject.objects.get()
    assert answer["Location"] == f"/livelihood/micro/{project.pk}/"
    assert (project.member, project.place, project.investment, project.people_served, project.batch) == (
        npc.deputies[0], "白沙街道代表联络站", Decimal("12.50"), 3000, batch)
    assert project.state == project.workflow.initial_state()
    assert "小区路灯更换" in deputy.get(answer["Location"]).content.decode()


def test_a_deputy_proposes_a_micro_project_through_the_api(npc: NPC) -> None:
    staff = npc.user("staff")
    year = timezone.localdate().year
    old = act.create_batch(staff, npc.council, year=year - 1, number=1)
    batch = act.create_batch(staff, npc.council, year=year, number=2)
    key = issue_token(npc.user("deputy1"), name="t")[1]

    def post(batch_id: int, body: dict[str, object]) -> object:
        return Client().post(f"/api/livelihood/micro/batches/{batch_id}/projects", data=json.dumps(body),
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")

    answer = post(batch.pk, {"title": " ", "place": "棠下镇"})
    assert answer.status_code == 400 and answer.json() == {"detail": "请填写「项目名称」。", "field": "title"}
    answer = post(old.pk, {"title": "村道硬化", "place": "棠下镇"})
    assert answer.status_code == 400 and answer.json()["field"] == "batch"
    answer = post(batch.pk, {"title": "村道硬化", "place": "棠下镇", "investment": 30, "people_served": 800})
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("title", "place", "member")} == {"title": "村道硬化", "place": "棠下镇",
                                                                          "member": "林代表"}
    assert MicroProject.objects.get().investment == Decimal("30.00")
