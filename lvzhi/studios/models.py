"""Members' studios and sector work (委员工作室/工作站, 联系界别群众; the three-level platform 厅-室-家: 委员议事厅,
委员工作室, 委员之家 — issue 9 item 6): a studio with its members (one or more heads), the activities it holds
with the sector's people, who took part and what came of them (outcome: a proposal, a public-opinion report, a
problem solved …)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, Member, Organisation


class StudioKind(models.TextChoices):
    HALL = "hall", _("委员议事厅")
    STUDIO = "studio", _("委员工作室")
    STATION = "station", _("委员工作站")
    HOME = "home", _("委员之家")


class ActivityKind(models.TextChoices):
    SECTOR = "sector", _("联系界别群众")
    CONSULTATION = "consultation", _("协商议事")
    RESEARCH = "research", _("调研走访")
    OUTREACH = "outreach", _("宣讲服务")


class OutcomeKind(models.TextChoices):
    NONE = "", _("无")
    PROPOSAL = "proposal", _("形成提案")
    REPORT = "report", _("形成社情民意信息")
    SOLVED = "solved", _("推动解决问题")
    OTHER = "other", _("其他成果")


class Studio(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=StudioKind.choices)
    sector = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("界别"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("委员工作室")
        verbose_name_plural = _("委员工作室")
        ordering = ["kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="studios_name_once")]

    def __str__(self) -> str:
        return self.name


class StudioMember(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="members", verbose_name=_("工作室"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("委员/代表"))
    is_head = models.BooleanField(_("负责人"), default=False)

    class Meta:
        verbose_name = _("工作室成员")
        verbose_name_plural = _("工作室成员")
        constraints = [models.UniqueConstraint(fields=["studio", "member"], name="studios_member_once")]

    def __str__(self) -> str:
        return str(self.member)


class StudioActivity(models.Model):
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="activities", verbose_name=_("工作室"))
    day = models.DateField(_("日期"))
    title = models.CharField(_("活动名称"), max_length=200)
    kind = models.CharField(_("活动类型"), max_length=14, choices=ActivityKind.choices)
    people_reached = models.PositiveIntegerField(_("联系群众（人次）"), default=0)
    participants = models.ManyToManyField(Member, related_name="+", verbose_name=_("参加委员/代表"))
    summary = models.TextField(_("活动情况"), blank=True)
    outcome_kind = models.CharField(_("成果类型"), max_length=10, choices=OutcomeKind.choices, blank=True, default="")
    outcome = models.TextField(_("活动成果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("工作室活动")
        verbose_name_plural = _("工作室活动")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.title
