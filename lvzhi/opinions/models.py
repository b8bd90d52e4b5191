"""Public-opinion reports (社情民意信息), the 《社情民意》 bulletin, and citizens' messages (群众留言, 来信来访,
企业问题).

Both case types run on the shared workflow engine (``lvzhi.workflow``); only ``lvzhi.opinions.actions``
writes these rows.

Informants (信息员): an appointed informant is a row of :class:`Informant` (not a member flag), because
informants are often not members of the council (staff of the council's organs, members of party groups,
people in the districts). An informant who is also a member links to that member; a member-informant may
then submit reports in the capacity 信息员 from their own account; staff enter reports of other informants on
their behalf.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.choices import Role
from lvzhi.opinions.choices import (
    Channel,
    ForwardStatus,
    InstructionLevel,
    IssueKind,
    Rating,
    RecipientKind,
    ReplyStatus,
    SubmitterKind,
)
from lvzhi.workflow.models import Case


class CodeHolder:
    """A citizen who acts on a message by its tracking code (no account): the portal's actor.

    ``pk`` is ``None`` so the audit log records the act without an actor; ``roles_of`` of the message with
    this code answers ``{"citizen"}``.
    """

    is_authenticated = False
    pk = None

    def __init__(self, tracking_code: str) -> None:
        self.tracking_code = (tracking_code or "").strip().upper()


class Informant(models.Model):
    """An appointed public-opinion informant (信息员) of a council, a member or not."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("机构"))
    name = models.CharField(_("姓名"), max_length=50)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="informant_roles", verbose_name=_("委员"))
    organisation = models.CharField(_("所在单位"), max_length=100, blank=True)
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    active = models.BooleanField(_("在聘"), default=True)

    class Meta:
        verbose_name = _("信息员")
        verbose_name_plural = _("信息员")
        ordering = ["council", "name", "id"]

    def __str__(self) -> str:
        return self.name


class BulletinIssue(models.Model):
    """One issue (期) of the 《社情民意》 bulletin: ``number`` counts within ``year``; a report is one 篇."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("机构"))
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    date = models.DateField(_("出刊日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=IssueKind.choices, default=IssueKind.SINGLE)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("社情民意期刊")
        verbose_name_plural = _("社情民意期刊")
        ordering = ["council", "-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["council", "year", "number"], name="unique_bulletin_issue")]

    def __str__(self) -> str:
        return _("《社情民意》%(year)s年第%(n)s期") % {"year": self.year, "n": self.number}


class Report(Case):
    """A public-opinion report (社情民意信息): one matter, situation / analysis / suggestion."""

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="opinion_reports",
                                verbose_name=_("机构"))
    title = models.CharField(_("标题"), max_length=200)
    original_title = models.CharField(_("原标题"), max_length=200, blank=True)
    situation = models.TextField(_("基本情况"), blank=True)
    analysis = models.TextField(_("问题分析"), blank=True)
    suggestion = models.TextField(_("意见建议"), blank=True)
    submitter_kind = models.CharField(_("报送者类型"), max_length=20, choices=SubmitterKind.choices,
                                      default=SubmitterKind.MEMBER)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="opinion_reports", verbose_name=_("委员"))
    organisation = models.ForeignKey("members.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="opinion_reports", verbose_name=_("报送单位"))
    informant = models.ForeignKey(Informant, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="reports", verbose_name=_("信息员"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("录入人"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, db_index=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("签发人"))
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    issue = models.ForeignKey(BulletinIssue, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="reports", verbose_name=_("刊发期次"))
    piece = models.PositiveIntegerField(_("篇次"), null=True, blank=True)
    published_at = models.DateTimeField(_("刊发时间"), null=True, blank=True)
    source_proposal = models.OneToOneField("proposals.Proposal", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="opinion_report",
                                           verbose_name=_("转自提案"))
    outcome = models.TextField(_("办理结果反馈"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "state"]), models.Index(fields=["council", "-submitted_at"])]
        constraints = [models.UniqueConstraint(fields=["issue", "piece"], name="unique_report_piece")]

    def __str__(self) -> str:
        return self.title

    @property
    def submitter_name(self) -> str:
        """The member's, organisation's or informant's name as it appears on the report."""
        if self.organisation_id:
            return self.organisation.name  # type: ignore[union-attr]
        if self.informant_id:
            return self.informant.name  # type: ignore[union-attr]
        return self.member.name if self.member_id else ""  # type: ignore[union-attr]

    @property
    def length(self) -> int:
        """Characters of situation + analysis + suggestion (the ~1,500 recommended maximum applies)."""
        return len(self.situation) + len(self.analysis) + len(self.suggestion)

    def author_user_ids(self) -> set[int]:
        """Accounts that speak for the author: the account that entered it and the member's account."""
        ids: set[int] = set()
        if self.created_by_id:
            ids.add(self.created_by_id)
        for member in (self.member, getattr(self.informant, "member", None)):
            profile = getattr(member, "profile", None) if member is not None else None
            if profile is not None:
                ids.add(profile.user_id)
        return ids

    def roles_of(self, user: Any) -> set[str]:
        """Roles of ``user`` on this report: ``author``, ``staff``, ``admin``, ``leader``, ``unit_clerk``,
        ``unit_leader`` (of a unit the report was forwarded to)."""
        roles: set[str] = set()
        profile = profile_of(user)
        if profile is None:
            return roles
        if user.pk in self.author_user_ids():
            roles.add("author")
        if is_council_staff(user, self.council_id):
            roles.add("staff")
            if profile.role == Role.ADMIN:
                roles.add("admin")
        if is_council_leader(user, self.council_id):
            roles.add("leader")
        if profile.unit_id and self.forwards.filter(unit_id=profile.unit_id).exists():
            roles.add("unit_leader" if profile.role == Role.UNIT_LEADER else "unit_clerk")
        return roles


class ReportDelivery(models.Model):
    """A published report sent (报送) to the party committee, the government or the higher CPPCC."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")
    recipient_kind = models.CharField(_("报送对象"), max_length=20, choices=RecipientKind.choices)
    recipient = models.CharField(_("报送单位"), max_length=100, blank=True)
    sent_on = models.DateField(_("报送日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["report", "sent_on", "id"]

    def __str__(self) -> str:
        return self.recipient or self.get_recipient_kind_display()


class Instruction(models.Model):
    """A leader's instruction (批示) on a report: name, level, date and text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="instructions")
    leader_name = models.CharField(_("批示领导"), max_length=50)
    level = models.CharField(_("批示级别"), max_length=10, choices=InstructionLevel.choices)
    date = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["report", "date", "id"]

    def __str__(self) -> str:
        return f"{self.leader_name} {self.date}"


class ReportForward(models.Model):
    """A report forwarded (转办) to a handling unit, and the unit's answer (clerk drafts, leader signs off)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="forwards")
    unit = models.ForeignKey("members.HandlingUnit", on_delete=models.PROTECT, related_name="report_forwards",
                             verbose_name=_("承办单位"))
    status = models.CharField(_("状态"), max_length=20, choices=ForwardStatus.choices,
                              default=ForwardStatus.HANDLING)
    forwarded_at = models.DateTimeField(_("转办时间"), auto_now_add=True)
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("办理情况"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("签发人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        ordering = ["report", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "unit"], name="unique_report_forward")]

    def __str__(self) -> str:
        return str(self.unit)


class Message(Case):
    """A citizen's message, letter, visit or enterprise issue (one model, ``channel`` tells which).

    ``tracking_code`` (12 random characters) lets an anonymous citizen look the message up and rate the
    reply. ``contact`` and ``submitter_name`` are personal data: never shown on public pages, never logged.
    ``reply_unit_name`` is the replying unit as written (for imports: read from the reply's signature);
    ``reply_unit`` the matching :class:`HandlingUnit` when one exists. ``rating_comment`` is the citizen's
    optional comment with the rating (≤ 200 characters). Photos are attachments
    (:class:`~lvzhi.core.models.Attachment`) of an ``image/*`` type (``lvzhi.core.attachments.photos_of``); ``photos_hidden`` keeps them off the
    portal when the message is published.
    """

    council = models.ForeignKey("members.Council", on_delete=models.PROTECT, related_name="messages",
                                verbose_name=_("机构"))
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices, default=Channel.PORTAL)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    submitter_name = models.CharField(_("姓名"), max_length=50, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=True)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=100, blank=True)
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("相关委员"))
    visit_leader = models.CharField(_("走访领导"), max_length=50, blank=True)
    category = models.CharField(_("分类"), max_length=50, blank=True, db_index=True)
    unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="messages", verbose_name=_("承办单位"))
    routed_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_status = models.CharField(_("答复状态"), max_length=20, choices=ReplyStatus.choices, blank=True,
                                    default=ReplyStatus.NONE)
    reply_unit = models.ForeignKey("members.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("答复单位"))
    reply_unit_name = models.CharField(_("答复单位名称"), max_length=100, blank=True)
    reply_drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    reply_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_source = models.CharField(_("答复来源"), max_length=10, blank=True)
    published = models.BooleanField(_("公开"), default=False)
    rating = models.CharField(_("满意度"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("测评时间"), null=True, blank=True)
    rating_comment = models.CharField(_("评价说明"), max_length=200, blank=True)
    photos_hidden = models.BooleanField(_("公开时隐藏照片"), default=False)
    likes = models.PositiveIntegerField(_("点赞数"), null=True, blank=True)
    dislikes = models.PositiveIntegerField(_("反对数"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, default="web")
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True, db_index=True)
    content_hash = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "state"]), models.Index(fields=["council", "-submitted_at"]),
                   models.Index(fields=["council", "external_id"]), models.Index(fields=["council", "content_hash"])]

    def __str__(self) -> str:
        return self.title

    def roles_of(self, user: Any) -> set[str]:
        """Roles of ``user`` on this message: ``citizen`` (a :class:`CodeHolder` with this message's code),
        ``staff``, ``admin``, ``leader``, ``unit_clerk`` / ``unit_leader`` (of the assigned unit)."""
        if isinstance(user, CodeHolder):
            return {"citizen"} if user.tracking_code and user.tracking_code == self.tracking_code else set()
        roles: set[str] = set()
        profile = profile_of(user)
        if profile is None:
            return roles
        if is_council_staff(user, self.council_id):
            roles.add("staff")
            if profile.role == Role.ADMIN:
                roles.add("admin")
        if is_council_leader(user, self.council_id):
            roles.add("leader")
        if profile.unit_id and self.unit_id == profile.unit_id:
            roles.add("unit_leader" if profile.role == Role.UNIT_LEADER else "unit_clerk")
        return roles


class MessageFollow(models.Model):
    """A citizen who asked, by the message's tracking code, to be told by e-mail when it is answered (no
    account needed). The address is personal data: never shown, and blanked once the notice is sent."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="follows")
    email = models.EmailField(_("电子邮箱"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("留言关注")
        verbose_name_plural = _("留言关注")

    def __str__(self) -> str:
        return f"{self.message_id}"
