"""The vote's pages and its JSON API (/api/livelihood) with Django's test client: a deputy votes (the
赞成 limit is checked on the server), gets a receipt once and cannot vote twice; the presiding officer
watches the turnout, closes and sees the result; staff import a paper tally; deputies see the result only
once published."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from lvzhi.core.api_auth import issue_token
from lvzhi.livelihood.models import Ballot, VoteRoll
from tests.cases.npc import NPC, build_npc
from tests.livelihood.helpers import make_vote, tally_file

Y, N = "赞成", "反对"


def client(npc: NPC, name: str) -> Client:
    c = Client()
    c.force_login(npc.user(name))
    return c


def test_deputy_votes_on_the_page_and_officer_closes(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    url = f"/livelihood/votes/{vote.pk}/"
    deputy = client(npc, "deputy0")
    page = deputy.get(url).content.decode()
    assert page.count('type="radio"') == 9 and 'name="mark-01"' in page
    assert "data-voted" not in page  # the turnout is the officer's
    # Two 赞成 for one place: refused on the server, the choices kept, nothing written.
    answer = deputy.post(url + "ballot/", {"mark-01": Y, "mark-02": Y})
    assert answer.status_code == 400 and "赞成票不能多于应选项目数" in answer.content.decode()
    assert 'value="赞成" checked' in answer.content.decode()
    assert VoteRoll.objects.count() == 0
    answer = deputy.post(url + "ballot/", {"mark-01": Y, "mark-02": N})
    assert answer.status_code == 200
    receipt = Ballot.objects.get(vote=vote).receipt
    assert receipt in answer.content.decode()
    assert deputy.post(url + "ballot/", {"mark-01": Y}).status_code == 409
    assert "您已投票" in deputy.get(url).content.decode()
    assert "已计入" in deputy.get(url + f"verify/?receipt={receipt}").content.decode()
    assert "没有找到" in deputy.get(url + "verify/?receipt=XXXX").content.decode()
    # The officer's turnout; a deputy does not get it.
    leader = client(npc, "leader")
    assert json.loads(leader.get(url + "turnout/").content) == {"voted": 1, "electorate": 5, "open": True,
                                                                 "closed": False}
    assert deputy.get(url + "turnout/").status_code == 404
    client(npc, "deputy1").post(url + "ballot/", {"mark-01": Y})
    client(npc, "deputy2").post(url + "ballot/", {"mark-01": Y})
    assert deputy.post(url + "do/close/").status_code == 302
    assert VoteRoll.objects.count() == 3 and vote.__class__.objects.get(pk=vote.pk).closed_at is None
    leader.post(url + "do/close/")
    # 01: 3 赞成 of 5 deputies > half → 当选. The deputy sees it only once published.
    page = leader.get(url).content.decode()
    assert "当选" in page and "仅主持人可见" in page
    assert "表决结果" not in deputy.get(url).content.decode()
    leader.post(url + "do/publish/")
    page = deputy.get(url).content.decode()
    assert "表决结果" in page and "收回选票 3 张，有效 3 张，无效 0 张" in page
    # Not logged in: to the login page; another council's deputy: not found.
    assert Client().get(url).status_code == 302
    other = build_npc("另一市人大常委会")
    stranger = Client()
    stranger.force_login(other.user("deputy0"))
    assert stranger.get(url).status_code == 404
    assert stranger.post(url + "ballot/", {"mark-01": Y}).status_code == 404


def test_staff_import_a_paper_tally_on_the_page(npc: NPC) -> None:
    vote = make_vote(npc, places=1, candidates=3, electorate=5)
    url = f"/livelihood/votes/{vote.pk}/"
    staff = client(npc, "staff")
    staff.post(url + "do/issue/", {"members": [npc.deputies[0].pk, npc.deputies[1].pk, npc.deputies[2].pk]})
    assert VoteRoll.objects.filter(vote=vote).count() == 3
    staff.post(url + "do/close/")
    bad = tally_file([["编号", "01", "02", "03"], [1, Y, None, None]])
    bad.name = "bad.xlsx"
    page = staff.post(url + "do/import/", {"file": bad}, follow=True).content.decode()
    assert "表头第一格应为“选票编号”" in page
    good = tally_file([["选票编号", "01", "02", "03"], [1, Y, None, None], [2, Y, N, None], [3, None, Y, None]])
    good.name = "tally.xlsx"
    page = staff.post(url + "do/import/", {"file": good}, follow=True).content.decode()
    assert "已导入纸质选票 3 张" in page
    good.seek(0)
    page = staff.post(url + "do/import/", {"file": good}, follow=True).content.decode()
    assert "已经导入过" in page
    assert Ballot.objects.filter(vote=vote).count() == 3
    # 01: 2 赞成 of 5 deputies — not more than half → 未当选; nobody elected, 1 place unfilled.
    assert "空缺名额 1 个" in page


def test_api_ballot_verify_turnout_and_close(npc: NPC) -> None:
    vote = make_vote(npc, places=2, candidates=3, electorate=5)
    keys = {name: issue_token(npc.user(name), name="t")[1] for name in ("deputy0", "deputy1", "leader")}

    def call(name: str, method: str, path: str, body: Any = None) -> Any:
        c = Client()
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {keys[name]}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(c, method)(f"/api/livelihood{path}", **kwargs)

    listing = call("deputy0", "get", "/votes").json()
    assert [(v["id"], v["open"], v["voted"]) for v in listing] == [(vote.pk, True, False)]
    assert [c["code"] for c in call("deputy0", "get", f"/votes/{vote.pk}").json()["candidates"]] == ["01", "02", "03"]
    answer = call("deputy0", "post", f"/votes/{vote.pk}/ballot", {"marks": {"01": Y, "02": Y, "03": Y}})
    assert answer.status_code == 400 and answer.json()["field"] == "marks"
    answer = call("deputy0", "post", f"/votes/{vote.pk}/ballot", {"marks": {"07": Y}})
    assert answer.status_code == 400 and "07" in answer.json()["detail"]
    answer = call("deputy0", "post", f"/votes/{vote.pk}/ballot", {"marks": {"01": Y, "03": Y}})
    assert answer.status_code == 201
    receipt = answer.json()["receipt"]
    assert call("deputy0", "post", f"/votes/{vote.pk}/ballot", {"marks": {}}).status_code == 409
    assert call("deputy1", "get", f"/votes/{vote.pk}/verify?receipt={receipt}").json() == {"counted": True}
    assert call("deputy1", "get", f"/votes/{vote.pk}/turnout").status_code == 404
    assert call("leader", "get", f"/votes/{vote.pk}/turnout").json()["voted"] == 1
    assert call("deputy1", "post", f"/votes/{vote.pk}/close").status_code == 403
    closed = call("leader", "post", f"/votes/{vote.pk}/close").json()
    # 1 ballot: 01 and 03 have 1 赞成 of 5 deputies — nobody passes, 2 places unfilled.
    assert closed["result"]["unfilled"] == 2 and closed["closed"]
    assert call("deputy1", "post", f"/votes/{vote.pk}/ballot", {"marks": {}}).json()["detail"] == "表决已经结束。"
    assert call("deputy1", "get", f"/votes/{vote.pk}").json()["result"] is None  # not yet published


def test_materials_pack_for_deputies(npc: NPC) -> None:
    from io import BytesIO

    from docx import Document

    vote = make_vote(npc, places=1, candidates=3, electorate=5, opened=False)
    answer = client(npc, "deputy0").get(f"/livelihood/votes/{vote.pk}/materials.docx")
    assert answer.status_code == 200 and answer["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(BytesIO(answer.content))
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["编号", "项目名称", "实施地点及内容", "投资（万元）", "计划完成时间", "责任单位"]
    assert [r[0] for r in rows[1:]] == ["01", "02", "03"] and rows[1][3] == "1200.50"
    assert "应选 1 项" in doc.paragraphs[1].text and "全体代表过半数" in doc.paragraphs[1].text
    # the GB/T 9704 page: A4, top 37 mm, left 28 mm; "— N —" page numbers as a PAGE field, odd pages right
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm), round(section.left_margin.mm)) == (210, 37, 28)
    footer = section.footer.paragraphs[0]
    assert footer.text == "— 1 —" and "PAGE" in footer._p.xml and footer.alignment == 2  # RIGHT
