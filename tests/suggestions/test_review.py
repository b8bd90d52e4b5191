"""Drafting, seconding, submission and the staff's review of deputies' suggestions (WORKFLOWS.md §2,
Shanghai rules arts. 4, 5, 8, 11), through the actions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.access import access_suggestion, visible_suggestions
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from tests.cases.npc import NPC


def _during_session(npc: NPC) -> datetime:
    return timezone.make_aware(datetime.combine(npc.session.plenary_end, time(18, 0)))


def draft(npc: NPC, deputy: str = "deputy0", **kw: Any) -> Suggestion:
    values = {"title": "关于加快老旧小区加装电梯的建议", "content": "建议简化审批流程，统筹财政补贴。"}
    values.update(kw)
    return act.create_suggestion(npc.user(deputy), session=npc.session, **values)


def test_joint_suggestion_raised_during_the_session(npc: NPC) -> None:
    s = draft(npc, delegation=npc.delegations[0], seconders=[npc.deputies[1], npc.deputies[2]])
    assert s.state.is_initial and s.leading_deputy == npc.deputies[0]
    act.respond_to_invitation(npc.user("deputy1"), s.pk, accept=True)
    s = act.submit(npc.user("deputy0"), s.pk, at=_during_session(npc))
    assert s.period == "session" and s.state.counts_as_received
    rows = {r.member.name: r.status for r in SuggestionDeputy.objects.filter(suggestion=s)}
    # the one who did not answer lapses at submission
    assert rows == {"陈代表": "confirmed", "林代表": "confirmed", "黄代表": "expired"}
    assert s.roles_of(npc.user("deputy1")) == {"seconder"}
    assert s.roles_of(npc.user("deputy2")) == set()
    events = list(AuditEntry.objects.filter(target_id=s.pk, target_type__model="suggestion")
                  .values_list("event", flat=True))
    assert events == ["created", "seconders_invited", "second_confirmed", "transition", "seconders_lapsed"]


def test_period_follows_the_closing_day(npc: NPC) -> None:
    # the closing day itself is still 大会期间; the next day is 闭会期间
    s = draft(npc, delegation=npc.delegations[1])
    assert act.submit(npc.user("deputy0"), s.pk, at=_during_session(npc)).period == "session"
    s2 = draft(npc)
    after = _during_session(npc) + timedelta(days=1)
    assert act.submit(npc.user("deputy0"), s2.pk, at=after).period == "interim"
    s3 = draft(npc)
    assert act.submit(npc.user("deputy0"), s3.pk).period == "interim"  # today: 45 days after closing


def test_bad_input_names_the_field_and_writes_nothing(npc: NPC) -> None:
    before = Suggestion.objects.count()
    with pytest.raises(DomainError) as err:
        draft(npc, title="长" * 201)
    assert err.value.field == "title" and "200" in err.value.message
    with pytest.raises(DomainError) as err:
        draft(npc, title="  ")
    assert err.value.field == "title" and "标题" in err.value.message
    with pytest.raises(DomainError) as err:
        draft(npc, delegation=npc.committee)
    assert err.value.field == "delegation"
    assert Suggestion.objects.count() == before
    s = draft(npc, content="")
    version = s.version
    with pytest.raises(DomainError) as err:
        act.submit(npc.user("deputy0"), s.pk)
    assert err.value.field == "content"
    s2 = draft(npc)
    with pytest.raises(DomainError) as err:
        act.submit(npc.user("deputy0"), s2.pk, at=_during_session(npc))
    assert err.value.field == "delegation" and "代表团" in err.value.message
    s.refresh_from_db()
    s2.refresh_from_db()
    assert s.state.is_initial and s2.state.is_initial and s.version == version and not s2.submitted_at


def test_return_with_a_ground_then_resubmit_and_accept_with_numbers(npc: NPC) -> None:
    s = act.submit(npc.user("deputy0"), draft(npc).pk)
    staff = npc.user("staff")
    with pytest.raises(DomainError) as err:
        act.return_suggestion(staff, s.pk, ground="not-a-ground", comment="请按议案提出")
    assert err.value.field == "ground" and "属于议案" in err.value.message
    with pytest.raises(DomainError) as err:
        act.return_suggestion(staff, s.pk, ground="motion", comment=" ")
    assert err.value.field == "comment"
    s = act.return_suggestion(staff, s.pk, ground="motion", comment="内容属于议案，请按议案程序提出。")
    assert s.return_ground == "motion" and s.state.submitter_may_edit and not s.number
    s = act.update_draft(npc.user("deputy0"), s.pk, expected_version=s.version, content="改为具体工作建议。")
    s = act.submit(npc.user("deputy0"), s.pk, expected_version=s.version)
    s = act.accept(staff, s.pk, expected_version=s.version, category="城乡建设")
    assert s.number == "16-3-001" and s.state.takes_number and s.state.assignable and s.category == "城乡建设"
    other = act.accept(staff, act.submit(npc.user("deputy1"), draft(npc, "deputy1").pk).pk)
    assert other.number == "16-3-002"


def test_wrong_role_is_told_so_and_invisible_cases_are_not_found(npc: NPC) -> None:
    s = act.submit(npc.user("deputy0"), draft(npc).pk)
    with pytest.raises(ForbiddenError) as err:  # a deputy forging the staff's act on their own suggestion
        act.accept(npc.user("deputy0"), s.pk, expected_version=s.version)
    assert "无权" in err.value.message and not isinstance(err.value, ConflictError)
    with pytest.raises(ForbiddenError):
        act.return_suggestion(npc.user("leader"), s.pk, ground="vague", comment="空泛")
    with pytest.raises(NotFoundError):  # a unit sees only what is assigned to it
        act.accept(npc.user("clerk0"), s.pk)
    with pytest.raises(NotFoundError):  # another deputy does not see a suggestion before it is accepted
        access_suggestion(npc.user("deputy3"), s.pk)
    s.refresh_from_db()
    assert s.state.counts_as_received and not s.number
    act.accept(npc.user("staff"), s.pk)
    assert access_suggestion(npc.user("deputy3"), s.pk).pk == s.pk  # public once accepted


def test_illegal_acts_are_refused_by_the_workflow(npc: NPC) -> None:
    s = draft(npc)
    with pytest.raises(NotFoundError):  # the staff do not see a deputy's draft at all
        act.accept(npc.user("staff"), s.pk)
    s = act.submit(npc.user("deputy0"), s.pk)
    s = act.return_suggestion(npc.user("staff"), s.pk, ground="vague", comment="请补充具体建议")
    with pytest.raises(DomainError) as err:
        act.accept(npc.user("staff"), s.pk)
    assert err.value.field == "state" and "已退回" in err.value.message
    s = act.submit(npc.user("deputy0"), s.pk)
    with pytest.raises(DomainError) as err:  # a double submit
        act.submit(npc.user("deputy0"), s.pk)
    assert err.value.field == "state"
    with pytest.raises(ConflictError):
        act.accept(npc.user("staff"), s.pk, expected_version=s.version - 1)


def test_staff_enter_a_paper_suggestion_for_a_deputy_and_drafts_stay_private(npc: NPC) -> None:
    with pytest.raises(DomainError) as err:
        act.create_suggestion(npc.user("staff"), session=npc.session, title="纸质建议", content="内容")
    assert err.value.field == "leading_deputy"
    s = act.create_suggestion(npc.user("staff"), session=npc.session, title="纸质建议", content="内容",
                              leading_deputy=npc.deputies[4])
    assert s.roles_of(npc.user("deputy4")) == {"deputy"} and "staff" in s.roles_of(npc.user("staff"))
    mine = draft(npc, "deputy1")
    assert mine not in visible_suggestions(npc.user("staff"))
    assert mine in visible_suggestions(npc.user("deputy1"))
    with pytest.raises(ForbiddenError):
        act.create_suggestion(npc.user("clerk0"), session=npc.session, title="单位不能提建议", content="x")
    with pytest.raises(ForbiddenError):
        act.create_suggestion(npc.user("deputy0"), session=npc.session, title="冒名", content="x",
                              leading_deputy=npc.deputies[1])


def test_a_late_answer_to_an_invitation_is_refused_and_writes_nothing(npc: NPC) -> None:
    s = draft(npc, seconders=[npc.deputies[1]])
    row = SuggestionDeputy.objects.get(suggestion=s, member=npc.deputies[1])
    SuggestionDeputy.objects.filter(pk=row.pk).update(expires_at=timezone.localdate() - timedelta(days=1))
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as err:
        act.respond_to_invitation(npc.user("deputy1"), s.pk, accept=True)
    assert "过期" in err.value.message
    row.refresh_from_db()
    assert row.status == "pending" and AuditEntry.objects.count() == entries
    with pytest.raises(NotFoundError):  # not invited
        act.respond_to_invitation(npc.user("deputy2"), s.pk, accept=True)
    # re-inviting renews it, with an audit entry and a version bump
    version = Suggestion.objects.get(pk=s.pk).version
    act.invite_seconders(npc.user("deputy0"), s.pk, [npc.deputies[1]])
    assert Suggestion.objects.get(pk=s.pk).version == version + 1
    assert act.respond_to_invitation(npc.user("deputy1"), s.pk, accept=True).status == "confirmed"
