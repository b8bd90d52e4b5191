"""Meetings, leave and attendance through the writers: the rules of WORKFLOWS §7 (present / excused with
approved leave / unexcused) and the bad input the issue names (QR of another meeting or after it, double
check-in, unknown member in an attendance sheet) — clear Chinese errors, nothing half-written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.duties import actions as act
from lvzhi.duties.importing import import_attendance
from lvzhi.duties.models import CheckIn, Invitee
from lvzhi.duties.providers import meeting_acts
from lvzhi.duties.tokens import make_token
from tests.conftest import World
from tests.duties.conftest import aware, meeting, xlsx

pytestmark = pytest.mark.django_db


def outcomes(world: World) -> dict[tuple[int, str], dict[str, Any]]:
    """(member name, meeting title) → attributes of the meeting act."""
    today = timezone.localdate()
    return {(a.member_id, a.title): dict(a.attrs) for a in meeting_acts(
        world.council, today - timedelta(days=3650), today + timedelta(days=365), None)}


def test_only_staff_create_meetings_and_end_must_follow_start(world: World) -> None:
    with pytest.raises(ForbiddenError):
        act.create_meeting(world.user("member0"), world.council, kind="plenary", title="x",
                           start=timezone.now(), end=timezone.now() + timedelta(hours=1))
    t = timezone.now()
    with pytest.raises(DomainError) as exc:
        act.create_meeting(world.user("staff"), world.council, kind="plenary", title="全会", start=t, end=t)
    assert exc.value.field == "end" and "结束时间须晚于开始时间" in exc.value.message
    with pytest.raises(DomainError) as exc:
        act.create_meeting(world.user("staff"), world.council, kind="party", title="全会",
                           start=timezone.now(), end=timezone.now() + timedelta(hours=1))
    assert exc.value.field == "kind"
    assert not AuditEntry.objects.filter(event="meeting_created").exists()


def test_leave_approved_is_excused_refused_is_unexcused_none_is_unexcused(world: World) -> None:
    m = meeting(world, title="十四届三次全会", start=timezone.now() + timedelta(days=1))
    zhang, li, wang = world.members
    with pytest.raises(DomainError) as exc:
        act.respond(world.user("member0"), m.pk, attend=False, reason="  ")
    assert exc.value.field == "reason" and "请假事由" in exc.value.message
    act.respond(world.user("member0"), m.pk, attend=False, reason="出差")
    act.respond(world.user("member1"), m.pk, attend=False, reason="身体原因")
    inv0 = Invitee.objects.get(meeting=m, member=zhang)
    inv1 = Invitee.objects.get(meeting=m, member=li)
    with pytest.raises(ForbiddenError):
        act.decide_leave(world.user("member2"), inv0.pk, approve=True)
    act.decide_leave(world.user("staff"), inv0.pk, approve=True)
    act.decide_leave(world.user("staff"), inv1.pk, approve=False, note="会议重要")
    with pytest.raises(DomainError):  # decided already
        act.decide_leave(world.user("staff"), inv1.pk, approve=True)
    # the meeting is not over: nobody is absent yet
    assert outcomes(world) == {}
    # move the meeting into the past (as if a day passed)
    m.start, m.end = timezone.now() - timedelta(hours=5), timezone.now() - timedelta(hours=2)
    m.save()
    got = outcomes(world)
    assert got[(zhang.pk, m.title)]["outcome"] == "excused"     # approved leave
    assert got[(li.pk, m.title)]["outcome"] == "unexcused"      # refused leave
    assert got[(wang.pk, m.title)]["outcome"] == "unexcused"    # no answer, not present


def test_qr_check_in_is_idempotent_and_refuses_other_meetings_and_late_scans(world: World) -> None:
    m = meeting(world, title="常委会议")
    other = meeting(world, title="调研座谈", kind="research")
    zhang = world.members[0]
    token = make_token(m)
    first = act.check_in(world.user("member0"), m.pk, token)
    assert not first.already and "签到成功" in first.message
    again = act.check_in(world.user("member0"), m.pk, token)
    assert again.already and "已于" in again.message and "无需重复签到" in again.message
    assert CheckIn.objects.filter(meeting=m, member=zhang).count() == 1
    with pytest.raises(DomainError) as exc:
        act.check_in(world.user("member1"), other.pk, token)
    assert "不是本次会议的签到码" in exc.value.message
    with pytest.raises(DomainError) as exc:
        act.check_in(world.user("member1"), m.pk, token + "x")
    assert "无效" in exc.value.message
    with pytest.raises(DomainError) as exc:
        act.check_in(world.user("member1"), m.pk, token, now=m.end + timedelta(minutes=1))
    assert "会议已结束" in exc.value.message
    with pytest.raises(NotFoundError):
        act.check_in(world.user("staff"), m.pk, token)
    assert CheckIn.objects.filter(meeting__in=[m, other]).count() == 1
    assert AuditEntry.objects.filter(event="checked_in").count() == 1


def test_half_days_are_counted_per_slot(world: World) -> None:
    # 2025-01-10 09:00 to 2025-01-11 12:00: 10th morning and afternoon, 11th morning = 3 half-days
    start = aware(2025, 1, 10, 9, 0)
    m = act.create_meeting(world.user("staff"), world.council, kind="plenary", title="全体会议（三个半天）",
                           start=start, end=aware(2025, 1, 11, 12, 0), counts_half_days=True,
                           invitees=world.members)
    assert m.slots() == ["2025-01-10上午", "2025-01-10下午", "2025-01-11上午"]
    zhang, li, wang = world.members
    act.mark_attendance(world.user("staff"), m.pk, present=[zhang.pk, li.pk], slot="2025-01-10上午")
    act.mark_attendance(world.user("staff"), m.pk, present=[zhang.pk, li.pk], slot="2025-01-10下午")
    act.mark_attendance(world.user("staff"), m.pk, present=[zhang.pk], slot="2025-01-11上午")
    with pytest.raises(DomainError) as exc:
        act.mark_attendance(world.user("staff"), m.pk, present=[zhang.pk], slot="2025-01-12上午")
    assert exc.value.field == "slot"
    got = outcomes(world)
    assert got[(zhang.pk, m.title)] == {"meeting_kind": "plenary", "outcome": "present", "present_half_days": 3,
                                        "excused_half_days": 0, "unexcused_half_days": 0}
    # Li missed the 11th morning without leave: one unexcused half-day makes the meeting unexcused
    assert got[(li.pk, m.title)]["unexcused_half_days"] == 1 and got[(li.pk, m.title)]["outcome"] == "unexcused"
    assert got[(wang.pk, m.title)]["unexcused_half_days"] == 3
    # unticking Li's 10th afternoon
    assert act.mark_attendance(world.user("staff"), m.pk, present=[zhang.pk], slot="2025-01-10下午") == \
        {"added": 0, "removed": 1}


def test_attendance_sheet_imports_all_or_nothing_with_row_numbers(world: World) -> None:
    m = act.create_meeting(world.user("staff"), world.council, kind="plenary", title="全会",
                           start=aware(2025, 1, 10, 9, 0), end=aware(2025, 1, 10, 17, 0), invitees=world.members)
    bad = xlsx([["姓名", "出席情况"], ["张三", "出席"], ["赵六", "出席"], ["王五", "迟到"]])
    report = import_attendance(world.user("staff"), m, bad)
    assert not report.ok and report.summary() == "发现 2 处错误，未导入任何数据。"
    assert [(e.row, e.column) for e in report.errors] == [(3, "姓名"), (4, "出席情况")]
    assert str(report.errors[0]) == "第 3 行「姓名」列：「赵六」不在本次会议的参会名单中。"
    assert not CheckIn.objects.filter(meeting=m).exists()
    good = xlsx([["姓名", "出席情况"], ["张三", "出席"], ["李四", "请假"], ["王五", "缺席"]])
    report = import_attendance(world.user("staff"), m, good)
    assert report.ok, report.errors
    assert (report.present, report.excused, report.absent) == (1, 1, 1)
    got = outcomes(world)
    zhang, li, wang = world.members
    assert [got[(x.pk, "全会")]["outcome"] for x in (zhang, li, wang)] == ["present", "excused", "unexcused"]
    with pytest.raises(ForbiddenError):
        import_attendance(world.user("member0"), m, xlsx([["姓名"], ["张三"]]))


def test_contributions_are_recorded_by_staff(world: World) -> None:
    m = meeting(world)
    row = act.record_contribution(world.user("staff"), world.council, member=world.members[0], kind="written",
                                  title="关于侨乡文旅融合的书面发言", meeting=m)
    assert row.date == timezone.localdate(m.start)
    with pytest.raises(DomainError) as exc:
        act.record_contribution(world.user("staff"), world.council, member=world.members[0], kind="written",
                                title="", meeting=m)
    assert exc.value.field == "title"
