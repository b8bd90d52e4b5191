"""A people's congress (tests/cases/npc.py) with two liaison stations and a station staff account, built
through the real writers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from lvzhi.members import actions as org
from lvzhi.members.choices import Role
from lvzhi.stations import actions as st
from lvzhi.stations.models import Station
from tests.cases.npc import NPC, build_npc
from tests.conftest import PASSWORD


@dataclass
class World:
    npc: NPC
    central: Station
    ordinary: Station
    station_staff: Any  # the central station's staff account (a street-office clerk), not council staff

    def user(self, name: str) -> Any:
        return self.npc.user(name)


def build_world(name: str = "测试市人大常委会") -> World:
    npc = build_npc(name)
    d = npc.deputies
    central = st.save_station(npc.user("staff"), npc.council, name="白沙街道中心联络站", level="central",
                              district="蓬江区", town="白沙街道", address="白沙大道 1 号", opening_hours="每周三上午",
                              contact_name="李工作人员", phone="0750-3000001", deputies=[d[0], d[1], d[2]])
    ordinary = st.save_station(npc.user("staff"), npc.council, name="会城街道普通联络站", level="ordinary",
                               district="新会区", town="会城街道", address="会城中心路 8 号", deputies=[d[3]])
    # the station's own staff: a clerk of the street office that keeps it (no rights of the council's staff)
    office = org.save_unit(None, npc.council, name="白沙街道办事处")
    station_staff = org.create_account(None, username=f"{name}-station", password=PASSWORD,
                                       role=Role.UNIT_CLERK, council=npc.council, unit=office)
    st.save_station(npc.user("staff"), npc.council, station=central, staff=[station_staff],
                    **{k: getattr(central, k) for k in ("name", "level", "district", "town", "address",
                                                        "opening_hours", "contact_name", "phone")})
    return World(npc, central, ordinary, station_staff)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
