"""Workflows as data (after OpenSlides' motion workflows): states, allowed transitions, capability flags,
time limits, and the reply-grade scale. An administrator edits them in the admin; no code changes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import TimeUnit


class Workflow(models.Model):
    """The states a case of ``case_type`` passes through in one council."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="workflows",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=30)
    name = models.CharField(_("名称"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("流程")
        verbose_name_plural = _("流程")
        ordering = ["council", "case_type", "id"]

    def __str__(self) -> str:
        return self.name

    def initial_state(self) -> State:
        state = self.states.filter(is_initial=True).first()
        if state is None:
            raise State.DoesNotExist(f"workflow {self.pk} has no initial state")
        return state


class State(models.Model):
    """A state with its capability flags and an optional time limit counted from entering it."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="states",
                                 verbose_name=_("流程"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    is_initial = models.BooleanField(_("初始状态"), default=False)
    is_terminal = models.BooleanField(_("终结状态"), default=False)
    submitter_may_edit = models.BooleanField(_("提出人可修改"), default=False)
    units_may_reply = models.BooleanField(_("承办单位可答复"), default=False)
    proposer_may_rate = models.BooleanField(_("提出人可测评"), default=False,
                                            help_text=_("满意度测评窗口在此状态开放"))
    counts_as_received = models.BooleanField(_("计入收件"), default=False,
                                             help_text=_("处于此状态的案件计入已收到（已提交）的件数"))
    is_public = models.BooleanField(_("公开"), default=False,
                                    help_text=_("进入此状态后，本机构的委员、代表均可查看"))
    takes_number = models.BooleanField(_("编立案号"), default=False,
                                       help_text=_("进入此状态时编立案号"))
    assignable = models.BooleanField(_("可交办"), default=False,
                                     help_text=_("此状态下可将案件交办承办单位"))
    mergeable = models.BooleanField(_("可并案"), default=False,
                                    help_text=_("此状态下可将案件并入另一件"))
    is_draft = models.BooleanField(_("草稿"), default=False,
                                   help_text=_("尚未提交：仅起草人可见，工作人员看不到"))
    under_review = models.BooleanField(_("审查中"), default=False,
                                       help_text=_("已提交、尚待审查决定（含退回修改中）：计入“待审查”件数"))
    staff_may_edit = models.BooleanField(_("工作人员可编辑"), default=False,
                                         help_text=_("此状态下工作人员可编辑正文（如社情民意采用后、签发前）"))
    is_published = models.BooleanField(_("已刊发"), default=False,
                                       help_text=_("已刊发（社情民意）：此后可登记报送和领导批示"))
    is_closed = models.BooleanField(_("已办结"), default=False,
                                    help_text=_("案件已办结（含归档）：不再列入重点督办"))
    time_limit = models.PositiveIntegerField(_("时限"), null=True, blank=True)
    time_unit = models.CharField(_("时限单位"), max_length=16, choices=TimeUnit.choices,
                                 default=TimeUnit.WORKING_DAYS)
    color = models.CharField(_("颜色"), max_length=20, default="grey")

    class Meta:
        verbose_name = _("状态")
        verbose_name_plural = _("状态")
        ordering = ["workflow", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["workflow", "code"], name="unique_state_code")]

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """A permitted move from ``source`` to ``target`` by accounts holding one of ``roles`` on the case.

    ``act`` is the stable key the code moves a case by (``engine.move(case, "file")``); states and transitions
    may be renamed and re-coded freely, the act keys stay. ``roles`` are roles relative to the case (``proposer``, ``cosigner``, ``staff``, ``unit_clerk``,
    ``unit_leader``, ``leader``, ``admin``), computed by the case type's ``roles_of(user)``.
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="transitions",
                                 verbose_name=_("流程"))
    act = models.SlugField(_("操作代码"), max_length=40,
                           help_text=_("程序据以识别操作的固定代码（如 file 立案、assign 交办），改名时勿改"))
    source = models.ForeignKey(State, on_delete=models.CASCADE, related_name="outgoing", verbose_name=_("从"))
    target = models.ForeignKey(State, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("到"))
    name = models.CharField(_("操作名称"), max_length=50)
    roles = models.JSONField(_("可操作角色"), default=list)
    requires_comment = models.BooleanField(_("须填写意见"), default=False)

    class Meta:
        verbose_name = _("流转")
        verbose_name_plural = _("流转")
        ordering = ["workflow", "source__order", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_transition"),
                       models.UniqueConstraint(fields=["source", "act"], name="unique_transition_act")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}（{self.name}）"


class ActPermission(models.Model):
    """Who may take an act that is not a move between states (确定重点 ``key``, 评选优秀 ``excellent``, 回头看
    ``follow_up``, 追加交办 ``reassign``, 并案 ``merge``, 转为社情民意信息 ``convert``), and in which states.

    ``act`` is the stable key the code asks by (:func:`lvzhi.workflow.engine.act_allowed`); ``roles`` are roles
    relative to the case as for :class:`Transition`; the act is open only while the case is in one of ``states``.
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="act_permissions",
                                 verbose_name=_("流程"))
    act = models.SlugField(_("操作代码"), max_length=40,
                           help_text=_("程序据以识别操作的固定代码（如 key 确定重点、merge 并案），改名时勿改"))
    name = models.CharField(_("操作名称"), max_length=50)
    roles = models.JSONField(_("可操作角色"), default=list)
    states = models.ManyToManyField(State, related_name="act_permissions", blank=True,
                                    verbose_name=_("允许的状态"), help_text=_("案件处于这些状态时可执行此操作"))

    class Meta:
        verbose_name = _("操作权限")
        verbose_name_plural = _("操作权限")
        ordering = ["workflow", "id"]
        constraints = [models.UniqueConstraint(fields=["workflow", "act"], name="unique_act_permission")]

    def __str__(self) -> str:
        return self.name


class ReplyGrade(models.Model):
    """One grade of a council's reply scale (A/B/C/D by default [R10]; three grades elsewhere [R11])."""

    council = models.ForeignKey("members.Council", on_delete=models.CASCADE, related_name="reply_grades",
                                verbose_name=_("机构"))
    case_type = models.CharField(_("案件类型"), max_length=30, blank=True,
                                 help_text=_("留空：本机构各类案件通用"))
    code = models.CharField(_("代码"), max_length=5)
    label = models.CharField(_("名称"), max_length=50)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    needs_follow_up = models.BooleanField(_("需回头看"), default=False,
                                          help_text=_("答复承诺尚未兑现，须跟踪落实（如B、C类）"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复类别")
        verbose_name_plural = _("答复类别")
        ordering = ["council", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "case_type", "code"], name="unique_grade_code")]

    def __str__(self) -> str:
        return f"{self.code}类（{self.label}）"


class Case(models.Model):
    """Abstract base of every case type: its workflow position and an optimistic-lock version.

    A concrete case type implements ``roles_of(user) -> set[str]`` (roles relative to this case) and has a
    ``council`` foreign key.
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="+", verbose_name=_("流程"))
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+", verbose_name=_("状态"))
    state_entered_at = models.DateTimeField(_("进入状态时间"), auto_now_add=True)
    state_deadline = models.DateField(_("本环节期限"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True
