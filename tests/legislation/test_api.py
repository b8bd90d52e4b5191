"""The outreach office over the JSON API (/api/legislation) with tokens per role: import a real regulation,
open a consultation, comments from a deputy and a hearing, consolidation, adoption, figures; wrong roles
and bad input answered by status with a Chinese message naming the field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.core.api_auth import issue_token
from lvzhi.legislation.models import Draft
from tests.api.conftest import Api
from tests.cases.npc import NPC, build_npc

pytestmark = pytest.mark.django_db

LAW = Path("../shared/data/regulations/rules/立法法(2023-03-13).md")
NO_BODY = Path("../shared/data/regulations/guangdong/汕头经济特区突发公共卫生事件应急条例(2022-05-30).md")


@pytest.fixture
def npc(db: Any) -> NPC:
    return build_npc()


@pytest.fixture
def api(npc: NPC) -> Any:
    cache: dict[str, Api] = {}

    def make(name: str) -> Api:
        if name not in cache:
            cache[name] = Api(issue_token(npc.user(name), name="test")[1])
        return cache[name]

    return make


def test_over_the_api(npc: NPC, api: Any) -> None:
    base = "/api/legislation"
    bad = api("staff").multipart(f"{base}/drafts", {"file": SimpleUploadedFile(NO_BODY.name, NO_BODY.read_bytes())})
    assert bad.status_code == 400 and bad.json()["field"] == "file" and "未找到任何条文" in bad.json()["detail"]
    refused = api("deputy0").multipart(f"{base}/drafts", {"file": SimpleUploadedFile(LAW.name, LAW.read_bytes())})
    assert refused.status_code == 403
    r = api("staff").multipart(f"{base}/drafts", {"file": SimpleUploadedFile(LAW.name, LAW.read_bytes()),
                                                  "source": "national"})
    assert r.status_code == 201, r.json()
    # 立法法: 6 chapters, 7 sections, 120 articles (counted in the file)
    assert {k: r.json()[k] for k in ("title", "chapters", "sections", "articles", "source")} == {
        "title": "中华人民共和国立法法", "chapters": 6, "sections": 7, "articles": 120, "source": "national"}
    draft_id = r.json()["id"]
    detail = api("staff").get(f"{base}/drafts/{draft_id}").json()
    assert detail["articles"][2]["lines"][0].startswith("第三条 立法应当坚持中国共产党的领导")
    assert detail["articles"][9]["chapter"] == "第二章 法律 / 第一节 立法权限"
    assert api("deputy0").get(f"{base}/drafts/{draft_id}").status_code == 404
    today = timezone.localdate()
    r = api("staff").post(f"{base}/consultations", {"draft": draft_id, "opens_on": str(today),
                                                    "closes_on": str(today - timedelta(days=1))})
    assert r.status_code == 400 and r.json()["field"] == "closes_on"
    r = api("staff").post(f"{base}/consultations", {"draft": draft_id, "opens_on": str(today),
                                                    "closes_on": str(today + timedelta(days=20)),
                                                    "invitees": [{"kind": "informant", "name": "信息员甲"}]})
    assert r.status_code == 201
    cid = r.json()["id"]
    third = detail["articles"][2]["id"]
    r = api("deputy0").post(f"{base}/consultations/{cid}/comments", {"article": third, "text": "建议写明基层立法联系点。"})
    assert r.status_code == 201 and r.json()["source"] == "deputy" and r.json()["article"] == "第三条"
    deputy_comment = r.json()["id"]
    r = api("staff").post(f"{base}/consultations/{cid}/comments", {"article": third, "text": "x" * 5001,
                                                                   "source": "informant", "author_name": "信息员甲"})
    assert r.status_code == 422 and r.json()["field"] == "text"  # the schema's limit, COMMENT_MAX = 5000
    r = api("clerk0").post(f"{base}/consultations/{cid}/comments", {"text": "意见"})
    assert r.status_code == 404  # not invited: the consultation is not even visible
    assert api("deputy0").get(f"{base}/consultations/{cid}").status_code == 403
    view = api("staff").get(f"{base}/consultations/{cid}").json()
    assert [a["article"] for a in view["articles"]] == ["第三条"]
    r = api("staff").post(f"{base}/consultations/{cid}/opinions", {"article": third, "text": "建议写明联系点。",
                                                                   "comment_ids": [deputy_comment]})
    assert r.status_code == 200 and r.json()["comment_ids"] == [deputy_comment]
    oid, version = r.json()["id"], r.json()["version"]
    r = api("staff").post(f"{base}/opinions/{oid}/adoption", {"adoption": "maybe", "version": version})
    assert r.status_code == 400 and r.json()["field"] == "adoption"
    r = api("staff").post(f"{base}/opinions/{oid}/adoption", {"adoption": "partly", "version": version + 1})
    assert r.status_code == 409
    r = api("staff").post(f"{base}/opinions/{oid}/adoption", {"adoption": "partly", "version": version})
    assert r.status_code == 200 and r.json()["adoption"] == "partly"
    f = api("staff").get(f"{base}/figures").json()
    assert (f["drafts_consulted"], f["comments"], f["opinions_reported"], f["partly_adopted"], f["adoption_rate"]) == (
        1, 1, 1, 1, 1.0)
    assert api("deputy0").get(f"{base}/figures").status_code == 403
    assert Draft.objects.count() == 1
