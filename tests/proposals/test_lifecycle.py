"""The proposal lifecycle through the action functions, on the real database."""

from __future__ import annotations

import pytest

from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.proposals import actions as act
from lvzhi.proposals.access import access_proposal, visible_proposals
from lvzhi.proposals.models import Assignment, Proposal, Reply
from tests.states import plain, state_code

pytestmark = pytest.mark.django_db


def _draft(world, member="member0", **kw):
    return act.create_proposal(world.user(member), session=world.session, title=kw.pop("title", "关于加快城市更新的建议"),
                               situation="情况", analysis="分析", suggestions="建议一；建议二", **kw)


def test_full_lifecycle_with_cosigner_lead_and_co_units(world):
    p = _draft(world, cosigners=[world.members[1]])
    assert p.state.code == state_code("draft") and p.proposer_kind == "joint"
    act.respond_to_invitation(world.user("member1"), p.pk, accept=True)
    p = act.submit_proposal(world.user("member0"), p.pk)
    assert p.state.code == state_code("submitted") and p.is_plenary
    p = act.file_proposal(world.user("staff"), p.pk, category=world.categories[0])
    assert p.number == "14-3-001"
    lead, co = world.units[0], world.units[1]
    act.assign_proposal(world.user("staff"), p.pk, [(lead, "lead"), (co, "co")])
    p.refresh_from_db()
    assert p.state.code == state_code("assigned")
    a_lead = Assignment.objects.get(proposal=p, unit=lead)
    a_co = Assignment.objects.get(proposal=p, unit=co)
    act.send_opinion(world.user("clerk1"), a_co.pk, text="会办意见")
    with pytest.raises(DomainError):
        act.draft_reply(world.user("clerk1"), a_co.pk, grade_code="A", text="x")
    reply = act.draft_reply(world.user("clerk0"), a_lead.pk, grade_code="B", text="答复正文")
    with pytest.raises(ForbiddenError):
        act.sign_off_reply(world.user("clerk0"), reply.pk)
    act.sign_off_reply(world.user("head0"), reply.pk)
    p.refresh_from_db()
    assert p.state.code == state_code("replied")
    act.evaluate_reply(world.user("member0"), reply.pk, attitude="satisfied", relevance="satisfied",
                       result="unsatisfied", overall="unsatisfied")
    p.refresh_from_db()
    assert p.state.code == state_code("rehandling")
    a_lead.refresh_from_db()
    assert a_lead.round == 2 and a_lead.status == "handling"
    reply2 = act.draft_reply(world.user("clerk0"), a_lead.pk, grade_code="A", text="再次答复")
    act.sign_off_reply(world.user("head0"), reply2.pk)
    act.evaluate_reply(world.user("member0"), reply2.pk, attitude="satisfied", relevance="satisfied",
                       result="satisfied", overall="satisfied")
    p.refresh_from_db()
    assert p.state.code == state_code("evaluated")
    act.add_follow_up(world.user("staff"), p.pk, note="已落实", delivered=True)
    act.close_proposal(world.user("staff"), p.pk)
    act.archive_proposal(world.user("staff"), p.pk)
    p.refresh_from_db()
    assert p.state.code == state_code("archived")
    events = [plain(c) for c in AuditEntry.objects.filter(target_id=p.pk, event="transition")
              .values_list("to_state", flat=True)]
    assert events == ["submitted", "filed", "assigned", "replied", "rehandling", "replied", "evaluated",
                      "closed", "archived"]


def test_illegal_transition_and_wrong_role_leave_data_unchanged(world):
    p = _draft(world)
    with pytest.raises(DomainError, match="不能转为"):
        act.file_proposal(world.user("staff"), p.pk)  # draft → filed: not in the workflow graph
    act.submit_proposal(world.user("member0"), p.pk)
    with pytest.raises(ForbiddenError):
        act.file_proposal(world.user("member0"), p.pk)
    with pytest.raises(DomainError) as err:
        act.submit_proposal(world.user("member0"), p.pk)
    assert "重复提交" in err.value.message
    p.refresh_from_db()
    assert p.state.code == state_code("submitted") and p.number == ""


def test_stale_version_is_a_conflict(world):
    p = _draft(world)
    version = p.version
    act.update_draft(world.user("member0"), p.pk, expected_version=version, title="关于甲的建议")
    with pytest.raises(ConflictError):
        act.update_draft(world.user("member0"), p.pk, expected_version=version, title="关于乙的建议")
    p.refresh_from_db()
    assert p.title == "关于甲的建议"


def test_visibility_member_unit_staff(world):
    p = _draft(world)
    assert access_proposal(world.user("member0"), p.pk)
    with pytest.raises(NotFoundError):
        access_proposal(world.user("member1"), p.pk)
    with pytest.raises(NotFoundError):
        access_proposal(world.user("staff"), p.pk)  # a draft is private
    with pytest.raises(NotFoundError):
        access_proposal(world.user("clerk0"), 999999)
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk)
    assert access_proposal(world.user("member1"), p.pk)  # published once filed
    with pytest.raises(NotFoundError):
        access_proposal(world.user("clerk0"), p.pk)
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    assert visible_proposals(world.user("clerk0")).filter(pk=p.pk).exists()
    assert not visible_proposals(world.user("clerk1")).filter(pk=p.pk).exists()


def test_send_back_and_reassign(world):
    p = _draft(world)
    act.submit_proposal(world.user("member0"), p.pk)
    act.file_proposal(world.user("staff"), p.pk)
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[0], "sole")])
    a = Assignment.objects.get(proposal=p)
    with pytest.raises(DomainError):
        act.send_back(world.user("clerk0"), a.pk, reason="  ")
    act.send_back(world.user("clerk0"), a.pk, reason="不属于本单位职责")
    act.assign_proposal(world.user("staff"), p.pk, [(world.units[2], "sole")])
    assert set(Assignment.objects.filter(proposal=p).values_list("status", flat=True)) == {"sent_back", "handling"}


def test_not_filed_and_merge(world):
    a = _draft(world)
    b = _draft(world, member="member1", title="关于城市更新的另一建议")
    c = _draft(world, member="member2", title="关于广告的建议")
    for prop, m in ((a, "member0"), (b, "member1"), (c, "member2")):
        act.submit_proposal(world.user(m), prop.pk)
    with pytest.raises(DomainError):
        act.not_file_proposal(world.user("staff"), c.pk, ground="nonsense", comment="x")
    act.not_file_proposal(world.user("staff"), c.pk, ground="promotion", comment="属于产品推介")
    act.merge_proposals(world.user("staff"), a.pk, [b.pk])
    b.refresh_from_db()
    assert b.state.code == state_code("merged") and b.merged_into_id == a.pk
    act.file_proposal(world.user("staff"), a.pk)
    act.assign_proposal(world.user("staff"), a.pk, [(world.units[0], "sole")])
    r = act.draft_reply(world.user("clerk0"), Assignment.objects.get(proposal=a).pk, grade_code="A", text="答复")
    act.sign_off_reply(world.user("head0"), r.pk)
    # the merged proposal's proposer rates the main case's reply too
    act.evaluate_reply(world.user("member1"), r.pk, attitude="satisfied", relevance="satisfied",
                       result="satisfied", overall="basically")
    a.refresh_from_db()
    assert a.state.code == state_code("replied")  # only the first proposer's rating moves the case
    with pytest.raises(DomainError):
        act.evaluate_reply(world.user("member1"), r.pk, attitude="satisfied", relevance="satisfied",
                           result="satisfied", overall="satisfied")
    assert Reply.objects.count() == 1 and Proposal.objects.get(pk=c.pk).state.code == state_code("not_filed")
