"""A small people's congress (人大常委会) built through the real actions, for the case-core and suggestion
tests: term 16, session 3 (closed 45 days ago), two delegations, five deputies with accounts, the deputies'
affairs staff, a leader, and three handling units each with a clerk and a leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from lvzhi.cases import registry
from lvzhi.members import actions as org
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Session
from tests.conftest import PASSWORD


@dataclass
class NPC:
    council: Council
    session: Session
    delegations: list[Organisation]
    committee: Organisation
    deputies: list[Member]
    units: list[HandlingUnit]
    users: dict[str, Any]

    def user(self, name: str) -> Any:
        return self.users[name]


def build_npc(name: str = "测试市人大常委会") -> NPC:
    council = org.create_council(None, name=name, kind=CouncilKind.NPC, short_name=name[:4])
    registry.install_for(council)
    today = timezone.localdate()
    term = org.create_term(None, council, number=16, start_date=today - timedelta(days=900))
    session = org.create_session(None, term, number=3, window_start=today - timedelta(days=60),
                                 plenary_start=today - timedelta(days=50), plenary_end=today - timedelta(days=45))
    # 代表团 (OrganisationKind.DELEGATION is added by the members work; the stored kind is "delegation")
    delegations = [Organisation.objects.create(council=council, kind="delegation", name=n)
                   for n in ("蓬江区代表团", "新会区代表团")]
    committee = org.get_or_create_organisation(None, council, OrganisationKind.SPECIAL_COMMITTEE, "财政经济委员会")
    deputies = [org.save_member(None, council, term, name=n) for n in ("陈代表", "林代表", "黄代表", "吴代表", "周代表")]
    units = [org.save_unit(None, council, name=n) for n in ("市住房和城乡建设局", "市交通运输局", "市教育局")]
    users: dict[str, Any] = {}
    for i, m in enumerate(deputies):
        users[f"deputy{i}"] = org.create_account(None, username=f"{name}-d{i}", password=PASSWORD, role=Role.MEMBER,
                                                 council=council, member=m)
    users["staff"] = org.create_account(None, username=f"{name}-staff", password=PASSWORD, role=Role.STAFF,
                                        council=council)
    users["staff2"] = org.create_account(None, username=f"{name}-staff2", password=PASSWORD, role=Role.STAFF,
                                         council=council)
    users["leader"] = org.create_account(None, username=f"{name}-leader", password=PASSWORD, role=Role.LEADER,
                                         council=council)
    for i, u in enumerate(units):
        users[f"clerk{i}"] = org.create_account(None, username=f"{name}-c{i}", password=PASSWORD,
                                                role=Role.UNIT_CLERK, council=council, unit=u)
        users[f"head{i}"] = org.create_account(None, username=f"{name}-h{i}", password=PASSWORD,
                                               role=Role.UNIT_LEADER, council=council, unit=u)
    return NPC(council, session, delegations, committee, deputies, units, users)
