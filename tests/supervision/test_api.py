"""``/api/supervision``: who sees which topic, and the finding acts through the API (the scenario of
test_topics.build: 发改局's finding checked, 交通局's reopened after the follow-up check, 教育局's open)."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.supervision.models import Finding, FindingStatus
from tests.api.conftest import api  # noqa: F401  (fixture)
from tests.conftest import World
from tests.supervision.test_topics import build

pytestmark = pytest.mark.django_db


def test_topics_by_role_and_finding_acts(world: World, api: Any) -> None:  # noqa: F811
    s = build(world)
    topic, research = s["topic"], s["research"]
    staff_list = api("staff").get("/api/supervision/topics").json()
    assert {t["title"] for t in staff_list} == {"优化营商环境民主监督", "乡村振兴调研"}
    assert [t["title"] for t in api("member2").get("/api/supervision/topics").json()] == ["乡村振兴调研"]
    assert [t["title"] for t in api("clerk2").get("/api/supervision/topics").json()] == ["优化营商环境民主监督"]
    assert api("member2").get(f"/api/supervision/topics/{topic.pk}").status_code == 404
    detail = api("member0").get(f"/api/supervision/topics/{topic.pk}").json()
    assert [(g["name"], g["role"]) for g in detail["group"]] == [("张三", "leader"), ("李四", "member")]
    assert [f["status"] for f in detail["findings"]] == ["checked", "open", "open"]
    f3 = s["findings"][2]
    # the wrong unit: its topic is visible (a finding of its own is in it) but the act is refused
    wrong = api("clerk1").post(f"/api/supervision/findings/{f3.pk}/correction", {"text": "x"})
    assert wrong.status_code == 403 and "整改单位" in wrong.json()["detail"]
    ok = api("clerk2").post(f"/api/supervision/findings/{f3.pk}/correction", {"text": "校企合作订单班"})
    assert ok.status_code == 200 and ok.json()["status"] == "reported"
    assert api("clerk2").post(f"/api/supervision/findings/{f3.pk}/correction", {"text": "again"}).status_code == 409
    back = api("staff").post(f"/api/supervision/findings/{f3.pk}/confirm", {"accepted": False})
    assert back.status_code == 400 and back.json()["field"] == "comment"
    assert api("staff").post(f"/api/supervision/findings/{f3.pk}/confirm", {"accepted": True}).json()["status"] == "corrected"
    done = api("staff").post(f"/api/supervision/findings/{f3.pk}/follow-up", {"holds": True, "note": "回访到位"})
    assert done.json()["status"] == "checked"
    assert Finding.objects.get(pk=f3.pk).status == FindingStatus.CHECKED
    assert api("member2").post(f"/api/supervision/findings/{f3.pk}/follow-up",
                               {"holds": True, "note": "x"}).status_code == 404
    assert research.pk
