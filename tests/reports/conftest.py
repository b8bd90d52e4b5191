"""A varied proposal dataset for the statistics tests, built only through the real action functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.members import actions as org
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import Organisation, Session
from lvzhi.opinions import actions as op
from lvzhi.proposals import actions as act
from lvzhi.proposals.models import Assignment, Proposal, Reply
from tests.conftest import PASSWORD, World, build_world

RATE_OK = {"attitude": "satisfied", "relevance": "satisfied", "result": "satisfied"}


@dataclass
class Dataset:
    world: World
    old_session: Session
    p: dict[str, Proposal] = field(default_factory=dict)
    other_world: World | None = None

    def user(self, name: str) -> Any:
        return self.world.user(name)


def _draft(ds: Dataset, member: str, title: str, **kw: Any) -> Proposal:
    return act.create_proposal(ds.user(member), session=kw.pop("session", ds.world.session), title=title,
                               situation="现状情况", analysis="原因分析", suggestions="一、建议一；二、建议二", **kw)


def _submitted(ds: Dataset, member: str, title: str, *, at: Any = None, **kw: Any) -> Proposal:
    p = _draft(ds, member, title, **kw)
    return act.submit_proposal(ds.user(member), p.pk, at=at)


def _filed(ds: Dataset, member: str, title: str, *, category: int = 0, at: Any = None, **kw: Any) -> Proposal:
    p = _submitted(ds, member, title, at=at, **kw)
    return act.file_proposal(ds.user("staff"), p.pk, category=ds.world.categories[category])


def _assignment(p: Proposal, unit: Any) -> Assignment:
    return Assignment.objects.get(proposal=p, unit=unit, status__in=["handling", "replied", "opinion_sent"])


def _reply(ds: Dataset, p: Proposal, unit_index: int, grade: str, text: str = "答复正文") -> Reply:
    a = _assignment(p, ds.world.units[unit_index])
    r = act.draft_reply(ds.user(f"clerk{unit_index}"), a.pk, grade_code=grade, text=text,
                        contact_person="陈经办", contact_phone="0750-3123456")
    return act.sign_off_reply(ds.user(f"head{unit_index}"), r.pk)


def _rate(ds: Dataset, rater: str, reply: Reply, overall: str) -> None:
    act.evaluate_reply(ds.user(rater), reply.pk, overall=overall, **RATE_OK)


def build_dataset() -> Dataset:
    world = build_world()
    term = world.session.term
    today = timezone.localdate()
    now = timezone.now()
    old_session = org.create_session(None, term, number=2, window_start=today - timedelta(days=400),
                                     plenary_start=today - timedelta(days=393),
                                     plenary_end=today - timedelta(days=388))
    ds = Dataset(world, old_session)
    # two more members of the term: one active who never submits, one no longer in office
    no_account = org.save_member(None, world.council, term, name="赵六")
    org.save_member(None, world.council, term, name="孙八")
    org.save_member(None, world.council, term, name="钱七", active=False)
    units = world.units
    staff = ds.user("staff")

    ds.p["draft"] = _draft(ds, "member0", "关于草稿的建议")
    w = _submitted(ds, "member1", "关于撤回的建议")
    ds.p["withdrawn"] = act.withdraw_proposal(ds.user("member1"), w.pk)
    ds.p["review"] = _submitted(ds, "member2", "关于待审查的建议", at=now - timedelta(days=8))
    r = _submitted(ds, "member1", "关于退回修改的建议")
    ds.p["returned"] = act.return_for_revision(staff, r.pk, comment="请补充具体建议")
    nf1 = _submitted(ds, "member2", "关于推介产品的建议")
    ds.p["not_filed_promo"] = act.not_file_proposal(staff, nf1.pk, ground="promotion", comment="属于产品推介")
    nf2 = _submitted(ds, "member0", "关于空泛问题的建议")
    ds.p["not_filed_vague"] = act.not_file_proposal(staff, nf2.pk, ground="vague", comment="无具体建议")

    # merged: member1's proposal merged into member0's main one, which is then filed but not assigned
    main = _submitted(ds, "member0", "关于城市更新的建议")
    other = _submitted(ds, "member1", "关于老旧小区改造的建议")
    act.merge_proposals(staff, main.pk, [other.pk])
    ds.p["merged"] = Proposal.objects.get(pk=other.pk)
    ds.p["main"] = act.file_proposal(staff, main.pk, category=world.categories[0])

    # joint proposal: lead + co; B → 不满意 → re-handling → A → 满意; key, excellent
    joint = _draft(ds, "member0", "关于加快轨道交通建设的建议", cosigners=[world.members[1], world.members[2]])
    act.respond_to_invitation(ds.user("member1"), joint.pk, accept=True)
    act.respond_to_invitation(ds.user("member2"), joint.pk, accept=False)
    act.submit_proposal(ds.user("member0"), joint.pk, at=now - timedelta(days=5))
    act.file_proposal(staff, joint.pk, category=world.categories[0])
    act.assign_proposal(staff, joint.pk, [(units[0], "lead"), (units[1], "co")])
    act.send_opinion(ds.user("clerk1"), _assignment(joint, units[1]).pk, text="同意主办单位意见")
    first = _reply(ds, joint, 0, "B", "正在推进轨道交通规划。")
    _rate(ds, "member0", first, "unsatisfied")
    second = _reply(ds, joint, 0, "A", "轨道交通一期已开工建设。")
    _rate(ds, "member0", second, "satisfied")
    act.set_key_proposal(staff, joint.pk, is_key=True, supervising_leader="市长")
    act.mark_excellent(staff, joint.pk, year=today.year)
    ds.p["joint"] = Proposal.objects.get(pk=joint.pk)

    # separate handling by two units: C (基本满意) and D (满意)
    sep = _filed(ds, "member2", "关于义务教育学位供给的建议", category=1)
    act.assign_proposal(staff, sep.pk, [(units[0], "separate"), (units[2], "separate")])
    reply_c, reply_d = _reply(ds, sep, 0, "C"), _reply(ds, sep, 2, "D")
    _rate(ds, "member2", reply_c, "basically")
    _rate(ds, "member2", reply_d, "satisfied")
    ds.p["separate"] = sep

    # sole unit, A, satisfied; a key proposal without a named leader is impossible, so this one is plain
    sole = _filed(ds, "member1", "关于优化营商环境的建议", category=0)
    act.assign_proposal(staff, sole.pk, [(units[1], "sole")])
    _rate(ds, "member1", _reply(ds, sole, 1, "A"), "satisfied")
    ds.p["sole"] = sole

    # a party group's proposal entered by its member: B, rated 不满意 by the entrant (still in re-handling)
    party = Organisation.objects.get(council=world.council, kind=OrganisationKind.PARTY_GROUP)
    pg = _filed(ds, "member0", "关于发展普惠托育的建议", category=1, proposer_kind="party_group",
                organisation=party)
    act.assign_proposal(staff, pg.pk, [(units[2], "sole")])
    _rate(ds, "member0", _reply(ds, pg, 2, "B"), "unsatisfied")
    ds.p["party"] = pg

    # a paper proposal of a member without an account, entered and rated by staff: A, 满意
    paper = act.create_proposal(staff, session=world.session, title="关于建设口袋公园的建议",
                                first_proposer=no_account, suggestions="建议在老城区建设口袋公园")
    act.submit_proposal(staff, paper.pk)
    act.file_proposal(staff, paper.pk, category=world.categories[1])
    act.assign_proposal(staff, paper.pk, [(units[0], "sole")])
    _rate(ds, "staff", _reply(ds, paper, 0, "A"), "satisfied")
    ds.p["paper"] = paper

    # a sector's proposal entered by staff during the plenary: sent back by one unit, reassigned, unanswered
    sector = Organisation.objects.get(council=world.council, kind=OrganisationKind.SECTOR)
    sp = act.create_proposal(staff, session=world.session, title="关于支持民营经济发展的建议",
                             proposer_kind="sector", organisation=sector, suggestions="建议设立专项基金")
    act.submit_proposal(staff, sp.pk)
    act.file_proposal(staff, sp.pk)
    act.assign_proposal(staff, sp.pk, [(units[1], "sole")])
    act.send_back(ds.user("clerk1"), _assignment(sp, units[1]).pk, reason="不属于本单位职责")
    act.assign_proposal(staff, sp.pk, [(units[2], "sole")])
    # a draft reply that is not signed off yet does not count as replied
    act.draft_reply(ds.user("clerk2"), _assignment(sp, units[2]).pk, grade_code="A", text="拟答复")
    ds.p["sector"] = sp

    # the previous session: one plenary proposal replied (A, 基本满意) and one ordinary, not filed
    old_plenary = _filed(ds, "member1", "关于保护古村落的建议", session=old_session,
                         at=now - timedelta(days=390), category=1)
    act.assign_proposal(staff, old_plenary.pk, [(units[0], "sole")])
    _rate(ds, "member1", _reply(ds, old_plenary, 0, "A"), "basically")
    ds.p["old_plenary"] = old_plenary
    old_ordinary = _submitted(ds, "member2", "关于整治噪音的建议", session=old_session, at=now - timedelta(days=300))
    ds.p["old_ordinary"] = act.not_file_proposal(staff, old_ordinary.pk, ground="outside_remit", comment="不属于")

    # another council's proposal must never be counted
    ds.other_world = build_world("另一市政协")
    ow = ds.other_world
    other_p = act.create_proposal(ow.user("member0"), session=ow.session, title="关于别处的建议", suggestions="建议")
    act.submit_proposal(ow.user("member0"), other_p.pk)
    act.file_proposal(ow.user("staff"), other_p.pk)
    # an administrator of the council (for the access tests)
    world.users["admin"] = org.create_account(None, username="council-admin", password=PASSWORD, role=Role.ADMIN,
                                              council=world.council)
    for key, p in ds.p.items():
        ds.p[key] = Proposal.objects.select_related("state").get(pk=p.pk)
    return ds


@pytest.fixture
def dataset(db: Any) -> Dataset:
    return build_dataset()


# ---------------------------------------------------------------------------------------------- reports and messages


def _published_report(ds: Dataset, who: str, title: str, issue: Any, **kw: Any) -> Any:
    staff = ds.user("staff")
    r = op.create_report(ds.user(who), council=ds.world.council, title=title, situation="情况", suggestion="建议",
                         **kw)
    op.submit_report(ds.user(who), r.pk)
    op.screen_report(staff, r.pk, decision="adopt")
    op.sign_off_report(staff, r.pk)
    return op.publish_report(staff, r.pk, issue=issue)


def _answered(ds: Dataset, message: Any, unit_index: int, category: str, rating: str | None) -> None:
    staff = ds.user("staff")
    op.route_message(staff, message.pk, unit=ds.world.units[unit_index], category=category)
    op.draft_message_reply(ds.user(f"clerk{unit_index}"), message.pk, text="已办理，特此答复。")
    op.sign_off_message_reply(ds.user(f"head{unit_index}"), message.pk)
    if rating:
        op.rate_message(message.tracking_code, rating=rating)


def build_opinions(ds: Dataset) -> None:
    """社情民意 reports and citizens' messages of the dataset's council, through the opinions actions:

    Reports submitted today: 张三 ×3 (adopted with a city and a province instruction; adopted; kept), 李四 ×2
    (adopted with a district instruction; not screened yet), 民盟市委会 ×1 (adopted, national instruction),
    an informant ×1 (kept), plus a draft (not counted), one submitted 400 days ago and one of another council.

    Messages: portal (now; 满意), letter (3 days ago; 基本满意), visit (10 days ago; 不满意), enterprise (5 days
    ago; answered, not rated), portal (now; not routed), letter (2 days ago; reply drafted, not signed off),
    plus a letter of 400 days ago and a message of another council.
    """
    world, staff, today, now = ds.world, ds.user("staff"), timezone.localdate(), timezone.now()
    issue = op.create_issue(staff, world.council, year=today.year, number=7, date=today, kind="combined")
    r = _published_report(ds, "member0", "关于加强校园周边交通管理的建议", issue)
    op.record_instruction(staff, r.pk, leader_name="王市长", level="city", date=today, text="请市交通运输局研究。")
    op.record_instruction(staff, r.pk, leader_name="李省长", level="province", date=today, text="阅。")
    _published_report(ds, "member0", "关于规范共享单车停放的建议", issue)
    kept = op.create_report(ds.user("member0"), council=world.council, title="关于路灯维修的建议", suggestion="建议")
    op.submit_report(ds.user("member0"), kept.pk)
    op.screen_report(staff, kept.pk, decision="keep")
    r = _published_report(ds, "member1", "关于农村饮水安全的建议", issue)
    op.record_instruction(staff, r.pk, leader_name="区委书记", level="district", date=today, text="请落实。")
    waiting = op.create_report(ds.user("member1"), council=world.council, title="关于夜市管理的建议", suggestion="建议")
    op.submit_report(ds.user("member1"), waiting.pk)
    party = Organisation.objects.get(council=world.council, kind=OrganisationKind.PARTY_GROUP)
    r = _published_report(ds, "member0", "关于发展银发经济的建议", issue, submitter_kind="party_group",
                          organisation=party)
    op.record_instruction(staff, r.pk, leader_name="某领导", level="national", date=today, text="阅。")
    informant = op.save_informant(staff, world.council, name="赵信息员", organisation="区政协机关")
    by_informant = op.create_report(staff, council=world.council, title="关于社区食堂的建议", suggestion="建议",
                                    submitter_kind="informant", informant=informant)
    op.submit_report(staff, by_informant.pk)
    op.screen_report(staff, by_informant.pk, decision="keep")
    op.create_report(ds.user("member2"), council=world.council, title="草稿不计", suggestion="建议")
    old = op.create_report(ds.user("member2"), council=world.council, title="去年的信息", suggestion="建议")
    op.submit_report(ds.user("member2"), old.pk, at=now - timedelta(days=400))
    ow = ds.other_world
    assert ow is not None
    elsewhere = op.create_report(ow.user("member0"), council=ow.council, title="别处的信息", suggestion="建议")
    op.submit_report(ow.user("member0"), elsewhere.pk)

    m = op.submit_portal_message(world.council, title="小区路灯不亮", body="幸福小区路灯坏了。")
    _answered(ds, m, 0, "城乡建设", "satisfied")
    m = op.register_message(staff, world.council, channel="letter", title="公交线路调整", body="希望增开公交。",
                            submitted_at=now - timedelta(days=3))
    _answered(ds, m, 1, "交通运输", "basically")
    m = op.register_message(staff, world.council, channel="visit", title="违建未拆", body="邻居违建。",
                            submitted_at=now - timedelta(days=10))
    _answered(ds, m, 1, "城乡建设", "unsatisfied")
    m = op.register_message(staff, world.council, channel="enterprise", title="用地审批慢", body="审批慢。",
                            enterprise_name="某制造公司", member=world.members[0], visit_leader="副市长",
                            submitted_at=now - timedelta(days=5))
    _answered(ds, m, 2, "城乡建设", None)
    op.submit_portal_message(world.council, title="噪音扰民", body="夜间施工。")
    m = op.register_message(staff, world.council, channel="letter", title="学位紧张", body="学位不够。",
                            submitted_at=now - timedelta(days=2))
    op.route_message(staff, m.pk, unit=world.units[2], category="教育")
    op.draft_message_reply(ds.user("clerk2"), m.pk, text="拟答复。")
    op.register_message(staff, world.council, channel="letter", title="去年的来信", body="内容。",
                        submitted_at=now - timedelta(days=400))
    op.submit_portal_message(ow.council, title="别处的留言", body="内容。")


@pytest.fixture
def full_dataset(db: Any) -> Dataset:
    """The proposal dataset plus the reports and messages of :func:`build_opinions`."""
    ds = build_dataset()
    build_opinions(ds)
    return ds
