from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from lvzhi.duties import actions as act
from lvzhi.duties.models import Meeting
from tests.conftest import World


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def meeting(world: World, *, kind: str = "plenary", title: str = "全体会议", start: datetime | None = None,
            hours: float = 3, half_days: bool = False, invite: int | None = None) -> Meeting:
    start = start or timezone.now() - timedelta(minutes=30)
    members = world.members if invite is None else world.members[:invite]
    return act.create_meeting(world.user("staff"), world.council, kind=kind, title=title, start=start,
                              end=start + timedelta(hours=hours), place="市民中心", counts_half_days=half_days,
                              invitees=members)


@pytest.fixture
def staff(world: World) -> Any:
    return world.user("staff")


YEAR = 2025


def _attend(world: World, title: str, kind: str, day: tuple[int, int], present: list[int],
            leave: dict[int, bool] | None = None) -> Meeting:
    """A 2025 meeting of all three members: ``present`` (member indexes) ticked by staff; ``leave`` maps a
    member index to whether their leave request was approved."""
    staff = world.user("staff")
    start = aware(YEAR, *day, 9, 0)
    m = act.create_meeting(staff, world.council, kind=kind, title=title, start=start,
                           end=aware(YEAR, *day, 12, 0), invitees=world.members)
    for idx, approved in (leave or {}).items():
        from lvzhi.duties.models import Invitee
        inv = Invitee.objects.get(meeting=m, member=world.members[idx])
        Invitee.objects.filter(pk=inv.pk).update(response="leave", leave_reason="出差", leave_status="pending")
        act.decide_leave(staff, inv.pk, approve=approved)
    act.mark_attendance(staff, m.pk, present=[world.members[i].pk for i in present])
    return m


def build_record(world: World) -> None:
    """A year (2025) of records for 张三 (0), 李四 (1), 王五 (2) — the scenario the scoring tests work out
    by hand:

    meetings: plenary 01-10 (张三 present, 李四 approved leave, 王五 refused leave); standing 04-15 (张三
    present, 李四 absent without leave, 王五 approved leave); research 05-20 (张三, 李四); inspection 06-10,
    forum 07-01, training 08-01, sector 09-01, welfare 10-01 (张三 only); 张三's written speech at the plenary.
    proposals: P1 张三 + co-signer 李四, filed, key, excellent (02-01); P2 张三 alone, filed (02-02); P3 张三
    alone, not filed (02-03); P4 李四 + co-signers 张三 and 王五, filed (02-04).
    reports: R1 张三 adopted (03-01); R2 王五 not adopted (03-02); R3 王五 adopted (03-03).
    """
    from lvzhi.opinions import actions as op
    from lvzhi.proposals import actions as pa

    staff = world.user("staff")
    plenary = _attend(world, "2025年全体会议", "plenary", (1, 10), [0], {1: True, 2: False})
    _attend(world, "常委会第五次会议", "standing", (4, 15), [0], {2: True})
    _attend(world, "民营经济专题调研", "research", (5, 20), [0, 1])
    _attend(world, "河长制视察", "inspection", (6, 10), [0])
    _attend(world, "界别座谈会", "forum", (7, 1), [0])
    _attend(world, "委员讲堂", "training", (8, 1), [0])
    _attend(world, "经济界联系群众活动", "sector", (9, 1), [0])
    _attend(world, "助学公益活动", "welfare", (10, 1), [0])
    act.record_contribution(staff, world.council, member=world.members[0], kind="written",
                            title="关于侨乡文旅融合发展的书面发言", meeting=plenary)

    def proposal(i: int, title: str, day: int, cos: list[int], *, filed: bool = True, key: bool = False,
                 excellent: bool = False) -> None:
        author = world.user(f"member{i}")
        p = pa.create_proposal(author, session=world.session, title=title, suggestions="具体建议",
                               proposer_kind="joint" if cos else "member",
                               cosigners=[world.members[c] for c in cos])
        for c in cos:
            pa.respond_to_invitation(world.user(f"member{c}"), p.pk, accept=True)
        pa.submit_proposal(author, p.pk, at=aware(YEAR, 2, day, 10, 0))
        if filed:
            pa.file_proposal(staff, p.pk)
        if key:
            pa.set_key_proposal(staff, p.pk, is_key=True, supervising_leader="市长")
        if excellent:
            pa.mark_excellent(staff, p.pk, year=YEAR)

    proposal(0, "关于建设侨乡文化街区的提案", 1, [1], key=True, excellent=True)
    proposal(0, "关于完善公交线网的提案", 2, [])
    proposal(0, "关于增设社区食堂的提案", 3, [], filed=False)
    proposal(1, "关于加强职业教育的提案", 4, [0, 2])

    def report(i: int, title: str, day: int, adopted: bool) -> None:
        author = world.user(f"member{i}")
        r = op.create_report(author, council=world.council, title=title, situation="情况", suggestion="建议")
        op.submit_report(author, r.pk, at=aware(YEAR, 3, day, 10, 0))
        op.screen_report(staff, r.pk, decision="adopt" if adopted else "keep")

    report(0, "关于老旧小区加装电梯的社情民意", 1, True)
    report(2, "关于校外培训的社情民意", 2, False)
    report(2, "关于农村养老的社情民意", 3, True)


@pytest.fixture
def record_world(world: World) -> World:
    build_record(world)
    return world
