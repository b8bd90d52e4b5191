"""The whole proposal lifecycle through the JSON API, with a token of each role, and its refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.core.models import Attachment
from lvzhi.proposals.models import Proposal, Reply
from tests.api.conftest import minimal_pdf
from tests.states import plain, state_code, state_name

pytestmark = pytest.mark.django_db

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
XLSX = SHARED_DATA / "tipdm2020c" / "taxonomy_附件1.xlsx"


def _create(api, world, member="member0", **extra):
    body = {"session": world.session.pk, "title": "关于加快城市更新的建议", "situation": "情况",
            "analysis": "分析", "suggestions": "建议一；建议二", **extra}
    r = api(member).post("/api/proposals", body)
    assert r.status_code == 201, r.content
    return r.json()


def _to_assigned(api, world, plan=None):
    p = _create(api, world)
    p = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]}).json()
    p = api("staff").post(f"/api/proposals/{p['id']}/file", {"version": p["version"]}).json()
    plan = plan or [{"unit": world.units[0].pk, "role": "sole"}]
    r = api("staff").post(f"/api/proposals/{p['id']}/assign", {"version": p["version"], "units": plan})
    assert r.status_code == 200, r.content
    return p["id"], r.json()


def test_full_lifecycle_with_every_role(api, world):
    # member0 drafts with member1 as co-signer; member1 confirms
    p = _create(api, world, category=world.categories[0].pk, cosigners=[world.members[1].pk])
    assert p["state"]["code"] == state_code("draft") and p["proposer_kind"] == "joint"
    pid = p["id"]
    r = api("member1").post(f"/api/proposals/{pid}/invitation", {"accept": True})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = api("member0").patch(f"/api/proposals/{pid}", {"version": p["version"], "analysis": "深入分析"})
    assert r.status_code == 200, r.content
    p = r.json()
    p = api("member0").post(f"/api/proposals/{pid}/submit", {"version": p["version"]}).json()
    assert p["state"]["code"] == state_code("submitted") and p["serial"]

    # staff files it and assigns a lead and a co-handling unit
    detail = api("staff").get(f"/api/proposals/{pid}").json()
    assert {plain(t["target"]) for t in detail["transitions"]} >= {"filed", "returned", "not_filed"}
    p = api("staff").post(f"/api/proposals/{pid}/file", {"version": detail["version"]}).json()
    assert p["number"] == "14-3-001" and p["state"]["code"] == state_code("filed")
    lead, co = world.units[0], world.units[1]
    r = api("staff").post(f"/api/proposals/{pid}/assign", {"version": p["version"], "units": [
        {"unit": lead.pk, "role": "lead"}, {"unit": co.pk, "role": "co"}]})
    assert r.status_code == 200, r.content
    by_role = {a["role"]: a for a in r.json()}
    a_lead, a_co = by_role["lead"]["id"], by_role["co"]["id"]

    # the co-handling unit sends its opinion; the lead unit's clerk drafts a reply with a PDF
    r = api("clerk1").post(f"/api/proposals/assignments/{a_co}/opinion", {"opinion": "建议加大财政支持"})
    assert r.status_code == 200 and r.json()["status"] == "opinion_sent"
    pdf = SimpleUploadedFile("答复函.pdf", minimal_pdf(), content_type="application/pdf")
    r = api("clerk0").multipart(f"/api/proposals/assignments/{a_lead}/reply",
                                {"grade": "B", "text": "已列入明年计划", "contact_person": "王科长",
                                 "attachments": [pdf]})
    assert r.status_code == 201, r.content
    reply = r.json()
    assert reply["status"] == "pending_signoff" and reply["grade"]["code"] == "B"
    assert [a["name"] for a in reply["attachments"]] == ["答复函.pdf"]
    download = api("clerk0").client.get(reply["attachments"][0]["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # the unsent draft and its file are not shown to the proposer yet
    seen = api("member0").get(f"/api/proposals/{pid}").json()
    assert all(not a["replies"] for a in seen["assignments"])
    assert api("member0").client.get(reply["attachments"][0]["url"]).status_code == 404

    # a clerk may not sign off; the unit leader does
    r = api("clerk0").post(f"/api/proposals/replies/{reply['id']}/sign-off")
    assert r.status_code == 403 and r.json()["detail"] == "须由承办单位负责人签发。"
    r = api("head0").post(f"/api/proposals/replies/{reply['id']}/sign-off")
    assert r.status_code == 200 and r.json()["status"] == "sent"

    # the proposer rates; staff add a follow-up (B reply), mark key and excellent, close and archive
    r = api("member0").post(f"/api/proposals/replies/{reply['id']}/evaluation", {
        "attitude": "satisfied", "relevance": "satisfied", "result": "basically", "overall": "satisfied",
        "comment": "满意"})
    assert r.status_code == 201, r.content
    detail = api("member0").get(f"/api/proposals/{pid}").json()
    assert detail["state"]["code"] == state_code("evaluated")
    lead_out = next(a for a in detail["assignments"] if a["role"] == "lead")
    assert lead_out["replies"][0]["evaluations"][0]["overall"] == "satisfied"
    assert lead_out["replies"][0]["attachments"][0]["content_type"] == "application/pdf"
    assert next(a for a in detail["assignments"] if a["role"] == "co")["opinion"] == "建议加大财政支持"
    assert [c["status"] for c in detail["cosigners"]] == ["confirmed"]
    assert "proposer" in detail["roles"]

    r = api("staff").post(f"/api/proposals/{pid}/follow-ups", {"note": "已列入年度计划并启动", "delivered": True})
    assert r.status_code == 201 and r.json()["delivered"] is True
    r = api("staff").post(f"/api/proposals/{pid}/key", {"supervising_leader": "市长"})
    assert r.status_code == 200 and r.json()["is_key"] is True
    r = api("staff").post(f"/api/proposals/{pid}/excellent", {"year": 2026})
    assert r.json()["excellent_year"] == 2026
    version = r.json()["version"]
    p = api("staff").post(f"/api/proposals/{pid}/close", {"version": version, "comment": "办结"}).json()
    assert p["state"]["code"] == state_code("closed")
    p = api("staff").post(f"/api/proposals/{pid}/archive", {"version": p["version"]}).json()
    assert p["state"]["code"] == state_code("archived")

    detail = api("staff").get(f"/api/proposals/{pid}").json()
    moves = [plain(e["to_state"]) for e in detail["timeline"] if e["event"] == "transition"]
    assert moves == ["submitted", "filed", "assigned", "replied", "evaluated", "closed", "archived"]
    assert detail["timeline"][0]["event"] == "created" and detail["timeline"][0]["actor_name"] == "张三"
    assert detail["follow_ups"][0]["note"] == "已列入年度计划并启动"
    assert detail["transitions"] == []
    assert Attachment.objects.count() == 1


def test_unsatisfied_rating_sends_back_to_rehandling(api, world):
    pid, assignments = _to_assigned(api, world)
    aid = assignments[0]["id"]
    reply = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply",
                                    {"grade": "D", "text": "留作参考"}).json()
    api("head0").post(f"/api/proposals/replies/{reply['id']}/sign-off")
    r = api("member0").post(f"/api/proposals/replies/{reply['id']}/evaluation", {
        "attitude": "basically", "relevance": "unsatisfied", "result": "unsatisfied", "overall": "unsatisfied"})
    assert r.status_code == 201
    detail = api("member0").get(f"/api/proposals/{pid}").json()
    assert detail["state"]["code"] == state_code("rehandling") and detail["assignments"][0]["round"] == 2


def test_return_withdraw_not_file_merge_and_batch_assign(api, world):
    a = _create(api, world)
    r = api("member0").post(f"/api/proposals/{a['id']}/submit", {"version": a["version"]})
    a = r.json()
    r = api("staff").post(f"/api/proposals/{a['id']}/return", {"version": a["version"]})
    assert r.status_code == 400 and r.json()["field"] == "comment"  # the workflow requires a comment
    a = api("staff").post(f"/api/proposals/{a['id']}/return",
                          {"version": a["version"], "comment": "请补充具体建议"}).json()
    assert a["state"]["code"] == state_code("returned")
    a = api("member0").post(f"/api/proposals/{a['id']}/withdraw", {"version": a["version"]}).json()
    assert a["state"]["code"] == state_code("withdrawn")

    b = _create(api, world, member="member1", title="关于广告推介的建议")
    b = api("member1").post(f"/api/proposals/{b['id']}/submit", {"version": b["version"]}).json()
    r = api("staff").post(f"/api/proposals/{b['id']}/not-file",
                          {"version": b["version"], "ground": "nonsense", "comment": "x"})
    assert r.status_code == 422 and r.json()["field"] == "ground"
    r = api("staff").post(f"/api/proposals/{b['id']}/not-file",
                          {"version": b["version"], "ground": "promotion", "comment": "属于产品推介"})
    assert r.status_code == 200 and r.json()["state"]["code"] == state_code("not_filed")

    main, other = _create(api, world), _create(api, world, member="member2", title="关于城市更新的另一建议")
    api("member0").post(f"/api/proposals/{main['id']}/submit", {"version": main["version"]})
    api("member2").post(f"/api/proposals/{other['id']}/submit", {"version": other["version"]})
    r = api("staff").post(f"/api/proposals/{main['id']}/merge", {"others": [other["id"]]})
    assert r.status_code == 200
    assert api("staff").get(f"/api/proposals/{other['id']}").json()["merged_into_id"] == main["id"]

    third = _create(api, world, member="member1", title="关于教育公平的建议")
    third = api("member1").post(f"/api/proposals/{third['id']}/submit", {"version": third["version"]}).json()
    ids = []
    for p in (main, third):
        version = api("staff").get(f"/api/proposals/{p['id']}").json()["version"]
        api("staff").post(f"/api/proposals/{p['id']}/file", {"version": version})
        ids.append(p["id"])
    r = api("staff").post("/api/proposals/assign", {"proposals": ids, "units": [{"unit": world.units[2].pk,
                                                                                "role": "sole"}]})
    assert r.status_code == 200 and r.json() == {"assigned": 2}
    assert {plain(c) for c in Proposal.objects.filter(pk__in=ids).values_list("state__code", flat=True)} == {"assigned"}


def test_batch_assign_is_all_or_nothing(api, world):
    p = _create(api, world)
    p = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]}).json()
    api("staff").post(f"/api/proposals/{p['id']}/file", {"version": p["version"]})
    draft = _create(api, world, member="member0", title="关于草稿的建议")
    r = api("staff").post("/api/proposals/assign", {"proposals": [p["id"], draft["id"]],
                                                    "units": [{"unit": world.units[0].pk, "role": "sole"}]})
    assert r.status_code == 400 and r.json()["field"] == "proposals"  # a draft is invisible to staff
    assert Proposal.objects.get(pk=p["id"]).state.code == state_code("filed")


def test_send_back_by_unit(api, world):
    _pid, assignments = _to_assigned(api, world)
    aid = assignments[0]["id"]
    r = api("clerk0").post(f"/api/proposals/assignments/{aid}/send-back", {"reason": " "})
    assert r.status_code == 400 and r.json()["field"] == "reason" and "申退理由" in r.json()["detail"]
    r = api("clerk0").post(f"/api/proposals/assignments/{aid}/send-back", {"reason": "不属于本单位职责"})
    assert r.status_code == 200 and r.json()["status"] == "sent_back"
    # another unit's clerk cannot even see the assignment
    assert api("clerk1").post(f"/api/proposals/assignments/{aid}/send-back", {"reason": "x"}).status_code == 404


def test_forbidden_and_missing_both_404(api, world):
    draft = _create(api, world)
    for name in ("member1", "staff", "clerk0"):
        r = api(name).get(f"/api/proposals/{draft['id']}")
        assert r.status_code == 404, name
        assert r.json()["detail"] == "未找到该对象，或您无权查看。"
    assert api("member0").get("/api/proposals/999999").json() == api("member1").get(
        f"/api/proposals/{draft['id']}").json()
    r = api("member1").post(f"/api/proposals/{draft['id']}/submit", {"version": draft["version"]})
    assert r.status_code == 404
    assert api("clerk0").post("/api/proposals/replies/999999/sign-off").status_code == 404
    assert Proposal.objects.get(pk=draft["id"]).state.code == state_code("draft")


def test_forbidden_role_is_403_when_visible(api, world):
    p = _create(api, world)
    p = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]}).json()
    r = api("leader").post(f"/api/proposals/{p['id']}/file", {"version": p["version"]})
    assert r.status_code == 403 and "立案" in r.json()["detail"]


def test_illegal_transition_is_400_in_chinese(api, world):
    p = _create(api, world)
    pid = p["id"]
    api("member0").post(f"/api/proposals/{pid}/submit", {"version": p["version"]})
    p = api("staff").post(f"/api/proposals/{pid}/file", {"version": p["version"] + 1}).json()
    r = api("staff").post(f"/api/proposals/{pid}/close", {"version": p["version"]})
    assert r.status_code == 400
    assert r.json() == {"detail": f"当前状态「{state_name('已立案待交办')}」不能转为「{state_name('已办结')}」。", "field": "state"}
    assert Proposal.objects.get(pk=pid).state.code == state_code("filed")


def test_stale_version_is_409(api, world):
    p = _create(api, world)
    old = p["version"]
    r = api("member0").patch(f"/api/proposals/{p['id']}", {"version": old, "title": "关于甲的建议"})
    assert r.status_code == 200
    r = api("member0").patch(f"/api/proposals/{p['id']}", {"version": old, "title": "关于乙的建议"})
    assert r.status_code == 409 and "已被他人修改" in r.json()["detail"]
    assert Proposal.objects.get(pk=p["id"]).title == "关于甲的建议"


def test_double_submit(api, world):
    p = _create(api, world)
    first = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]})
    assert first.status_code == 200
    again = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]})
    assert again.status_code == 409  # the version moved on
    fresh = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": first.json()["version"]})
    assert fresh.status_code == 400 and "请勿重复提交" in fresh.json()["detail"]


def test_validation_errors_name_the_field_in_chinese(api, world):
    r = api("member0").post("/api/proposals", {"session": world.session.pk})
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "title" and body["detail"] == "字段「title」必填。" and body["errors"]
    r = api("member0").post("/api/proposals", {"session": world.session.pk, "title": "长" * 201})
    assert r.status_code == 422 and r.json()["field"] == "title" and "200" in r.json()["detail"]
    r = api("member0").post("/api/proposals", {"session": world.session.pk, "title": "  "})
    assert r.status_code == 400 and r.json() == {"detail": "请填写「案由」。", "field": "title"}
    r = api("member0").post("/api/proposals", {"session": 999999, "title": "关于甲的建议"})
    assert r.status_code == 400 and r.json()["field"] == "session"
    r = api("member0").get("/api/proposals", limit=0)
    assert r.status_code == 422 and r.json()["field"] == "limit"
    r = api("member0").client.post("/api/proposals", "{not json", content_type="application/json")
    assert r.status_code in (400, 422)
    assert Proposal.objects.count() == 0


def test_rating_outside_the_scale_names_the_field(api, world):
    pid, assignments = _to_assigned(api, world)
    reply = api("clerk0").multipart(f"/api/proposals/assignments/{assignments[0]['id']}/reply",
                                    {"grade": "A", "text": "已解决"}).json()
    api("head0").post(f"/api/proposals/replies/{reply['id']}/sign-off")
    r = api("member0").post(f"/api/proposals/replies/{reply['id']}/evaluation", {
        "attitude": "satisfied", "relevance": "satisfied", "result": "satisfied", "overall": "excellent"})
    assert r.status_code == 422
    assert r.json()["field"] == "overall" and "字段「overall」" in r.json()["detail"]
    assert Proposal.objects.get(pk=pid).state.code == state_code("replied")
    r = api("member2").post(f"/api/proposals/replies/{reply['id']}/evaluation", {
        "attitude": "satisfied", "relevance": "satisfied", "result": "satisfied", "overall": "satisfied"})
    assert r.status_code == 403  # filed proposals are visible to every member, rating is the proposer's
    paper_form = {"attitude": "satisfied", "relevance": "satisfied", "result": "satisfied", "overall": "satisfied"}
    r = api("staff").post(f"/api/proposals/replies/{reply['id']}/evaluation",
                          {**paper_form, "on_behalf_of": 999999})
    assert r.status_code == 400 and r.json()["field"] == "on_behalf_of"
    r = api("staff").post(f"/api/proposals/replies/{reply['id']}/evaluation",
                          {**paper_form, "on_behalf_of": world.user("member0").pk})
    assert r.status_code == 201 and r.json()["evaluator_id"] == world.user("member0").pk
    assert Proposal.objects.get(pk=pid).state.code == state_code("evaluated")


def test_reply_without_grade_and_with_wrong_attachment(api, world):
    _, assignments = _to_assigned(api, world)
    aid = assignments[0]["id"]
    r = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply", {"text": "答复"})
    assert r.status_code == 422 and r.json()["field"] == "grade"
    r = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply", {"grade": "", "text": "答复"})
    assert r.status_code == 400 and r.json() == {"detail": "请选择答复类别。", "field": "grade"}
    r = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply", {"grade": "Z", "text": "答复"})
    assert r.status_code == 400 and r.json()["field"] == "grade"
    with XLSX.open("rb") as fh:
        r = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply",
                                    {"grade": "A", "text": "答复", "attachments": [fh]})
    assert r.status_code == 400 and r.json()["field"] == "attachments" and "类型不支持" in r.json()["detail"]
    renamed = SimpleUploadedFile("答复.pdf", XLSX.read_bytes(), content_type="application/pdf")
    r = api("clerk0").multipart(f"/api/proposals/assignments/{aid}/reply",
                                {"grade": "A", "text": "答复", "attachments": [renamed]})
    assert r.status_code == 400 and "内容与扩展名不符" in r.json()["detail"]
    assert Reply.objects.count() == 0 and Attachment.objects.count() == 0


def test_co_handling_unit_cannot_reply(api, world):
    _, assignments = _to_assigned(api, world, plan=[{"unit": world.units[0].pk, "role": "lead"},
                                                    {"unit": world.units[1].pk, "role": "co"}])
    co = next(a for a in assignments if a["role"] == "co")
    r = api("clerk1").multipart(f"/api/proposals/assignments/{co['id']}/reply", {"grade": "A", "text": "答复"})
    assert r.status_code == 400 and "会办单位" in r.json()["detail"]


def test_invalid_assignment_plan(api, world):
    p = _create(api, world)
    p = api("member0").post(f"/api/proposals/{p['id']}/submit", {"version": p["version"]}).json()
    p = api("staff").post(f"/api/proposals/{p['id']}/file", {"version": p["version"]}).json()
    r = api("staff").post(f"/api/proposals/{p['id']}/assign", {"version": p["version"], "units": [
        {"unit": world.units[1].pk, "role": "co"}]})
    assert r.status_code == 400 and r.json()["field"] == "units"
    r = api("staff").post(f"/api/proposals/{p['id']}/assign", {"version": p["version"], "units": [
        {"unit": 999999, "role": "sole"}]})
    assert r.status_code == 400 and r.json()["field"] == "units"
    r = api("staff").post(f"/api/proposals/{p['id']}/assign", {"version": p["version"], "units": [
        {"unit": world.units[1].pk, "role": "boss"}]})
    assert r.status_code == 422 and r.json()["field"] == "units.0.role"


def test_staff_cannot_rewrite_a_members_returned_proposal_by_api_or_page(api, world, client):
    """The page never offered staff the edit form of a member's returned proposal; the API let them PATCH it
    (probe finding, issue "Production …" item 5). Both now refuse, and the member still edits."""
    a = _create(api, world)
    a = api("member0").post(f"/api/proposals/{a['id']}/submit", {"version": a["version"]}).json()
    a = api("staff").post(f"/api/proposals/{a['id']}/return",
                          {"version": a["version"], "comment": "请补充具体建议"}).json()
    r = api("staff").patch(f"/api/proposals/{a['id']}", {"version": a["version"], "title": "工作人员改写的案由"})
    assert r.status_code == 403, r.content
    client.force_login(world.user("staff"))
    page = client.post(f"/proposals/{a['id']}/edit/", {"title": "工作人员改写的案由", "version": a["version"]})
    assert page.status_code in (400, 403, 404)
    assert client.get(f"/proposals/{a['id']}/edit/").status_code == 404  # the form is not offered
    assert Proposal.objects.get(pk=a["id"]).title == "关于加快城市更新的建议"
    r = api("member0").patch(f"/api/proposals/{a['id']}", {"version": a["version"], "title": "关于加快老旧小区改造的建议"})
    assert r.status_code == 200 and r.json()["title"] == "关于加快老旧小区改造的建议"
