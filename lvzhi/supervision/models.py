"""Supervision and research topics (issue 9, item 3): a CPPCC's 民主监督 and 调查研究, a people's congress's
专题调研, 执法检查, 专题询问 and 听取审议专项工作报告 — a topic with its plan, its group (members or deputies, and experts), field visits,
a report with findings and recommendations; each finding is a tracked item assigned to a handling unit, followed
through its correction (整改: the unit reports, staff confirm or send it back) to the follow-up check (跟踪督办:
the correction holds, or the problem came back and the item is open again)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, HandlingUnit, Member


class TopicKind(models.TextChoices):
    SUPERVISION = "supervision", _("民主监督")
    RESEARCH = "research", _("调查研究")
    NPC_RESEARCH = "npc_research", _("专题调研")
    ENFORCEMENT = "enforcement", _("执法检查")
    INQUIRY = "inquiry", _("专题询问")
    DELIBERATION = "deliberation", _("听取审议专项工作报告")


#: The kinds each kind of council carries out (a CPPCC supervises democratically and researches; a people's
#: congress's standing committee researches, inspects law enforcement, holds special inquiries and hears and
#: deliberates the government's special work reports, each with its findings followed through 整改 to 跟踪督办).
KINDS_BY_COUNCIL = {"cppcc": (TopicKind.SUPERVISION, TopicKind.RESEARCH),
                    "npc": (TopicKind.NPC_RESEARCH, TopicKind.ENFORCEMENT, TopicKind.INQUIRY, TopicKind.DELIBERATION)}


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY_LEADER = "deputy_leader", _("副组长")
    MEMBER = "member", _("成员")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    REPORTED = "reported", _("已报整改情况")
    CORRECTED = "corrected", _("整改完成")
    CHECKED = "checked", _("跟踪督办完成")


class Topic(models.Model):
    """A supervision or research topic of a council's year, with its plan and, once done, its report."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    kind = models.CharField(_("类型"), max_length=16, choices=TopicKind.choices)
    title = models.CharField(_("题目"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    lead_body = models.CharField(_("牵头单位"), max_length=100, blank=True)
    plan = models.TextField(_("工作方案"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    report = models.TextField(_("报告（主要发现）"), blank=True)
    recommendations = models.TextField(_("意见建议"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("监督调研课题")
        verbose_name_plural = _("监督调研课题")
        ordering = ["-year", "-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class GroupMember(models.Model):
    """A member (委员) or deputy (代表) in a topic's group."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="group", verbose_name=_("课题"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员/代表"))
    role = models.CharField(_("分工"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)

    class Meta:
        verbose_name = _("课题组成员")
        verbose_name_plural = _("课题组成员")
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="supervision_group_once")]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()})"


class Expert(models.Model):
    """An expert invited to a topic's group (智库专家, scholars, professionals)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="experts", verbose_name=_("课题"))
    name = models.CharField(_("姓名"), max_length=50)
    affiliation = models.CharField(_("单位及职务"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")

    def __str__(self) -> str:
        return self.name


class FieldVisit(models.Model):
    """A field visit (实地走访, 暗访, 座谈) of the group."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="visits", verbose_name=_("课题"))
    day = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    notes = models.TextField(_("情况记录"), blank=True)

    class Meta:
        verbose_name = _("实地走访")
        verbose_name_plural = _("实地走访")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.place}"


class Finding(models.Model):
    """A problem found, with its recommendation, assigned to ``unit`` to correct by ``due``."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="findings", verbose_name=_("课题"))
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改单位"))
    text = models.TextField(_("问题"))
    recommendation = models.TextField(_("建议"), blank=True)
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    correction = models.TextField(_("整改情况"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    check_note = models.TextField(_("跟踪督办情况"), blank=True)
    checked_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    reopened = models.PositiveIntegerField(_("退回或反弹次数"), default=0)

    class Meta:
        verbose_name = _("发现的问题")
        verbose_name_plural = _("发现的问题")
        ordering = ["topic", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Question(models.Model):
    """A question put at a special inquiry (专题询问), a joint conference (联席会议) or a meeting hearing a report,
    with the unit that answered it on the spot (应询单位) and the answer."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="questions", verbose_name=_("课题"))
    asked_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("提问人"))
    day = models.DateField(_("日期"))
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("应询单位"))
    respondent = models.CharField(_("应询人"), max_length=100, blank=True)
    question = models.TextField(_("问题"))
    answer = models.TextField(_("答复要点"), blank=True)

    class Meta:
        verbose_name = _("询问与应询")
        verbose_name_plural = _("询问与应询")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return self.question[:40]
