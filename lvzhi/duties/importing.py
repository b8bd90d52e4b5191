"""Importing a meeting's attendance sheet (签到表) from Excel, and its template.

Columns: 姓名 (required; an invitee of the meeting), 出席情况 (出席 / 请假 / 缺席; empty = 出席), 时段 (a
half-day such as ``2025-01-10上午`` when the meeting counts half-days; empty = every half-day). Every row
is checked first; any problem is reported with its Excel row number and column in Chinese and nothing is
written. Otherwise, in one transaction: 出席 rows are checked in (method 导入签到表), 请假 rows get an
approved leave (excused), 缺席 rows are left absent (unexcused). One audit entry for the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.errors import ForbiddenError
from lvzhi.duties.access import may_manage
from lvzhi.duties.actions import bulk_check_in
from lvzhi.duties.choices import LeaveStatus, Response
from lvzhi.duties.models import Invitee, Meeting
from lvzhi.members.importing import Column, RowError, Source, build_template, read_rows

COLUMNS: list[Column] = [
    Column("姓名", "name", True, "参会人员姓名，须在本次会议的参会名单中。", "张三", ("委员姓名", "代表姓名"), 50),
    Column("出席情况", "status", False, "填写“出席”“请假”或“缺席”；空白视为出席。", "出席", ("出席", "考勤")),
    Column("时段", "slot", False, "按半天计考勤的会议填写半天，如 2025-01-10上午；空白表示全部时段。", "",
           ("半天",)),
]
STATUSES = {"": "present", "出席": "present", "到会": "present", "签到": "present", "请假": "excused",
            "缺席": "absent", "未到": "absent"}


@dataclass
class AttendanceImport:
    """The outcome: counts written, or the problems (then nothing was written)."""

    rows: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"发现 {len(self.errors)} 处错误，未导入任何数据。"
        return f"共 {self.rows} 行：出席 {self.present}，请假 {self.excused}，缺席 {self.absent}。"


def template() -> bytes:
    """The attendance sheet template (.xlsx bytes)."""
    return build_template(COLUMNS, "签到表")


def import_attendance(actor: Any, meeting: Meeting, source: Source) -> AttendanceImport:
    """Import the attendance sheet ``source`` for ``meeting`` (see the module docstring). Raises
    :class:`ForbiddenError` for anyone but the council's staff; row problems come back in ``errors``."""
    if not may_manage(actor, meeting.council_id):
        raise ForbiddenError("只有本机构的工作人员可以导入签到表。")
    report = AttendanceImport()
    rows, errors, _present = read_rows(source, COLUMNS)
    if errors:
        report.errors = errors
        return report
    invitees: dict[str, list[Invitee]] = {}
    for inv in meeting.invitees.select_related("member"):
        invitees.setdefault(inv.member.name, []).append(inv)
    slots = meeting.slots()
    present: list[tuple[int, str]] = []
    excused: list[Invitee] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        name = values.get("name", "").replace(" ", "")
        if not name:
            report.errors.append(RowError(number, "姓名", "姓名不能为空。"))
            continue
        found = invitees.get(name, [])
        if not found:
            report.errors.append(RowError(number, "姓名", f"「{name}」不在本次会议的参会名单中。"))
            continue
        if len(found) > 1:
            report.errors.append(RowError(number, "姓名", f"参会名单中有 {len(found)} 位「{name}」，无法区分。"))
            continue
        status = STATUSES.get(values.get("status", "").strip())
        if status is None:
            report.errors.append(RowError(number, "出席情况",
                                          f"「{values['status']}」不是有效的出席情况，应为出席、请假或缺席。"))
            continue
        slot = values.get("slot", "").replace(" ", "")
        if slot and slot not in slots:
            report.errors.append(RowError(number, "时段", f"「{slot}」不是本次会议的时段（"
                                                        f"{'、'.join(s for s in slots if s) or '本会议不分时段'}）。"))
            continue
        key = f"{name}|{slot}"
        if key in seen:
            report.errors.append(RowError(number, "姓名", f"与第 {seen[key]} 行重复。"))
            continue
        seen[key] = number
        report.rows += 1
        if status == "present":
            report.present += 1
            present.extend((found[0].member_id, s) for s in ([slot] if slot else slots))
        elif status == "excused":
            report.excused += 1
            excused.append(found[0])
        else:
            report.absent += 1
    if report.errors:
        return report
    with transaction.atomic():
        bulk_check_in(meeting, present, actor=actor)
        for inv in excused:
            Invitee.objects.filter(pk=inv.pk).update(
                response=Response.LEAVE, leave_status=LeaveStatus.APPROVED, leave_decided_by=actor,
                leave_reason=inv.leave_reason or "签到表登记请假", responded_at=inv.responded_at or timezone.now())
        audit.record(meeting, "attendance_imported", actor=actor,
                     new={"rows": report.rows, "present": report.present, "excused": report.excused,
                          "absent": report.absent})
    return report
