"""Every step of the lifecycle through the web forms, by role, and the bad-input paths."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from lvzhi.core.attachments import attachments_of
from lvzhi.core.models import AuditEntry
from lvzhi.members.actions import create_account
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, FollowUp, Proposal, Reply
from tests.conftest import PASSWORD
from tests.states import plain, state_code, state_name

pytestmark = pytest.mark.django_db


def minimal_pdf() -> bytes:
    """A small but well-formed one-page PDF (header, objects, cross-reference table, trailer)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def word_file() -> bytes:
    doc = Document()
    doc.add_paragraph("关于城市更新提案的答复（附件）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def version_of(p: Proposal) -> int:
    return Proposal.objects.get(pk=p.pk).version


def errors_of(response) -> str:
    """The text of the field errors and alerts on a re-rendered page."""
    html = response.content.decode()
    return " ".join(re.findall(r'class="(?:field-error|alert alert-error)"[^>]*>(.*?)</(?:p|div)>', html, re.S))


def test_member_submits_with_cosigner_staff_files_and_assigns_clerk_replies_leader_signs_member_rates(
        world, login):
    member, cosigner = login("member0"), login("member1")
    # 1. the member drafts a proposal and invites a co-signer
    response = member.post("/proposals/new/", {
        "session": world.session.pk, "title": "关于推进老旧小区加装电梯的建议", "category": world.categories[1].pk,
        "proposer_kind": "member", "situation": "老旧小区多", "analysis": "居民上下楼难",
        "suggestions": "财政补贴加装电梯", "cosigners": [world.members[1].pk]})
    assert response.status_code == 302
    p = Proposal.objects.get(title="关于推进老旧小区加装电梯的建议")
    assert response["Location"] == f"/proposals/{p.pk}/"
    assert p.state.code == state_code("draft") and p.proposer_kind == "joint"
    page = member.get(f"/proposals/{p.pk}/").content.decode()
    assert "提交提案" in page and "邀请联名人" in page and "修改提案" in page and "立案" not in page
    # edit the draft
    response = member.post(f"/proposals/{p.pk}/edit/", {
        "edit-version": p.version, "edit-title": "关于推进老旧小区加装电梯工作的建议", "edit-category": world.categories[1].pk,
        "edit-situation": "老旧小区多", "edit-analysis": "居民上下楼难", "edit-suggestions": "财政补贴加装电梯；简化审批"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.title == "关于推进老旧小区加装电梯工作的建议"
    # 2. the co-signer confirms
    assert "联名邀请" in cosigner.get(f"/proposals/{p.pk}/").content.decode()
    response = cosigner.post(f"/proposals/{p.pk}/do/cosign/", {"cosign-version": version_of(p), "cosign-decision": "accept"})
    assert response.status_code == 302
    assert CoSigner.objects.get(proposal=p).status == "confirmed"
    # 3. the member submits
    response = member.post(f"/proposals/{p.pk}/do/submit/", {"submit-version": version_of(p)})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("submitted")
    # 4. staff file it and assign it to a lead and a co-handling unit
    staff = login("staff")
    page = staff.get(f"/proposals/{p.pk}/").content.decode()
    assert "立案" in page and "退回修改" in page and "不予立案" in page and "并案" in page
    response = staff.post(f"/proposals/{p.pk}/do/file/", {"file-version": version_of(p),
                                                          "file-category": world.categories[0].pk})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.state.code == state_code("filed") and p.number == "14-3-001" and p.category == world.categories[0]
    response = staff.post(f"/proposals/{p.pk}/do/assign/", {
        "assign-version": p.version, "assign-mode": "lead", "assign-main_unit": world.units[0].pk,
        "assign-other_units": [world.units[1].pk], "assign-comment": "请抓紧办理"})
    assert response.status_code == 302
    lead = Assignment.objects.get(proposal=p, unit=world.units[0])
    co = Assignment.objects.get(proposal=p, unit=world.units[1])
    assert (lead.role, co.role) == ("lead", "co")
    # 5. the co-handling unit sends its opinion; the lead unit's clerk drafts the reply with a PDF and a Word file
    co_clerk = login("clerk1")
    assert "提交会办意见" in co_clerk.get(f"/proposals/{p.pk}/").content.decode()
    response = co_clerk.post(f"/proposals/{p.pk}/do/opinion/{co.pk}/", {
        f"opinion-{co.pk}-version": version_of(p), f"opinion-{co.pk}-opinion": "同意主办单位意见"})
    assert response.status_code == 302
    clerk = login("clerk0")
    page = clerk.get(f"/proposals/{p.pk}/").content.decode()
    assert "拟写答复" in page and "申退" in page and 'enctype="multipart/form-data"' in page
    response = clerk.post(f"/proposals/{p.pk}/do/reply/{lead.pk}/", {
        f"reply-{lead.pk}-version": version_of(p), f"reply-{lead.pk}-grade": "B",
        f"reply-{lead.pk}-text": "已列入明年计划", f"reply-{lead.pk}-contact_person": "赵科长",
        f"reply-{lead.pk}-contact_phone": "0750-1234567", f"reply-{lead.pk}-for_signoff": "on",
        f"reply-{lead.pk}-attachments": [SimpleUploadedFile("答复函.pdf", minimal_pdf(), "application/pdf"),
                                         SimpleUploadedFile("附件.docx", word_file())]})
    assert response.status_code == 302, errors_of(response)
    reply = Reply.objects.get(assignment=lead)
    assert reply.status == "pending_signoff" and reply.grade.code == "B"
    assert sorted(a.name for a in attachments_of(reply)) == ["答复函.pdf", "附件.docx"]
    # the proposer does not see an unsigned reply, nor download its file
    pdf = attachments_of(reply).get(name="答复函.pdf")
    assert "已列入明年计划" not in member.get(f"/proposals/{p.pk}/").content.decode()
    assert member.get(f"/attachments/{pdf.pk}/").status_code == 404
    # 6. the unit leader signs off
    head = login("head0")
    assert "签发答复" in head.get(f"/proposals/{p.pk}/").content.decode()
    assert "签发答复" not in clerk.get(f"/proposals/{p.pk}/").content.decode()
    response = head.post(f"/proposals/{p.pk}/do/signoff/{reply.pk}/", {f"signoff-{reply.pk}-version": version_of(p)})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("replied")
    # now the proposer sees and downloads the reply letter
    page = member.get(f"/proposals/{p.pk}/").content.decode()
    assert "已列入明年计划" in page and "答复函.pdf" in page and "满意度测评" in page
    download = member.get(f"/attachments/{pdf.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == minimal_pdf()
    assert login("clerk2").get(f"/attachments/{pdf.pk}/").status_code == 404  # another unit
    # 7. the member rates the reply
    response = member.post(f"/proposals/{p.pk}/do/evaluate/{reply.pk}/", {
        f"evaluate-{reply.pk}-version": version_of(p), f"evaluate-{reply.pk}-attitude": "satisfied",
        f"evaluate-{reply.pk}-relevance": "satisfied", f"evaluate-{reply.pk}-result": "basically",
        f"evaluate-{reply.pk}-overall": "basically", f"evaluate-{reply.pk}-comment": "希望尽快落实"})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("evaluated")
    assert Evaluation.objects.get(reply=reply).overall == "basically"
    # 8. staff: key proposal, follow-up, excellent, close, archive
    for step, data in (("key", {"is_key": "on", "supervising_leader": "王副市长"}),
                       ("follow_up", {"note": "电梯已开工", "delivered": "on"}),
                       ("excellent", {"year": "2026"}), ("close", {"comment": "办结"}), ("archive", {})):
        fields = {f"{step}-{k}": v for k, v in data.items()} | {f"{step}-version": version_of(p)}
        response = staff.post(f"/proposals/{p.pk}/do/{step}/", fields)
        assert response.status_code == 302, (step, errors_of(response))
    p.refresh_from_db()
    assert p.is_key and p.supervising_leader == "王副市长" and p.excellent_year == 2026
    assert p.state.code == state_code("archived") and FollowUp.objects.get(proposal=p).delivered
    timeline = staff.get(f"/proposals/{p.pk}/").content.decode()
    assert f"{state_name('已办结')} → {state_name('已归档')}" in timeline and 'id="step-key"' not in timeline and 'id="step-close"' not in timeline


def test_return_not_file_merge_withdraw(world, login, make_proposal):
    staff = login("staff")
    a = make_proposal("submitted")
    response = staff.post(f"/proposals/{a.pk}/do/return/", {"return-version": a.version, "return-comment": ""})
    assert response.status_code == 400 and "须填写意见" in errors_of(response)
    response = staff.post(f"/proposals/{a.pk}/do/return/", {"return-version": a.version,
                                                            "return-comment": "请补充具体建议"})
    assert response.status_code == 302 and Proposal.objects.get(pk=a.pk).state.code == state_code("returned")
    member = login("member0")
    response = member.post(f"/proposals/{a.pk}/do/withdraw/", {"withdraw-version": version_of(a)})
    assert response.status_code == 302 and Proposal.objects.get(pk=a.pk).state.code == state_code("withdrawn")

    b = make_proposal("submitted", member="member1", title="关于广告推介的建议")
    response = staff.post(f"/proposals/{b.pk}/do/not_file/", {"not_file-version": b.version, "not_file-ground": "",
                                                              "not_file-comment": "属于产品推介"})
    assert response.status_code == 400 and "请选择不予立案的理由" in errors_of(response)
    assert "属于产品推介" in response.content.decode()  # the user's input is kept
    response = staff.post(f"/proposals/{b.pk}/do/not_file/", {"not_file-version": b.version,
                                                              "not_file-ground": "promotion",
                                                              "not_file-comment": "属于产品推介"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.state.code == state_code("not_filed") and b.not_filed_ground == "promotion"
    assert "为单位或个人宣传推介产品" in staff.get(f"/proposals/{b.pk}/").content.decode()

    main = make_proposal("submitted", member="member1", title="关于城市更新的建议")
    other = make_proposal("submitted", member="member2", title="关于旧城改造的建议")
    response = staff.post(f"/proposals/{main.pk}/do/merge/", {"merge-version": main.version})
    assert response.status_code == 400 and "请选择要并入的提案" in errors_of(response)
    response = staff.post(f"/proposals/{main.pk}/do/merge/", {"merge-version": main.version,
                                                              "merge-others": [other.pk]})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state.code == state_code("merged") and other.merged_into_id == main.pk


def test_send_back_and_reassign(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    clerk = login("clerk0")
    response = clerk.post(f"/proposals/{p.pk}/do/send_back/{a.pk}/", {f"send_back-{a.pk}-version": p.version,
                                                                      f"send_back-{a.pk}-reason": " "})
    assert response.status_code == 400 and "申退理由" in errors_of(response)
    response = clerk.post(f"/proposals/{p.pk}/do/send_back/{a.pk}/", {f"send_back-{a.pk}-version": p.version,
                                                                      f"send_back-{a.pk}-reason": "不属于本单位职责"})
    assert response.status_code == 302
    staff = login("staff")
    page = staff.get(f"/proposals/{p.pk}/").content.decode()
    assert "不属于本单位职责" in page and "已申退" in page and 'id="step-assign"' in page
    response = staff.post(f"/proposals/{p.pk}/do/assign/", {"assign-version": version_of(p), "assign-mode": "sole",
                                                            "assign-main_unit": world.units[2].pk})
    assert response.status_code == 302
    assert Assignment.objects.get(proposal=p, unit=world.units[2]).status == "handling"
    # the unit that sent it back still sees the case: its assignment is kept, marked 已申退
    assert clerk.get(f"/proposals/{p.pk}/").status_code == 200


def test_staff_evaluates_on_behalf_of_the_proposer(world, login, make_proposal):
    p = make_proposal("replied")
    reply = Reply.objects.get(assignment__proposal=p)
    staff = login("staff")
    assert "代提案者录入" in staff.get(f"/proposals/{p.pk}/").content.decode()
    key = f"evaluate-{reply.pk}"
    response = staff.post(f"/proposals/{p.pk}/do/evaluate/{reply.pk}/", {
        f"{key}-version": p.version, f"{key}-attitude": "satisfied", f"{key}-relevance": "satisfied",
        f"{key}-result": "satisfied", f"{key}-overall": "satisfied", f"{key}-on_behalf_of": world.user("member0").pk})
    assert response.status_code == 302
    assert Evaluation.objects.get(reply=reply).evaluator == world.user("member0")
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("evaluated")


def test_batch_assignment_from_the_list(world, login, make_proposal):
    a = make_proposal("filed")
    b = make_proposal("filed", member="member1", title="关于公共停车场建设的建议")
    staff = login("staff")
    page = staff.get("/proposals/").content.decode()
    assert f'name="ids" value="{a.pk}"' in page and "批量交办" in page
    response = staff.post("/proposals/", {"ids": [a.pk, b.pk], "batch-mode": "separate",
                                          "batch-main_unit": world.units[0].pk})
    assert response.status_code == 302
    assert {plain(c) for c in Proposal.objects.filter(pk__in=[a.pk, b.pk]).values_list("state__code", flat=True)} == {
        "assigned"}
    c = make_proposal("filed", member="member2", title="关于社区食堂的建议")
    response = staff.post("/proposals/", {"ids": [c.pk], "batch-mode": "lead", "batch-main_unit": ""})
    assert response.status_code == 400 and "请选择承办单位" in errors_of(response)
    assert f'value="{c.pk}" id="sel-{c.pk}"' in response.content.decode() and "checked" in response.content.decode()
    assert Proposal.objects.get(pk=c.pk).state.code == state_code("filed")
    assert login("member0").post("/proposals/", {"ids": [c.pk], "batch-mode": "sole"}).status_code == 404


# ---------------------------------------------------------------------------------------------- bad input


def _reply_post(client, p, a, **fields):
    key = f"reply-{a.pk}"
    data = {f"{key}-version": version_of(p), f"{key}-grade": "A", f"{key}-text": "答复正文",
            f"{key}-for_signoff": "on"}
    data.update({f"{key}-{k}": v for k, v in fields.items()})
    return client.post(f"/proposals/{p.pk}/do/reply/{a.pk}/", data)


def test_reply_without_grade_keeps_the_text(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    response = _reply_post(login("clerk0"), p, a, grade="", text="我们高度重视这项建议")
    assert response.status_code == 400
    assert "请选择答复类别" in errors_of(response)
    html = response.content.decode()
    assert "我们高度重视这项建议" in html and f'id="step-reply-{a.pk}" open' in html
    assert not Reply.objects.exists()


def test_wrong_type_and_fake_pdf_and_oversized_attachment_are_refused(world, login, make_proposal, settings):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    clerk = login("clerk0")
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream")
    response = _reply_post(clerk, p, a, attachments=[exe])
    assert response.status_code == 400 and "类型不支持" in errors_of(response)
    fake = SimpleUploadedFile("答复.pdf", b"this is plain text, not a PDF", "application/pdf")
    response = _reply_post(clerk, p, a, attachments=[fake])
    assert response.status_code == 400 and "内容与扩展名不符" in errors_of(response)
    settings.ATTACHMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("答复.pdf", minimal_pdf(), "application/pdf")
    response = _reply_post(clerk, p, a, attachments=[big])
    assert response.status_code == 400 and "大小限制" in errors_of(response)
    assert not Reply.objects.exists()
    assert Proposal.objects.get(pk=p.pk).version == p.version


def test_stale_version_is_refused_and_changes_nothing(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    stale = p.version
    # someone else changes the case (staff mark it key) after the clerk loaded the page
    act.set_key_proposal(world.user("staff"), p.pk, is_key=True, supervising_leader="李主席")
    clerk = login("clerk0")
    key = f"reply-{a.pk}"
    response = clerk.post(f"/proposals/{p.pk}/do/reply/{a.pk}/", {
        f"{key}-version": stale, f"{key}-grade": "A", f"{key}-text": "答复", f"{key}-for_signoff": "on"})
    assert response.status_code == 409
    assert "该案件已被他人修改" in errors_of(response)
    assert not Reply.objects.exists()
    # a stale filing/assignment page of a second staff member
    q = make_proposal("filed", member="member1", title="关于夜间经济的建议")
    old = q.version
    staff = login("staff")
    assert staff.post(f"/proposals/{q.pk}/do/assign/", {"assign-version": old, "assign-mode": "sole",
                                                        "assign-main_unit": world.units[0].pk}).status_code == 302
    response = staff.post(f"/proposals/{q.pk}/do/assign/", {"assign-version": old, "assign-mode": "sole",
                                                            "assign-main_unit": world.units[1].pk})
    assert response.status_code == 409 and "该案件已被他人修改" in errors_of(response)
    assert list(Assignment.objects.filter(proposal=q).values_list("unit_id", flat=True)) == [world.units[0].pk]


def test_double_submit_shows_the_message_and_submits_once(world, login, make_proposal):
    p = make_proposal("draft")
    member = login("member0")
    data = {"submit-version": p.version}
    assert member.post(f"/proposals/{p.pk}/do/submit/", data).status_code == 302
    second = member.post(f"/proposals/{p.pk}/do/submit/", data)
    assert second.status_code == 409 and "该案件已被他人修改" in errors_of(second)
    # the same double submit with a fresh page: the action's own refusal
    third = member.post(f"/proposals/{p.pk}/do/submit/", {"submit-version": version_of(p)})
    assert third.status_code == 400 and "请勿重复提交" in errors_of(third)
    assert AuditEntry.objects.filter(target_id=p.pk, event="transition", to_state=state_code("submitted")).count() == 1


def test_double_sign_off_and_double_rating(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    reply = act.draft_reply(world.user("clerk0"), a.pk, grade_code="A", text="答复")
    head = login("head0")
    url = f"/proposals/{p.pk}/do/signoff/{reply.pk}/"
    assert head.post(url, {f"signoff-{reply.pk}-version": version_of(p)}).status_code == 302
    again = head.post(url, {f"signoff-{reply.pk}-version": version_of(p)})
    assert again.status_code == 400 and "请勿重复操作" in errors_of(again)
    member = login("member0")
    key = f"evaluate-{reply.pk}"
    data = {f"{key}-attitude": "satisfied", f"{key}-relevance": "satisfied", f"{key}-result": "satisfied",
            f"{key}-overall": ""}
    missing = member.post(f"/proposals/{p.pk}/do/evaluate/{reply.pk}/", data | {f"{key}-version": version_of(p)})
    assert missing.status_code == 400 and "总体评价" in errors_of(missing)
    data[f"{key}-overall"] = "satisfied"
    assert member.post(f"/proposals/{p.pk}/do/evaluate/{reply.pk}/",
                       data | {f"{key}-version": version_of(p)}).status_code == 302
    twice = member.post(f"/proposals/{p.pk}/do/evaluate/{reply.pk}/", data | {f"{key}-version": version_of(p)})
    assert twice.status_code == 400 and "不在测评期内" in errors_of(twice)
    assert Evaluation.objects.count() == 1


def test_new_proposal_errors_name_the_field_and_keep_input(world, login):
    member = login("member0")
    response = member.post("/proposals/new/", {"session": world.session.pk, "title": "", "proposer_kind": "member",
                                               "situation": "已写好的情况", "analysis": "", "suggestions": ""})
    assert response.status_code == 400 and "请填写「案由」" in errors_of(response)
    assert "已写好的情况" in response.content.decode()
    response = member.post("/proposals/new/", {"session": world.session.pk, "title": "关于民盟的建议",
                                               "proposer_kind": "party_group", "suggestions": "x"})
    assert response.status_code == 400 and "集体提案须选择提案单位" in errors_of(response)
    assert login("clerk0").get("/proposals/new/").status_code == 404
    assert not Proposal.objects.exists()


def test_organisation_proposal_by_staff(world, login):
    from lvzhi.members.models import Organisation

    party = Organisation.objects.get(name="民盟市委会")
    staff = login("staff")
    response = staff.post("/proposals/new/", {"session": world.session.pk, "title": "关于发展民营经济的建议",
                                              "proposer_kind": "party_group", "organisation": party.pk,
                                              "suggestions": "优化营商环境"})
    assert response.status_code == 302
    p = Proposal.objects.get()
    assert p.organisation == party and p.proposer_name == "民盟市委会"
    assert staff.post(f"/proposals/{p.pk}/do/submit/", {"submit-version": p.version}).status_code == 302
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("submitted")


def test_step_not_offered_or_unknown_answers_404(world, login, make_proposal):
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    staff = login("staff")
    assert staff.post(f"/proposals/{p.pk}/do/nonsense/", {}).status_code == 404
    assert staff.post(f"/proposals/{p.pk}/do/reply/", {}).status_code == 404  # reply needs its assignment
    other = make_proposal("assigned", member="member1", title="关于另一件事的建议")
    # an assignment of another proposal posted under this one
    assert login("clerk0").post(f"/proposals/{other.pk}/do/send_back/{a.pk}/", {}).status_code == 404
    # a member may not file: the action refuses (403) and nothing changes
    q = make_proposal("submitted", member="member2", title="关于第三件事的建议")
    response = login("member2").post(f"/proposals/{q.pk}/do/file/", {"file-version": q.version})
    assert response.status_code == 403 and "您无权" in errors_of(response)
    assert Proposal.objects.get(pk=q.pk).state.code == state_code("submitted")
    # a GET on a step URL (reloading the page shown after a form error) goes back to the case page
    response = staff.get(f"/proposals/{p.pk}/do/close/")
    assert response.status_code == 302 and response.url == f"/proposals/{p.pk}/"


def test_invite_and_decline_cosigning_and_edit_page(world, login, make_proposal):
    p = make_proposal("draft")
    member = login("member0")
    edit = member.get(f"/proposals/{p.pk}/edit/")
    assert edit.status_code == 200 and "关于加快城市更新的建议" in edit.content.decode()
    response = member.post(f"/proposals/{p.pk}/do/invite/", {"invite-version": p.version})
    assert response.status_code == 400 and "请选择要邀请的联名人" in errors_of(response)
    response = member.post(f"/proposals/{p.pk}/do/invite/", {"invite-version": p.version,
                                                             "invite-cosigners": [world.members[2].pk]})
    assert response.status_code == 302
    assert CoSigner.objects.get(proposal=p).member == world.members[2]
    invited = login("member2")
    response = invited.post(f"/proposals/{p.pk}/do/cosign/", {"cosign-version": version_of(p),
                                                              "cosign-decision": "decline"})
    assert response.status_code == 302 and CoSigner.objects.get(proposal=p).status == "declined"
    assert 'id="step-cosign"' not in invited.get(f"/proposals/{p.pk}/").content.decode()
    # an edit that breaks a rule keeps the input and names the field
    response = member.post(f"/proposals/{p.pk}/edit/", {"edit-version": version_of(p), "edit-title": "",
                                                        "edit-suggestions": "保留的建议"})
    assert response.status_code == 400 and "请填写「案由」" in errors_of(response)
    assert "保留的建议" in response.content.decode()
    # a joint proposal whose only co-signer declined cannot be submitted: the action says why
    response = member.post(f"/proposals/{p.pk}/do/submit/", {"submit-version": version_of(p)})
    assert response.status_code == 400 and "至少有一位联名人确认" in errors_of(response)
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("draft")
    staff_page = login("staff").get(f"/proposals/{p.pk}/edit/")
    assert staff_page.status_code == 404  # a member's draft is private


def test_a_second_clerk_on_a_stale_page_cannot_overwrite_a_reply_draft(world, login, make_proposal):
    """Drafting a reply changes the case's version, so a colleague still on the page loaded before it is told
    the case changed instead of overwriting the first draft (no lost update)."""
    p = make_proposal("assigned")
    a = Assignment.objects.get(proposal=p)
    loaded = p.version
    key = f"reply-{a.pk}"
    first = login("clerk0")
    assert first.post(f"/proposals/{p.pk}/do/reply/{a.pk}/", {
        f"{key}-version": loaded, f"{key}-grade": "A", f"{key}-text": "第一位经办人的答复稿"}).status_code == 302
    colleague = create_account(None, username="clerk0-b", password=PASSWORD, role="unit_clerk",
                               council=world.council, unit=world.units[0])
    second = Client()
    second.force_login(colleague)
    response = second.post(f"/proposals/{p.pk}/do/reply/{a.pk}/", {
        f"{key}-version": loaded, f"{key}-grade": "D", f"{key}-text": "第二位经办人的答复稿"})
    assert response.status_code == 409 and "该案件已被他人修改" in errors_of(response)
    reply = Reply.objects.get(assignment=a)
    assert reply.text == "第一位经办人的答复稿" and reply.grade.code == "A"
