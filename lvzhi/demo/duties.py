"""Demo meetings, attendance and scoring rules (履职档案) for the demo councils, built through the writers of
:mod:`lvzhi.duties.actions`.

For each demo council without meetings: the 2024 meetings and activities of the year (the plenary of the
session in January, two standing-committee meetings, a special consultation, research, an inspection, a
training, a sector activity and a public-welfare activity), each with invitees who confirmed, asked for
leave (approved or refused) or were absent, attendance ticked by staff, and speeches at the plenary; then
one meeting under way today (to try the QR check-in) and one next week (to ask for leave). The CPPCC
gets its 2024 consultation plan (four topics, one held with its outcome and a leader's instruction
carried out by two units, one done) and the three example rule sets
with the Tongcheng rules active. Idempotent: a council that has meetings
is left as it is.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from lvzhi.duties import actions as act
from lvzhi.duties.models import Invitee, Meeting, RuleSet
from lvzhi.members.choices import CouncilKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Profile

YEAR = 2024

#: (month, day, kind, title, share of members invited, half-days counted)
MEETINGS: list[tuple[int, int, str, str, float, bool]] = [
    (1, 9, "plenary", "全体会议", 1.0, True),
    (3, 28, "standing", "常务委员会第五次会议", 0.3, False),
    (4, 18, "consultation", "“推进侨乡文旅融合发展”专题协商会", 0.4, False),
    (5, 23, "research", "民营经济高质量发展专题调研", 0.3, False),
    (6, 20, "inspection", "河长制落实情况视察", 0.3, False),
    (7, 11, "training", "委员讲堂：数字经济与产业升级", 0.6, False),
    (9, 12, "sector", "经济界别联系群众活动", 0.3, False),
    (10, 17, "welfare", "助学公益活动", 0.3, False),
    (11, 28, "standing", "常务委员会第六次会议", 0.3, False),
]
REASONS = ["出差在外", "工作冲突", "身体原因", "参加上级会议"]


def _staff(council: Council) -> Any:
    profile = Profile.objects.filter(council=council, role=Role.STAFF).select_related("user").order_by("id").first()
    return profile.user if profile is not None else None


def _aware(day: datetime) -> datetime:
    return timezone.make_aware(day, timezone.get_current_timezone())


def build_duties(council: Council) -> int:
    """Build the demo meetings of ``council`` (see the module docstring). Returns the number of meetings
    created (0 when it already had some or has no staff account or members)."""
    staff = _staff(council)
    members = list(Member.objects.filter(council=council, active=True).order_by("id"))
    if staff is None or not members or Meeting.objects.filter(council=council).exists():
        return 0
    rng = random.Random(council.pk * 7919)
    created = 0
    demo = {p.member_id for p in Profile.objects.filter(council=council, role=Role.MEMBER, member__isnull=False)}
    title_prefix = f"{council.short_name or council.name}"
    for month, day, kind, title, share, half in MEETINGS:
        start = _aware(datetime(YEAR, month, day, 9, 0))
        end = _aware(datetime(YEAR, month, day + 2, 12, 0)) if half else start + timedelta(hours=3)
        invited = [m for m in members if m.pk in demo or rng.random() < share]
        meeting = act.create_meeting(staff, council, kind=kind, title=f"{title_prefix}{title}", start=start, end=end,
                                     place="江门市民中心" if kind in ("plenary", "standing") else "江门市",
                                     counts_half_days=half, invitees=invited, is_demo=True)
        created += 1
        for inv in Invitee.objects.filter(meeting=meeting).select_related("member"):
            r = rng.random()
            if inv.member_id in demo or r < 0.82:
                continue
            # a leave request decided by staff (recorded directly: the meeting is long past)
            Invitee.objects.filter(pk=inv.pk).update(response="leave", leave_reason=rng.choice(REASONS),
                                                     leave_status="pending")
            if r < 0.95:
                act.decide_leave(staff, inv.pk, approve=r < 0.92)
        absent = set(Invitee.objects.filter(meeting=meeting, leave_status__in=["approved", "refused"])
                     .values_list("member_id", flat=True))
        present = [m.pk for m in invited if m.pk not in absent and (m.pk in demo or rng.random() < 0.95)]
        for slot in meeting.slots():
            act.mark_attendance(staff, meeting.pk, present=present, slot=slot)
        if kind == "plenary":
            speakers = [m for m in invited if m.pk in present][:4]
            for i, m in enumerate(speakers):
                act.record_contribution(staff, council, member=m, kind=["plenary_speech", "written",
                                                                        "members_channel", "written"][i],
                                        title=f"关于{['侨乡文旅融合', '制造业当家', '乡村振兴', '养老服务'][i]}的发言",
                                        meeting=meeting)
    now = timezone.localtime()
    today = _aware(datetime.combine(now.date(), time(8, 30)))
    act.create_meeting(staff, council, kind="forum", title=f"{title_prefix}委员座谈会（今日，可扫码签到）",
                       start=today, end=today + timedelta(hours=14), place="委员之家", invitees=members,
                       is_demo=True)
    nxt = today + timedelta(days=7, hours=0.5)
    act.create_meeting(staff, council, kind="consultation", title=f"{title_prefix}提案办理协商会（下周）",
                       start=nxt, end=nxt + timedelta(hours=3), place="江门市民中心", invitees=members,
                       agenda="一、通报重点提案办理情况；二、委员与承办单位协商。", is_demo=True)
    if council.kind == CouncilKind.CPPCC:
        _plan(council, staff, members, rng)
    if council.kind == CouncilKind.CPPCC and not RuleSet.objects.filter(council=council).exists():
        act.install_example(staff, council, "tongcheng", activate=True)
        act.install_example(staff, council, "jinan")
        act.install_example(staff, council, "jiangmen")
    return created + 2


TOPICS = [("推进侨乡文旅融合发展", "special", 4), ("优化营商环境", "counterpart", 6),
          ("重点提案办理", "proposal", 8), ("制造业当家", "hall", 10)]


def _plan(council: Council, staff: Any, members: list[Member], rng: random.Random) -> None:
    """The 2024 consultation plan: four topics with participants; the special consultation held at the
    demo meeting with its outcome sent to the leaders."""
    plan = act.create_plan(staff, council, year=YEAR, title=f"{YEAR}年度协商工作计划")
    act.approve_plan(staff, plan.pk, approved_by="中共江门市委", approved_on=datetime(YEAR, 2, 26).date())
    for title, form, month in TOPICS:
        chosen = [m for m in members if rng.random() < 0.3] or members[:1]
        topic = act.add_topic(staff, plan.pk, title=title, form=form, month=month,
                              participants=[(chosen[0], "lead"), *((m, "member") for m in chosen[1:])])
        if form == "special":
            meeting = Meeting.objects.filter(council=council, kind="consultation", start__year=YEAR).first()
            if meeting is not None:
                act.hold_topic(staff, topic.pk, meeting)
                act.record_outcome(staff, topic.pk, outcome="形成《关于推进侨乡文旅融合发展的协商报告》，提出 8 条建议。",
                                   sent_on=datetime(YEAR, 5, 10).date())
                units = list(HandlingUnit.objects.filter(council=council, active=True).order_by("id")[:2])
                if units:
                    ins = act.instruct_outcome(staff, topic.pk, leader_name="市委主要领导", level="city",
                                               day=datetime(YEAR, 5, 20).date(), units=units,
                                               text="请相关部门认真研究协商报告的建议，抓好落实。",
                                               deadline=datetime(YEAR, 8, 31).date())
                    first = ins.tasks.get(unit=units[0])
                    act.report_delivery(staff, first.pk, status="done", note="已制定侨乡文旅融合三年行动方案。")


def ensure_duties(councils: list[Council]) -> int:
    """:func:`build_duties` for each of ``councils``, then their supervision topics and firm visits
    (:mod:`lvzhi.demo.supervision`); the number of meetings created."""
    from lvzhi.demo.supervision import build_hall, build_studios, build_supervision

    created = sum(build_duties(c) for c in councils)
    for council in councils:
        build_supervision(council)
        build_studios(council)
        build_hall(council)
    return created
