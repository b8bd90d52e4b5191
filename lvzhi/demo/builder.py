"""Building the demo council (``lvzhi demo``) through the real action functions.

:func:`build_demo` creates the council of :mod:`lvzhi.demo.data` with its term, sessions, sectors, party groups,
special committees, liaison groups, handling units, fictional members, one account per role, the proposals
the seeds name and generated ones in every state of the proposal workflow. Every write goes through
``lvzhi.members.actions`` and ``lvzhi.proposals.actions``, so the audit log, timelines, deadlines and
notifications are the real ones. Every proposal has ``is_demo=True`` (the pages show it as 演示数据).
The public-opinion channels (社情民意 reports, citizens' messages and an archive of answered messages) are
added by :class:`lvzhi.demo.channels.ChannelBuilder` through ``lvzhi.opinions.actions``; reports and
messages have no demo flag: they are demo data because they belong to the demo council, and
:func:`delete_demo` removes them with it. After the build the recommendation models of the demo council are
trained from its own history (:func:`train_demo_models`), so the suggestion panels work at once.

Acts are done today (filing, assignment, replies): only the submission date can be given to the actions
(``at=``), so the submissions carry their session's dates and the later acts today's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.core.models import AuditEntry
from lvzhi.demo import data, npc
from lvzhi.demo.channels import ChannelBuilder
from lvzhi.members import actions as org
from lvzhi.members.access import profile_of
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Session, Term
from lvzhi.opinions.choices import Channel
from lvzhi.opinions.models import BulletinIssue, Message, Report
from lvzhi.proposals import actions as act
from lvzhi.proposals.choices import REPLYING_ROLES, AssignmentRole, AssignmentStatus, ProposerKind
from lvzhi.proposals.models import Category, Proposal

DEMO_COUNCIL_NAME = data.COUNCIL_NAME
DEMO_USER_PREFIX = "demo-"

#: key, role, username, password, display name, member or unit it acts for.
ACCOUNTS: list[tuple[str, str, str, str, str, str]] = [
    ("member", Role.MEMBER, "demo-member", "Qiaodu-Weiyuan-2024", data.DEMO_MEMBER, data.DEMO_MEMBER),
    ("cosigner", Role.MEMBER, "demo-member2", "Qiaodu-Lianming-2024", data.DEMO_COSIGNER, data.DEMO_COSIGNER),
    ("staff", Role.STAFF, "demo-staff", "Qiaodu-Tian-2024", "提案委员会工作人员（演示）", ""),
    ("clerk", Role.UNIT_CLERK, "demo-clerk", "Qiaodu-Jingban-2024", "教育局经办人（演示）", data.DEMO_UNIT),
    ("unit_leader", Role.UNIT_LEADER, "demo-unithead", "Qiaodu-Qianfa-2024", "教育局负责人（演示）", data.DEMO_UNIT),
    ("leader", Role.LEADER, "demo-leader", "Qiaodu-Lingdao-2024", "政协领导（演示）", ""),
    ("admin", Role.ADMIN, "demo-admin", "Qiaodu-Guanli-2024", "系统管理员（演示）", ""),
]

#: Generated proposals of the 3rd session: (topic index in data.TOPICS, state, proposer, options).
#: Options: ``cosign`` (the demo co-signer confirms), ``return_first`` (returned once, revised, resubmitted),
#: ``grade`` (reply grade), ``satisfaction``, ``day`` (submission date as (month, day) of 2024).
GENERATED: list[tuple[int, str, str, dict[str, Any]]] = [
    (0, "assigned", "member:陈演示", {"cosign": True, "day": (1, 20)}),
    (1, "replied", "member:陈演示", {"cosign": True, "grade": "B", "day": (1, 25)}),
    (2, "rehandling", "member:梁示例", {"grade": "C", "day": (2, 1)}),
    (3, "evaluated", "org:party_group:民进江门市委会", {"grade": "A", "satisfaction": "satisfied", "day": (1, 28)}),
    (4, "closed", "member:黄样例", {"grade": "B", "satisfaction": "basically", "day": (1, 30)}),
    (5, "archived", "org:party_group:江门市工商联", {"grade": "A", "satisfaction": "satisfied", "day": (1, 15)}),
    (6, "filed", "member:甄样例", {"return_first": True, "day": (1, 22)}),
    (7, "submitted", "org:sector:经济界", {"day": (2, 1)}),
    (9, "replied", "org:peoples_org:江门市妇女联合会", {"grade": "A", "day": (1, 26)}),
    (10, "assigned", "member:林演练", {"day": (1, 31)}),
    (11, "evaluated", "member:司徒模拟", {"grade": "A", "satisfaction": "satisfied", "day": (2, 2)}),
    (12, "closed", "member:吴示范", {"grade": "C", "satisfaction": "basically", "day": (1, 18)}),
    (13, "returned", "member:陈演示", {"day": (2, 2)}),
    (14, "draft", "member:陈演示", {}),
    (15, "withdrawn", "member:何样本", {"day": (1, 24)}),
    (16, "assigned", "member:区示例", {"day": (3, 12)}),
    (17, "submitted", "member:陈演示", {"day": (9, 9)}),
    (18, "filed", "org:special_committee:社会和法制委员会", {"day": (2, 3)}),
    (19, "rehandling", "member:李模拟", {"grade": "D", "day": (1, 29)}),
    (20, "replied", "member:冯样本", {"grade": "B", "day": (4, 8)}),
    (21, "draft", "org:peoples_org:共青团江门市委员会", {}),
    (22, "archived", "member:冯样本", {"grade": "A", "satisfaction": "satisfied", "day": (1, 19)}),
    (23, "evaluated", "member:何样本", {"grade": "B", "satisfaction": "basically", "day": (6, 18)}),
    (8, "closed", "member:李模拟", {"grade": "A", "satisfaction": "satisfied", "day": (1, 21)}),
]
#: Proposals merged (并案) into a generated one: (title, proposer, index in GENERATED of the main proposal).
MERGED: list[tuple[str, str, int]] = [
    ("关于增加城区公办学位供给的建议", "member:谭演示", 2),
    ("关于加快新会陈皮标准体系建设的建议", "org:party_group:九三学社江门市委会", 4),
]
#: Proposals not filed (不予立案): (title, proposer, ground, note to the proposer, text).
NOT_FILED: list[tuple[str, str, str, str, str]] = [
    ("关于支持某品牌陈皮茶推广销售的建议", "member:余示范", "promotion", "提案内容为推介具体企业产品，不予立案。",
     "建议有关部门在展会上重点推广某品牌陈皮茶。"),
    ("关于加强管理的建议", "member:区示例", "vague", "提案内容空泛，没有具体建议，可修改后作为社情民意信息报送。",
     "建议加强管理。"),
]


@dataclass
class DemoAccount:
    role: str
    username: str
    password: str
    name: str
    acts_for: str


@dataclass
class DemoResult:
    """What :func:`build_demo` did: ``created`` is False when the demo council was already there.

    ``contents``: counts per channel (:func:`demo_contents`); ``models``: one summary line per recommendation
    model trained by this run (empty when nothing was trained); ``seconds``: wall time of the build."""

    created: bool
    council_id: int
    accounts: list[DemoAccount] = field(default_factory=list)
    proposals: int = 0
    seconds: float = 0.0
    contents: dict[str, int] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self) -> None:
        self.users: dict[str, Any] = {}
        self.members: dict[str, Member] = {}
        self.orgs: dict[tuple[str, str], Organisation] = {}
        self.units: dict[str, HandlingUnit] = {}
        self.categories: dict[str, Category] = {}
        self.sessions: dict[int, Session] = {}
        self.council: Council
        self.term: Term

    # ------------------------------------------------------------------------------------------ organisation

    def organisation(self) -> None:
        self.council = org.create_council(None, name=data.COUNCIL_NAME, short_name=data.COUNCIL_SHORT)
        self.term = org.create_term(None, self.council, number=data.TERM_NUMBER, start_date=data.TERM_START)
        for number, (window, start, end) in data.SESSIONS.items():
            self.sessions[number] = org.create_session(None, self.term, number=number, window_start=window,
                                                       plenary_start=start, plenary_end=end)
        for kind, names in ((OrganisationKind.SECTOR, data.SECTORS), (OrganisationKind.PARTY_GROUP, data.PARTY_GROUPS),
                            (OrganisationKind.PEOPLES_ORGANISATION, data.PEOPLES_ORGANISATIONS),
                            (OrganisationKind.SPECIAL_COMMITTEE, data.SPECIAL_COMMITTEES),
                            (OrganisationKind.LIAISON_GROUP, data.LIAISON_GROUPS)):
            for name in names:
                self.orgs[(kind, name)] = org.get_or_create_organisation(None, self.council, kind, name)
        for name, short in data.UNITS:
            self.units[name] = org.save_unit(None, self.council, name=name, short_name=short,
                                             categories=data.UNIT_CATEGORIES.get(name, ""))
        for order, name in enumerate(data.CATEGORIES):
            self.categories[name] = Category.objects.create(council=self.council, name=name, order=order)
        for name, gender, sector, party, committee, liaison, workplace in data.MEMBERS:
            self.members[name] = org.save_member(
                None, self.council, self.term, name=name, gender=gender, workplace=workplace,
                sector=self.orgs[(OrganisationKind.SECTOR, sector)],
                party_group=self.orgs[(OrganisationKind.PARTY_GROUP, party)] if party else None,
                special_committee=(self.orgs[(OrganisationKind.SPECIAL_COMMITTEE, committee)]
                                   if committee else None),
                liaison_group=self.orgs[(OrganisationKind.LIAISON_GROUP, liaison)])

    def accounts(self) -> None:
        for key, role, username, password, display, acts_for in ACCOUNTS:
            self.users[key] = org.create_account(
                None, username=username, password=password, role=role, council=self.council,
                display_name=display,
                member=self.members.get(acts_for) if role == Role.MEMBER else None,
                unit=self.units.get(acts_for) if role in (Role.UNIT_CLERK, Role.UNIT_LEADER) else None)

    # ------------------------------------------------------------------------------------------ proposals

    def proposer_user(self, spec: str) -> Any:
        """The account that enters a proposal: the member's own, else staff (a paper proposal)."""
        if spec.startswith("member:"):
            name = spec.split(":", 1)[1]
            for key in ("member", "cosigner"):
                if getattr(profile_of(self.users[key]), "member_id", None) == self.members[name].pk:
                    return self.users[key]
        return self.users["staff"]

    def create(self, session: Session, title: str, category: str, spec: str, *, situation: str, analysis: str,
               suggestions: str, cosign: bool = False) -> Proposal:
        user = self.proposer_user(spec)
        kwargs: dict[str, Any] = {}
        if spec.startswith("member:"):
            kwargs["first_proposer"] = self.members[spec.split(":", 1)[1]]
            kwargs["proposer_kind"] = ProposerKind.MEMBER
        else:
            _, kind, name = spec.split(":", 2)
            kwargs["organisation"] = self.orgs[(kind, name)]
            kwargs["proposer_kind"] = kind
        if cosign:
            kwargs["cosigners"] = [self.members[data.DEMO_COSIGNER]]
        proposal = act.create_proposal(user, session=session, title=title, category=self.categories[category],
                                       situation=situation, analysis=analysis, suggestions=suggestions,
                                       is_demo=True, **kwargs)
        if cosign:
            act.respond_to_invitation(self.users["cosigner"], proposal.pk, accept=True)
        return proposal

    def submit(self, proposal: Proposal, when: datetime) -> None:
        act.submit_proposal(self.proposer_user(self._spec(proposal)), proposal.pk, at=when)

    def _spec(self, proposal: Proposal) -> str:
        if proposal.first_proposer_id:
            return f"member:{proposal.first_proposer.name}"  # type: ignore[union-attr]
        return f"org:{proposal.organisation.kind}:{proposal.organisation.name}"  # type: ignore[union-attr]

    def unit_actor(self, unit: HandlingUnit, *, leader: bool) -> Any:
        if unit.name == data.DEMO_UNIT:
            return self.users["unit_leader" if leader else "clerk"]
        return self.users["staff"]

    def reply_all(self, proposal: Proposal, grade: str) -> None:
        """Co-handling units send their opinion; each replying unit drafts and signs off its reply."""
        assignments = list(proposal.assignments.select_related("unit").filter(status=AssignmentStatus.HANDLING))
        for a in assignments:
            if a.role == AssignmentRole.CO:
                act.send_opinion(self.unit_actor(a.unit, leader=False), a.pk,
                                 text=f"{a.unit.name}会办意见：同意主办单位的办理方案，并在职责范围内配合落实。")
        for a in assignments:
            if a.role in REPLYING_ROLES:
                reply = act.draft_reply(
                    self.unit_actor(a.unit, leader=False), a.pk, grade_code=grade,
                    text=f"《{proposal.title}》答复（演示）：{a.unit.name}已研究办理，相关建议已纳入年度工作计划。",
                    contact_person="演示联系人", contact_phone="0750-3000000")
                act.sign_off_reply(self.unit_actor(a.unit, leader=True), reply.pk)

    def evaluate_all(self, proposal: Proposal, overall: str) -> None:
        user = self.proposer_user(self._spec(proposal))
        for a in proposal.assignments.filter(role__in=REPLYING_ROLES, status=AssignmentStatus.REPLIED):
            reply = a.replies.get(round=a.round)
            act.evaluate_reply(user, reply.pk, attitude="satisfied", relevance=overall, result=overall,
                               overall=overall, comment="演示测评")

    def drive(self, proposal: Proposal, stage: str, *, when: datetime, plan: Sequence[tuple[str, str]],
              grade: str = "A", satisfaction: str = "satisfied", return_first: bool = False,
              key: str = "", excellent: int | None = None, merge: Sequence[Proposal] = ()) -> None:
        """Take a draft ``proposal`` to ``stage`` (a scenario step named after the default states; the case
        gets there through the actions, which ask the workflow by act) along the workflow, one action per step."""
        staff = self.users["staff"]
        if stage == "draft":
            return
        self.submit(proposal, when)
        if return_first:
            act.return_for_revision(staff, proposal.pk, comment="请补充具体建议的责任单位和实施步骤。")
            act.update_draft(self.proposer_user(self._spec(proposal)), proposal.pk,
                             suggestions=proposal.suggestions + "\n（已按审查意见补充实施步骤。）")
            self.submit(proposal, when + timedelta(days=2))
        if stage == "submitted":
            return
        if stage == "returned":
            act.return_for_revision(staff, proposal.pk, comment="案由与内容不够聚焦，请按“一事一案”修改后重新提交。")
            return
        if stage == "withdrawn":
            act.withdraw_proposal(self.proposer_user(self._spec(proposal)), proposal.pk)
            return
        act.file_proposal(staff, proposal.pk)
        if merge:
            act.merge_proposals(staff, proposal.pk, [m.pk for m in merge], comment="内容相近，并案办理。")
        if key:
            act.set_key_proposal(staff, proposal.pk, is_key=True, supervising_leader=key)
        if excellent:
            act.mark_excellent(staff, proposal.pk, year=excellent)
        if stage == "filed":
            return
        act.assign_proposal(staff, proposal.pk, [(self.units[u], role) for u, role in plan])
        if stage == "assigned":
            return
        self.reply_all(proposal, grade)
        if stage == "replied":
            return
        if stage == "rehandling":
            self.evaluate_all(proposal, "unsatisfied")
            return
        self.evaluate_all(proposal, satisfaction)
        if grade in ("B", "C"):
            act.add_follow_up(staff, proposal.pk, note="回头看：承办单位承诺事项正在推进（演示）。",
                              delivered=stage in ("closed", "archived"))
        if stage == "evaluated":
            return
        act.close_proposal(staff, proposal.pk)
        if stage == "closed":
            return
        act.archive_proposal(staff, proposal.pk)

    def proposals(self) -> None:
        for spec in data.SEED_PROPOSALS:
            session = self.sessions[int(spec["session"])]  # type: ignore[call-overload]
            proposal = self.create(session, str(spec["title"]), str(spec["category"]), str(spec["proposer"]),
                                   situation=str(spec["situation"]), analysis=str(spec["analysis"]),
                                   suggestions=str(spec["suggestions"]))
            _window, start, _end = data.SESSIONS[session.number]
            self.drive(proposal, str(spec["state"]), when=_at(start), plan=spec["plan"],  # type: ignore[arg-type]
                       key=str(spec.get("key", "")), excellent=spec.get("excellent"),  # type: ignore[arg-type]
                       satisfaction="satisfied")
        session = self.sessions[3]
        merged_by_main: dict[int, list[Proposal]] = {}
        for title, proposer, main_index in MERGED:
            topic = data.TOPICS[GENERATED[main_index][0]]
            other = self.create(session, title, topic[1], proposer, situation=topic[3], analysis="",
                                suggestions=topic[4])
            self.submit(other, _at(session.plenary_start))
            merged_by_main.setdefault(main_index, []).append(other)
        for index, (topic_index, stage, proposer, options) in enumerate(GENERATED):
            title, category, plan, situation, suggestions = data.TOPICS[topic_index]
            proposal = self.create(session, title, category, proposer, situation=situation,
                                   analysis="（演示数据）问题分析从略。", suggestions=suggestions,
                                   cosign=bool(options.get("cosign")))
            month, day = options.get("day", (1, 20))
            self.drive(proposal, stage, when=_at(session.plenary_start.replace(month=month, day=day)), plan=plan,
                       grade=options.get("grade", "A"), satisfaction=options.get("satisfaction", "satisfied"),
                       return_first=bool(options.get("return_first")), merge=merged_by_main.get(index, ()))
        for title, proposer, ground, note, text in NOT_FILED:
            proposal = self.create(session, title, "经济建设", proposer, situation="", analysis="", suggestions=text)
            self.submit(proposal, _at(session.plenary_end))
            act.not_file_proposal(self.users["staff"], proposal.pk, ground=ground, comment=note)


def _at(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime(10, 0)))


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts with their passwords and what each acts for: the CPPCC's, then the people's
    congress's (:data:`lvzhi.demo.npc.ACCOUNTS`)."""
    labels = dict(Role.choices)
    return [DemoAccount(role=str(labels[role]), username=username, password=password, name=display,
                        acts_for=acts_for) for _key, role, username, password, display, acts_for in ACCOUNTS] + [
        DemoAccount(role=a.label, username=a.username, password=a.password, name=a.name, acts_for=a.acts_for)
        for a in npc.ACCOUNTS]


def format_accounts(accounts: Sequence[DemoAccount]) -> str:
    """The accounts as a plain-text table (角色, 用户名, 密码, 姓名/单位), aligned for a terminal."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    rows = [("角色", "用户名", "密码", "说明")] + [
        (a.role, a.username, a.password, a.name + (f"（{a.acts_for}）" if a.acts_for and a.acts_for != a.name
                                                   else "")) for a in accounts]
    widths = [max(width(r[i]) for r in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def build_demo(*, reset: bool = False, train: bool = True) -> DemoResult:
    """Build the demo council unless it exists (``reset=True`` deletes all demo data first and rebuilds), and
    beside it the demo people's congress with a county-level one under it (:mod:`lvzhi.demo.npc`), unless
    that exists.

    The council, its proposals, reports and messages: all or nothing, one transaction. Then, with ``train``,
    the recommendation models of the demo council are trained from its own history
    (:func:`train_demo_models`; also for an existing demo council that has no model of its own yet).
    Returns the accounts (role, username, password) and the counts per channel either way.
    Raises :class:`~lvzhi.core.errors.DomainError` when an action refuses (a bug in the demo data).
    """
    started = time.monotonic()
    existing = Council.objects.filter(name=data.COUNCIL_NAME).first()
    if reset:
        for council in npc.demo_councils():  # the people's congress: its county first (a parent is protected)
            delete_demo(council, demo_users=False)
    if existing is not None and reset:
        delete_demo(existing)
        existing = None
    if existing is not None:
        org.ensure_defaults(existing)
        _ensure_npc()
        _ensure_duties(existing)
        trained = train_demo_models(existing.pk) if train and not _has_own_models(existing.pk) else []
        return DemoResult(created=False, council_id=existing.pk, accounts=demo_accounts(),
                          proposals=Proposal.objects.filter(council=existing, is_demo=True).count(),
                          contents=demo_contents(existing.pk), models=trained)
    builder = _Builder()
    with transaction.atomic():
        builder.organisation()
        builder.accounts()
        builder.proposals()
        channels = ChannelBuilder(builder)
        channels.reports()
        channels.messages()
        channels.archive()
    _ensure_npc()  # after the CPPCC: the first council created is the public portal's by default
    _ensure_duties(builder.council)
    trained = train_demo_models(builder.council.pk) if train else []
    count = Proposal.objects.filter(council=builder.council, is_demo=True).count()
    return DemoResult(created=True, council_id=builder.council.pk, accounts=demo_accounts(), proposals=count,
                      seconds=time.monotonic() - started, contents=demo_contents(builder.council.pk),
                      models=trained)


def _ensure_duties(council: Council) -> None:
    """Demo meetings, attendance and scoring rules of the demo councils (:mod:`lvzhi.demo.duties`)."""
    from lvzhi.demo.duties import ensure_duties

    with transaction.atomic():
        ensure_duties([council, *npc.demo_councils()])


def _ensure_npc() -> None:
    """Build the demo people's congress unless it exists (then give its councils any missing defaults)."""
    if npc.npc_council() is None:
        with transaction.atomic():
            npc.build_npc()
    else:
        for council in npc.demo_councils():
            org.ensure_defaults(council)


# ---------------------------------------------------------------------------------------------- contents, models


#: Keys of :func:`demo_contents` in display order, with their Chinese labels and units.
CONTENT_LABELS: list[tuple[str, str, str]] = [
    ("proposals", "提案", "件"),
    ("reports", "社情民意信息", "篇"),
    ("published_reports", "其中刊发", "篇"),
    ("issues", "《社情民意》", "期"),
    ("messages", "群众意见", "件"),
    *[(f"channel:{c.value}", str(c.label), "件") for c in Channel],
    ("models", "智能推荐模型", "个"),
]


def demo_contents(council_id: int) -> dict[str, int]:
    """Counts of what the demo council holds: ``proposals``, ``reports``, ``published_reports`` (in an
    issue), ``issues`` (bulletin issues), ``messages``, ``channel:<channel>`` per message channel
    (:class:`~lvzhi.opinions.choices.Channel`) and ``models`` (recommendation models of its own)."""
    from lvzhi.smart import store

    messages = Message.objects.filter(council_id=council_id)
    out = {
        "proposals": Proposal.objects.filter(council_id=council_id).count(),
        "reports": Report.objects.filter(council_id=council_id).count(),
        "published_reports": Report.objects.filter(council_id=council_id, issue__isnull=False).count(),
        "issues": BulletinIssue.objects.filter(council_id=council_id).count(),
        "messages": messages.count(),
    }
    by_channel = dict(messages.values_list("channel").annotate(n=models.Count("id")).order_by())
    for c in Channel:
        out[f"channel:{c.value}"] = by_channel.get(c.value, 0)
    out["models"] = sum(1 for kind in store.KINDS
                        if store.current_info(kind, store.scope_of(council_id)) is not None)
    return out


def format_contents(contents: dict[str, int]) -> str:
    """One line in Chinese: what the demo contains, e.g. ``演示内容：提案 35 件；社情民意信息 11 篇（其中刊发
    4 篇，《社情民意》3 期）；群众意见 160 件（网上留言 20 件、来信 6 件…）；智能推荐模型 3 个。``"""
    def part(key: str) -> str:
        label, unit = next((lab, u) for k, lab, u in CONTENT_LABELS if k == key)
        return f"{label} {contents.get(key, 0)} {unit}"

    channels = "、".join(part(f"channel:{c.value}") for c in Channel if contents.get(f"channel:{c.value}"))
    return (f"演示内容：{part('proposals')}；{part('reports')}（{part('published_reports')}，{part('issues')}）；"
            f"{part('messages')}" + (f"（{channels}）" if channels else "") + f"；{part('models')}。")


def _has_own_models(council_id: int) -> bool:
    from lvzhi.smart import store

    return store.current_info("message-category", store.scope_of(council_id)) is not None


def train_demo_models(council_id: int) -> list[str]:
    """Train every recommendation model of the demo council from its own history only
    (:func:`lvzhi.smart.training.train_kind` with ``council_id``, no labelled files: the demo needs nothing
    outside the package), with 3-fold cross-validation. Kinds without enough history are skipped.
    Returns one summary line (Chinese) per stored model."""
    from lvzhi.smart import store, training

    out: list[str] = []
    for kind in store.KINDS:
        try:
            result = training.train_kind(kind, council_id=council_id, history=True, cv=True)
        except DomainError:
            continue
        out.append(result.summary())
    return out


# ---------------------------------------------------------------------------------------------- reset


def delete_demo(council: Council, *, demo_users: bool = True) -> None:
    """Delete the demo council and everything that belongs to it: its proposals, opinions and other cases,
    audit entries, accounts (those with a profile in the council, and every ``demo-*`` one unless
    ``demo_users`` is False), members, organisations, units, sessions. A council with children is deleted
    after them (the parent is protected).

    This is the one place that deletes domain rows without an action: demo data is not a record to keep.
    Rows of any app that point at the council or its parts are found through the models' foreign keys, so
    apps added later are covered. All or nothing (one transaction).
    """
    user_model = get_user_model()
    with transaction.atomic():
        mine = Q(profile__council=council)
        if demo_users:
            mine |= Q(username__startswith=DEMO_USER_PREFIX)
        users = list(user_model.objects.filter(mine).distinct().values_list("pk", flat=True))
        user_type = ContentType.objects.get_for_model(user_model)
        AuditEntry.objects.filter(Q(council=council) | Q(actor_id__in=users) |
                                  Q(target_type=user_type, target_id__in=users)).delete()
        Report.objects.filter(council=council).delete()  # a converted report protects its proposal
        Proposal.objects.filter(council=council).update(merged_into=None)
        Proposal.objects.filter(council=council).delete()
        owners: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
            (Council, Council.objects.filter(pk=council.pk)),
            (Term, Term.objects.filter(council=council)),
            (Session, Session.objects.filter(term__council=council)),
            (Member, Member.objects.filter(council=council)),
            (Organisation, Organisation.objects.filter(council=council)),
            (HandlingUnit, HandlingUnit.objects.filter(council=council)),
            (user_model, user_model.objects.filter(pk__in=users)),
        ]
        owner_models = {m for m, _ in owners}
        skip = owner_models | {AuditEntry, apps.get_model("members", "Profile")}
        dependants = [(model, f) for model in apps.get_models() if model not in skip
                      for f in model._meta.get_fields()
                      if getattr(f, "many_to_one", False) or getattr(f, "one_to_one", False)
                      if getattr(f, "concrete", False) and f.related_model in owner_models]
        querysets = dict(owners)
        for _ in range(10):
            blocked = False
            for model, f in dependants:
                rows = model._default_manager.filter(**{f"{f.name}__in": querysets[f.related_model]})  # type: ignore[index]
                try:
                    with transaction.atomic():
                        rows.delete()
                except (ProtectedError, RestrictedError):
                    blocked = True
            if not blocked:
                break
        user_model.objects.filter(pk__in=users).delete()
        for _model, qs in reversed(owners[:-1]):
            qs.delete()
    _delete_models(council.pk)


def _delete_models(council_id: int) -> None:
    """Remove the recommendation models trained for the deleted demo council (stored rows and local files)."""
    from lvzhi.smart import store

    store.delete_scope(council_id)
