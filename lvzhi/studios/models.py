"""Members' studios and sector work (委员工作室/工作站, 联系界别群众; the three-level platform 厅-室-家: 委员议事厅,
委员工作室, 委员之家 — issue 9 item 6): a studio with its members (one or more heads), the activities it holds
with the sector's people, who took part and what came of them (outcome: a proposal, a public-opinion report, a
problem solved …)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.members.models import Council, Member, Organisation
from lvzhi.workflow.models import Case


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


class Adoption(models.TextChoices):
    """How the unit's answer to a consultation item was taken up (recorded by staff after the reply; the act
    of the workflow that records it decides which)."""

    NONE = "", _("未确认")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class ConsultationItem(Case):
    """An item of the consultation list (协商清单事项) a 委员议事厅 activity produced (e.g. the city's hall:
    63 items from 10 programmes [seed 001]): numbered per year, raised by members, assigned to a handling unit
    through the core (:func:`lvzhi.cases.actions.assign`), answered by the unit through the core's reply, then
    its adoption (采纳/部分采纳/未采纳) and implementation (已落实) recorded by staff — each a workflow act, case
    type ``consultation_item``."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("机构"))
    activity = models.ForeignKey(StudioActivity, on_delete=models.PROTECT, related_name="consultation_items",
                                 verbose_name=_("议事活动"))
    number = models.CharField(_("清单编号"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("协商意见"), blank=True)
    year = models.PositiveIntegerField(_("年度"))
    raised_by = models.ManyToManyField(Member, related_name="+", verbose_name=_("提出委员"))
    is_key = models.BooleanField(_("重点督办"), default=False)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True, default="")
    adoption_note = models.TextField(_("采纳说明"), blank=True)
    implemented_on = models.DateField(_("落实日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    assignments = GenericRelation("cases.Assignment", related_query_name="consultation_item")
    follow_ups = GenericRelation("cases.FollowUp", related_query_name="consultation_item")
    instructions = GenericRelation("cases.Instruction", related_query_name="consultation_item")

    class Meta:
        verbose_name = _("协商清单事项")
        verbose_name_plural = _("协商清单事项")
        ordering = ["-year", "number", "id"]

    def __str__(self) -> str:
        return self.title

    # -- the interface of lvzhi.cases.registry.CaseModel -------------------------------------------------

    def roles_of(self, user: Any) -> set[str]:
        """``staff``/``admin`` and ``leader`` of the council, ``convener`` (a head of the hall whose activity
        produced the item), ``member`` (a member who raised it), ``unit_clerk``/``unit_leader`` of a unit
        it is assigned to (not withdrawn)."""
        from lvzhi.cases import people

        roles = people.council_and_unit_roles(self, user)
        member_id = people.member_id_of(user) if getattr(user, "is_authenticated", False) else None
        if member_id:
            if self.raised_by.filter(pk=member_id).exists():
                roles.add("member")
            if StudioMember.objects.filter(studio_id=self.activity.studio_id, member_id=member_id,
                                           is_head=True).exists():
                roles.add("convener")
        return roles

    def party_user_ids(self) -> set[int]:
        """The accounts of the members who raised the item (told of its progress)."""
        from django.contrib.auth import get_user_model

        return set(get_user_model().objects.filter(profile__member__in=self.raised_by.all())
                   .values_list("pk", flat=True))

    def evaluator_ids(self, joint_reply_mode: str) -> list[int]:
        """No opinion form: staff record the adoption instead."""
        return []

    def number_context(self) -> dict[str, Any]:
        return {"year": self.year, "term": "", "session": "", "term_id": None, "session_id": None}
