"""A joint suggestion through every step of its pages, by role (WORKFLOWS.md §2): expected outcomes worked
out from the rules (numbering {term}-{session}-{seq:03d}, 闭会期间 after the closing day, lead + co-handling,
面商 before the reply, each joint deputy's opinion form)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.cases.models import Assignment, ContactRecord, Evaluation, Reply
from lvzhi.core.models import AuditEntry
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from tests.cases.npc import NPC
from tests.suggestions_web.helpers import errors_of, step, step_names, version_of

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
SATISFIED = {"score_contact": "satisfied", "score_attitude": "satisfied", "score_result": "satisfied"}


def test_joint_suggestion_from_draft_to_closing(npc: NPC, login: Any) -> None:
    deputy, seconder, staff = login("deputy0"), login("deputy1"), login("staff")
    clerk, co_clerk, head = login("clerk0"), login("clerk1"), login("head0")

    # 1. the leading deputy drafts on the phone-first form, inviting a seconding deputy
    r = deputy.post("/suggestions/new/", {"session": npc.session.pk, "title": "关于优化城区公交线网的建议",
                                          "content": "建议增开社区微循环公交。", "category": "城建交通",
                                          "delegation": npc.delegations[0].pk, "seconders": [npc.deputies[1].pk]})
    assert r.status_code == 302
    s = Suggestion.objects.get(title="关于优化城区公交线网的建议")
    assert r["Location"] == f"/suggestions/{s.pk}/"
    assert s.state.is_initial
    assert step_names(deputy, s.pk) >= {"edit", "invite", "submit", "withdraw"}
    assert "accept" not in step_names(deputy, s.pk)
    r = deputy.post(f"/suggestions/{s.pk}/edit/", {"edit-version": s.version, "edit-title": "关于优化城区公交线网的建议",
                                                   "edit-content": "建议增开社区微循环公交，优化换乘。",
                                                   "edit-category": "城建交通", "edit-delegation": npc.delegations[0].pk})
    assert r.status_code == 302
    assert Suggestion.objects.get(pk=s.pk).content == "建议增开社区微循环公交，优化换乘。"

    # 2. the seconding deputy confirms
    assert "second" in step_names(seconder, s.pk)
    assert step(seconder, s.pk, "second", {"decision": "accept"}).status_code == 302
    assert SuggestionDeputy.objects.get(suggestion=s, member=npc.deputies[1]).status == "confirmed"

    # 3. the deputy submits: 45 days after the closing day, so 闭会期间
    assert step(deputy, s.pk, "submit").status_code == 302
    s.refresh_from_db()
    assert s.state.counts_as_received and s.period == "interim"

    # 4. the staff accept (term 16, session 3, first of the session) and assign lead + co-handling
    assert {"accept", "return"} <= step_names(staff, s.pk)
    assert step(staff, s.pk, "accept", {"category": "城建交通"}).status_code == 302
    s.refresh_from_db()
    assert s.number == "16-3-001"
    r = step(staff, s.pk, "assign", {"mode": "lead", "main_unit": npc.units[0].pk, "other_units": [npc.units[1].pk]})
    assert r.status_code == 302, errors_of(r)
    lead = Assignment.objects.get(object_id=s.pk, unit=npc.units[0])
    co = Assignment.objects.get(object_id=s.pk, unit=npc.units[1])
    assert (lead.role, co.role) == ("lead", "co")

    # 5. the co-handling unit gives its opinion; the lead clerk sees it
    assert "opinion" in step_names(co_clerk, s.pk) and "reply" not in step_names(co_clerk, s.pk)
    assert step(co_clerk, s.pk, "opinion", {"opinion": "同意增开线路，配套站点由我局落实。"}, target=co.pk).status_code == 302
    assert "配套站点由我局落实" in clerk.get(f"/suggestions/{s.pk}/").content.decode()

    # 6. the lead clerk records the talk (面商) and drafts the reply with grade and a PDF
    r = step(clerk, s.pk, "contact", {"contacted_on": "", "way": "meeting", "with_whom": "陈代表", "notes": "当面沟通"},
             target=lead.pk)
    assert r.status_code == 400 and "沟通日期" in errors_of(r)
    r = step(clerk, s.pk, "contact", {"contacted_on": timezone.localdate(s.accepted_at).isoformat(), "way": "meeting",
                                      "with_whom": "陈代表", "notes": "当面听取代表意见"}, target=lead.pk)
    assert r.status_code == 302, errors_of(r)
    assert ContactRecord.objects.filter(assignment=lead).count() == 1
    url = f"/suggestions/{s.pk}/do/reply/{lead.pk}/"
    key = f"reply-{lead.pk}"
    r = clerk.post(url, {f"{key}-version": version_of(s.pk), f"{key}-grade": "A", f"{key}-text": "已增开两条微循环线路。",
                         f"{key}-contact_person": "李科长", f"{key}-for_signoff": "on",
                         f"{key}-attachments": SimpleUploadedFile("答复函.pdf", PDF, "application/pdf")})
    assert r.status_code == 302, errors_of(r)
    reply = Reply.objects.get(assignment=lead)
    assert reply.status == "pending_signoff" and reply.grade.code == "A"

    # 7. the unit leader previews the letter (addressed to each joint deputy) and signs it off
    assert "signoff" in step_names(head, s.pk)
    page = head.get(f"/suggestions/{s.pk}/replies/{reply.pk}/").content.decode()
    assert "陈代表、林代表" in page and "已增开两条微循环线路" in page and "配套站点由我局落实" in page
    assert "答复函.pdf" in page
    assert step(head, s.pk, "signoff", target=reply.pk).status_code == 302
    s.refresh_from_db()
    assert s.state.proposer_may_rate

    # 8. each deputy returns the opinion form; after the last one the suggestion is evaluated
    assert step(deputy, s.pk, "evaluate", SATISFIED, target=reply.pk).status_code == 302
    assert not Suggestion.objects.get(pk=s.pk).state.is_terminal
    assert "evaluate" in step_names(seconder, s.pk)
    assert step(seconder, s.pk, "evaluate", {**SATISFIED, "score_result": "basically"},
                target=reply.pk).status_code == 302
    assert Evaluation.objects.filter(reply=reply).count() == 2
    s.refresh_from_db()
    assert not s.state.proposer_may_rate and not s.state.units_may_reply

    # 9. the staff close it; the timeline shows every act
    assert step(staff, s.pk, "close", {"comment": "办理完毕"}).status_code == 302
    s.refresh_from_db()
    assert s.state.is_terminal
    page = staff.get(f"/suggestions/{s.pk}/").content.decode()
    for label in ("起草", "确认附议", "交办单位", "提交会办意见", "沟通（面商）", "拟写答复", "签发答复", "反馈意见征询表"):
        assert label in page
    assert AuditEntry.objects.filter(target_id=s.pk, target_type__model="suggestion").count() >= 12
