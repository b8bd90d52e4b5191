"""The demo people's congress's deputies' suggestions (代表建议), built ONLY through the writers of
``lvzhi.suggestions.actions`` and ``lvzhi.cases.actions`` (like the proposal demo): every state of the
suggestion workflow, raised during the 4th session by delegation (submitted 2024-02-02, before the session
closed on 2024-02-04) and between sessions, joint ones with seconding deputies, a returned one with its
ground, assignments to one unit, lead + co-handling and separately, replies graded A–D, opinion forms
(satisfied, and 不满意 → re-handling), a key group (theme, special committee, leading city leader, progress
note), a leader's instruction, a follow-up review (回头看) and an excellent suggestion. Every suggestion is
``is_demo``; the titles and texts are fictional.

What each demo account finds: ``demo-deputy`` has suggestions of their own (a draft, submitted, returned,
assigned, replies awaiting their opinion form); ``demo-deputy2`` seconds some and has one returned for
re-handling; ``demo-npc-staff`` has suggestions to accept or return and to assign, a sent-back one to
re-assign, and an evaluated one to close; ``demo-deputy-head`` acting as leader of 江门市交通运输局 has a reply
to sign off; ``demo-npc-leader`` leads the key group and has an instruction to follow.

Handling units answer through unit accounts created here (a clerk and a leader per unit used, not printed:
``demo-npc-<n>-clerk`` / ``-head``), except the two-capacity account, which leads 交通运输局.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from lvzhi.cases import actions as cases
from lvzhi.cases.models import Assignment, Reply
from lvzhi.demo import npc_data as data
from lvzhi.members import actions as org
from lvzhi.members.access import ACTIVE_ATTR
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Profile, Session
from lvzhi.suggestions import actions as act
from lvzhi.suggestions.models import Suggestion

#: The unit accounts' password (not printed; the demo's unit work is done through the actions).
UNIT_PASSWORD = "Qiaodu-Chengban-2024"
IN_SESSION = datetime(2024, 2, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BETWEEN_SESSIONS = datetime(2024, 6, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SCORES_OK = {"contact": "satisfied", "attitude": "satisfied", "result": "satisfied"}
SCORES_BASIC = {"contact": "satisfied", "attitude": "basically", "result": "basically"}
SCORES_BAD = {"contact": "basically", "attitude": "unsatisfied", "result": "unsatisfied"}

CONTENT = "一、基本情况：……（演示）\n二、存在问题：……\n三、具体建议：1. ……；2. ……。"


class SuggestionDemo:
    """Builds the suggestions of the demo people's congress (call inside a transaction)."""

    def __init__(self, council: Council, users: dict[str, Any]) -> None:
        self.council = council
        self.users = users
        self.session: Session = Session.objects.get(term__council=council, number=4)
        self.members = {m.name: m for m in Member.objects.filter(council=council)}
        self.delegations = {o.name: o for o in Organisation.objects.filter(council=council,
                                                                            kind=OrganisationKind.DELEGATION)}
        self.units = {u.name: u for u in HandlingUnit.objects.filter(council=council)}
        self.clerks: dict[int, Any] = {}
        self.heads: dict[int, Any] = {}
        self._unit_accounts()

    # -- accounts ------------------------------------------------------------------------------------

    def _unit_accounts(self) -> None:
        dual = self.users["dual"]
        for n, (name, _short) in enumerate(data.UNITS, start=1):
            unit = self.units[name]
            self.clerks[unit.pk] = org.create_account(None, username=f"demo-npc-{n}-clerk", password=UNIT_PASSWORD,
                                                      role=Role.UNIT_CLERK, council=self.council,
                                                      display_name=f"{unit.short_name}经办人（演示）", unit=unit)
            if name == data.DUAL_UNIT:
                profile = Profile.objects.get(user=dual, role=Role.UNIT_LEADER, unit=unit)
                head = get_user_model().objects.get(pk=dual.pk)  # a second object: the deputy acts as a deputy
                setattr(head, ACTIVE_ATTR, profile.pk)  # the two-capacity account acting as the unit's leader
                self.heads[unit.pk] = head
            else:
                self.heads[unit.pk] = org.create_account(None, username=f"demo-npc-{n}-head", password=UNIT_PASSWORD,
                                                         role=Role.UNIT_LEADER, council=self.council,
                                                         display_name=f"{unit.short_name}负责人（演示）", unit=unit)

    # -- steps ---------------------------------------------------------------------------------------

    def _deputy_user(self, name: str) -> Any:
        for key in ("deputy", "deputy2", "dual"):
            if self.members.get(name) and Profile.objects.filter(user=self.users[key], member=self.members[name]).exists():
                return self.users[key]
        return None

    def draft(self, title: str, lead: str, *, seconders: tuple[str, ...] = (), delegation: str | None = None,
              category: str = "") -> Suggestion:
        """Draft as the leading deputy (with an account) or entered by the staff for one without."""
        user = self._deputy_user(lead)
        actor = user or self.users["staff"]
        return act.create_suggestion(actor, session=self.session, title=title, content=CONTENT, category=category,
                                     delegation=self.delegations[f"{delegation}代表团"] if delegation else None,
                                     leading_deputy=None if user else self.members[lead],
                                     seconders=[self.members[s] for s in seconders], is_demo=True)

    def submitted(self, title: str, lead: str, *, seconders: tuple[str, ...] = (), delegation: str | None = None,
                  at: datetime = IN_SESSION, category: str = "") -> Suggestion:
        s = self.draft(title, lead, seconders=seconders, delegation=delegation, category=category)
        for name in seconders:
            act.respond_to_invitation(self._deputy_user(name), s.pk, accept=True)
        user = self._deputy_user(lead) or self.users["staff"]
        return act.submit(user, s.pk, at=at)

    def accepted(self, title: str, lead: str, **kw: Any) -> Suggestion:
        s = self.submitted(title, lead, **kw)
        return act.accept(self.users["staff"], s.pk, category=kw.get("category") or "城乡建设")

    def assigned(self, title: str, lead: str, plan: list[tuple[str, str]], **kw: Any) -> tuple[Suggestion,
                                                                                                list[Assignment]]:
        s = self.accepted(title, lead, **kw)
        made = cases.assign(self.users["staff"], Suggestion, s.pk, [(self.units[u], r) for u, r in plan],
                            comment="请按期办理并与代表面商。")
        s.refresh_from_db()
        return s, made

    def reply(self, a: Assignment, grade: str, *, sign: bool = True, text: str = "") -> Reply:
        """The unit talks with the deputy (面商), its clerk drafts the reply, its leader signs it off."""
        clerk = self.clerks[a.unit_id]
        if not a.contacts.exists():
            cases.record_contact(clerk, a.pk, contacted_on=timezone.localdate(), way="meeting",
                                 with_whom="领衔代表", notes="当面听取代表意见，介绍办理思路。（演示）")
        version = Suggestion.objects.get(pk=a.object_id).version
        reply = cases.draft_reply(clerk, a.pk, grade=grade, text=text or f"经研究，答复如下（{grade}类，演示）……",
                                  contact_person="李科长（演示）", contact_phone="0750-3000000",
                                  expected_version=version)
        if sign:
            reply = cases.sign_off_reply(self.heads[a.unit_id], reply.pk)
        return reply

    def evaluate_all(self, s: Suggestion, scores: dict[str, str]) -> None:
        """Each evaluator returns the opinion form on every signed reply of the current round."""
        s.refresh_from_db()
        pol_mode = "each"
        replies = Reply.objects.filter(assignment__object_id=s.pk, assignment__content_type__model="suggestion",
                                       status="signed", kind="answer")
        for uid in s.evaluator_ids(pol_mode):
            user = next(u for u in self.users.values() if u.pk == uid)
            for r in replies:
                if r.round == r.assignment.round:
                    cases.evaluate(user, r.pk, scores=scores, comment="（演示）")

    # -- the demo ------------------------------------------------------------------------------------

    def build(self) -> int:
        staff, leader = self.users["staff"], self.users["leader"]
        D, D2, DUAL = data.DEMO_DEPUTY, data.DEMO_DEPUTY2, data.DEMO_DUAL_DEPUTY
        transport, housing = "江门市交通运输局", "江门市住房和城乡建设局"
        # drafts: demo-deputy's own; a joint draft with demo-deputy2's invitation still pending
        self.draft("关于完善社区养老服务设施的建议", D, delegation="蓬江区", category="社会事业")
        self.draft("关于加快潭江流域生态修复的建议", D, seconders=(D2,), delegation="蓬江区", category="生态环境")
        # submitted, to accept or return: in session by delegation, and between sessions
        self.submitted("关于优化中心城区停车设施布局的建议", D, delegation="蓬江区", category="城乡建设")
        self.submitted("关于支持侨乡古村落活化利用的建议", "伍样本", delegation="台山市", category="文化旅游")
        self.submitted("关于提升农村生活污水治理水平的建议", D2, at=BETWEEN_SESSIONS, category="生态环境")
        # returned with a ground
        s = self.submitted("关于制定江门市历史建筑保护条例的建议", D, delegation="蓬江区", category="法制")
        act.return_suggestion(staff, s.pk, ground="motion",
                              comment="所提内容属于立法事项，建议按议案程序提出。（演示）")
        s = self.submitted("关于某合同纠纷案件的建议", "胡样例", delegation="开平市", category="其他")
        act.return_suggestion(staff, s.pk, ground="litigation", comment="该事项正在诉讼中，不作为建议办理。（演示）")
        # withdrawn
        s = self.draft("关于调整某路段限速的建议", D2, delegation="江海区", category="交通")
        act.withdraw(self._deputy_user(D2), s.pk)
        # accepted, to assign: joint (seconded) in session, and a paper one between sessions
        self.accepted("关于加快江门轨道交通规划建设的建议", D, seconders=(D2, DUAL), delegation="蓬江区",
                      category="交通")
        self.accepted("关于扶持新会陈皮产业高质量发展的建议", "陆演练", at=BETWEEN_SESSIONS, category="农业农村")
        # assigned to one unit: a reply waiting for the unit leader (demo-deputy-head) to sign off
        s_sign, (a_sign,) = self.assigned("关于增开城乡公交微循环线路的建议", D, [(transport, "sole")],
                                          delegation="蓬江区", category="交通")
        self.reply(a_sign, "A", sign=False)
        # assigned lead + co-handling: the co-handling unit has sent its opinion, the lead is handling
        s_lead, made = self.assigned("关于推进老旧小区加装电梯的建议", D2, [(housing, "lead"), (transport, "co")],
                                     seconders=(D,), delegation="江海区", category="城乡建设")
        co = next(a for a in made if a.role == "co")
        cases.send_opinion(self.clerks[co.unit_id], co.pk, text="同意主办单位意见，配合做好道路开挖审批。（演示）")
        # assigned separately: both replied (A and B), demo-deputy's opinion forms are due
        _s_sep, made = self.assigned("关于加强中小学校园周边交通安全的建议", D,
                                    [("江门市教育局", "separate"), (transport, "separate")], delegation="蓬江区",
                                    category="教育")
        self.reply(made[0], "A")
        self.reply(made[1], "B", text="已列入明年计划，正在解决。（演示）")
        # sent back by a unit within its window, to re-assign
        _s_back, (a_back,) = self.assigned("关于规范农村宅基地审批的建议", "雷演示", [("江门市水利局", "sole")],
                                          at=BETWEEN_SESSIONS, category="农业农村")
        cases.send_back(self.clerks[a_back.unit_id], a_back.pk,
                        reason="宅基地审批不属于本单位职责，建议交市农业农村局办理。（演示）")
        # replied and evaluated satisfied (A); then closed; excellent; a follow-up on a B reply
        s_ok, (a_ok,) = self.assigned("关于推动江门职业教育产教融合的建议", D2, [("江门市教育局", "sole")],
                                      delegation="江海区", category="教育")
        self.reply(a_ok, "A")
        self.evaluate_all(s_ok, SCORES_OK)
        cases.close(staff, Suggestion, s_ok.pk, comment="代表满意，办结。（演示）")
        cases.select_excellent(staff, Suggestion, s_ok.pk, kind="excellent", year=2024)
        s_b, (a_b,) = self.assigned("关于建设滨江绿道慢行系统的建议", "关样例", [(housing, "sole")],
                                    delegation="江海区", category="城乡建设")
        self.reply(a_b, "B", text="已纳入年度计划，分期建设中。（演示）")
        self.evaluate_all(s_b, SCORES_BASIC)
        cases.add_follow_up(staff, Suggestion, s_b.pk, note="回头看：一期工程已开工，二期列入明年计划。（演示）")
        _s_c, (a_c,) = self.assigned("关于加大基层医疗人才引进力度的建议", "容示范", [("江门市卫生健康局", "sole")],
                                    delegation="新会区", category="医疗卫生")
        self.reply(a_c, "C")
        # D: a reply the deputies were not satisfied with → re-handling
        s_bad, (a_bad,) = self.assigned("关于治理城区内涝积水点的建议", D2, [("江门市城市管理和综合执法局", "sole")],
                                        delegation="江海区", category="城乡建设")
        self.reply(a_bad, "D", text="因条件所限，暂不具备实施条件，留作参考。（演示）")
        self.evaluate_all(s_bad, SCORES_BAD)
        # a key group under a special committee, led by a city leader, with a progress note
        committee = Organisation.objects.get(council=self.council, kind=OrganisationKind.SPECIAL_COMMITTEE,
                                             name="城乡建设环境资源保护委员会")
        group = cases.create_key_group(staff, self.council, "suggestion", year=2024, theme="城市交通与宜居环境",
                                       special_committee=committee, leading_leader=leader,
                                       plan="每季度听取承办单位汇报，年中视察，年底评估。（演示）")
        cases.add_to_key_group(staff, group.pk, [s_sign.pk, s_lead.pk, s_bad.pk])
        cases.add_key_group_note(leader, group.pk, text="已召开重点建议督办座谈会，要求年底前取得实效。（演示）")
        # a leader's instruction, followed by the unit
        ins = cases.instruct(leader, Suggestion, s_lead.pk, text="请市住建局加快推进，按季度报告进展。（演示）")
        cases.add_instruction_note(self.clerks[self.units[housing].pk], ins.pk,
                                   text="已制定年度加装计划，首批20台开工。（演示）", status="implementing")
        return Suggestion.objects.filter(council=self.council, is_demo=True).count()


def build_suggestions(council: Council, users: dict[str, Any]) -> int:
    """Build the demo suggestions of ``council`` (the demo people's congress) for its demo ``users``
    (by :data:`lvzhi.demo.npc.ACCOUNTS` key); returns how many. Call inside a transaction."""
    return SuggestionDemo(council, users).build()
