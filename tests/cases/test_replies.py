"""Replies: talks before replying, drafting with a grade and files, the leader's send-back and sign-off,
co-handling units blocking evaluation, separate units, the final answer to a B reply, concurrent drafts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Reply
from lvzhi.cases.queries import co_handling_opinions, inbox_items, reply_letter
from lvzhi.core.attachments import attachments_of
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.members.actions import create_account
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import answer, assigned, today
from tests.cases.npc import NPC
from tests.conftest import PASSWORD


def _version(s: Suggestion) -> int:
    return Suggestion.objects.get(pk=s.pk).version


def test_talk_first_then_draft_return_redraft_sign(npc: NPC) -> None:
    s, (a,) = assigned(npc, [(0, "sole")], seconders=(1,))
    clerk, head = npc.user("clerk0"), npc.user("head0")
    with pytest.raises(DomainError) as err:
        cases.draft_reply(clerk, a.pk, grade="A", text="答复", expected_version=_version(s))
    assert err.value.field == "contacts" and "沟通" in err.value.message
    with pytest.raises(DomainError) as err:
        cases.record_contact(clerk, a.pk, contacted_on=today(), way="pigeon", with_whom="陈代表", notes="x")
    assert err.value.field == "way"
    cases.record_contact(clerk, a.pk, contacted_on=today(), way="meeting", with_whom="陈代表、林代表", notes="当面沟通")
    pdf = SimpleUploadedFile("答复.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    with pytest.raises(DomainError) as err:
        cases.draft_reply(clerk, a.pk, grade="Z", text="答复", expected_version=_version(s))
    assert err.value.field == "grade"
    with pytest.raises(DomainError) as err:
        cases.draft_reply(clerk, a.pk, grade="A", text=" ", expected_version=_version(s))
    assert err.value.field == "text"
    fake = SimpleUploadedFile("答复.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as err:
        cases.draft_reply(clerk, a.pk, grade="A", text="答复", files=[fake], expected_version=_version(s))
    assert err.value.field == "files"
    assert not Reply.objects.exists()
    reply = cases.draft_reply(clerk, a.pk, grade="A", text="已列入今年计划并完成。", files=[pdf],
                              expected_version=_version(s))
    assert reply.status == "pending_signoff" and attachments_of(reply).count() == 1
    letter = reply_letter(reply)
    assert letter["addressees"] == ["陈代表", "林代表"]  # joint: answered to each deputy
    assert [i.what for i in inbox_items(head)] == ["签发答复"]
    with pytest.raises(ForbiddenError):
        cases.sign_off_reply(clerk, reply.pk)
    reply = cases.return_reply(head, reply.pk, comment="请补充完成时间")
    assert reply.status == "returned" and [i.what for i in inbox_items(clerk)] == ["修改答复"]
    with pytest.raises(DomainError):
        cases.sign_off_reply(head, reply.pk)
    reply = cases.draft_reply(clerk, a.pk, grade="A", text="已于6月底完成。", expected_version=_version(s))
    reply = cases.sign_off_reply(head, reply.pk)
    s.refresh_from_db()
    a.refresh_from_db()
    assert reply.status == "signed" and a.status == "replied"
    assert s.state.proposer_may_rate and s.state_deadline is not None
    with pytest.raises(DomainError) as err:
        cases.sign_off_reply(head, reply.pk)
    assert "请勿重复" in err.value.message


def test_a_co_handling_unit_still_handling_blocks_evaluation(npc: NPC) -> None:
    s, (lead, co) = assigned(npc, [(0, "lead"), (1, "co")])
    with pytest.raises(DomainError) as err:
        cases.draft_reply(npc.user("clerk1"), co.pk, grade="A", text="x", expected_version=_version(s))
    assert "会办意见" in err.value.message
    assert co_handling_opinions(lead)[0]["opinion"] == ""
    answer(npc, lead)
    s.refresh_from_db()
    assert s.state.units_may_reply and not s.state.proposer_may_rate  # the co-handling unit is still at work
    cases.send_opinion(npc.user("clerk1"), co.pk, text="同意主办单位意见，配合做好线路调整。")
    assert co_handling_opinions(lead)[0]["opinion"].startswith("同意主办单位")
    s.refresh_from_db()
    assert s.state.proposer_may_rate


def test_co_opinion_first_is_seen_by_the_lead_clerk_while_drafting(npc: NPC) -> None:
    s, (lead, co) = assigned(npc, [(0, "lead"), (1, "co")])
    cases.send_opinion(npc.user("clerk1"), co.pk, text="建议增加站点。")
    s.refresh_from_db()
    assert s.state.units_may_reply
    reply = answer(npc, lead, sign=False)
    assert reply_letter(reply)["co_opinions"][0]["opinion"] == "建议增加站点。"


def test_separate_units_each_sign_before_evaluation(npc: NPC) -> None:
    s, (a, b) = assigned(npc, [(0, "separate"), (1, "separate")])
    answer(npc, a)
    s.refresh_from_db()
    assert s.state.units_may_reply
    answer(npc, b, "C")
    s.refresh_from_db()
    assert s.state.proposer_may_rate


def test_a_being_resolved_reply_gets_one_final_answer(npc: NPC) -> None:
    s, (a,) = assigned(npc, [(0, "sole")])
    with pytest.raises(DomainError) as err:
        cases.draft_reply(npc.user("clerk0"), a.pk, grade="A", text="x", kind="final", expected_version=_version(s))
    assert err.value.field == "kind"
    answer(npc, a, "B")
    s.refresh_from_db()
    state = s.state_id
    final = cases.draft_reply(npc.user("clerk0"), a.pk, grade="A", text="工程已完工。", kind="final",
                              expected_version=_version(s))
    final = cases.sign_off_reply(npc.user("head0"), final.pk)
    s.refresh_from_db()
    assert final.kind == "final" and final.status == "signed" and s.state_id == state
    with pytest.raises(DomainError):
        cases.draft_reply(npc.user("clerk0"), a.pk, grade="A", text="again", kind="final", expected_version=_version(s))


def test_a_draft_on_a_stale_page_conflicts(npc: NPC) -> None:
    clerk_b = create_account(None, username="clerk0-b", password=PASSWORD, role="unit_clerk", council=npc.council,
                             unit=npc.units[0])
    s, (a,) = assigned(npc, [(0, "sole")])
    cases.record_contact(npc.user("clerk0"), a.pk, contacted_on=today(), way="phone", with_whom="陈代表", notes="电话")
    loaded = _version(s)
    cases.draft_reply(npc.user("clerk0"), a.pk, grade="A", text="甲的稿", expected_version=loaded)
    with pytest.raises(ConflictError):
        cases.draft_reply(clerk_b, a.pk, grade="B", text="乙的稿", expected_version=loaded)
    assert Reply.objects.get().text == "甲的稿"


@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_one_wins(npc: NPC) -> None:
    clerk_b = create_account(None, username="clerk0-b", password=PASSWORD, role="unit_clerk", council=npc.council,
                             unit=npc.units[0])
    s, (a,) = assigned(npc, [(0, "sole")])
    cases.record_contact(npc.user("clerk0"), a.pk, contacted_on=today(), way="phone", with_whom="陈代表", notes="电话")
    loaded = _version(s)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(i: int, user: Any, text: str) -> None:
        barrier.wait(timeout=10)
        try:
            results[i] = cases.draft_reply(user, a.pk, grade="A", text=text, expected_version=loaded)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(0, npc.user("clerk0"), "甲")),
               threading.Thread(target=run, args=(1, clerk_b, "乙"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [r for r in results if isinstance(r, Reply)]
    losers = [r for r in results if isinstance(r, ConflictError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert Reply.objects.get().text == winners[0].text
    assert _version(s) == loaded + 1
