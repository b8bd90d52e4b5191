"""The handling core every case type shares: policy, numbering, assignment, replies, evaluation, follow-up,
instructions and key-case supervision.

A case of any registered type (:mod:`lvzhi.cases.registry`) is referred to generically (content type + id);
the case model declares ``GenericRelation`` fields to :class:`Assignment`, :class:`FollowUp` and
:class:`Instruction`. Only :mod:`lvzhi.cases.actions` writes these rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.cases.choices import (
    REPLYING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    ContactWay,
    InstructionStatus,
    JointReplyMode,
    NumberScope,
    ReplyKind,
    ReplyStatus,
)
from lvzhi.core.models import TimeUnit


def default_act_roles() -> dict[str, list[str]]:
    """Who may take the acts that are not workflow transitions (roles relative to the case)."""
    return {"reassign": ["staff"], "extend": ["staff"], "key": ["staff"], "excellent": ["staff"],
            "follow_up": ["staff", "leader"], "instruct": ["leader"], "evaluate_for": ["staff"],
            "final_answer": ["unit_clerk", "unit_leader"]}


class CaseTypePolicy(models.Model):
    """The rules one council applies to one case type, as data (an administrator edits them in the admin).

    Time limits count from the day of the act (assignment, sign-off, re-handling), working days by the
    statutory calendar (:mod:`lvzhi.core.calendar`). ``evaluation_scheme`` is
    ``{"dimensions": [{"code", "label"}], "levels": [{"code", "label"}], "rehandle_levels": [code, …],
    "rehandle_dimensions": [code, …]}``: an evaluation with a ``rehandle_levels`` level on one of the
    ``rehandle_dimensions`` sends the unit back to re-handling. ``return_grounds`` is ``[{"code", "label"}]``.
    ``act_roles`` maps a non-transition act (``reassign``, ``extend``, ``key``, ``excellent``, ``follow_up``,
    ``instruct``, ``evaluate_for``, ``final_answer``) to the case roles that may take it.
    """

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="case_policies",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=30)
    number_pattern = models.CharField(_("编号格式"), max_length=100, default="{year}-{seq:04d}",
                                      help_text=_("可用字段：{term} 届次、{session} 会次、{year} 年份、{seq} 流水号"))
    number_scope = models.CharField(_("编号范围"), max_length=10, choices=NumberScope.choices,
                                    default=NumberScope.SESSION)
    sendback_limit = models.PositiveIntegerField(_("退回交办期限"), default=7)
    sendback_limit_unit = models.CharField(_("退回交办期限单位"), max_length=16, choices=TimeUnit.choices,
                                           default=TimeUnit.WORKING_DAYS)
    opinion_limit = models.PositiveIntegerField(_("会办意见期限"), default=1)
    opinion_limit_unit = models.CharField(_("会办意见期限单位"), max_length=16, choices=TimeUnit.choices,
                                          default=TimeUnit.MONTHS)
    reply_limit = models.PositiveIntegerField(_("答复期限"), default=3)
    reply_limit_unit = models.CharField(_("答复期限单位"), max_length=16, choices=TimeUnit.choices,
                                        default=TimeUnit.MONTHS)
    reply_max = models.PositiveIntegerField(_("最长答复期限"), default=6, help_text=_("经同意延期后最迟的期限"))
    reply_max_unit = models.CharField(_("最长答复期限单位"), max_length=16, choices=TimeUnit.choices,
                                      default=TimeUnit.MONTHS)
    evaluation_window = models.PositiveIntegerField(_("测评期限"), default=1)
    evaluation_window_unit = models.CharField(_("测评期限单位"), max_length=16, choices=TimeUnit.choices,
                                              default=TimeUnit.MONTHS)
    rehandle_limit = models.PositiveIntegerField(_("重新办理期限"), default=1)
    rehandle_limit_unit = models.CharField(_("重新办理期限单位"), max_length=16, choices=TimeUnit.choices,
                                           default=TimeUnit.MONTHS)
    confirm_limit = models.PositiveIntegerField(_("附议确认期限"), default=7)
    confirm_limit_unit = models.CharField(_("附议确认期限单位"), max_length=16, choices=TimeUnit.choices,
                                          default=TimeUnit.CALENDAR_DAYS)
    contact_required = models.BooleanField(_("答复前须沟通"), default=False,
                                           help_text=_("承办单位提交答复签发前须有与提出人沟通（面商）的记录"))
    return_grounds = models.JSONField(_("退回理由"), default=list, blank=True)
    joint_reply_mode = models.CharField(_("联名答复方式"), max_length=10, choices=JointReplyMode.choices,
                                        default=JointReplyMode.EACH)
    evaluation_scheme = models.JSONField(_("测评方案"), default=dict, blank=True)
    grade_scale = models.CharField(_("答复分类"), max_length=10, default="abcd")
    act_roles = models.JSONField(_("操作权限"), default=default_act_roles, blank=True)

    class Meta:
        verbose_name = _("案件类型规则")
        verbose_name_plural = _("案件类型规则")
        ordering = ["council", "case_type"]
        constraints = [models.UniqueConstraint(fields=["council", "case_type"], name="unique_case_policy")]

    def __str__(self) -> str:
        return f"{self.council} · {self.case_type}"

    def ground_label(self, code: str) -> str | None:
        """The label of return ground ``code``, or ``None`` when the policy has no such ground."""
        for ground in self.return_grounds or []:
            if ground.get("code") == code:
                return str(ground.get("label", code))
        return None

    def roles_for(self, act: str) -> set[str]:
        roles = (self.act_roles or {}).get(act)
        return set(roles if roles is not None else default_act_roles().get(act, []))

    @property
    def dimensions(self) -> list[dict[str, str]]:
        return list((self.evaluation_scheme or {}).get("dimensions", []))

    @property
    def levels(self) -> list[dict[str, str]]:
        return list((self.evaluation_scheme or {}).get("levels", []))


class NumberCounter(models.Model):
    """The last serial taken in one numbering scope (council, case type, scope key such as ``session:7``).

    Taken by an atomic ``UPDATE … SET last_value = last_value + 1`` (see
    :func:`lvzhi.cases.policy.next_serial`), so concurrent filings never share a serial.
    """

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="+")
    case_type = models.CharField(max_length=30)
    scope_key = models.CharField(max_length=40)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "case_type", "scope_key"],
                                               name="unique_number_counter")]

    def __str__(self) -> str:
        return f"{self.case_type} {self.scope_key}: {self.last_value}"


class GenericCaseLink(models.Model):
    """The generic link to a case of any registered type (content type + id), its council and type key."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=30, db_index=True)

    class Meta:
        abstract = True


class Assignment(GenericCaseLink):
    """A case assigned (交办) to one handling unit in one role, with its deadlines.

    ``deadline`` is the reply deadline (the policy's reply limit from the assignment; for a co-handling unit
    the opinion limit); ``latest_deadline`` how far it may be extended (the policy's maximum);
    ``sendback_deadline`` the last day the unit may send the case back. ``round`` counts re-handling (1 for
    the first handling).
    """

    unit = models.ForeignKey("members.HandlingUnit", on_delete=models.PROTECT, related_name="case_assignments",
                             verbose_name=_("承办单位"))
    role = models.CharField(_("办理方式"), max_length=10, choices=AssignmentRole.choices)
    status = models.CharField(_("状态"), max_length=15, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.HANDLING)
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    deadline = models.DateField(_("答复期限"))
    latest_deadline = models.DateField(_("最长答复期限"))
    sendback_deadline = models.DateField(_("退回交办期限"))
    sendback_reason = models.TextField(_("退回理由"), blank=True)
    sent_back_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("会办意见"), blank=True)
    opinion_sent_at = models.DateTimeField(null=True, blank=True)
    round = models.PositiveIntegerField(_("办理轮次"), default=1)
    excellent_year = models.PositiveIntegerField(_("优秀办理年度"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"]),
                   models.Index(fields=["unit", "status", "deadline"]),
                   models.Index(fields=["council", "case_type", "status"])]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def replies_to_submitter(self) -> bool:
        """Lead, sole and separate units answer the submitter; co-handling units answer the lead unit."""
        return self.role in REPLYING_ROLES


class ContactRecord(models.Model):
    """A talk with the submitter before replying (面商): when, how, with whom, what was said."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("沟通日期"))
    way = models.CharField(_("沟通方式"), max_length=10, choices=ContactWay.choices)
    with_whom = models.CharField(_("沟通对象"), max_length=100)
    notes = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.with_whom}"


class Reply(models.Model):
    """A unit's reply letter (答复) of one round: drafted by a clerk with a grade, sent back to the clerk or
    signed off by the unit leader. ``kind`` ``final`` is the second answer to a reply whose grade needs
    follow-up ("being resolved"), given when the matter is done."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveIntegerField(_("办理轮次"), default=1)
    kind = models.CharField(_("答复种类"), max_length=10, choices=ReplyKind.choices, default=ReplyKind.ANSWER)
    grade = models.ForeignKey("workflow.ReplyGrade", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("答复类别"))
    text = models.TextField(_("答复内容"))
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    leader_comment = models.TextField(_("负责人意见"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("签发人"))
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=40, blank=True,
                                  help_text=_("签发时按承办单位的机关代字和年度顺序编排，如 江府建〔2026〕12号。"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["assignment", "round", "id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "round", "kind"],
                                               name="unique_case_reply_round")]

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.grade}"


class Evaluation(models.Model):
    """One evaluating party's opinion form (意见征询表) on one signed reply: a level per dimension of the
    policy's scheme. ``rehandle`` records whether it asked for re-handling under the scheme in force."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("测评人"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("录入人"))
    scores = models.JSONField(_("测评结果"), default=dict)
    rehandle = models.BooleanField(_("要求重新办理"), default=False)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("测评")
        verbose_name_plural = _("测评")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["reply", "evaluator"], name="unique_case_evaluation")]

    def __str__(self) -> str:
        return str(self.scores)


class FollowUp(GenericCaseLink):
    """A follow-up review (回头看) of a reply whose promise is not yet delivered."""

    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    note = models.TextField(_("跟踪情况"))
    delivered = models.BooleanField(_("已落实"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.note[:30]


class Instruction(GenericCaseLink):
    """A leader's instruction (批示) on a case, tracked to its implementation (落实)."""

    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("批示领导"))
    text = models.TextField(_("批示内容"))
    status = models.CharField(_("落实情况"), max_length=15, choices=InstructionStatus.choices,
                              default=InstructionStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("批示")
        verbose_name_plural = _("批示")
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.text[:30]


class InstructionNote(models.Model):
    """A note on how an instruction is being implemented (落实情况)."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("落实情况"))
    status = models.CharField(_("落实情况"), max_length=15, choices=InstructionStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:30]


class KeyGroup(models.Model):
    """A group of key cases (重点督办) on one theme, under a special committee, led by a city leader
    (领衔督办), with its supervision plan; progress is noted in :class:`KeyGroupNote`."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="key_groups",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=30)
    year = models.PositiveIntegerField(_("年度"))
    theme = models.CharField(_("督办专题"), max_length=200)
    special_committee = models.ForeignKey("members.Organisation", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("牵头专门委员会"))
    leading_leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("领衔督办领导"))
    plan = models.TextField(_("督办方案"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重点督办专题")
        verbose_name_plural = _("重点督办专题")
        ordering = ["council", "-year", "id"]

    def __str__(self) -> str:
        return self.theme


class KeyGroupCase(models.Model):
    """A case in a key group."""

    group = models.ForeignKey(KeyGroup, on_delete=models.CASCADE, related_name="cases")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["group", "content_type", "object_id"],
                                               name="unique_key_group_case")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.object_id}"


class KeyGroupNote(models.Model):
    """A progress note (督办进展) of a key group."""

    group = models.ForeignKey(KeyGroup, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("督办进展"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:30]


def case_link(case: Any) -> dict[str, Any]:
    """The generic-link values of ``case`` (for creating a :class:`GenericCaseLink` row)."""
    from lvzhi.cases import registry

    return {"content_type": ContentType.objects.get_for_model(case), "object_id": case.pk,
            "council_id": case.council_id, "case_type": registry.for_model(case).key}
