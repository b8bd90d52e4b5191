"""CPPCC proposals (提案) and what happens to them: co-signers, assignments, replies, evaluations.

Only ``lvzhi.proposals.actions`` writes these rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.proposals.choices import (
    AssignmentRole,
    AssignmentStatus,
    CoSignStatus,
    NotFiledGround,
    ProposerKind,
    ReplyStatus,
    Satisfaction,
)
from lvzhi.workflow.models import Case


class Category(models.Model):
    """A subject category of proposals (e.g. the 14 categories of the real Jiangsu proposals)."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="categories",
                                verbose_name=_("机构"))
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["council", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unique_category")]

    def __str__(self) -> str:
        return self.name


class Proposal(Case):
    """One proposal. ``number`` is the case number given at filing; ``serial`` the submission number."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="proposals",
                                verbose_name=_("机构"))
    session = models.ForeignKey("members.Session", on_delete=models.PROTECT, related_name="proposals",
                                verbose_name=_("会议"))
    serial = models.CharField(_("提交编号"), max_length=30, blank=True)
    number = models.CharField(_("案号"), max_length=40, blank=True, db_index=True)
    title = models.CharField(_("案由"), max_length=200)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="proposals", verbose_name=_("类别"))
    proposer_kind = models.CharField(_("提案者类型"), max_length=20, choices=ProposerKind.choices,
                                     default=ProposerKind.MEMBER)
    first_proposer = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="first_proposals", verbose_name=_("第一提案人"))
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="proposals", verbose_name=_("提案单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("录入人"))
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestions = models.TextField(_("具体建议"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    is_plenary = models.BooleanField(_("大会提案"), default=False)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    not_filed_ground = models.CharField(_("不予立案理由"), max_length=20, choices=NotFiledGround.choices,
                                        blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_proposals", verbose_name=_("并入"))
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervising_leader = models.CharField(_("督办领导"), max_length=100, blank=True)
    excellent_year = models.PositiveIntegerField(_("优秀提案年度"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    source = models.CharField(_("来源"), max_length=20, default="web")
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True, db_index=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "session", "state"]),
                   models.Index(fields=["council", "-submitted_at", "-id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def proposer_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name  # type: ignore[union-attr]
        return self.first_proposer.name if self.first_proposer_id else ""  # type: ignore[union-attr]

    def proposer_user_ids(self) -> set[int]:
        """Accounts that speak for the proposer: the first proposer's account, or the account that entered
        an organisation's proposal, or a member's proposal while that member has no account (a paper or
        imported proposal entered by staff)."""
        ids: set[int] = set()
        if self.first_proposer_id:
            profile = getattr(self.first_proposer, "profile", None)
            if profile is not None:
                ids.add(profile.user_id)
            elif self.created_by_id:
                ids.add(self.created_by_id)
        elif self.created_by_id:
            ids.add(self.created_by_id)
        return ids

    def roles_of(self, user: Any) -> set[str]:
        """Roles ``user`` holds on this proposal, for the workflow's transitions (see ``Transition.roles``)."""
        roles: set[str] = set()
        profile = profile_of(user)
        if profile is None:
            return roles
        if user.pk in self.proposer_user_ids():
            roles.add("proposer")
        if profile.member_id and self.cosigners.filter(member_id=profile.member_id).exists():
            roles.add("cosigner")
        if is_council_staff(user, self.council_id):
            roles.add("staff")
            if profile.role == Role.ADMIN:
                roles.add("admin")
        if is_council_leader(user, self.council_id):
            roles.add("leader")
        if profile.unit_id and self.assignments.filter(unit_id=profile.unit_id).exclude(
                status=AssignmentStatus.WITHDRAWN).exists():
            roles.add("unit_leader" if profile.role == Role.UNIT_LEADER else "unit_clerk")
        return roles


class CoSigner(models.Model):
    """A member invited to co-sign (联名) a proposal; answers before ``expires_at``."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="cosignatures",
                               verbose_name=_("联名人"))
    status = models.CharField(_("状态"), max_length=12, choices=CoSignStatus.choices,
                              default=CoSignStatus.PENDING)
    invited_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateField(_("确认截止日期"))
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="unique_cosigner")]

    def __str__(self) -> str:
        return str(self.member)


class Assignment(models.Model):
    """A proposal assigned (交办) to one handling unit in one role, with its deadlines.

    ``deadline`` is the reply deadline (3 months by default: the ``assigned`` state's time limit);
    ``sendback_deadline`` the last day the unit may send the case back (5 working days by default).
    ``round`` counts re-handling: 1 for the first handling.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("members.HandlingUnit", on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("承办单位"))
    role = models.CharField(_("办理方式"), max_length=10, choices=AssignmentRole.choices)
    status = models.CharField(_("状态"), max_length=15, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.HANDLING)
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    deadline = models.DateField(_("答复期限"))
    sendback_deadline = models.DateField(_("申退期限"))
    sendback_reason = models.TextField(_("申退理由"), blank=True)
    opinion = models.TextField(_("会办意见"), blank=True)
    opinion_sent_at = models.DateTimeField(null=True, blank=True)
    round = models.PositiveIntegerField(_("办理轮次"), default=1)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "id"]
        indexes = [models.Index(fields=["unit", "status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def replies_to_proposer(self) -> bool:
        return self.role != AssignmentRole.CO


class Reply(models.Model):
    """A unit's reply letter (答复): drafted by a clerk with a grade, signed off by the unit leader, sent."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveIntegerField(_("办理轮次"), default=1)
    grade = models.ForeignKey("workflow.ReplyGrade", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("答复类别"))
    text = models.TextField(_("答复内容"))
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("签发人"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=40, blank=True,
                                  help_text=_("签发时按承办单位的机关代字和年度顺序编排，如 江府建〔2026〕12号。"))

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["assignment", "round", "id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "round"], name="unique_reply_round")]

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.grade}"


class Evaluation(models.Model):
    """The proposer's satisfaction evaluation (满意度测评) of one reply [R12]."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("测评人"))
    attitude = models.CharField(_("办理态度"), max_length=12, choices=Satisfaction.choices)
    relevance = models.CharField(_("答复针对性"), max_length=12, choices=Satisfaction.choices)
    result = models.CharField(_("办理结果"), max_length=12, choices=Satisfaction.choices)
    overall = models.CharField(_("总体评价"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["reply", "evaluator"], name="unique_evaluation")]

    def __str__(self) -> str:
        return self.get_overall_display()


class FollowUp(models.Model):
    """A follow-up review (回头看) of a B/C reply's promise, until it is delivered [R19]."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follow_ups")
    note = models.TextField(_("跟踪情况"))
    delivered = models.BooleanField(_("已落实"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.note[:30]


class CaseNumberCounter(models.Model):
    """The next sequence number of filed proposals in a session (locked while a number is taken)."""

    session = models.OneToOneField("members.Session", on_delete=models.CASCADE, related_name="+")
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.session_id}: {self.last_value}"
