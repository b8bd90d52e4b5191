"""Leaders' visits to members' firms (领导联系委员企业, issue 9 item 4; the seeds: "走访企业800多家，反映企业共性问题
24个、个性问题64个，由相关部门逐条研究、推动解决"): a visit by a council leader to a firm (usually a member's),
the issues the firm raised, each classified common (共性) or individual (个性) and routed to a handling unit, which
answers; staff then confirm it solved or send it back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, HandlingUnit, Member


class IssueScope(models.TextChoices):
    COMMON = "common", _("共性问题")
    INDIVIDUAL = "individual", _("个性问题")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    ANSWERED = "answered", _("单位已答复")
    SOLVED = "solved", _("已解决")


class FirmVisit(models.Model):
    """One visit: the firm, the member whose firm it is (if any), the leader who led it, the day."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    firm = models.CharField(_("企业名称"), max_length=200)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("委员/代表"))
    leader = models.CharField(_("带队领导"), max_length=100)
    day = models.DateField(_("走访日期"))
    notes = models.TextField(_("走访情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))

    class Meta:
        verbose_name = _("走访企业")
        verbose_name_plural = _("走访企业")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.firm}"


class FirmIssue(models.Model):
    """An issue the firm raised, routed to ``unit``."""

    visit = models.ForeignKey(FirmVisit, on_delete=models.CASCADE, related_name="issues", verbose_name=_("走访"))
    text = models.TextField(_("问题"))
    scope = models.CharField(_("类别"), max_length=12, choices=IssueScope.choices)
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位"))
    due = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    answer = models.TextField(_("办理情况"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    solved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    returned = models.PositiveIntegerField(_("退回次数"), default=0)

    class Meta:
        verbose_name = _("企业反映的问题")
        verbose_name_plural = _("企业反映的问题")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.text[:40]
