"""Meetings and attendance, speeches, and the scoring rules of the duty record (履职档案, 履职积分).

The duty record itself is not stored: it is computed from the records of every app through the act
providers (:mod:`lvzhi.duties.acts`), and scores from it by the council's rule set (:mod:`lvzhi.duties.scoring`).
Rule sets are data: items, groups with caps, grade bands and minimum duties (WORKFLOWS §7).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.cases.choices import InstructionStatus
from lvzhi.duties.choices import (
    CheckInMethod,
    ConsultationForm,
    ContributionKind,
    LeaveStatus,
    MeetingKind,
    Response,
    Split,
    TopicRole,
)

NOON = time(12, 0)


class Meeting(models.Model):
    """A meeting or activity of a council with its invitees (members or deputies)."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="meetings",
                                verbose_name=_("机构"))
    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    agenda = models.TextField(_("议程"), blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    start = models.DateTimeField(_("开始时间"))
    end = models.DateTimeField(_("结束时间"))
    counts_half_days = models.BooleanField(_("按半天计考勤"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["council", "start"])]

    def __str__(self) -> str:
        return self.title

    def slots(self) -> list[str]:
        """The attendance slots: ``[""]`` (the whole meeting) unless half-days are counted, then one per
        half-day between start and end in local time, as ``"YYYY-MM-DD上午"`` / ``"YYYY-MM-DD下午"``. A day's
        morning counts when the meeting runs before noon that day, its afternoon when it runs after noon."""
        if not self.counts_half_days:
            return [""]
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        out: list[str] = []
        day: date = start.date()
        while day <= end.date():
            begins = start if day == start.date() else datetime.combine(day, time(0), start.tzinfo)
            ends = end if day == end.date() else datetime.combine(day, time(23, 59), start.tzinfo)
            if begins.time() < NOON:
                out.append(f"{day.isoformat()}上午")
            if ends.time() > NOON:
                out.append(f"{day.isoformat()}下午")
            day += timedelta(days=1)
        return out or [""]

    def current_slot(self, when: datetime) -> str:
        """The slot ``when`` falls in (the nearest one of the meeting's slots)."""
        slots = self.slots()
        if slots == [""]:
            return ""
        local = timezone.localtime(when)
        label = f"{local.date().isoformat()}{'上午' if local.time() < NOON else '下午'}"
        if label in slots:
            return label
        return slots[0] if label < slots[0] else slots[-1]

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) > self.end


class Invitee(models.Model):
    """A member invited to a meeting, their answer and leave request (请假)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="meeting_invitations",
                               verbose_name=_("委员"))
    response = models.CharField(_("答复"), max_length=12, choices=Response.choices, default=Response.PENDING)
    leave_reason = models.CharField(_("请假事由"), max_length=300, blank=True)
    leave_status = models.CharField(_("请假审批"), max_length=12, choices=LeaveStatus.choices, blank=True,
                                    default=LeaveStatus.NONE)
    leave_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    leave_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "member__name", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="unique_meeting_invitee")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class CheckIn(models.Model):
    """A member present at a meeting (in one half-day slot, or ``""`` for the whole meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="checkins")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    slot = models.CharField(_("时段"), max_length=16, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(_("签到时间"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        constraints = [models.UniqueConstraint(fields=["meeting", "member", "slot"], name="unique_checkin")]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.meeting_id} {self.slot}"


class Contribution(models.Model):
    """A speech (大会发言, 委员通道) or written submission (书面发言) by a member, at a meeting or not."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="contributions",
                               verbose_name=_("委员"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="contributions", verbose_name=_("会议"))
    kind = models.CharField(_("类型"), max_length=20, choices=ContributionKind.choices)
    title = models.CharField(_("题目"), max_length=200)
    date = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["-date", "-id"]


# ---------------------------------------------------------------------------------------------- scoring

    def __str__(self) -> str:
        return self.title


class RuleSet(models.Model):
    """A council's scoring rules (履职量化考评办法): a base score, items in groups with caps, grade bands
    and minimum duties. The council's ``active`` rule set scores its members."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="duty_rule_sets",
                                verbose_name=_("机构"))
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    base_points = models.DecimalField(_("基础分"), max_digits=7, decimal_places=2, default=0)
    max_total = models.DecimalField(_("满分（总分上限）"), max_digits=7, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(_("启用"), default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考评规则")
        verbose_name_plural = _("考评规则")
        ordering = ["council", "-active", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unique_rule_set_name")]

    def __str__(self) -> str:
        return self.name


class RuleGroup(models.Model):
    """A heading of the rules whose items share one cap (e.g. 提交提案 25 分)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("类别"), max_length=100)
    cap = models.DecimalField(_("上限"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return self.name


class RuleItem(models.Model):
    """One scoring item: the acts of ``act_kind`` whose attributes match ``conditions`` (``{attr: value}``
    or ``{attr: [values]}``) earn ``points`` each (negative: a deduction), shared by ``split``; with ``per``
    an act earns ``points × act.attrs[per]``; the first ``skip_first`` matching acts earn nothing; the item
    earns at most ``cap`` (in absolute value) per period."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(RuleGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    order = models.PositiveIntegerField(default=0)
    label = models.CharField(_("项目"), max_length=200)
    act_kind = models.CharField(_("履职事项"), max_length=30)
    conditions = models.JSONField(_("条件"), default=dict, blank=True)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    split = models.CharField(_("联名计分"), max_length=12, choices=Split.choices, default=Split.FULL)
    co_share = models.DecimalField(_("联名人比例"), max_digits=5, decimal_places=3, default=1)
    per = models.CharField(_("按属性计量"), max_length=30, blank=True)
    skip_first = models.PositiveIntegerField(_("前若干件不计"), default=0)
    cap = models.DecimalField(_("上限"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return self.label


class GradeBand(models.Model):
    """A grade (等次): scores from ``min_score`` (inclusive; none = no lower bound) to ``max_score``
    (exclusive; none = no upper bound)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(_("等次"), max_length=20)
    min_score = models.DecimalField(_("最低分（含）"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("最高分（不含）"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return self.name


class MinimumDuty(models.Model):
    """A duty every member must do in the period (the seeds' "五个一", Jinan's "三个一"): at least
    ``min_count`` acts matching one of ``alternatives`` (a list of ``{"kind": …, "conditions": {…}}``)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="minimum_duties")
    label = models.CharField(_("基本履职要求"), max_length=200)
    alternatives = models.JSONField(_("满足方式"), default=list)
    min_count = models.PositiveIntegerField(_("至少次数"), default=1)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rule_set", "order", "id"]

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------------------------------------- consultation


class ConsultationPlan(models.Model):
    """The year's consultation plan (年度协商计划) of a council, approved by the party committee."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="consultation_plans",
                                verbose_name=_("机构"))
    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    approved_by = models.CharField(_("批准机关"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商计划")
        verbose_name_plural = _("协商计划")
        ordering = ["council", "-year"]
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="unique_consultation_plan")]

    def __str__(self) -> str:
        return self.title


class ConsultationTopic(models.Model):
    """A topic of the plan (协商议题): its form, lead committee, planned month, participants, the meeting
    where it was held and its outcome (协商成果) sent to the leaders."""

    plan = models.ForeignKey(ConsultationPlan, on_delete=models.CASCADE, related_name="topics")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("议题"), max_length=200)
    form = models.CharField(_("协商形式"), max_length=20, choices=ConsultationForm.choices)
    lead_committee = models.ForeignKey("members.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("牵头专委会"))
    month = models.PositiveIntegerField(_("计划月份"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics",
                                verbose_name=_("协商会议"))
    outcome = models.TextField(_("协商成果"), blank=True)
    outcome_sent_on = models.DateField(_("成果报送日期"), null=True, blank=True)
    thread_opened_on = models.DateField(_("网络议政开始日期"), null=True, blank=True)
    thread_closes_on = models.DateField(_("网络议政截止日期"), null=True, blank=True)
    thread_summary = models.TextField(_("网络议政综述"), blank=True)
    thread_summarised_at = models.DateTimeField(_("综述时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["plan", "month", "order", "id"]

    def __str__(self) -> str:
        return self.title


class TopicParticipant(models.Model):
    """A member taking part in a consultation topic (牵头 or 参加): a duty topic of the member's record."""

    topic = models.ForeignKey(ConsultationTopic, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    role = models.CharField(_("身份"), max_length=10, choices=TopicRole.choices, default=TopicRole.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="unique_topic_participant")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.member}"


class TopicPost(models.Model):
    """A participant's post in a topic's online consultation (网络议政 / 云端协商): members at home or abroad
    write their views between the opening day and the closing day; staff then write the summary (综述)."""

    topic = models.ForeignKey(ConsultationTopic, on_delete=models.CASCADE, related_name="posts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("委员"))
    text = models.TextField(_("发言内容"))
    created_at = models.DateTimeField(_("发言时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网络议政发言")
        verbose_name_plural = _("网络议政发言")
        ordering = ["topic", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.text[:20]}"


class OutcomeInstruction(models.Model):
    """A leader's instruction (批示) on a consultation outcome, to be carried out by the units named
    (:class:`InstructionTask`) by ``deadline`` (批示落实)."""

    topic = models.ForeignKey(ConsultationTopic, on_delete=models.CASCADE, related_name="instructions")
    leader_name = models.CharField(_("批示领导"), max_length=50)
    level = models.CharField(_("批示级别"), max_length=10)
    date = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    deadline = models.DateField(_("落实期限"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("协商成果批示")
        verbose_name_plural = _("协商成果批示")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.leader_name}：{self.text[:30]}"


class InstructionTask(models.Model):
    """One unit's part in carrying out an instruction: its status and what it reported (落实情况)."""

    instruction = models.ForeignKey(OutcomeInstruction, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("members.HandlingUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("承办单位"))
    status = models.CharField(_("落实情况"), max_length=15, choices=InstructionStatus.choices,
                              default=InstructionStatus.PENDING)
    note = models.TextField(_("落实说明"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instruction", "unit"], name="unique_instruction_task")]

    def __str__(self) -> str:
        return f"{self.instruction} · {self.unit}"
