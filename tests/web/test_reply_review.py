"""Co-handling and the unit leader's review of a reply (issue 6 §3):

- a co-handling unit still handling blocks the lead unit's sign-off, so the case cannot move to evaluation
  while the co-handler is open (docs/decisions.md); the lead clerk sees each co-handler's opinion (or that it
  is still missing) in the reply form;
- the unit leader sends a draft back to the clerk with a comment (audited, the clerk notified) and sees a
  preview of the reply letter before signing it off.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import AuditEntry, Notification
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal, Reply
from tests.states import state_code

pytestmark = pytest.mark.django_db


def _lead_and_co(world: Any) -> tuple[Proposal, Assignment, Assignment]:
    p = act.create_proposal(world.user("member0"), session=world.session, title="关于加快城市更新的建议",
                            suggestions="建议")
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk)
    lead, co = act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "lead"), (world.units[1], "co")])
    return Proposal.objects.get(pk=p.pk), lead, co


def _step_block(html: str, key: str) -> str:
    found = re.search(rf'<details[^>]*id="step-{key}".*?</details>', html, re.S)
    assert found, f"step {key} is offered"
    return found.group(0)


def test_lead_cannot_sign_off_while_a_co_handler_is_still_handling(world: Any) -> None:
    p, lead, co = _lead_and_co(world)
    reply = act.draft_reply(world.user("clerk0"), lead.pk, grade_code="A", text="答复正文")
    with pytest.raises(DomainError, match=r"市交通运输局.*会办意见"):
        act.sign_off_reply(world.user("head0"), reply.pk)
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("assigned")
    assert Reply.objects.get(pk=reply.pk).status == "pending_signoff"
    act.send_opinion(world.user("clerk1"), co.pk, text="建议同步推进老旧管网改造")
    act.sign_off_reply(world.user("head0"), reply.pk)
    assert Proposal.objects.get(pk=p.pk).state.code == state_code("replied")  # the proposer may rate only now


def test_lead_clerk_sees_each_co_handlers_opinion_in_the_reply_form(world: Any, login: Any) -> None:
    p, lead, co = _lead_and_co(world)
    clerk = login("clerk0")
    block = _step_block(clerk.get(f"/proposals/{p.pk}/").content.decode(), f"reply-{lead.pk}")
    assert "市交通运输局" in block and "尚未提交会办意见" in block
    act.send_opinion(world.user("clerk1"), co.pk, text="建议同步推进老旧管网改造")
    block = _step_block(clerk.get(f"/proposals/{p.pk}/").content.decode(), f"reply-{lead.pk}")
    assert "市交通运输局" in block and "建议同步推进老旧管网改造" in block


def _pending(world: Any) -> tuple[Proposal, Reply]:
    p, lead, co = _lead_and_co(world)
    act.send_opinion(world.user("clerk1"), co.pk, text="同意")
    reply = act.draft_reply(world.user("clerk0"), lead.pk, grade_code="B", text="正在研究制定城市更新实施方案。")
    return Proposal.objects.get(pk=p.pk), reply


def test_leader_sends_the_draft_back_to_the_clerk_with_a_comment(world: Any, login: Any,
                                                                 django_capture_on_commit_callbacks: Any) -> None:
    p, reply = _pending(world)
    with pytest.raises(ForbiddenError):
        act.return_reply(world.user("clerk0"), reply.pk, comment="x")
    with pytest.raises(DomainError) as err:
        act.return_reply(world.user("head0"), reply.pk, comment=" ")
    assert err.value.field == "comment"
    head = login("head0")
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(f"/proposals/{p.pk}/do/return_reply/{reply.pk}/", {
            f"return_reply-{reply.pk}-version": p.version, f"return_reply-{reply.pk}-comment": "请补充资金安排"})
    assert response.status_code == 302
    assert Reply.objects.get(pk=reply.pk).status == "draft"
    entry = AuditEntry.objects.get(target_id=p.pk, event="reply_returned")
    assert entry.comment == "请补充资金安排" and entry.actor == world.user("head0")
    assert Proposal.objects.get(pk=p.pk).version == p.version + 1
    note = Notification.objects.get(recipient=world.user("clerk0"), kind="reply_returned")
    assert "请补充资金安排" in note.text
    with pytest.raises(DomainError):  # back with the clerk: nothing to sign off until resubmitted
        act.sign_off_reply(world.user("head0"), reply.pk)


def test_leader_sees_a_preview_of_the_reply_letter_before_signing_off(world: Any, login: Any) -> None:
    p, reply = _pending(world)
    head = login("head0")
    block = _step_block(head.get(f"/proposals/{p.pk}/").content.decode(), f"signoff-{reply.pk}")
    link = re.search(rf'href="([^"]*/replies/{reply.pk}/letter/)"', block)
    assert link, "the sign-off step links the letter preview"
    preview = head.get(link.group(1))
    assert preview.status_code == 200
    text = preview.content.decode()
    # the letter as the Word document renders it: unsent marker, case number and grade, title, addressee,
    # the opening sentence and the reply text
    assert "未签发稿" in text and f"案号：{p.number}" in text and "（B类）" in text
    assert f"第{p.number}号提案的答复" in text and "张三委员：" in text
    assert f"您提出的《{p.title}》（第{p.number}号）收悉" in text and "正在研究制定城市更新实施方案。" in text
    assert login("member0").get(link.group(1)).status_code == 404  # not sent: the proposer does not see it yet
