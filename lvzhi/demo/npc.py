"""Building the demo people's congress (``lvzhi demo``) of :mod:`lvzhi.demo.npc_data` through the writers of
``lvzhi.members.actions``: the standing committee with its term and sessions, delegations, special committees
and working bodies, handling units, fictional deputies, the demo accounts (two deputies, the deputies'
affairs staff, a leader, and a deputy who is also a unit leader: one account, two capacities), and a
county-level standing committee under it, and its deputies' suggestions (:mod:`lvzhi.demo.npc_cases`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lvzhi.demo import npc_data as data
from lvzhi.members import actions as org
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation


@dataclass(frozen=True)
class NpcAccount:
    """A demo account of the people's congress: ``label`` is the role as the congress calls it."""

    key: str
    role: str
    label: str
    username: str
    password: str
    name: str
    acts_for: str


#: The demo accounts of the people's congress (the two-capacity account's second capacity: see DUAL_UNIT).
ACCOUNTS: list[NpcAccount] = [
    NpcAccount("deputy", Role.MEMBER, "人大代表", "demo-deputy", "Qiaodu-Daibiao-2024", data.DEMO_DEPUTY,
               data.DEMO_DEPUTY),
    NpcAccount("deputy2", Role.MEMBER, "人大代表", "demo-deputy2", "Qiaodu-Fuyi-2024", data.DEMO_DEPUTY2,
               data.DEMO_DEPUTY2),
    NpcAccount("staff", Role.STAFF, "代表工作机构工作人员", "demo-npc-staff", "Qiaodu-Xuanren-2024",
               "选任联工委工作人员（演示）", data.DEPUTIES_OFFICE),
    NpcAccount("leader", Role.LEADER, "人大领导", "demo-npc-leader", "Qiaodu-Renda-2024", "人大常委会领导（演示）", ""),
    NpcAccount("dual", Role.MEMBER, "人大代表＋承办单位负责人", "demo-deputy-head", "Qiaodu-Shuangzhi-2024",
               data.DEMO_DUAL_DEPUTY, f"{data.DEMO_DUAL_DEPUTY}；{data.DUAL_UNIT}"),
]


def npc_council() -> Council | None:
    """The demo people's congress, or ``None`` when it was not built."""
    return Council.objects.filter(name=data.COUNCIL_NAME).first()


def demo_councils() -> list[Council]:
    """The demo people's congress's councils, children first (the order to delete them in)."""
    council = npc_council()
    if council is None:
        return []
    return [*Council.objects.filter(parent=council).order_by("id"), council]


def build_npc() -> dict[str, Any]:
    """Build the demo people's congress (call inside a transaction). Returns the accounts by key."""
    council = org.create_council(None, name=data.COUNCIL_NAME, kind=CouncilKind.NPC, short_name=data.COUNCIL_SHORT)
    org.create_council(None, name=data.CHILD_NAME, kind=CouncilKind.NPC, short_name=data.CHILD_SHORT,
                       parent=council)
    term = org.create_term(None, council, number=data.TERM_NUMBER, start_date=data.TERM_START)
    for number, (window, start, end) in data.SESSIONS.items():
        org.create_session(None, term, number=number, window_start=window, plenary_start=start, plenary_end=end)
    orgs: dict[tuple[str, str], Organisation] = {}
    for kind, names in ((OrganisationKind.DELEGATION, data.DELEGATIONS),
                        (OrganisationKind.SPECIAL_COMMITTEE, data.SPECIAL_COMMITTEES + data.WORKING_BODIES)):
        for name in names:
            orgs[(kind, name)] = org.get_or_create_organisation(None, council, kind, name)
    units: dict[str, HandlingUnit] = {name: org.save_unit(None, council, name=name, short_name=short)
                                      for name, short in data.UNITS}
    members: dict[str, Member] = {}
    for name, gender, division, committee, workplace in data.DEPUTIES:
        members[name] = org.save_member(
            None, council, term, name=name, gender=gender, workplace=workplace,
            delegation=orgs[(OrganisationKind.DELEGATION, f"{division}代表团")],
            special_committee=orgs[(OrganisationKind.SPECIAL_COMMITTEE, committee)] if committee else None)
    users: dict[str, Any] = {}
    for a in ACCOUNTS:
        users[a.key] = org.create_account(
            None, username=a.username, password=a.password, role=a.role, council=council,
            display_name=a.name, member=members.get(a.name) if a.role == Role.MEMBER else None)
    org.add_capacity(None, users["dual"], role=Role.UNIT_LEADER, council=council, unit=units[data.DUAL_UNIT])
    from lvzhi.demo.npc_cases import build_suggestions

    build_suggestions(council, users)
    from lvzhi.demo.npc_stations import build_stations

    build_stations(council, users)
    from lvzhi.demo.legislation import build_consultation

    build_consultation(council, users)
    from lvzhi.demo.npc_livelihood import build_livelihood

    build_livelihood(council, users)
    return users
