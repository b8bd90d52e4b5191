"""The opinion form (意见征询表) of each deputy, re-handling on 不满意, the window, and closing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Evaluation
from lvzhi.cases.policy import policy_for
from lvzhi.cases.queries import inbox_items
from lvzhi.core.calendar import add_months
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.suggestions.models import Suggestion
from tests.cases.helpers import answer, assigned, today
from tests.cases.npc import NPC

GOOD = {"contact": "satisfied", "attitude": "satisfied", "result": "basically"}
BAD_RESULT = {"contact": "satisfied", "attitude": "basically", "result": "unsatisfied"}
BAD_CONTACT_ONLY = {"contact": "unsatisfied", "attitude": "satisfied", "result": "satisfied"}


def _replied(npc: NPC, plan: list[tuple[int, str]], seconders: tuple[int, ...] = (1,)) -> tuple[Suggestion, list[Any]]:
    s, made = assigned(npc, plan, seconders=seconders)
    replies = [answer(npc, a) for a in made if a.role != "co"]
    s.refresh_from_db()
    return s, replies


def test_every_joint_deputy_answers_before_the_case_moves(npc: NPC) -> None:
    s, (reply,) = _replied(npc, [(0, "sole")])
    assert s.state_deadline == add_months(today(), 1)  # the policy's evaluation window
    assert [i.what for i in inbox_items(npc.user("deputy1"))] == ["反馈意见"]
    cases.evaluate(npc.user("deputy0"), reply.pk, scores=GOOD)
    s.refresh_from_db()
    assert s.state.proposer_may_rate  # the seconding deputy has not answered yet
    cases.evaluate(npc.user("deputy1"), reply.pk, scores=BAD_CONTACT_ONLY, comment="沟通不够")
    s.refresh_from_db()
    # 不满意 with the contact only does not reopen (the scheme reopens on attitude or result)
    assert not s.state.proposer_may_rate and not s.state.units_may_reply
    assert Evaluation.objects.filter(reply=reply, rehandle=False).count() == 2


def test_unsatisfied_result_reopens_the_unit_with_the_rehandling_limit(npc: NPC) -> None:
    s, (reply,) = _replied(npc, [(0, "sole")], seconders=())
    cases.evaluate(npc.user("deputy0"), reply.pk, scores=BAD_RESULT, comment="问题没有解决")
    s.refresh_from_db()
    a = reply.assignment
    a.refresh_from_db()
    assert s.state.units_may_reply and a.round == 2 and a.status == "handling"
    assert a.deadline == add_months(today(), 1) and s.state_deadline == a.deadline
    with pytest.raises(DomainError):  # the first round's reply is no longer current
        cases.evaluate(npc.user("deputy0"), reply.pk, scores=GOOD)
    second = answer(npc, a, "A")
    assert second.round == 2
    s.refresh_from_db()
    assert s.state.proposer_may_rate
    cases.evaluate(npc.user("deputy0"), second.pk, scores=GOOD)
    s.refresh_from_db()
    assert not s.state.proposer_may_rate
    cases.close(npc.user("staff"), Suggestion, s.pk)
    s.refresh_from_db()
    assert s.state.is_terminal


def test_bad_forms_wrong_people_and_the_window(npc: NPC) -> None:
    s, (reply,) = _replied(npc, [(0, "sole")])
    with pytest.raises(DomainError) as err:
        cases.evaluate(npc.user("deputy0"), reply.pk, scores={"contact": "satisfied", "attitude": "satisfied"})
    assert err.value.field == "scores.result" and "办理结果" in err.value.message
    with pytest.raises(DomainError) as err:
        cases.evaluate(npc.user("deputy0"), reply.pk, scores={**GOOD, "speed": "satisfied"})
    assert err.value.field == "scores.speed"
    with pytest.raises(DomainError) as err:
        cases.evaluate(npc.user("deputy0"), reply.pk, scores={**GOOD, "result": "great"})
    assert err.value.field == "scores.result"
    with pytest.raises(ForbiddenError):  # a deputy who can see the case but is not its evaluator
        cases.evaluate(npc.user("deputy3"), reply.pk, scores=GOOD)
    with pytest.raises(DomainError) as err:  # closing inside the window
        cases.close(npc.user("staff"), Suggestion, s.pk)
    assert err.value.field == "state"
    cases.evaluate(npc.user("deputy0"), reply.pk, scores=GOOD)
    with pytest.raises(DomainError) as err:
        cases.evaluate(npc.user("deputy0"), reply.pk, scores=GOOD)
    assert "重复" in err.value.message
    Suggestion.objects.filter(pk=s.pk).update(state_deadline=today() - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        cases.evaluate(npc.user("deputy1"), reply.pk, scores=GOOD)
    assert "期限已过" in err.value.message
    assert [i.what for i in inbox_items(npc.user("staff"))] == ["待办结"]
    cases.close(npc.user("staff"), Suggestion, s.pk)  # the window has passed


def test_staff_enter_a_paper_form_and_leading_mode_asks_the_leading_deputy_only(npc: NPC) -> None:
    pol = policy_for(npc.council.pk, "suggestion")
    pol.joint_reply_mode = "leading"
    pol.save()
    s, (reply,) = _replied(npc, [(0, "sole")])
    with pytest.raises(ForbiddenError):
        cases.evaluate(npc.user("deputy1"), reply.pk, scores=GOOD)
    with pytest.raises(ForbiddenError):
        cases.evaluate(npc.user("clerk0"), reply.pk, scores=GOOD, on_behalf_of=npc.user("deputy0"))
    ev = cases.evaluate(npc.user("staff"), reply.pk, scores=GOOD, on_behalf_of=npc.user("deputy0"))
    assert ev.evaluator == npc.user("deputy0") and ev.entered_by == npc.user("staff")
    s.refresh_from_db()
    assert not s.state.proposer_may_rate
